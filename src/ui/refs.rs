//! Shared data compared by identity, so props holding them compare in O(1)
//! and a component re-renders only when its data was replaced.

use std::rc::Rc;

use crate::core::{Annotation, Article};

/// An article compared by identity: one parse, one `Rc`.
#[derive(Clone)]
pub struct ArticleRef(pub Rc<Article>);

impl PartialEq for ArticleRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The annotation list, compared by identity (one `Rc` per revision).
#[derive(Clone, Default)]
pub struct AnnList(pub Rc<Vec<Rc<Annotation>>>);

impl PartialEq for AnnList {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// One annotation compared by identity: a changed annotation is a new `Rc`
/// (the reducer never mutates one in place), so equal pointers mean equal
/// content and the comparison costs nothing.
#[derive(Clone)]
pub struct AnnRef(pub Rc<Annotation>);

impl PartialEq for AnnRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
