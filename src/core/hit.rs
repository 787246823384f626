//! Which annotations cover a place in the text: what a click or a hover on
//! the article hits.

use std::rc::Rc;

use super::annotation::Annotation;

use super::id::AnnotationId;

/// The ids of the placed annotations covering code point `at`, in document
/// order. `annotations` must be in document order ([`Annotation::doc_order`]):
/// only those starting at or before `at` are looked at.
pub fn covering(annotations: &[Rc<Annotation>], at: u32) -> Vec<AnnotationId> {
    let upto = annotations.partition_point(|a| a.span.start() <= at);
    annotations[..upto]
        .iter()
        .filter(|a| a.is_anchored() && a.span.contains(at))
        .map(|a| a.id.clone())
        .collect()
}
