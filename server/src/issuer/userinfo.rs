//! `GET`/`POST /oidc/userinfo` (OpenID Connect Core §5.3) with a Bearer access token.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::Issuer;
use super::tokens::MemberClaims;
use crate::access::{self, TokenError};
use crate::members;

#[derive(Serialize)]
struct UserInfo {
    sub: String,
    #[serde(flatten)]
    member: MemberClaims,
}

/// The claims about the member the access token's scopes release.
pub(crate) async fn userinfo(State(issuer): State<Arc<Issuer>>, headers: HeaderMap) -> Response {
    let claims = match access::bearer(&headers).and_then(|t| issuer.verify_access_token(t)) {
        Ok(claims) => claims,
        Err(e) => return access::rejection(&e),
    };
    let scope: Vec<String> = claims
        .scope
        .as_deref()
        .unwrap_or("")
        .split(' ')
        .map(str::to_owned)
        .collect();
    match members::find(&issuer.db, &claims.sub).await {
        Ok(Some(member)) => (
            [(CACHE_CONTROL, "no-store")],
            Json(UserInfo {
                sub: member.id.clone(),
                member: MemberClaims::released(&member, &scope),
            }),
        )
            .into_response(),
        Ok(None) => access::rejection(&TokenError::Rejected("no such subject")),
        Err(_) => access::rejection(&TokenError::Unavailable),
    }
}
