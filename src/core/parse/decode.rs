//! Bytes from a file → text: the encodings people's files come in, and the
//! files that are not text at all.

use std::fmt;

/// Why a file's bytes are not usable text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// Not text: NUL bytes, or bytes that are not UTF-8 (nor UTF-16 with a BOM).
    Binary,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the file is empty"),
            DecodeError::TooLarge { bytes, limit } => write!(
                f,
                "the file is too large ({} — the limit is {})",
                human_size(*bytes),
                human_size(*limit)
            ),
            DecodeError::Binary => write!(
                f,
                "the file is not text (it is binary, or in an encoding other than UTF-8 or UTF-16 with a byte-order mark)"
            ),
        }
    }
}

/// "1.5 MB", "820 KB", "12 bytes".
pub fn human_size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        // Tenths, rounded, in integers (float formatting costs ~10 KB of wasm).
        let tenths = (bytes as u64 * 10 + (1 << 19)) >> 20;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else if bytes >= 1 << 10 {
        format!("{} KB", bytes.div_ceil(1 << 10))
    } else {
        format!("{bytes} bytes")
    }
}

/// Decode a file: UTF-8 with or without a byte-order mark, or UTF-16 (LE or
/// BE) with one. Refuses empty files, files over `limit` bytes, and binary
/// files. Line endings are left alone (see
/// [`super::plain::normalise_newlines`]).
pub fn decode_text(bytes: &[u8], limit: usize) -> Result<String, DecodeError> {
    decode_owned(bytes.to_vec(), limit)
}

/// [`decode_text`], taking the bytes: UTF-8 becomes the string in place,
/// with no copy (a 6 MB annotation file is not held twice).
pub fn decode_owned(mut bytes: Vec<u8>, limit: usize) -> Result<String, DecodeError> {
    if bytes.len() > limit {
        return Err(DecodeError::TooLarge {
            bytes: bytes.len(),
            limit,
        });
    }
    let text = match bytes.as_slice() {
        [0xff, 0xfe, rest @ ..] => utf16(rest, u16::from_le_bytes)?,
        [0xfe, 0xff, rest @ ..] => utf16(rest, u16::from_be_bytes)?,
        [0xef, 0xbb, 0xbf, ..] => {
            bytes.drain(..3);
            String::from_utf8(bytes).map_err(|_| DecodeError::Binary)?
        }
        _ => String::from_utf8(bytes).map_err(|_| DecodeError::Binary)?,
    };
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    // NUL never appears in text; other C0 control characters (bar tab,
    // newlines and form feed) in bulk mean a binary file that happens to be
    // valid UTF-8. Counted on bytes: a C0 byte is always that character.
    let controls = text
        .bytes()
        .filter(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    if text.as_bytes().contains(&0) || controls * 100 > text.len().max(1) {
        return Err(DecodeError::Binary);
    }
    Ok(text)
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    if bytes.len() % 2 != 0 {
        return Err(DecodeError::Binary);
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| DecodeError::Binary)
}
