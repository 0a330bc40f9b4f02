//! Partner offers, orders and shares, and the partners' inboxes for the demo.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::json::{JsonBody, answer};
use crate::AppState;
use crate::access::Authenticated;
use crate::consent::offers::{OFFERS, Offer};
use crate::consent::orders::{self, OrderRequest};
use crate::consent::partners::{self, ShareRequest};
use crate::consent::{ConsentError, Outcome, Refusal};

#[derive(Debug, Serialize)]
struct Offers {
    offers: &'static [Offer],
}

/// `GET /v1/offers`: every partner offer and the fields each needs.
pub(crate) async fn offers(_: Authenticated) -> Response {
    answer(StatusCode::OK, &Offers { offers: &OFFERS })
}

/// `POST /v1/orders`: orders an offer; the partner's inbox gets the fields.
pub(crate) async fn order(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    JsonBody(request): JsonBody<OrderRequest>,
) -> Response {
    match state
        .consent
        .run(move |_, c| orders::place(c, &claims.sub, request))
        .await
    {
        Ok((Outcome::Created, placed)) => answer(StatusCode::CREATED, &placed),
        Ok((Outcome::Repeated, placed)) => answer(StatusCode::OK, &placed),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Serialize)]
struct Shared {
    shared: bool,
}

/// `POST /v1/partners/{partner}/share`: sends the member's data of some categories to a
/// partner. An unknown partner is 404 whatever the body is.
pub(crate) async fn share(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    Path(partner): Path<String>,
    body: Result<JsonBody<ShareRequest>, Response>,
) -> Response {
    if partners::known(&partner).is_none() {
        return ConsentError::Refused(Refusal::UnknownPartner).into_response();
    }
    let request = match body {
        Ok(JsonBody(request)) => request,
        Err(rejection) => return rejection,
    };
    match state
        .consent
        .run(move |_, c| partners::share(c, &claims.sub, &partner, request))
        .await
    {
        Ok(()) => answer(StatusCode::OK, &Shared { shared: true }),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Serialize)]
struct Inbox {
    inbox: Vec<serde_json::Value>,
}

/// `GET /dev/partners/{partner}/inbox` (development issuer only): what a partner received.
pub(crate) async fn inbox(State(state): State<AppState>, Path(partner): Path<String>) -> Response {
    let Some(partner) = partners::known(&partner) else {
        return ConsentError::Refused(Refusal::UnknownPartner).into_response();
    };
    match state
        .consent
        .run(move |_, c| partners::inbox(c, partner))
        .await
    {
        Ok(inbox) => answer(StatusCode::OK, &Inbox { inbox }),
        Err(e) => e.into_response(),
    }
}
