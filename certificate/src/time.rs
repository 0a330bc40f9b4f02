//! The one conversion between [`SystemTime`] and Unix seconds, used by the certificate, the
//! mobile core, the reference server and the terminal shell alike.
//!
//! Two kinds:
//!
//! - Saturating ([`unix_seconds`], [`from_unix_seconds`], [`now_unix`]): for timestamps that
//!   are kept or shown (a fetch time in a cache, a record's time on the server). They never
//!   fail and never panic: a time before 1970 is a negative count, and values beyond what a
//!   platform's `SystemTime` holds are clamped to the range [`MIN_UNIX_SECONDS`] ..=
//!   [`MAX_UNIX_SECONDS`] (1601-01-01 to 9999-12-31, which every platform represents).
//! - Checked ([`checked_unix_seconds`], [`checked_from_unix_seconds`]): for times that are
//!   signed or verified (a certificate's `iat` and `exp`, a key's period), where a time outside
//!   1970 ..= `i64::MAX` seconds is an error the caller reports, not a value to clamp.
//!
//! Whole seconds only: sub-second parts are truncated towards the past.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The earliest time [`from_unix_seconds`] returns: 1601-01-01T00:00:00Z, the start of
/// Windows' `SystemTime`, so it is representable on every platform.
pub const MIN_UNIX_SECONDS: i64 = -11_644_473_600;

/// The latest time [`from_unix_seconds`] returns: 9999-12-31T23:59:59Z.
pub const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

/// Seconds since the Unix epoch, negative before 1970; saturates at `i64::MIN` and
/// `i64::MAX`.
pub fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            // Truncate towards the past: 0.5 s before the epoch is second -1.
            let whole = before
                .as_secs()
                .saturating_add(u64::from(before.subsec_nanos() > 0));
            i64::try_from(whole).map_or(i64::MIN, |s| -s)
        }
    }
}

/// The time `seconds` after (negative: before) the Unix epoch, clamped to
/// [`MIN_UNIX_SECONDS`] ..= [`MAX_UNIX_SECONDS`].
pub fn from_unix_seconds(seconds: i64) -> SystemTime {
    let seconds = seconds.clamp(MIN_UNIX_SECONDS, MAX_UNIX_SECONDS);
    let offset = Duration::from_secs(seconds.unsigned_abs());
    let time = if seconds >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    };
    // Every platform holds the clamped range; the epoch is a defined answer if one did not.
    time.unwrap_or(UNIX_EPOCH)
}

/// The current time in Unix seconds (saturating, like [`unix_seconds`]).
pub fn now_unix() -> i64 {
    unix_seconds(SystemTime::now())
}

/// Seconds since the Unix epoch; `None` before 1970 or beyond `i64::MAX` seconds.
pub fn checked_unix_seconds(time: SystemTime) -> Option<i64> {
    i64::try_from(time.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()
}

/// The time `seconds` after the Unix epoch; `None` when negative or beyond what this
/// platform's `SystemTime` holds.
pub fn checked_from_unix_seconds(seconds: i64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(seconds).ok()?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn round_trips_whole_seconds_on_both_sides_of_the_epoch() {
        for seconds in [
            0,
            1,
            1_781_524_800,
            -1,
            -86_400,
            MIN_UNIX_SECONDS,
            MAX_UNIX_SECONDS,
        ] {
            assert_eq!(unix_seconds(from_unix_seconds(seconds)), seconds);
        }
        assert_eq!(
            from_unix_seconds(86_400),
            UNIX_EPOCH + Duration::from_secs(86_400)
        );
        assert_eq!(
            from_unix_seconds(-86_400),
            UNIX_EPOCH - Duration::from_secs(86_400)
        );
    }

    #[test]
    fn truncates_towards_the_past() {
        let half = Duration::from_millis(500);
        assert_eq!(
            unix_seconds(UNIX_EPOCH + Duration::from_secs(10) + half),
            10
        );
        assert_eq!(unix_seconds(UNIX_EPOCH - half), -1);
        assert_eq!(
            unix_seconds(UNIX_EPOCH - Duration::from_secs(10) - half),
            -11
        );
    }

    #[test]
    fn saturates_instead_of_failing() {
        assert_eq!(
            from_unix_seconds(i64::MAX),
            from_unix_seconds(MAX_UNIX_SECONDS)
        );
        assert_eq!(
            from_unix_seconds(i64::MIN),
            from_unix_seconds(MIN_UNIX_SECONDS)
        );
        // A SystemTime beyond i64 seconds, where the platform holds one, saturates too.
        if let Some(far) = UNIX_EPOCH.checked_add(Duration::from_secs(u64::MAX / 2 + 1)) {
            assert_eq!(unix_seconds(far), i64::MAX);
        }
    }

    #[test]
    fn now_is_after_2025() {
        assert!(now_unix() > 1_735_689_600);
    }

    #[test]
    fn checked_refuses_what_saturating_clamps() {
        assert_eq!(
            checked_unix_seconds(UNIX_EPOCH - Duration::from_secs(1)),
            None
        );
        assert_eq!(checked_unix_seconds(from_unix_seconds(42)), Some(42));
        assert_eq!(checked_from_unix_seconds(-1), None);
        assert_eq!(checked_from_unix_seconds(42), Some(from_unix_seconds(42)));
        assert_eq!(checked_from_unix_seconds(0), Some(UNIX_EPOCH));
    }
}
