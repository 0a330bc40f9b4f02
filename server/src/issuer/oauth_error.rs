//! OAuth error responses of the token and revocation endpoints (RFC 6749 §5.2), and error
//! redirects of the authorization endpoint (§4.1.2.1, with `iss` per RFC 9207).

use axum::Json;
use axum::http::header::{CACHE_CONTROL, LOCATION, PRAGMA, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error of the token or revocation endpoint.
#[derive(Debug)]
pub(crate) struct OAuthError {
    code: &'static str,
    description: &'static str,
    status: StatusCode,
    /// Whether the client authenticated with an `Authorization` header (then 401 must name a
    /// scheme).
    basic_challenge: bool,
}

#[derive(Serialize)]
struct Body {
    error: &'static str,
    error_description: &'static str,
}

impl OAuthError {
    /// `invalid_request`: a parameter is missing, repeated or malformed.
    pub(crate) fn invalid_request(description: &'static str) -> Self {
        Self::new("invalid_request", description, StatusCode::BAD_REQUEST)
    }
    /// `invalid_grant`: the code or refresh token is not good (any more).
    pub(crate) fn invalid_grant(description: &'static str) -> Self {
        Self::new("invalid_grant", description, StatusCode::BAD_REQUEST)
    }
    /// `invalid_client`: unknown client.
    pub(crate) fn invalid_client(basic_challenge: bool) -> Self {
        Self {
            basic_challenge,
            ..Self::new(
                "invalid_client",
                "unknown or missing client",
                StatusCode::UNAUTHORIZED,
            )
        }
    }
    /// `unsupported_grant_type`.
    pub(crate) fn unsupported_grant_type() -> Self {
        Self::new(
            "unsupported_grant_type",
            "only authorization_code and refresh_token",
            StatusCode::BAD_REQUEST,
        )
    }
    /// `server_error`: something on this side failed.
    pub(crate) fn server_error() -> Self {
        Self::new(
            "server_error",
            "the issuer failed",
            StatusCode::INTERNAL_SERVER_ERROR,
        )
    }

    fn new(code: &'static str, description: &'static str, status: StatusCode) -> Self {
        Self {
            code,
            description,
            status,
            basic_challenge: false,
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(CACHE_CONTROL, "no-store"), (PRAGMA, "no-cache")],
            Json(Body {
                error: self.code,
                error_description: self.description,
            }),
        )
            .into_response();
        if self.basic_challenge {
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"lofavor\""),
            );
        }
        response
    }
}

/// A 303 to `redirect_uri` with `params` added to its query.
pub(crate) fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let Ok(mut url) = url::Url::parse(redirect_uri) else {
        return super::html::error(StatusCode::BAD_REQUEST, "invalid redirect URI");
    };
    if !params.is_empty() {
        let mut query = url.query_pairs_mut();
        for (k, v) in params {
            query.append_pair(k, v);
        }
    }
    match HeaderValue::from_str(url.as_str()) {
        Ok(location) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, location)],
            [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        )
            .into_response(),
        Err(_) => super::html::error(StatusCode::BAD_REQUEST, "invalid redirect URI"),
    }
}
