//! Login: OpenID Connect code flow with PKCE for native apps (RFC 8252), through the
//! system browser. The core does all of the protocol; a shell only opens the URL that
//! [`Auth::begin_login`] returns and hands the redirect back to [`Auth::complete_login`].
//!
//! Built on the `openidconnect` crate: discovery, the authorization URL, PKCE (S256), the
//! code exchange and ID-token validation (signature against the provider's keys with an
//! algorithm allow-list, issuer, audience, expiry, nonce) are its work, not ours. What is
//! ours: the pending login kept in the encrypted database across process death, the checks
//! of the redirect (state, RFC 9207 `iss`, error responses), and where tokens live — the
//! refresh token only in the SecureStore, the access token only in memory.

mod error;
mod metadata;
mod pending;

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use openidconnect::core::{
    CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreTokenResponse,
};
use openidconnect::{
    AuthorizationCode, ClientId, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, TokenResponse,
};
use url::Url;

pub use error::AuthError;
use metadata::ProviderMeta;
use pending::PendingAuthorization;

use crate::platform::SecureStore;
use crate::store::Store;

/// The member, as the ID token names them (cached for offline display).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The provider's stable subject identifier.
    pub subject: String,
    /// The member's name, if the provider shares it.
    pub name: Option<String>,
}

/// The scopes every login asks for: `openid` (added by the crate), the profile for the
/// member's name, and `offline_access` for a refresh token.
const SCOPES: [&str; 2] = ["profile", "offline_access"];

/// Signature algorithms an ID token may use. Never `none`, never HMAC: a public client has
/// no secret, so an HMAC "signature" would prove nothing.
const ALLOWED_ALGORITHMS: [CoreJwsSigningAlgorithm; 6] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
];

type OidcClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The access token and when it stops being good; memory only.
#[derive(Clone)]
struct AccessToken {
    secret: String,
    expires_at: Option<SystemTime>,
}

/// The login service of one core.
pub struct Auth {
    issuer: IssuerUrl,
    client_id: ClientId,
    default_redirect: String,
    http: reqwest::Client,
    store: Arc<Store>,
    secrets: Arc<dyn SecureStore>,
    metadata: tokio::sync::Mutex<Option<ProviderMeta>>,
    access: Mutex<Option<AccessToken>>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth").finish_non_exhaustive()
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Auth {
    /// A login service for `issuer` and `client_id`; `redirect_uri` is the app's default.
    pub(crate) fn new(
        issuer: &str,
        client_id: &str,
        redirect_uri: &str,
        store: Arc<Store>,
        secrets: Arc<dyn SecureStore>,
    ) -> Result<Self, AuthError> {
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_owned())
            .map_err(|_| AuthError::BadMetadata)?;
        let http = crate::net::http_client(&crate::net::NetConfig::default())
            .map_err(|_| AuthError::Unreachable)?;
        Ok(Self {
            issuer,
            client_id: ClientId::new(client_id.to_owned()),
            default_redirect: redirect_uri.to_owned(),
            http,
            store,
            secrets,
            metadata: tokio::sync::Mutex::new(None),
            access: Mutex::new(None),
        })
    }

    /// The secure-store name of the refresh token of this installation.
    fn refresh_token_name(&self) -> String {
        format!("refresh-token.{}", self.store.installation_id())
    }

