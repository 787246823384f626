//! The two identities everything else refers to: an annotation's (a UUID
//! v4) and an article's (the SHA-256 of its text). Their own file, so that
//! annotations, articles and links can all name them without naming each
//! other.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A UUID v4 in its canonical lowercase hyphenated form.
///
/// Made from 16 random bytes supplied by the caller (the browser's
/// `crypto.getRandomValues`, or a seeded source in tests), so the core needs
/// no source of randomness of its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(Rc<str>);

impl AnnotationId {
    pub fn from_random_bytes(mut b: [u8; 16]) -> AnnotationId {
        b[6] = (b[6] & 0x0f) | 0x40; // version 4
        b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
        let mut s = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            s.push(char::from_digit((byte >> 4) as u32, 16).unwrap_or('0'));
            s.push(char::from_digit((byte & 15) as u32, 16).unwrap_or('0'));
        }
        AnnotationId(s.into())
    }

    /// An id read from a file or storage, kept as it is.
    pub fn from_string(s: &str) -> AnnotationId {
        AnnotationId(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The SHA-256 of an article's canonical text, as 64 lowercase hex digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    pub fn of_text(text: &str) -> ArticleId {
        let digest = Sha256::digest(text.as_bytes());
        let mut hex = String::with_capacity(64);
        for b in digest {
            hex.push(char::from_digit((b >> 4) as u32, 16).unwrap_or('0'));
            hex.push(char::from_digit((b & 15) as u32, 16).unwrap_or('0'));
        }
        ArticleId(hex)
    }
}
