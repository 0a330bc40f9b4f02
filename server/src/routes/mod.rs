//! The routes of the member API; one file per area of `openapi.yaml`.

mod health;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// All routes.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .with_state(state)
}
