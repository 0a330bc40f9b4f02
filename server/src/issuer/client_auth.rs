//! Which client calls the token or revocation endpoint. Clients are public (`none`): the
//! `client_id` form parameter names them; a Basic header with an empty secret, as some
//! OAuth libraries send for public clients, is accepted too.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::clients::{self, Client};
use super::oauth_error::OAuthError;
use super::params::Params;

/// The calling client.
pub(crate) fn client(headers: &HeaderMap, params: &Params) -> Result<&'static Client, OAuthError> {
    let from_header = match headers.get(AUTHORIZATION) {
        Some(value) => Some(basic_client_id(value.to_str().ok())?),
        None => None,
    };
    let basic = from_header.is_some();
    let id = match (from_header, params.get("client_id")) {
        (Some(h), Some(p)) if h != p => {
            return Err(OAuthError::invalid_request("client_id differs"));
        }
        (Some(h), _) => h,
        (None, Some(p)) => p.to_owned(),
        (None, None) => return Err(OAuthError::invalid_client(false)),
    };
    clients::find(&id).ok_or_else(|| OAuthError::invalid_client(basic))
}

/// The client id of `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1);
/// the secret must be empty, since no client has one.
fn basic_client_id(value: Option<&str>) -> Result<String, OAuthError> {
    let refuse = || OAuthError::invalid_client(true);
    let value = value.ok_or_else(refuse)?;
    let (scheme, encoded) = value.split_once(' ').ok_or_else(refuse)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(refuse());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| refuse())?;
    let decoded = String::from_utf8(decoded).map_err(|_| refuse())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(refuse)?;
    if !secret.is_empty() {
        return Err(refuse());
    }
    let id: String = url::form_urlencoded::parse(format!("id={id}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .ok_or_else(refuse)?;
    Ok(id)
}
