//! Login, session and logout as exported types: records, the session listener as a foreign
//! trait, and the subscription handle.

use std::sync::Arc;

use crate::core::LofavorCore;
use crate::error::LofavorError;

/// The member's union membership (special-category data: show it to the member only).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct Membership {
    /// The union.
    pub union: String,
    /// Whether the membership is active.
    pub active: bool,
}

/// The logged-in member. Deliberately without `Debug`: the core's `Member` has the one that
/// hides the name and the union, and this mirror must not grow another.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct Member {
    /// The provider's stable subject identifier.
    pub subject: String,
    /// The member's name, if shared.
    pub name: Option<String>,
    /// The membership, if shared.
    pub membership: Option<Membership>,
}

impl From<lofavor_core::auth::Member> for Member {
    fn from(m: lofavor_core::auth::Member) -> Self {
        Self {
            subject: m.subject,
            name: m.name,
            membership: m.membership.map(|m| Membership {
                union: m.union,
                active: m.active,
            }),
        }
    }
}

/// Why there is no session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogoutReason {
    /// Nobody has logged in.
    NotLoggedIn,
    /// The member logged out.
    MemberLoggedOut,
    /// The provider ended the session; log in again.
    SessionEnded,
}

impl From<lofavor_core::auth::LogoutReason> for LogoutReason {
    fn from(r: lofavor_core::auth::LogoutReason) -> Self {
        use lofavor_core::auth::LogoutReason as Core;
        match r {
            Core::NotLoggedIn => Self::NotLoggedIn,
            Core::MemberLoggedOut => Self::MemberLoggedOut,
            Core::SessionEnded => Self::SessionEnded,
        }
    }
}

/// A change of the session. No `Debug` here, as on [`Member`]: the core's own types carry the
/// `Debug` forms that hide personal data, and a mirror type has none to drift from them.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SessionEvent {
    /// A member is logged in.
    LoggedIn {
        /// Who.
        member: Member,
    },
    /// There is no session.
    LoggedOut {
        /// Why.
        reason: LogoutReason,
    },
    /// The member's profile was fetched again.
    ProfileRefreshed {
        /// The member as now cached.
        member: Member,
    },
}

impl From<lofavor_core::auth::SessionEvent> for SessionEvent {
    fn from(e: lofavor_core::auth::SessionEvent) -> Self {
        use lofavor_core::auth::SessionEvent as Core;
        match e {
            Core::LoggedIn { member } => Self::LoggedIn {
                member: member.into(),
            },
            Core::LoggedOut { reason } => Self::LoggedOut {
                reason: reason.into(),
            },
            Core::ProfileRefreshed { member } => Self::ProfileRefreshed {
                member: member.into(),
            },
        }
    }
}

/// What logout did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogoutOutcome {
    /// Whether the provider confirmed the revocation.
    pub revoked: bool,
    /// The provider's end-session URL to open in the browser, if any.
    pub end_session_url: Option<String>,
}

impl From<lofavor_core::auth::LogoutOutcome> for LogoutOutcome {
    fn from(o: lofavor_core::auth::LogoutOutcome) -> Self {
        Self {
            revoked: o.revoked,
            end_session_url: o.end_session_url,
        }
    }
}

/// Hears session changes, one at a time, on a core thread. It may call the core, but
/// should hand the event to the UI thread and return quickly.
#[uniffi::export(with_foreign)]
pub trait SessionListener: Send + Sync {
    /// One change of the session.
    fn on_session_event(&self, event: SessionEvent);
}

/// Adapts the shell's listener to the core's trait.
struct ForeignSessionListener(Arc<dyn SessionListener>);

impl lofavor_core::auth::SessionListener for ForeignSessionListener {
    fn on_session_event(&self, event: lofavor_core::auth::SessionEvent) {
        self.0.on_session_event(event.into());
    }
}

/// Keeps a session listener registered; `cancel()` or dropping it stops the deliveries.
#[derive(Debug, uniffi::Object)]
pub struct SessionSubscription {
    inner: lofavor_core::auth::SessionSubscription,
}

#[uniffi::export]
impl SessionSubscription {
    /// Stops the deliveries now.
    pub fn cancel(&self) {
        self.inner.cancel();
    }
}

/// Login, the session and the member's profile: `core.auth()`.
#[derive(Debug, uniffi::Object)]
pub struct AuthHandle {
    inner: lofavor_core::auth::AuthHandle,
}

#[uniffi::export]
impl LofavorCore {
    /// Login, the session and the member's profile.
    pub fn auth(&self) -> Arc<AuthHandle> {
        Arc::new(AuthHandle {
            inner: self.inner.auth().clone(),
        })
    }
}

#[uniffi::export]
impl AuthHandle {
    /// Starts a login; returns the authorization URL to open in the system browser
    /// (Custom Tabs, ASWebAuthenticationSession).
    pub async fn begin_login(&self) -> Result<String, LofavorError> {
        Ok(self.inner.begin_login().await?)
    }

    /// Completes the login with the redirect URL the browser handed back.
    pub async fn complete_login(&self, redirect_url: String) -> Result<Member, LofavorError> {
        Ok(self.inner.complete_login(&redirect_url).await?.into())
    }

    /// The logged-in member from the encrypted cache (works offline), or null.
    pub fn member(&self) -> Result<Option<Member>, LofavorError> {
        Ok(self.inner.member()?.map(Member::from))
    }

    /// An access token, refreshed ahead of expiry (single flight).
    pub async fn access_token(&self) -> Result<String, LofavorError> {
        Ok(self.inner.access_token().await?)
    }

    /// Logs out; refuses while changes are unsynced unless `force`.
    pub async fn logout(&self, force: bool) -> Result<LogoutOutcome, LofavorError> {
        Ok(self.inner.logout(force).await?.into())
    }

    /// Whether a session is kept on this device (it outlives the process).
    pub fn has_session(&self) -> Result<bool, LofavorError> {
        Ok(self.inner.has_session()?)
    }

    /// Fetches the member's profile from the member API and caches it.
    pub async fn refresh_profile(&self) -> Result<Member, LofavorError> {
        Ok(self.inner.refresh_profile().await?.into())
    }

    /// Registers `listener`; it first hears the current state. Keep the subscription.
    pub fn subscribe_session(
        &self,
        listener: Arc<dyn SessionListener>,
    ) -> Result<Arc<SessionSubscription>, LofavorError> {
        let inner = self
            .inner
            .subscribe_session(Arc::new(ForeignSessionListener(listener)))?;
        Ok(Arc::new(SessionSubscription { inner }))
    }
}
