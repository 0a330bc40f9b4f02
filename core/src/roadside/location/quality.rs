//! Is the fix good enough to read out? Old or vague fixes are flagged, with a warning.

use std::time::{Duration, SystemTime};

use crate::Locale;

use super::fix::LocationFix;
use super::text;

/// A fix older than this is stale: a car may have rolled on, or the phone kept an old fix.
pub const STALE_AFTER: Duration = Duration::from_secs(120);
/// A fix whose accuracy radius is larger than this (metres) is inaccurate: a dispatcher
/// would send the patrol to the wrong side of a valley.
pub const INACCURATE_ABOVE_M: f64 = 100.0;

/// What is wrong with a fix, if anything, and what to tell the member.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QualityFlags {
    /// Older than two minutes at `now`.
    pub stale: bool,
    /// Less accurate than 100 m.
    pub inaccurate: bool,
    /// Age of the fix in whole seconds at `now`; 0 if its time is ahead of `now` (a clock
    /// difference between the location service and the system clock).
    pub age_s: u64,
    /// One short warning per flag, in the locale; empty when the fix is good.
    pub warnings: Vec<String>,
}

/// Checks the fix's age against `now` (passed in, so this is testable and pure) and its
/// accuracy.
pub fn assess(fix: &LocationFix, now: SystemTime, locale: Locale) -> QualityFlags {
    let age = now.duration_since(fix.time).unwrap_or(Duration::ZERO);
    let stale = age > STALE_AFTER;
    let inaccurate = fix.accuracy_m > INACCURATE_ABOVE_M;
    let mut warnings = Vec::new();
    if stale {
        warnings.push(text::stale_warning(locale).to_owned());
    }
    if inaccurate {
        warnings.push(text::inaccurate_warning(
            locale,
            fix.accuracy_m.round() as u64,
        ));
    }
    QualityFlags {
        stale,
        inaccurate,
        age_s: age.as_secs(),
        warnings,
    }
}
