//! The routes of the member API; one file per area of `openapi.yaml`.

pub(crate) mod claims;
mod consent;
mod health;
mod inventory;
mod json;
mod me;
mod offers;
mod privacy;
mod roadside;
mod transfers;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use serde::Serialize;

use crate::AppState;
use crate::issuer::{self, Issuer};
use crate::request_log::{self, RequestLog};

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

/// The consent, privacy and partner routes, with their body limits.
fn consent_routes() -> Router<AppState> {
    let limited = Router::new()
        .route("/v1/consent/catalogue", get(consent::catalogue))
        .route("/v1/consent/receipt-keys", get(consent::receipt_keys))
        .route(
            "/v1/consent/decisions",
            post(consent::record).get(consent::list),
        )
        .route("/v1/offers", get(offers::offers))
        .route("/v1/orders", post(offers::order))
        .route("/v1/partners/{partner}/share", post(offers::share))
        .route(
            "/v1/newsletter/subscription",
            post(transfers::subscribe).delete(transfers::unsubscribe),
        )
        .route(
            "/v1/privacy/requests",
            post(privacy::file).get(privacy::list),
        )
        .route("/v1/privacy/data", get(privacy::data))
        .layer(DefaultBodyLimit::max(json::MAX_BODY));
    let analytics = Router::new()
        .route("/v1/analytics/events", post(transfers::events))
        .layer(DefaultBodyLimit::max(json::MAX_ANALYTICS_BODY));
    let claims = Router::new()
        .route(
            "/v1/partners/{partner}/claim-reports",
            post(claims::claim_report),
        )
        .layer(DefaultBodyLimit::max(claims::MAX_BODY));
    limited.merge(analytics).merge(claims)
}

/// All routes; the development issuer's under `/oidc` when it is the one the API trusts,
/// with the partners' inboxes under `/dev` (they show every member's shared data, so only
/// where anyone may log in as anyone anyway). Every request is noted in `log`.
pub(crate) fn router(
    state: AppState,
    embedded: Option<Arc<Issuer>>,
    log: Arc<RequestLog>,
) -> Router {
    let mut api = Router::new()
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
        .merge(consent_routes())
        .merge(inventory::routes());
    if embedded.is_some() {
        api = api.route("/dev/partners/{partner}/inbox", get(offers::inbox));
    }
    let api = api.with_state(state);
    let app = match embedded {
        Some(issuer) => api.nest("/oidc", issuer::router(issuer)),
        None => api,
    };
    app.layer(middleware::from_fn_with_state(log, request_log::record))
}
