//! The access token in memory, and its single-flight refresh.
//!
//! Any number of callers may ask for an access token at once. The first that finds it
//! stale refreshes; the others wait for that one refresh and share its outcome, so the
//! provider sees exactly one request. The rotated refresh token is in the SecureStore
//! before any caller gets the new access token: if the app dies right after, the next
//! process holds the token the provider expects (the lost-rotation race that logs members
//! out of apps built on older libraries).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Refresh this long before the access token expires (or at half its lifetime, if that is
/// shorter), so a request never leaves with a token about to die in flight.
const REFRESH_AHEAD: Duration = Duration::from_secs(30);

/// An access token and when it stops being good; memory only.
#[derive(Clone)]
pub(crate) struct AccessToken {
    pub(crate) secret: String,
    /// When to refresh it.
    pub(crate) refresh_at: SystemTime,
    /// When the provider stops accepting it.
    pub(crate) expires_at: SystemTime,
}

impl AccessToken {
    /// A token that lives `lifetime` from now (an hour if the provider does not say);
    /// `None` when that lies past the end of the clock (`expires_in` comes from the provider
    /// and may be any number): the caller refuses the token response.
    pub(crate) fn new(secret: String, lifetime: Option<Duration>) -> Option<Self> {
        Self::new_at(secret, lifetime, SystemTime::now())
    }

    /// [`AccessToken::new`] as if the time were `now`.
    fn new_at(secret: String, lifetime: Option<Duration>, now: SystemTime) -> Option<Self> {
        let lifetime = lifetime.unwrap_or(Duration::from_secs(3600));
        Some(Self {
            secret,
            refresh_at: now
                .checked_add(lifetime.saturating_sub(REFRESH_AHEAD.min(lifetime / 2)))?,
            expires_at: now.checked_add(lifetime)?,
        })
    }
}

/// How the last refresh ended, for the callers that waited for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefreshFailure {
    /// The provider could not be reached; the session is kept.
    Unreachable,
    /// The provider ended the session.
    SessionEnded,
    /// There is no session.
    NotLoggedIn,
    /// Anything else; the session is kept.
    Other,
}

/// The in-memory token state of one core.
pub(crate) struct TokenState {
    access: Mutex<Option<AccessToken>>,
    /// Held for the whole of a refresh (and of a logout): the single flight.
    pub(crate) gate: tokio::sync::Mutex<Option<RefreshFailure>>,
    /// Counts finished refresh attempts, so a waiter can tell that one ended meanwhile.
    attempts: AtomicU64,
}

impl TokenState {
    pub(crate) fn new() -> Self {
        Self {
            access: Mutex::new(None),
            gate: tokio::sync::Mutex::new(None),
            attempts: AtomicU64::new(0),
        }
    }

    /// The access token if it need not be refreshed yet.
    pub(crate) fn fresh(&self) -> Option<String> {
        let access = self.access.lock().ok()?.clone()?;
        (SystemTime::now() < access.refresh_at).then_some(access.secret)
    }

    /// The access token if the provider still accepts it.
    pub(crate) fn usable(&self) -> Option<String> {
        let access = self.access.lock().ok()?.clone()?;
        (SystemTime::now() < access.expires_at).then_some(access.secret)
    }

    /// Keeps `token` as the current access token.
    pub(crate) fn set(&self, token: AccessToken) {
        if let Ok(mut access) = self.access.lock() {
            *access = Some(token);
        }
    }

    /// Forgets the access token (logout, or the API said it is no good).
    pub(crate) fn clear(&self) {
        if let Ok(mut access) = self.access.lock() {
            *access = None;
        }
    }

    /// Forgets the access token only if it is still `secret` (a concurrent refresh may
    /// already have replaced it).
    pub(crate) fn clear_if(&self, secret: &str) {
        if let Ok(mut access) = self.access.lock()
            && access.as_ref().is_some_and(|a| a.secret == secret)
        {
            *access = None;
        }
    }

    /// The number of refresh attempts that have finished.
    pub(crate) fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Acquire)
    }

    /// Marks one more refresh attempt as finished (called with the gate held).
    pub(crate) fn attempt_finished(&self) {
        self.attempts.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lifetime_past_the_end_of_the_clock_is_refused_not_a_panic() {
        let now = SystemTime::now();
        for secs in [u64::MAX, i64::MAX as u64, 10_000_000_000_000_000_000] {
            assert!(
                AccessToken::new_at("t".into(), Some(Duration::from_secs(secs)), now).is_none(),
                "{secs}"
            );
        }
        assert!(AccessToken::new("t".into(), Some(Duration::MAX)).is_none());
        let normal = AccessToken::new_at("t".into(), Some(Duration::from_secs(300)), now).unwrap();
        assert_eq!(normal.expires_at, now + Duration::from_secs(300));
        assert_eq!(normal.refresh_at, now + Duration::from_secs(270));
        let default = AccessToken::new_at("t".into(), None, now).unwrap();
        assert_eq!(default.expires_at, now + Duration::from_secs(3600));
    }
}
