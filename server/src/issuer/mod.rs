//! The development OpenID Provider at `{base}/oidc`: discovery, JWKS, the authorization
//! endpoint with a member picker, token, userinfo, revocation and end-session endpoints.
//!
//! It stands in for a real provider so the core's login can run against the reference server
//! alone: OpenID Connect code flow with PKCE S256 only, public native clients, RFC 9207 `iss`
//! in the authorization response, refresh-token rotation with replay detection, ES256 ID
//! tokens and RFC 9068 JWT access tokens for the member API.

mod authorize;
mod client_auth;
mod clients;
mod discovery;
mod end_session;
mod html;
mod keys;
mod oauth_error;
mod params;
mod pkce;
mod revoke;
mod scope;
mod store;
mod token;
mod tokens;
mod userinfo;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

use crate::access::{AccessClaims, TokenError};
use crate::db::Db;

pub use keys::KeyError;

/// Seconds since the Unix epoch, unsigned as JWT `iat`/`exp`/`auth_time` are (0 before 1970).
pub(crate) fn unix_now() -> u64 {
    u64::try_from(lofavor_certificate::time::now_unix()).unwrap_or(0)
}

/// The issuer's state.
pub(crate) struct Issuer {
    /// The issuer identifier, `{base}/oidc`.
    url: String,
    key: keys::SigningKey,
    store: store::Store,
    access_ttl: Duration,
    leeway: Duration,
    db: Arc<Db>,
}

/// The registered claims of one of this issuer's own tokens, read without checking `exp` or
/// `aud` (for revocation and `id_token_hint`).
#[derive(Debug, Deserialize)]
pub(crate) struct OwnTokenClaims {
    #[serde(default)]
    pub(crate) aud: Option<String>,
    #[serde(default)]
    pub(crate) jti: Option<String>,
    #[serde(default)]
    pub(crate) client_id: Option<String>,
}

impl Issuer {
    /// An issuer at `url` with a fresh signing key.
    pub(crate) fn new(
        url: String,
        access_ttl: Duration,
        leeway: Duration,
        db: Arc<Db>,
    ) -> Result<Self, KeyError> {
        Ok(Self {
            url,
            key: keys::SigningKey::generate()?,
            store: store::Store::default(),
            access_ttl,
            leeway,
            db,
        })
    }

    /// The issuer identifier.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Checks an access token for the member API: signature, `typ`, `iss`, `aud`, `exp`, and
    /// that neither the token nor its grant was revoked.
    pub(crate) fn verify_access_token(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let claims = crate::access::validate::validate(
            token,
            &self.key.jwks(),
            &self.url,
            crate::MEMBER_API_AUDIENCE,
            self.leeway,
        )?;
        let active = claims
            .jti
            .as_deref()
            .is_some_and(|jti| self.store.access_token_active(jti));
        if active {
            Ok(claims)
        } else {
            Err(TokenError::Revoked)
        }
    }

    /// Reads one of this issuer's own tokens (signature and `iss` checked; expiry and audience
    /// not, since a revoked or logged-out token may well be expired).
    pub(crate) fn read_own_token(&self, token: &str) -> Option<OwnTokenClaims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::ES256 || header.kid.as_deref() != Some(self.key.kid()) {
            return None;
        }
        let mut validation = Validation::new(Algorithm::ES256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.set_issuer(&[&self.url]);
        validation.set_required_spec_claims(&["iss", "sub"]);
        jsonwebtoken::decode::<OwnTokenClaims>(token, self.key.decoding(), &validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// The issuer's routes, to be nested at `/oidc`.
pub(crate) fn router(issuer: Arc<Issuer>) -> Router {
    Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(discovery::configuration),
        )
        .route("/jwks", get(discovery::jwks))
        .route("/authorize", get(authorize::authorize))
        .route("/authorize/decision", post(authorize::decision))
        .route("/token", post(token::token))
        .route(
            "/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
        .route("/revoke", post(revoke::revoke))
        .route("/session/end", get(end_session::end_session))
        .with_state(issuer)
}
