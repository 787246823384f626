//! Native benchmarks of the pure core at 10², 10³, 10⁴ and 10⁵ annotations on
//! a 1 MB generated article: segmenting, the reducer, the storage codec.
//! Run: `make bench-native` (`cargo bench --bench core`).

#[cfg(not(target_arch = "wasm32"))]
mod workload;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::rc::Rc;
    use std::sync::OnceLock;

    use claimmark::core::storage::{self, MemoryStore};
    use std::collections::BTreeMap;

    use claimmark::core::{formats, import};
    use claimmark::core::{
        segments, Action, Annotation, AnnotationId, Article, State, Tag, Timestamp,
    };
    use divan::Bencher;

    use super::workload;

    const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

    struct Fixture {
        article: Rc<Article>,
        sets: Vec<Vec<Annotation>>,
    }

    // Rc is not Sync; the benches run on one thread, so keep the fixture per thread.
    thread_local! {
        static FIXTURE: Fixture = {
            let article = Rc::new(workload::article(1 << 20, 42));
            let sets = SIZES.iter().map(|&n| workload::annotations(&article, n, 7)).collect();
            Fixture { article, sets }
        };
    }

    static WARM: OnceLock<()> = OnceLock::new();

    fn with<R>(n: usize, f: impl FnOnce(&Rc<Article>, &[Annotation]) -> R) -> R {
        WARM.get_or_init(|| ());
        FIXTURE.with(|fx| {
            let i = SIZES.iter().position(|&s| s == n).unwrap();
            f(&fx.article, &fx.sets[i])
        })
    }

    #[divan::bench(args = SIZES, sample_count = 20)]
    fn segment(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            bencher.bench_local(|| segments(article, divan::black_box(list)));
        });
    }

    #[divan::bench(args = SIZES)]
    fn reducer_create_then_undo(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let state = State::new(article.clone(), list.to_vec());
            let extra = workload::annotations(article, 1, 99).remove(0);
            bencher.bench_local(|| {
                let mut s = state.clone();
                s.reduce(Action::Create(extra.clone()));
                s.reduce(Action::SetTag {
                    id: extra.id.clone(),
                    tag: Tag::Quote,
                    now: Timestamp(1),
                });
                s.reduce(Action::Undo { now: Timestamp(2) });
                s
            });
        });
    }

    /// Saving everything at once (the article record, every chunk, the
    /// library entry) into an empty in-memory store.
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn storage_save_all(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let state = State::new(article.clone(), list.to_vec());
            bencher.bench_local(|| {
                let store = MemoryStore::new();
                storage::save(&store, &state, Timestamp(1), &[]).unwrap()
            });
        });
    }

    /// Loading it back: the record (SHA-256 and checks of the text), the
    /// chunks, quotes rebuilt.
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn storage_load(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let state = State::new(article.clone(), list.to_vec());
            let store = MemoryStore::new();
            storage::save(&store, &state, Timestamp(1), &[]).unwrap();
            bencher
                .bench_local(|| storage::load(&store, claimmark::core::seed_article, Timestamp(2)));
        });
    }

    /// One note changed and saved, after a first change (the reducer and the
    /// writer, not the state's clone): one chunk read, merged and written,
    /// and the library entry.
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn storage_save_one_change(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let state = State::new(article.clone(), list.to_vec());
            let store = MemoryStore::new();
            storage::save(&store, &state, Timestamp(1), &[]).unwrap();
            let target = state.annotations()[n / 2].id.clone();
            let mut s = state.clone();
            let mut w = storage::Writer::new(article.clone());
            s.reduce(Action::SetNote {
                id: target.clone(),
                note: "first".into(),
                now: Timestamp(5),
            });
            w.after(&store, &s, Timestamp(5), &[]).unwrap();
            let mut k = 0;
            bencher
                .with_inputs(|| {
                    k += 1;
                    Action::SetNote {
                        id: target.clone(),
                        note: format!("note {k}"),
                        now: Timestamp(10 + k),
                    }
                })
                .bench_local_values(|action| {
                    s.reduce(action);
                    w.after(&store, &s, Timestamp(10), &[]).unwrap();
                });
        });
    }

    #[divan::bench(args = SIZES, sample_count = 20)]
    fn export_claimmark_json(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            bencher.bench_local(|| {
                formats::claimmark::write(article, divan::black_box(list), Timestamp(1))
            });
        });
    }

    #[divan::bench(args = SIZES, sample_count = 20)]
    fn export_w3c(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            bencher.bench_local(|| formats::w3c::write(article, divan::black_box(list)));
        });
    }

    #[divan::bench(args = SIZES, sample_count = 20)]
    fn export_csv(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            bencher.bench_local(|| formats::csv::write(article, divan::black_box(list)));
        });
    }

    /// Read a claimmark JSON file and plan it onto the same (unchanged) text
    /// in an empty browser: parse, anchor by position, dedup.
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn import_claimmark_json(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let file = formats::claimmark::write(article, list, Timestamp(1));
            let mapping = BTreeMap::new();
            bencher.bench_local(|| {
                let parsed = formats::read(divan::black_box(file.as_bytes())).unwrap();
                let mut k = 0u32;
                import::plan(&parsed, article, &[], &mapping, Timestamp(2), &mut || {
                    k += 1;
                    AnnotationId::from_string(&k.to_string())
                })
            });
        });
    }

    /// Re-anchoring onto the same text (every position holds).
    #[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
    fn reanchor_unchanged(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            bencher
                .bench_local(|| import::carry_over(divan::black_box(list), article, Timestamp(2)));
        });
    }

    /// Re-anchoring onto a copy with ~5 % of words replaced. Prints, once,
    /// how many landed on the right words.
    #[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
    fn reanchor_five_percent_changed(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let (revised, map) = workload::revise(article, 50, 11);
            let carried = import::carry_over(list, &revised, Timestamp(2));
            let right = workload::right_words(list, &carried.annotations, &map);
            eprintln!(
                "reanchor_five_percent_changed/{n}: {right} of {} on the right words ({:.2} %), {} orphans",
                list.len(),
                100.0 * right as f64 / list.len().max(1) as f64,
                carried.orphans.len()
            );
            bencher
                .bench_local(|| import::carry_over(divan::black_box(list), &revised, Timestamp(2)));
        });
    }

    /// Re-anchoring quotes taken from a web page showing the article
    /// (paragraphs joined with no newline here, a blank line there;
    /// positions counting the page's navigation). Prints, once, how many land exactly.
    #[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
    fn reanchor_web_quotes(bencher: Bencher, n: usize) {
        use claimmark::core::anchor::{Anchorer, Target};
        with(n, |article, _| {
            let quotes = workload::web_quotes(article, n, workload::Join::Mixed, 3);
            let targets: Vec<Target> = quotes.iter().map(|(t, _)| t.clone()).collect();
            let placed = Anchorer::new(article).anchor_all(&targets);
            let exact = quotes
                .iter()
                .zip(&placed)
                .filter(|((_, want), (got, _))| *got == Some(*want))
                .count();
            eprintln!(
                "reanchor_web_quotes/{n}: {exact} of {} exactly ({:.2} %)",
                quotes.len(),
                100.0 * exact as f64 / quotes.len().max(1) as f64
            );
            bencher.bench_local(|| Anchorer::new(article).anchor_all(divan::black_box(&targets)));
        });
    }

    pub fn main() {
        divan::main();
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::main();
}
