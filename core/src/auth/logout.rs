//! Logout: revoke at the provider (RFC 7009), forget every secret of the session, erase the
//! member's data on the device, and hand the shell the provider's end-session URL
//! (OpenID Connect RP-Initiated Logout) to open in the browser.

use openidconnect::{CsrfToken, EndSessionUrl, LogoutRequest, PostLogoutRedirectUrl};
use url::Url;

use super::member;
use super::session::{LogoutReason, SessionEvent};
use super::{Auth, AuthError};

/// What logout did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutOutcome {
    /// Whether the provider confirmed the revocation of the refresh token. `false` when
    /// offline or when the provider has no revocation endpoint: the session is gone from
    /// the device all the same.
    pub revoked: bool,
    /// The provider's end-session URL for the shell to open (ends the browser session
    /// too), when the provider supports it and the provider could be reached.
    pub end_session_url: Option<String>,
}

impl Auth {
    /// Logs the member out. Refuses with [`AuthError::UnsyncedChanges`] while a capability
    /// holds changes not yet synced, unless `force`: those changes would be lost.
    pub async fn logout(&self, force: bool) -> Result<LogoutOutcome, AuthError> {
        if !force {
            let mut unsynced = 0u64;
            let mut what = Vec::new();
            for data in self.member_data() {
                let count = data.unsynced_changes()?;
                if count > 0 {
                    unsynced += count;
                    what.push(data.describe());
                }
            }
            if unsynced > 0 {
                return Err(AuthError::UnsyncedChanges {
                    count: unsynced,
                    what: what.join(", "),
                });
            }
        }
        // No refresh may run (and rotate a token) while the session is taken apart.
        let _gate = self.tokens.gate.lock().await;
        let refresh = self
            .secrets
            .get(&self.refresh_token_name())?
            .and_then(|raw| String::from_utf8(raw).ok());
        let access = self.tokens.usable();

        // Offline, the member still logs out of the device; the provider is told when it
        // can be reached, and the outcome says whether it was.
        let meta = self.provider.metadata().await.ok();
        let mut revoked = false;
        let mut end_session_url = None;
        if let Some(meta) = meta {
            let extra = meta.additional_metadata().clone();
            if let Some(endpoint) = extra.revocation_endpoint.as_deref() {
                if let Some(refresh) = refresh {
                    revoked = self.revoke(endpoint, &refresh, "refresh_token").await;
                }
                if let Some(access) = access {
                    // Best effort: access tokens die on their own within minutes.
                    self.revoke(endpoint, &access, "access_token").await;
                }
            }
            if let Some(endpoint) = extra
                .end_session_endpoint
                .and_then(|u| EndSessionUrl::new(u).ok())
            {
                // The client id, never the ID token as `id_token_hint`: the shell opens this
                // URL in a browser (history, logs), and the ID token names the member and
                // their union. No `logout_hint` either: the only hint there is to give, the
                // subject, identifies the member.
                let mut request = LogoutRequest::from(endpoint)
                    .set_client_id(self.provider.client_id().clone())
                    .set_state(CsrfToken::new_random());
                if let Some(after) = post_logout_redirect(&self.default_redirect) {
                    request = request.set_post_logout_redirect_uri(after);
                }
                end_session_url = Some(request.http_get_url().to_string());
            }
        }

        self.erase_member_data()?;
        self.forget_session_secrets()?;
        log::info!(target: "lofavor_core::auth", "logged out (revoked at the provider: {revoked})");
        self.events.emit(SessionEvent::LoggedOut {
            reason: LogoutReason::MemberLoggedOut,
        });
        Ok(LogoutOutcome {
            revoked,
            end_session_url,
        })
    }

    /// RFC 7009 §2.1: revokes `token` at `endpoint` as this public client; `true` when the
    /// provider confirmed. Written out rather than through `oauth2`'s revocation request,
    /// which refuses any endpoint that is not HTTPS, and so the loopback providers of the
    /// development issuer and the tests (the configuration allows plain HTTP only there).
    async fn revoke(&self, endpoint: &str, token: &str, hint: &str) -> bool {
        let form = [
            ("token", token),
            ("token_type_hint", hint),
            ("client_id", self.provider.client_id().as_str()),
        ];
        match self.provider.http().post(endpoint).form(&form).send().await {
            Ok(response) => response.status().is_success(),
            Err(_) => false,
        }
    }

    /// Erases everything of the member on the device: the cached member, logins under
    /// way, and the data of every registered capability.
    pub(super) fn erase_member_data(&self) -> Result<(), AuthError> {
        for data in self.member_data() {
            data.erase()?;
        }
        member::erase(&self.store)?;
        Ok(())
    }
}

/// Where the provider sends the browser after logout: the app's redirect URI with the path
/// `/logged-out` (`no.lofavor.app:/logged-out`, `http://127.0.0.1/logged-out`), which the
/// providers register next to the login redirect.
fn post_logout_redirect(redirect_uri: &str) -> Option<PostLogoutRedirectUrl> {
    let mut url = Url::parse(redirect_uri).ok()?;
    url.set_path("/logged-out");
    url.set_query(None);
    PostLogoutRedirectUrl::new(url.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::post_logout_redirect;

    #[test]
    fn the_logout_redirect_sits_beside_the_login_redirect() {
        assert_eq!(
            post_logout_redirect("no.lofavor.app:/oauth2redirect")
                .map(|u| u.to_string())
                .as_deref(),
            Some("no.lofavor.app:/logged-out")
        );
        assert_eq!(
            post_logout_redirect("http://127.0.0.1:4711/callback?x=1")
                .map(|u| u.to_string())
                .as_deref(),
            Some("http://127.0.0.1:4711/logged-out")
        );
    }
}
