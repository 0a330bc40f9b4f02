//! The routes of the member API; one file per area of `openapi.yaml`.

mod health;
mod me;
mod roadside;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use serde::Serialize;

use crate::AppState;
use crate::issuer::{self, Issuer};

/// The JSON error body of the member API (`Error` in `openapi.yaml`).
#[derive(Debug, Serialize)]
pub(crate) struct ApiError {
    /// Machine-readable code.
    error: String,
    /// Short reason for people; never personal data.
    message: String,
}

impl ApiError {
    /// An error body.
    pub(crate) fn new(error: &str, message: &str) -> Self {
        Self {
            error: error.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// All routes; the development issuer's under `/oidc` when it is the one the API trusts.
pub(crate) fn router(state: AppState, embedded: Option<Arc<Issuer>>) -> Router {
    let api = Router::new()
        .route("/health", get(health::health))
        .route("/v1/me", get(me::me))
        .route(
            "/v1/roadside/certificate",
            post(roadside::issue_certificate),
        )
        .route("/v1/roadside/trust-list", get(roadside::trust_list))
        .route("/v1/roadside/revocations", get(roadside::revocations))
        .route(
            "/v1/roadside/certificates/{id}/status",
            get(roadside::status),
        )
        .route(
            "/v1/roadside/certificates/{id}/revoke",
            post(roadside::revoke),
        )
        .with_state(state);
    match embedded {
        Some(issuer) => api.nest("/oidc", issuer::router(issuer)),
        None => api,
    }
}
