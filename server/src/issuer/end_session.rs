//! `GET /oidc/session/end` (OpenID Connect RP-Initiated Logout 1.0).
//!
//! The issuer keeps no browser session (every login goes through the picker), so logging out
//! here only checks the request and sends the member back to a registered URI, or shows a
//! page saying they are logged out.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::Issuer;
use super::clients;
use super::html;
use super::oauth_error::redirect_with;
use super::params::Params;

/// The end-session endpoint.
pub(crate) async fn end_session(
    State(issuer): State<Arc<Issuer>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Some(params) = query.ok().and_then(|Query(pairs)| Params::new(pairs).ok()) else {
        return html::error(StatusCode::BAD_REQUEST, "malformed request");
    };
    let hint_client = match params.get("id_token_hint") {
        Some(hint) => match issuer.read_own_token(hint) {
            Some(claims) => claims.aud,
            None => return html::error(StatusCode::BAD_REQUEST, "id_token_hint is not valid"),
        },
        None => None,
    };
    let client_id = match (params.get("client_id"), hint_client.as_deref()) {
        (Some(a), Some(b)) if a != b => {
            return html::error(
                StatusCode::BAD_REQUEST,
                "client_id does not match the id_token_hint",
            );
        }
        (Some(a), _) => Some(a),
        (None, b) => b,
    };
    if let Some(uri) = params.get("post_logout_redirect_uri") {
        let registered = client_id
            .and_then(clients::find)
            .is_some_and(|c| c.allows_post_logout_redirect(uri));
        if !registered {
            return html::error(
                StatusCode::BAD_REQUEST,
                "post_logout_redirect_uri is not registered for this client",
            );
        }
        let mut extra = Vec::new();
        if let Some(state) = params.get("state") {
            extra.push(("state", state));
        }
        return redirect_with(uri, &extra);
    }
    html::page(
        StatusCode::OK,
        "Logged out",
        "<p id=\"logged-out\">You are logged out.</p>",
    )
}
