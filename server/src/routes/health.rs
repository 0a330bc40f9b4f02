//! `GET /health`: is the service up, and does its database answer.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::AppState;

/// The body of `GET /health`.
#[derive(Debug, Serialize)]
pub(crate) struct Health {
    status: &'static str,
    service: &'static str,
    version: &'static str,
    database: bool,
}

pub(crate) async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let db = state.db.clone();
    let database = tokio::task::spawn_blocking(move || db.ping().is_ok())
        .await
        .unwrap_or(false);
    let status = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Health {
        status: if database { "ok" } else { "degraded" },
        service: "lofavor-server",
        version: env!("CARGO_PKG_VERSION"),
        database,
    };
    (status, Json(body))
}
