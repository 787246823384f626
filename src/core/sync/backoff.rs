//! How long to wait before trying the server again.
//!
//! Exponential with "equal jitter": attempt `n` (0 for the first retry)
//! waits between half and all of `min(1 s × 2ⁿ, 60 s)`, the exact point
//! chosen by `random` (uniform in [0, 1), supplied by the caller, so this is
//! a pure function). Many clients cut off by one outage then come back
//! spread out instead of all at once, and none waits more than a minute.

/// The first retry's longest wait.
pub const BASE_MS: u64 = 1_000;
/// The longest wait.
pub const CAP_MS: u64 = 60_000;

/// Milliseconds to wait before attempt `attempt + 1`.
pub fn delay_ms(attempt: u32, random: f64) -> u32 {
    let full = BASE_MS.saturating_mul(1u64 << attempt.min(16)).min(CAP_MS);
    let r = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let half = full / 2;
    (half + (half as f64 * r) as u64).min(full) as u32
}
