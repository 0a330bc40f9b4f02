//! Privacy-rights requests and the member's data export.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::json::{JsonBody, answer};
use crate::AppState;
use crate::access::Authenticated;
use crate::consent::privacy::{self, NewRequest, RequestView};
use crate::consent::{ConsentError, Outcome, Refusal};

/// `POST /v1/privacy/requests`: files a request; its due date is one calendar month on.
pub(crate) async fn file(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    JsonBody(request): JsonBody<NewRequest>,
) -> Response {
    match state
        .consent
        .run(move |_, c| privacy::file(c, &claims.sub, request))
        .await
    {
        Ok((Outcome::Created, filed)) => answer(StatusCode::CREATED, &filed),
        Ok((Outcome::Repeated, filed)) => answer(StatusCode::OK, &filed),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Serialize)]
struct Requests {
    requests: Vec<RequestView>,
}

/// `GET /v1/privacy/requests`: the member's requests, newest first.
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
) -> Response {
    match state
        .consent
        .run(move |_, c| privacy::list(c, &claims.sub))
        .await
    {
        Ok(requests) => answer(StatusCode::OK, &Requests { requests }),
        Err(e) => e.into_response(),
    }
}

/// `GET /v1/privacy/data`: the server's copy of the member's data.
pub(crate) async fn data(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
) -> Response {
    let with_union = claims.has_scope("membership");
    match state
        .consent
        .run(move |_, c| privacy::export(c, &claims.sub, with_union))
        .await
    {
        Ok(Some(export)) => answer(StatusCode::OK, &export),
        Ok(None) => ConsentError::Refused(Refusal::UnknownMember).into_response(),
        Err(e) => e.into_response(),
    }
}