    /// The provider's metadata, fetched once per core and kept.
    async fn metadata(&self) -> Result<ProviderMeta, AuthError> {
        let mut cached = self.metadata.lock().await;
        if let Some(meta) = cached.as_ref() {
            return Ok(meta.clone());
        }
        let meta = ProviderMeta::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| match e {
                openidconnect::DiscoveryError::Request(_) => AuthError::Unreachable,
                _ => AuthError::BadMetadata,
            })?;
        *cached = Some(meta.clone());
        Ok(meta)
    }

    fn client(&self, meta: ProviderMeta, redirect: &str) -> Result<OidcClient, AuthError> {
        let redirect = RedirectUrl::new(redirect.to_owned())
            .map_err(|_| AuthError::MalformedRedirect("the redirect URI is not a URL"))?;
        Ok(
            CoreClient::from_provider_metadata(meta, self.client_id.clone(), None)
                .set_redirect_uri(redirect),
        )
    }

    /// Starts a login at the app's redirect URI; returns the URL to open in the browser.
    pub async fn begin_login(&self) -> Result<String, AuthError> {
        let redirect = self.default_redirect.clone();
        self.begin_login_at(&redirect).await
    }

    /// Starts a login that returns to `redirect_uri` (the terminal shell's loopback port).
    /// The pending login is in the encrypted database before the URL is returned.
    pub async fn begin_login_at(&self, redirect_uri: &str) -> Result<String, AuthError> {
        let meta = self.metadata().await?;
        let client = self.client(meta, redirect_uri)?;
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
        let meta = self.metadata().await?;
        match param("iss") {
            Some(iss) if iss != self.issuer.as_str() => return Err(AuthError::IssuerMismatch),
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
                AuthError::ProviderRefused { code }
            });
        }
        let code = param("code").ok_or(AuthError::MalformedRedirect("no code"))?;

        let client = self.client(meta, &pending.redirect_uri)?;
        let tokens: CoreTokenResponse = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|_| AuthError::BadMetadata)?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => AuthError::CodeRefused {
                    code: r.error().to_string(),
                },
                RequestTokenError::Request(_) => AuthError::Unreachable,
                _ => AuthError::CodeRefused {
                    code: "unreadable response".into(),
                },
            })?;

        let id_token = tokens
            .id_token()
            .ok_or_else(|| AuthError::IdTokenInvalid("no ID token in the response".into()))?;
        let verifier = client
            .id_token_verifier()
            .set_allowed_algs(ALLOWED_ALGORITHMS);
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce))
            .map_err(|e| AuthError::IdTokenInvalid(describe_claims_error(&e)))?;
        let mut member = Member {
            subject: claims.subject().to_string(),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
        };
        if member.name.is_none() {
            // Providers often keep profile claims out of the ID token when they issue an
            // access token; userinfo has them. Best effort: the login stands without a name.
            member.name = self
                .userinfo_name(&client, tokens.access_token(), claims.subject())
                .await;
        }

        // The refresh token goes to the SecureStore before anyone can use the session.
        if let Some(refresh) = tokens.refresh_token() {
            self.secrets
                .put(&self.refresh_token_name(), refresh.secret().as_bytes())?;
        }
        let expires_at = tokens.expires_in().map(|d| SystemTime::now() + d);
        if let Ok(mut access) = self.access.lock() {
            *access = Some(AccessToken {
                secret: tokens.access_token().secret().clone(),
                expires_at,
            });
        }
        save_member(&self.store, &member)?;
        log::info!(target: "lofavor_core::auth", "login completed");
        Ok(member)
    }

    /// The member's name from the userinfo endpoint, checked to be about `subject`.
    async fn userinfo_name(
        &self,
        client: &OidcClient,
        access_token: &openidconnect::AccessToken,
        subject: &openidconnect::SubjectIdentifier,
    ) -> Option<String> {
        let request = client
            .user_info(access_token.clone(), Some(subject.clone()))
            .ok()?;
        let claims: openidconnect::UserInfoClaims<
            openidconnect::EmptyAdditionalClaims,
            openidconnect::core::CoreGenderClaim,
        > = request.request_async(&self.http).await.ok()?;
        claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string())
    }

    /// The member of the current session, from the encrypted cache (works offline).
    pub fn member(&self) -> Result<Option<Member>, AuthError> {
        Ok(self.store.with_conn(|conn| {
            use rusqlite::OptionalExtension;
            Ok(conn
                .query_row(
                    "SELECT subject, name FROM auth_member WHERE id = 1",
                    [],
                    |row| {
                        Ok(Member {
                            subject: row.get(0)?,
                            name: row.get(1)?,
                        })
                    },
                )
                .optional()?)
        })?)
    }

    /// Whether a refresh token is kept (the session outlives the process).
    pub fn has_session(&self) -> Result<bool, AuthError> {
        Ok(self.secrets.get(&self.refresh_token_name())?.is_some())
    }

    /// The access token in memory, if one is still good.
    pub fn cached_access_token(&self) -> Option<String> {
        let access = self.access.lock().ok()?.clone()?;
        match access.expires_at {
            Some(at) if at <= SystemTime::now() => None,
            _ => Some(access.secret),
        }
    }
}

fn save_member(store: &Store, member: &Member) -> Result<(), AuthError> {
    store.with_conn(|conn| {
        conn.execute(
            "INSERT INTO auth_member (id, subject, name, updated_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET subject = excluded.subject, name = excluded.name,
                                           updated_at = excluded.updated_at",
            rusqlite::params![member.subject, member.name, now_secs()],
        )?;
        Ok(())
    })?;
    Ok(())
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

/// The validation failure in words that carry no token content.
fn describe_claims_error(e: &openidconnect::ClaimsVerificationError) -> String {
    use openidconnect::ClaimsVerificationError as E;
    match e {
        E::Expired(_) => "expired".into(),
        E::InvalidAudience(_) => "wrong audience".into(),
        E::InvalidIssuer(_) => "wrong issuer".into(),
        E::InvalidNonce(_) => "wrong nonce".into(),
        E::SignatureVerification(_) => "bad signature or disallowed algorithm".into(),
        _ => "claims rejected".into(),
    }
}
