//! Shared data compared by identity, so props holding them compare in O(1)
//! and a component re-renders only when its data was replaced.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use crate::core::{Annotation, Article, State};

/// An article compared by identity: one parse, one `Rc`.
#[derive(Clone)]
pub struct ArticleRef(pub Rc<Article>);

impl PartialEq for ArticleRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The annotation list as of a revision: a view of the shared state (no
/// copy), equal while the revision is, so props holding it change exactly
/// when the annotations do.
#[derive(Clone)]
pub struct AnnList {
    state: Rc<RefCell<State>>,
    revision: u64,
}

impl AnnList {
    pub fn new(state: Rc<RefCell<State>>, revision: u64) -> AnnList {
        AnnList { state, revision }
    }

    /// The annotations in document order (borrowed: never across a dispatch).
    pub fn get(&self) -> Ref<'_, [Rc<Annotation>]> {
        Ref::map(self.state.borrow(), |s| s.annotations())
    }

    pub fn shared(&self) -> &Rc<RefCell<State>> {
        &self.state
    }
}

impl PartialEq for AnnList {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.revision == other.revision
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
