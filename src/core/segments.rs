//! Highlight segments: the article's text cut into runs, each with the
//! annotations that cover it. Computed as plain data; the UI only renders it.

use super::annotation::Annotation;

use super::article::Article;
use super::id::AnnotationId;
use super::offset::Span;
use super::tag::Tag;

/// One annotation covering a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cover {
    pub id: AnnotationId,
    pub tag: Tag,
    /// The annotation starts at this run (its marker is drawn here).
    pub starts: bool,
}

/// A maximal stretch of one block's text covered by the same annotations.
///
/// Invariant: `span` is non-empty and lies inside one block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub span: Span,
    /// Covering annotations, in the order of the slice given to [`segments`].
    pub covers: Vec<Cover>,
}

/// For each block of `article`, its runs in order.
///
/// The runs of a block concatenate to the block's text, none is empty, and the
/// runs covered by an annotation are exactly its span's parts inside blocks
/// (the separators between blocks belong to no run). Spans reaching past the
/// text are clipped. `O((a + b) log a)` for `a` annotations and `b` blocks.
pub fn segments(article: &Article, annotations: &[impl AsRef<Annotation>]) -> Vec<Vec<Run>> {
    let len = article.len_chars();
    // (position, is_open, annotation index); closes sort before opens at a
    // position, which does not matter for correctness (both are applied
    // before the run that starts there) but keeps the active set small.
    let mut events: Vec<(u32, bool, usize)> = Vec::with_capacity(annotations.len() * 2);
    for (i, a) in annotations.iter().enumerate() {
        let s = a.as_ref().span;
        let (start, end) = (s.start().min(len), s.end().min(len));
        if start < end {
            events.push((start, true, i));
            events.push((end, false, i));
        }
    }
    events.sort_unstable();

    let mut active: Vec<usize> = Vec::new();
    // Whether an annotation's first run has been emitted (its marker goes there).
    let mut marked = vec![false; annotations.len()];
    let mut ev = 0;
    let mut out = Vec::with_capacity(article.blocks.len());
    for block in &article.blocks {
        let mut runs = Vec::new();
        let mut pos = block.span.start();
        loop {
            while ev < events.len() && events[ev].0 <= pos {
                let (_, open, i) = events[ev];
                if open {
                    let at = active.partition_point(|&x| x < i);
                    active.insert(at, i);
                } else if let Ok(at) = active.binary_search(&i) {
                    active.remove(at);
                }
                ev += 1;
            }
            if pos >= block.span.end() {
                break;
            }
            let next = events
                .get(ev)
                .map_or(block.span.end(), |e| e.0.min(block.span.end()));
            let covers = active
                .iter()
                .map(|&i| {
                    let a = annotations[i].as_ref();
                    Cover {
                        id: a.id.clone(),
                        tag: a.tag,
                        starts: !std::mem::replace(&mut marked[i], true),
                    }
                })
                .collect();
            runs.push(Run {
                span: Span::new(pos, next),
                covers,
            });
            pos = next;
        }
        out.push(runs);
    }
    out
}
