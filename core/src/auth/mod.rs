//! Login: OpenID Connect code flow with PKCE for native apps (RFC 8252), through the
//! system browser. The core does all of the protocol; a shell only opens the URL that
//! [`Auth::begin_login`] returns and hands the redirect back to [`Auth::complete_login`].
//!
//! Built on the `openidconnect` crate: discovery, the authorization URL, PKCE (S256), the
//! code exchange, refresh, revocation, the end-session URL and ID-token validation
//! (signature against the provider's keys with an algorithm allow-list, issuer, audience,
//! expiry, nonce) are its work, not ours. What is ours: the pending login kept in the
//! encrypted database across process death, the checks of the redirect (state, RFC 9207
//! `iss`, error responses), the single-flight refresh, the session events, and where
//! tokens live — the refresh token only in the SecureStore, the access token only in memory,
//! the ID token nowhere once validated; never in SQLite or a log line.
//!
//! Every way a session ends (logout, a refresh the provider refuses, another member logging
//! in) erases the data of every capability registered with [`Auth::register_member_data`]
//! before anything of the next member is stored.
//!
//! Files: `login` (begin/complete), `refresh` (access tokens), `logout`, `provider`
//! (discovery and keys), `member` (who, cached offline), `session` (events), `tokens`
//! (the in-memory access token), `pending` (logins under way), `profile` (`GET /v1/me` and
//! the tokens of the authorised request path), `handle` (what the shells call), `wire`.

mod error;
mod handle;
mod login;
mod logout;
mod member;
mod pending;
mod profile;
mod provider;
mod refresh;
pub(crate) mod schema;
mod session;
mod tokens;
mod wire;

use std::sync::{Arc, RwLock};

use openidconnect::{ClientId, IssuerUrl};

pub use error::AuthError;
pub use handle::AuthHandle;
pub use logout::LogoutOutcome;
pub use member::{Member, Membership, ProfileData};
pub use session::{LogoutReason, SessionEvent, SessionListener, SessionSubscription};

use provider::Provider;
use session::SessionEvents;
use tokens::TokenState;

use crate::platform::SecureStore;
use crate::store::{MemberData, Store};

/// The login service of one core (the shells reach it through [`AuthHandle`]).
pub(crate) struct Auth {
    provider: Provider,
    default_redirect: String,
    store: Arc<Store>,
    secrets: Arc<dyn SecureStore>,
    tokens: TokenState,
    events: SessionEvents,
    /// Capabilities that keep the member's data on the device (consents, certificate,
    /// inventory): asked before logout whether anything is unsynced, and told to erase.
    member_data: RwLock<Vec<Arc<dyn MemberData>>>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth").finish_non_exhaustive()
    }
}

// Seconds since the Unix epoch, under the name the login code uses.
use crate::time::now_unix as now_secs;

impl Auth {
    /// A login service for `issuer` and `client_id`; `redirect_uri` is the app's default.
    /// `http` is the core's client (redirects off, as OAuth endpoints need).
    pub(crate) fn new(
        issuer: IssuerUrl,
        client_id: &str,
        redirect_uri: &str,
        http: reqwest::Client,
        store: Arc<Store>,
        secrets: Arc<dyn SecureStore>,
    ) -> Result<Self, AuthError> {
        // Exactly as configured (the configuration keeps its text): the discovery document's
        // `issuer` must match it character for character (RFC 8414 §3.3, OpenID Connect
        // Discovery §4.3), trailing `/` and all.
        Ok(Self {
            provider: Provider::new(issuer, ClientId::new(client_id.to_owned()), http),
            default_redirect: redirect_uri.to_owned(),
            store,
            secrets,
            tokens: TokenState::new(),
            events: SessionEvents::new(),
            member_data: RwLock::new(Vec::new()),
        })
    }

    /// The secure-store name of the refresh token of this installation.
    fn refresh_token_name(&self) -> String {
        format!("refresh-token.{}", self.store.installation_id())
    }

    /// The secure-store name under which earlier versions kept the last ID token (for the
    /// `id_token_hint` of logout, which put the member's name and union in a URL). Nothing
    /// is written there any more; every start and end of a session deletes what an earlier
    /// version left.
    fn legacy_id_token_name(&self) -> String {
        format!("id-token.{}", self.store.installation_id())
    }

    /// Forgets every secret of the session: the refresh token and any ID token in the
    /// SecureStore, the access token in memory.
    fn forget_session_secrets(&self) -> Result<(), AuthError> {
        self.secrets.delete(&self.refresh_token_name())?;
        self.secrets.delete(&self.legacy_id_token_name())?;
        self.tokens.clear();
        Ok(())
    }

    /// The member of the current session, from the encrypted cache (works offline).
    pub fn member(&self) -> Result<Option<Member>, AuthError> {
        Ok(member::load(&self.store)?)
    }

    /// Whether a refresh token is kept (the session outlives the process).
    pub fn has_session(&self) -> Result<bool, AuthError> {
        Ok(self.secrets.get(&self.refresh_token_name())?.is_some())
    }

    /// The access token in memory, if the provider still accepts it. Does not refresh:
    /// use [`Auth::access_token`] for that.
    pub fn cached_access_token(&self) -> Option<String> {
        self.tokens.usable()
    }

    /// The session as a listener should first hear it.
    fn current_state(store: &Store, logged_in: bool) -> SessionEvent {
        match member::load(store) {
            Ok(Some(member)) if logged_in => SessionEvent::LoggedIn { member },
            _ => SessionEvent::LoggedOut {
                reason: LogoutReason::NotLoggedIn,
            },
        }
    }

    /// Registers `listener` on `runtime`; see [`SessionListener`].
    pub(crate) fn subscribe(
        &self,
        runtime: &tokio::runtime::Handle,
        listener: Arc<dyn SessionListener>,
    ) -> SessionSubscription {
        let store = self.store.clone();
        let secrets = self.secrets.clone();
        let name = self.refresh_token_name();
        self.events.subscribe(runtime, listener, move || {
            let logged_in = matches!(secrets.get(&name), Ok(Some(_)));
            Self::current_state(&store, logged_in)
        })
    }

    /// Caches the member's profile as the member API gave it and tells the listeners. A
    /// profile of another subject than the session's is refused.
    pub(crate) fn profile_refreshed(&self, fresh: &Member) -> Result<(), AuthError> {
        match member::load(&self.store)? {
            Some(cached) if cached.subject == fresh.subject => {}
            Some(_) => return Err(AuthError::ProfileMismatch),
            None => return Err(AuthError::NotLoggedIn),
        }
        member::save(&self.store, fresh, now_secs())?;
        self.events.emit(SessionEvent::ProfileRefreshed {
            member: fresh.clone(),
        });
        Ok(())
    }

    /// Registers a capability that keeps the member's data (see [`MemberData`]).
    pub fn register_member_data(&self, data: Arc<dyn MemberData>) {
        if let Ok(mut all) = self.member_data.write() {
            all.push(data);
        }
    }

    /// The capabilities registered with [`Auth::register_member_data`].
    fn member_data(&self) -> Vec<Arc<dyn MemberData>> {
        self.member_data
            .read()
            .map(|all| all.clone())
            .unwrap_or_default()
    }
}
