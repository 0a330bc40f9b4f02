//! `POST /oidc/revoke` (RFC 7009): revokes a refresh token with its whole grant, or one
//! access token by its `jti`. Unknown tokens get 200 as well (§2.2).

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Issuer;
use super::client_auth;
use super::oauth_error::OAuthError;
use super::params::Params;

/// The revocation endpoint.
pub(crate) async fn revoke(
    State(issuer): State<Arc<Issuer>>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let Some(params) = form.ok().and_then(|Form(pairs)| Params::new(pairs).ok()) else {
        return OAuthError::invalid_request("malformed form").into_response();
    };
    let client = match client_auth::client(&headers, &params) {
        Ok(client) => client,
        Err(e) => return e.into_response(),
    };
    let Some(token) = params.get("token") else {
        return OAuthError::invalid_request("token is required").into_response();
    };
    // The hint only says where to look first; both kinds are tried (§2.1). A token of another
    // client is left alone, answered like an unknown one.
    if let Some((grant, owner)) = issuer.store.refresh_token_client(token) {
        if owner == client.id {
            issuer.store.revoke_grant(grant);
        }
    } else if let Some(claims) = issuer.read_own_token(token)
        && claims.client_id.as_deref() == Some(client.id)
        && let Some(jti) = claims.jti
    {
        issuer.store.revoke_access_token(&jti);
    }
    (StatusCode::OK, [(CACHE_CONTROL, "no-store")]).into_response()
}
