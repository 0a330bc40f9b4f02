//! Access tokens at the member API: the one place a request's `Authorization: Bearer` token is
//! checked (RFC 6750), against whichever issuer the server trusts.
//!
//! Handlers take [`Authenticated`] as an argument; a request without a good token never reaches
//! them and gets 401 with `WWW-Authenticate: Bearer realm="lofavor"` (plus
//! `error="invalid_token"` when a token was given).

pub(crate) mod external;
pub(crate) mod validate;

use std::sync::Arc;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::AppState;
use crate::issuer::Issuer;
use crate::routes::ApiError;

/// The claims of a good access token that the API uses.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AccessClaims {
    /// The member's subject identifier.
    pub(crate) sub: String,
    /// Token id, if the issuer sets one.
    #[serde(default)]
    pub(crate) jti: Option<String>,
    /// Space-separated scopes, if the issuer says.
    #[serde(default)]
    pub(crate) scope: Option<String>,
}

impl AccessClaims {
    /// Whether the token carries scope `name`.
    pub(crate) fn has_scope(&self, name: &str) -> bool {
        self.scope
            .as_deref()
            .is_some_and(|s| s.split(' ').any(|s| s == name))
    }
}

/// Why a request is not authenticated. The descriptions go to the client: they name what
/// failed, never what the token holds.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum TokenError {
    /// No `Authorization: Bearer` header.
    #[error("no bearer token")]
    Missing,
    /// Not a JWT this server can read.
    #[error("malformed token")]
    Malformed,
    /// A check failed (signature, algorithm, type, issuer, audience, ...).
    #[error("{0}")]
    Rejected(&'static str),
    /// Signed by a key the issuer does not publish.
    #[error("unknown signing key")]
    UnknownKey,
    /// Past its `exp`.
    #[error("token expired")]
    Expired,
    /// Revoked, or of a revoked grant.
    #[error("token revoked")]
    Revoked,
    /// The issuer's keys could not be fetched.
    #[error("issuer unavailable")]
    Unavailable,
}

/// The token in an `Authorization: Bearer` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Result<&str, TokenError> {
    let value = headers
        .get(AUTHORIZATION)
        .ok_or(TokenError::Missing)?
        .to_str()
        .map_err(|_| TokenError::Malformed)?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            let token = token.trim();
            if token.is_empty() {
                Err(TokenError::Malformed)
            } else {
                Ok(token)
            }
        }
        _ => Err(TokenError::Missing),
    }
}

/// The 401 (or 503) answer for `error`, as RFC 6750 §3 asks.
pub(crate) fn rejection(error: &TokenError) -> Response {
    let (status, challenge, code) = match error {
        TokenError::Missing => (
            StatusCode::UNAUTHORIZED,
            "Bearer realm=\"lofavor\"".to_owned(),
            "unauthorized",
        ),
        TokenError::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Bearer realm=\"lofavor\"".to_owned(),
            "issuer_unavailable",
        ),
        other => (
            StatusCode::UNAUTHORIZED,
            format!(
                "Bearer realm=\"lofavor\", error=\"invalid_token\", error_description=\"{other}\""
            ),
            "invalid_token",
        ),
    };
    let mut response = (
        status,
        [(CACHE_CONTROL, "no-store")],
        Json(ApiError::new(code, &error.to_string())),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

/// Who checks access tokens.
pub(crate) enum Verifier {
    /// This server's own issuer.
    Embedded(Arc<Issuer>),
    /// An external OpenID Provider, through its published keys.
    External(Box<external::ExternalVerifier>),
}

impl Verifier {
    /// Checks `token`.
    pub(crate) async fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        match self {
            Verifier::Embedded(issuer) => issuer.verify_access_token(token),
            Verifier::External(external) => external.verify(token).await,
        }
    }
}

/// A request with a good access token: the extractor member API handlers take.
#[derive(Debug)]
pub(crate) struct Authenticated(pub(crate) AccessClaims);

/// The answer to a request without a good token.
pub(crate) struct Unauthenticated(TokenError);

impl IntoResponse for Unauthenticated {
    fn into_response(self) -> Response {
        rejection(&self.0)
    }
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = Unauthenticated;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).map_err(Unauthenticated)?;
        let claims = state
            .verifier
            .verify(token)
            .await
            .map_err(Unauthenticated)?;
        Ok(Self(claims))
    }
}
