//! Starting and completing a login: the authorization URL, the checks of the redirect, the
//! code exchange and the ID token.

use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreGenderClaim};
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RequestTokenError, Scope, SubjectIdentifier, TokenResponse, UserInfoClaims,
};
use url::Url;

use super::error::known_error_code;
use super::member::{self, LofavorClaims, Member};
use super::pending::{self, PendingAuthorization};
use super::provider::OidcClient;
use super::session::SessionEvent;
use super::tokens::AccessToken;
use super::{Auth, AuthError, now_secs};

/// The scopes every login asks for: `openid` (added by the crate), the profile for the
/// member's name, the membership, and `offline_access` for a refresh token.
const SCOPES: [&str; 3] = ["profile", "membership", "offline_access"];

impl Auth {
    /// Starts a login at the app's redirect URI; returns the URL to open in the browser.
    pub async fn begin_login(&self) -> Result<String, AuthError> {
        let redirect = self.default_redirect.clone();
        self.begin_login_at(&redirect).await
    }

    /// Starts a login that returns to `redirect_uri` (the terminal shell's loopback port).
    /// The pending login is in the encrypted database before the URL is returned.
    pub async fn begin_login_at(&self, redirect_uri: &str) -> Result<String, AuthError> {
        let meta = self.provider.metadata().await?;
        let client = self.provider.client(meta, Some(redirect_uri))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge)
            // OpenID Connect Core §11: a refresh token for offline access needs consent.
            .add_prompt(CoreAuthPrompt::Consent);
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.url();
        let pending = PendingAuthorization {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            redirect_uri: redirect_uri.to_owned(),
            expires_at: now_secs() + pending::PENDING_LIFETIME_SECS,
        };
        pending::save(&self.store, &pending, now_secs())?;
        log::info!(target: "lofavor_core::auth", "login started");
        Ok(url.into())
    }

    /// Completes a login with the redirect the browser delivered.
    pub async fn complete_login(&self, redirect_url: &str) -> Result<Member, AuthError> {
        let redirect =
            Url::parse(redirect_url).map_err(|_| AuthError::MalformedRedirect("not a URL"))?;
        let param = |name: &str| {
            redirect
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let state = param("state").ok_or(AuthError::UnknownState)?;
        let pending = pending::take(&self.store, &state)?.ok_or(AuthError::UnknownState)?;
        if pending.expires_at <= now_secs() {
            return Err(AuthError::Expired);
        }
        if !same_endpoint(&redirect, &pending.redirect_uri) {
            return Err(AuthError::MalformedRedirect(
                "not at the redirect URI of this login",
            ));
        }
        let meta = self.provider.metadata().await?;
        match param("iss") {
            Some(iss) if iss != self.provider.issuer().as_str() => {
                return Err(AuthError::IssuerMismatch);
            }
            None if meta
                .additional_metadata()
                .authorization_response_iss_parameter_supported
                == Some(true) =>
            {
                return Err(AuthError::IssuerMismatch);
            }
            _ => {}
        }
        if let Some(code) = param("error") {
            return Err(if code == "access_denied" {
                AuthError::Cancelled
            } else {
                AuthError::ProviderRefused {
                    code: known_error_code(&code),
                }
            });
        }
        let code = param("code").ok_or(AuthError::MalformedRedirect("no code"))?;

        let client = self.provider.client(meta, Some(&pending.redirect_uri))?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|_| AuthError::BadMetadata)?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(self.provider.http())
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => AuthError::CodeRefused {
                    code: known_error_code(r.error().as_ref()),
                },
                RequestTokenError::Request(_) => AuthError::Unreachable,
                _ => AuthError::CodeRefused {
                    code: "unreadable response",
                },
            })?;

        let id_token = tokens
            .id_token()
            .ok_or_else(|| AuthError::IdTokenInvalid("no ID token in the response".into()))?;
        let claims = self
            .provider
            .validate_id_token(id_token, &Nonce::new(pending.nonce))
            .await?;
        let mut member = Member {
            subject: claims.subject().to_string(),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            membership: claims.additional_claims().lofavor_membership.clone(),
        };
        if member.name.is_none() || member.membership.is_none() {
            // Providers often keep profile claims out of the ID token when they issue an
            // access token; userinfo has them. Best effort: the login stands without them.
            if let Some(info) = self
                .userinfo(&client, tokens.access_token(), claims.subject())
                .await
            {
                member.name = member.name.or(info.name);
                member.membership = member.membership.or(info.membership);
            }
        }

        // Checked before anything is stored: a response the session cannot use leaves the
        // device as it was.
        let access = AccessToken::new(tokens.access_token().secret().clone(), tokens.expires_in())
            .ok_or(AuthError::TokenResponseInvalid(
                "the access token's lifetime is out of range",
            ))?;

        // From here the previous session is replaced. No refresh may run meanwhile: it
        // would store the previous member's rotated token over this member's.
        let mut gate = self.tokens.gate.lock().await;
        *gate = None; // the outcome of the previous session's last refresh is not this one's
        // Nothing of a previous member stays: their data is erased before anything of this
        // member is stored. Only the same member logging in again keeps it; with no member
        // cached, whatever a capability still holds belongs to nobody and goes too.
        let same_member =
            member::load(&self.store)?.is_some_and(|previous| previous.subject == member.subject);
        if !same_member {
            self.erase_member_data()?;
        }
        // Every secret of the previous session is replaced or deleted: a response without
        // a refresh token must not leave the previous session's token to be refreshed with.
        self.forget_session_secrets()?;
        // The tokens go to the SecureStore before anyone can use the session. The ID token
        // is not kept: it was only ever needed here, to learn who logged in.
        if let Some(refresh) = tokens.refresh_token() {
            self.secrets
                .put(&self.refresh_token_name(), refresh.secret().as_bytes())?;
        }
        self.tokens.set(access);
        member::save(&self.store, &member, now_secs())?;
        log::info!(target: "lofavor_core::auth", "login completed");
        self.events.emit(SessionEvent::LoggedIn {
            member: member.clone(),
        });
        Ok(member)
    }

    /// The member's name and membership from the userinfo endpoint, checked to be about
    /// `subject`; `None` when the provider has no userinfo or it fails.
    async fn userinfo(
        &self,
        client: &OidcClient,
        access_token: &openidconnect::AccessToken,
        subject: &SubjectIdentifier,
    ) -> Option<ProfileClaims> {
        let request = client
            .user_info(access_token.clone(), Some(subject.clone()))
            .ok()?;
        let claims: UserInfoClaims<LofavorClaims, CoreGenderClaim> =
            request.request_async(self.provider.http()).await.ok()?;
        Some(ProfileClaims {
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            membership: claims.additional_claims().lofavor_membership.clone(),
        })
    }
}

/// What userinfo adds to the ID token.
struct ProfileClaims {
    name: Option<String>,
    membership: Option<super::Membership>,
}

/// Whether `redirect` is at `expected` (scheme, host, port, path), ignoring its query.
fn same_endpoint(redirect: &Url, expected: &str) -> bool {
    let Ok(expected) = Url::parse(expected) else {
        return false;
    };
    redirect.scheme() == expected.scheme()
        && redirect.host_str() == expected.host_str()
        && redirect.port_or_known_default() == expected.port_or_known_default()
        && redirect.path() == expected.path()
}
