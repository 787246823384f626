//! Small wording helpers for messages people read (and screen readers say).

/// "1 annotation", "2 annotations", "0 annotations": `n` and the noun in
/// the right number. `plural` is the noun's plural.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// At most `max` characters of `s`, with "…" when some were cut (a quote
/// in a message).
pub fn clip(s: &str, max: usize) -> String {
    let t: String = s.chars().take(max).collect();
    if t.len() < s.len() {
        format!("{}…", t.trim_end())
    } else {
        t
    }
}

/// Both ends of `s`, at most `each` characters of each, joined by " … "
/// when the middle is cut: a long selection grown or shrunk by a word
/// sounds different at the end that moved, where [`clip`] would say the
/// same words each time.
pub fn ends(s: &str, each: usize) -> String {
    let n = s.chars().count();
    if n <= 2 * each + 3 {
        return s.to_string();
    }
    let head: String = s.chars().take(each).collect();
    let tail: String = s.chars().skip(n - each).collect();
    format!("{} … {}", head.trim_end(), tail.trim_start())
}

/// "1 annotation" / "N annotations".
pub fn annotations(n: usize) -> String {
    count(n, "annotation", "annotations")
}

/// What a filter or search leaves in the list: "3 of 12 annotations
/// shown", or "All 12 annotations shown" when it leaves them all.
pub fn shown(n: usize, total: usize) -> String {
    if n == total && total != 1 {
        format!("All {} shown", annotations(total))
    } else {
        format!("{n} of {} shown", annotations(total))
    }
}

/// The space browsers keep for one site's local storage, in UTF-16 units of
/// keys and values (5 Mi characters in Chromium, Firefox and Safari).
pub const USUAL_QUOTA_UNITS: usize = 5 << 20;

/// "2.9" (million), in integers: no float formatting in the bundle.
fn millions(units: usize) -> String {
    let tenths = (units + 50_000) / 100_000;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// How much of the browser's space `units` (UTF-16 units of keys and
/// values, as browsers count) take, in words a person can act on.
pub fn storage_use(units: usize) -> String {
    if units > USUAL_QUOTA_UNITS {
        format!(
            "Uses {} million characters of storage: more than the {} million most browsers keep for one site, so this one allows more. Keep a copy with Export before adding much more.",
            millions(units),
            millions(USUAL_QUOTA_UNITS)
        )
    } else {
        format!(
            "Uses {} % of the space this browser keeps for claimmark ({} of about {} million characters).",
            units * 100 / USUAL_QUOTA_UNITS,
            millions(units),
            millions(USUAL_QUOTA_UNITS)
        )
    }
}
