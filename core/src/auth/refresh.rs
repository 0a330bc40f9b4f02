//! Access tokens for the member API: from memory while fresh, otherwise by one refresh that
//! every waiting caller shares (see `tokens`).

use openidconnect::core::CoreErrorResponseType;
use openidconnect::{OAuth2TokenResponse, RefreshToken, RequestTokenError};

use super::error::known_error_code;
use super::session::{LogoutReason, SessionEvent};
use super::tokens::{AccessToken, RefreshFailure};
use super::{Auth, AuthError};

impl Auth {
    /// An access token for the member API, refreshed ahead of its expiry.
    ///
    /// Single-flight: however many callers ask at once, one refresh request goes out and
    /// they all get its result. A refresh the provider rejects (`invalid_grant`: revoked,
    /// expired, or the grant ended after a refresh-token replay) ends the session with
    /// [`LogoutReason::SessionEnded`]; a network failure keeps the session, and the next
    /// call tries again.
    pub async fn access_token(&self) -> Result<String, AuthError> {
        if let Some(token) = self.tokens.fresh() {
            return Ok(token);
        }
        let seen = self.tokens.attempts();
        let mut gate = self.tokens.gate.lock().await;
        if self.tokens.attempts() != seen {
            // A refresh finished while this caller waited: share its outcome.
            if let Some(token) = self.tokens.usable() {
                return Ok(token);
            }
            if let Some(failure) = *gate {
                return Err(failure.into());
            }
        }
        if let Some(token) = self.tokens.fresh() {
            return Ok(token); // a login happened meanwhile
        }
        let outcome = self.refresh().await;
        *gate = outcome.as_ref().err().map(RefreshFailure::from);
        self.tokens.attempt_finished();
        outcome
    }

    /// Tells the core that the member API refused `token` (401): the next
    /// [`Auth::access_token`] refreshes instead of handing it out again.
    pub fn access_token_refused(&self, token: &str) {
        self.tokens.clear_if(token);
    }

    /// One refresh-token grant. Called with the gate held.
    async fn refresh(&self) -> Result<String, AuthError> {
        let name = self.refresh_token_name();
        let Some(raw) = self.secrets.get(&name)? else {
            return Err(AuthError::NotLoggedIn);
        };
        let Ok(raw) = String::from_utf8(raw) else {
            // Not something this app wrote: the session cannot go on.
            self.end_session(LogoutReason::SessionEnded)?;
            return Err(AuthError::SessionEnded);
        };
        let meta = self.provider.metadata().await?;
        let client = self.provider.client(meta, None)?;
        let response = client
            .exchange_refresh_token(&RefreshToken::new(raw))
            .map_err(|_| AuthError::BadMetadata)?
            .request_async(self.provider.http())
            .await;
        match response {
            Ok(tokens) => {
                let access = tokens.access_token().secret().clone();
                // Checked before anything is saved: a response the session cannot use
                // leaves the stored refresh token as it was.
                let access_token = AccessToken::new(access.clone(), tokens.expires_in()).ok_or(
                    AuthError::TokenResponseInvalid("the access token's lifetime is out of range"),
                )?;
                // The rotated refresh token is saved before any caller sees the new access
                // token; if saving fails, nobody gets a token the session cannot follow.
                if let Some(rotated) = tokens.refresh_token() {
                    self.secrets.put(&name, rotated.secret().as_bytes())?;
                }
                self.tokens.set(access_token);
                log::info!(target: "lofavor_core::auth", "access token refreshed");
                Ok(access)
            }
            Err(RequestTokenError::ServerResponse(r))
                if *r.error() == CoreErrorResponseType::InvalidGrant =>
            {
                log::warn!(target: "lofavor_core::auth", "the provider ended the session");
                self.end_session(LogoutReason::SessionEnded)?;
                Err(AuthError::SessionEnded)
            }
            Err(RequestTokenError::ServerResponse(r)) => Err(AuthError::RefreshRefused {
                code: known_error_code(r.error().as_ref()),
            }),
            Err(RequestTokenError::Request(_)) => {
                log::info!(target: "lofavor_core::auth", "refresh failed: provider unreachable; session kept");
                Err(AuthError::Unreachable)
            }
            Err(_) => Err(AuthError::RefreshRefused {
                code: "unreadable response",
            }),
        }
    }

    /// Ends the session on this device as logout does, without asking the provider: tokens
    /// out of the SecureStore and memory, the data of every registered capability and the
    /// cached member erased, listeners told why. The secrets go first, so that whatever
    /// fails after, the session cannot go on; a login that finds data left by a failed erase
    /// erases it before it stores anything (see `login`).
    pub(super) fn end_session(&self, reason: LogoutReason) -> Result<(), AuthError> {
        self.forget_session_secrets()?;
        self.erase_member_data()?;
        self.events.emit(SessionEvent::LoggedOut { reason });
        Ok(())
    }
}

impl From<&AuthError> for RefreshFailure {
    fn from(e: &AuthError) -> Self {
        match e {
            AuthError::Unreachable => RefreshFailure::Unreachable,
            AuthError::SessionEnded => RefreshFailure::SessionEnded,
            AuthError::NotLoggedIn => RefreshFailure::NotLoggedIn,
            _ => RefreshFailure::Other,
        }
    }
}

impl From<RefreshFailure> for AuthError {
    fn from(f: RefreshFailure) -> Self {
        match f {
            RefreshFailure::Unreachable => AuthError::Unreachable,
            RefreshFailure::SessionEnded => AuthError::SessionEnded,
            RefreshFailure::NotLoggedIn => AuthError::NotLoggedIn,
            RefreshFailure::Other => AuthError::RefreshRefused {
                code: "the refresh this call waited for failed",
            },
        }
    }
}
