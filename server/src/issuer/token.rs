//! `POST /oidc/token`: the `authorization_code` and `refresh_token` grants (RFC 6749 §4.1.3,
//! §6) with PKCE S256 (RFC 7636) and refresh-token rotation with replay detection (OAuth 2.0
//! Security BCP, RFC 9700 §4.14.2).

use std::sync::Arc;

use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, PRAGMA};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Serialize;

use super::client_auth;
use super::clients::Client;
use super::oauth_error::OAuthError;
use super::params::Params;
use super::scope;
use super::store::{Redemption, RefreshUse};
use super::tokens::IdTokenInput;
use super::{Issuer, pkce};
use crate::members;

/// A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Debug, Serialize)]
struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    id_token: String,
    scope: String,
}

/// The token endpoint.
pub(crate) async fn token(
    State(issuer): State<Arc<Issuer>>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    match handle(&issuer, &headers, form).await {
        Ok(body) => (
            [(CACHE_CONTROL, "no-store"), (PRAGMA, "no-cache")],
            Json(body),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn handle(
    issuer: &Issuer,
    headers: &HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<TokenResponse, OAuthError> {
    let Form(pairs) =
        form.map_err(|_| OAuthError::invalid_request("expected a form-encoded body"))?;
    let params =
        Params::new(pairs).map_err(|_| OAuthError::invalid_request("a parameter is repeated"))?;
    let client = client_auth::client(headers, &params)?;
    match params.get("grant_type") {
        Some("authorization_code") => authorization_code(issuer, client, &params).await,
        Some("refresh_token") => refresh_token(issuer, client, &params).await,
        Some(_) => Err(OAuthError::unsupported_grant_type()),
        None => Err(OAuthError::invalid_request("grant_type is required")),
    }
}

async fn authorization_code(
    issuer: &Issuer,
    client: &Client,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let code = params
        .get("code")
        .ok_or_else(|| OAuthError::invalid_request("code is required"))?;
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or_else(|| OAuthError::invalid_request("redirect_uri is required"))?;
    let verifier = params
        .get("code_verifier")
        .ok_or_else(|| OAuthError::invalid_request("code_verifier is required (PKCE)"))?;
    // The code is spent by this attempt whatever follows, so a failed guess cannot be retried.
    let grant = match issuer.store.redeem_code(code) {
        Redemption::Fresh(grant) => grant,
        Redemption::Unknown => return Err(OAuthError::invalid_grant("unknown or expired code")),
        Redemption::Replayed => return Err(OAuthError::invalid_grant("code already used")),
    };
    if grant.client_id != client.id {
        return Err(OAuthError::invalid_grant(
            "code was issued to another client",
        ));
    }
    if grant.redirect_uri != redirect_uri {
        return Err(OAuthError::invalid_grant("redirect_uri does not match"));
    }
    if !pkce::verify_s256(verifier, &grant.code_challenge) {
        return Err(OAuthError::invalid_grant("code_verifier does not match"));
    }
    let member = members::find(&issuer.db, &grant.subject)
        .await
        .map_err(|_| OAuthError::server_error())?
        .ok_or_else(|| OAuthError::invalid_grant("the member is gone"))?;
    let grant_id = issuer
        .store
        .new_grant(client.id, &grant.subject, &grant.scope, grant.auth_time);
    issuer.store.code_produced(code, grant_id);
    issue(
        issuer,
        grant_id,
        &IdTokenInput {
            client_id: client.id,
            member: &member,
            scope: &grant.scope,
            auth_time: grant.auth_time,
            nonce: Some(&grant.nonce),
        },
    )
}

async fn refresh_token(
    issuer: &Issuer,
    client: &Client,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let token = params
        .get("refresh_token")
        .ok_or_else(|| OAuthError::invalid_request("refresh_token is required"))?;
    // A token of another client is refused before it is rotated, so a stolen token presented
    // by the wrong client does not burn the real client's session.
    if let Some((_, owner)) = issuer.store.refresh_token_client(token)
        && owner != client.id
    {
        return Err(OAuthError::invalid_grant("refresh token of another client"));
    }
    let (grant_id, grant) = match issuer.store.use_refresh_token(token) {
        RefreshUse::Current(id, grant) => (id, grant),
        RefreshUse::Unknown => {
            return Err(OAuthError::invalid_grant(
                "unknown or revoked refresh token",
            ));
        }
        RefreshUse::Replayed => {
            log::warn!(target: "lofavor_server", "refresh token replayed; its grant is revoked");
            return Err(OAuthError::invalid_grant("refresh token already used"));
        }
    };
    let member = match members::find(&issuer.db, &grant.subject).await {
        Ok(Some(member)) => member,
        Ok(None) => {
            issuer.store.revoke_grant(grant_id);
            return Err(OAuthError::invalid_grant("the member is gone"));
        }
        Err(_) => return Err(OAuthError::server_error()),
    };
    issue(
        issuer,
        grant_id,
        &IdTokenInput {
            client_id: client.id,
            member: &member,
            scope: &grant.scope,
            auth_time: grant.auth_time,
            nonce: None,
        },
    )
}

/// Signs the tokens of one response; a new refresh token only with `offline_access`.
fn issue(
    issuer: &Issuer,
    grant: u64,
    input: &IdTokenInput<'_>,
) -> Result<TokenResponse, OAuthError> {
    let (access_token, expires_in) = issuer
        .access_token(
            grant,
            input.client_id,
            &input.member.id,
            input.scope,
            input.auth_time,
        )
        .map_err(|_| OAuthError::server_error())?;
    let id_token = issuer
        .id_token(input)
        .map_err(|_| OAuthError::server_error())?;
    let refresh_token =
        scope::has(input.scope, "offline_access").then(|| issuer.store.new_refresh_token(grant));
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in,
        refresh_token,
        id_token,
        scope: input.scope.join(" "),
    })
}
