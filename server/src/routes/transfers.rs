//! Analytics events and the newsletter subscription: transfers the app's consent gate
//! governs, recorded here so tests can see what was sent.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::json::{JsonBody, answer};
use crate::AppState;
use crate::access::Authenticated;
use crate::consent::analytics::{self, Batch};
use crate::consent::newsletter::{self, Subscribe};

/// `POST /v1/analytics/events`: a batch of events; a repeated batch accepts none.
pub(crate) async fn events(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    JsonBody(batch): JsonBody<Batch>,
) -> Response {
    match state
        .consent
        .run(move |_, c| analytics::record(c, &claims.sub, batch))
        .await
    {
        Ok(accepted) => answer(StatusCode::ACCEPTED, &accepted),
        Err(e) => e.into_response(),
    }
}

/// `POST /v1/newsletter/subscription`: subscribes with an e-mail address.
pub(crate) async fn subscribe(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    JsonBody(request): JsonBody<Subscribe>,
) -> Response {
    match state
        .consent
        .run(move |_, c| newsletter::subscribe(c, &claims.sub, request))
        .await
    {
        Ok(subscription) => answer(StatusCode::OK, &subscription),
        Err(e) => e.into_response(),
    }
}

/// `DELETE /v1/newsletter/subscription`: unsubscribes and forgets the address.
pub(crate) async fn unsubscribe(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
) -> Response {
    match state
        .consent
        .run(move |_, c| newsletter::unsubscribe(c, &claims.sub))
        .await
    {
        Ok(subscription) => answer(StatusCode::OK, &subscription),
        Err(e) => e.into_response(),
    }
}
