//! `GET /oidc/.well-known/openid-configuration` (OpenID Connect Discovery 1.0) and
//! `GET /oidc/jwks`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use jsonwebtoken::jwk::JwkSet;
use serde_json::{Value, json};

use super::Issuer;
use super::scope::SUPPORTED;

/// The provider metadata.
pub(crate) async fn configuration(State(issuer): State<Arc<Issuer>>) -> Json<Value> {
    let base = issuer.url();
    Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "jwks_uri": format!("{base}/jwks"),
        "revocation_endpoint": format!("{base}/revoke"),
        "end_session_endpoint": format!("{base}/session/end"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "scopes_supported": SUPPORTED,
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["none"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name",
            "lofavor_membership"
        ],
        "authorization_response_iss_parameter_supported": true,
    }))
}

/// The public signing keys.
pub(crate) async fn jwks(State(issuer): State<Arc<Issuer>>) -> Json<JwkSet> {
    Json(issuer.key.jwks())
}
