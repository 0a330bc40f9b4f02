//! The login capability as the shells see it: `core.auth()`.

use std::sync::Arc;

use super::profile;
use super::{Auth, LogoutOutcome, Member, SessionListener, SessionSubscription};
use crate::error::Result;
use crate::net::MemberApi;
use crate::runtime::CoreRuntime;
use crate::store::MemberData;

/// Login, the session and the member's profile. Cheap to clone; every method takes `&self`.
#[derive(Debug, Clone)]
pub struct AuthHandle {
    auth: Arc<Auth>,
    api: Arc<MemberApi>,
    runtime: Arc<CoreRuntime>,
}

impl AuthHandle {
    pub(crate) fn new(auth: Arc<Auth>, api: Arc<MemberApi>, runtime: Arc<CoreRuntime>) -> Self {
        Self { auth, api, runtime }
    }

    /// Starts a login at the configured redirect URI; returns the URL for the system
    /// browser. The pending login is saved first, so the app may die while the browser is
    /// open.
    pub async fn begin_login(&self) -> Result<String> {
        let auth = self.auth.clone();
        self.runtime
            .run(async move { Ok(auth.begin_login().await?) })
            .await
    }

    /// Starts a login that returns to `redirect_uri` (the terminal shell's loopback port).
    pub async fn begin_login_at(&self, redirect_uri: &str) -> Result<String> {
        let auth = self.auth.clone();
        let redirect_uri = redirect_uri.to_owned();
        self.runtime
            .run(async move { Ok(auth.begin_login_at(&redirect_uri).await?) })
            .await
    }

    /// Completes the login with the redirect the browser handed back.
    pub async fn complete_login(&self, redirect_url: &str) -> Result<Member> {
        let auth = self.auth.clone();
        let redirect_url = redirect_url.to_owned();
        self.runtime
            .run(async move { Ok(auth.complete_login(&redirect_url).await?) })
            .await
    }

    /// The logged-in member from the encrypted cache, if any (works offline).
    pub fn member(&self) -> Result<Option<Member>> {
        Ok(self.auth.member()?)
    }

    /// Whether a session is kept (it outlives the process).
    pub fn has_session(&self) -> Result<bool> {
        Ok(self.auth.has_session()?)
    }

    /// The access token in memory, if the provider still accepts it; never refreshes.
    pub fn cached_access_token(&self) -> Option<String> {
        self.auth.cached_access_token()
    }

    /// An access token for the member API, refreshed ahead of expiry; one refresh however
    /// many callers ask at once. Only for shells that call an API of their own; the core's
    /// capabilities go through the one authorised request path.
    pub async fn access_token(&self) -> Result<String> {
        let auth = self.auth.clone();
        self.runtime
            .run(async move { Ok(auth.access_token().await?) })
            .await
    }

    /// Logs the member out: revokes the session at the provider, forgets its secrets and
    /// erases the member's data on the device. Refuses while local changes are not yet
    /// synced, unless `force`. The outcome carries the end-session URL for the browser.
    pub async fn logout(&self, force: bool) -> Result<LogoutOutcome> {
        let auth = self.auth.clone();
        self.runtime
            .run(async move { Ok(auth.logout(force).await?) })
            .await
    }

    /// Registers `listener` for session changes; it first hears the current state. Keep
    /// the returned subscription: dropping it stops the deliveries.
    pub fn subscribe_session(
        &self,
        listener: Arc<dyn SessionListener>,
    ) -> Result<SessionSubscription> {
        Ok(self.auth.subscribe(self.runtime.handle()?, listener))
    }

    /// Fetches the member's profile from the member API (`GET /v1/me`) and caches it; the
    /// session listeners hear [`super::SessionEvent::ProfileRefreshed`].
    pub async fn refresh_profile(&self) -> Result<Member> {
        let (auth, api) = (self.auth.clone(), self.api.clone());
        self.runtime
            .run(async move { profile::refresh(&auth, &api).await })
            .await
    }

    /// Registers a capability that keeps the member's data on the device: logout asks it for
    /// unsynced changes, and every end of a session erases it. The core registers its own
    /// capabilities; this is for data a shell keeps through the core.
    pub fn register_member_data(&self, data: Arc<dyn MemberData>) {
        self.auth.register_member_data(data);
    }
}
