//! The consent catalogue, the receipt keys and the member's consent ledger.

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::json::{JsonBody, answer, error};
use crate::AppState;
use crate::access::Authenticated;
use crate::consent::Outcome;
use crate::consent::decisions::{self, DecisionRecord};

/// `GET /v1/consent/catalogue`: the catalogue now published, signed by the trust anchor.
pub(crate) async fn catalogue(State(state): State<AppState>) -> Response {
    let published = state.consent.published();
    (
        [
            (CONTENT_TYPE, "application/cose"),
            (CACHE_CONTROL, "no-cache"),
        ],
        published.signed.clone(),
    )
        .into_response()
}

#[derive(Debug, Serialize)]
struct ReceiptKeys {
    keys: Vec<String>,
}

/// `GET /v1/consent/receipt-keys`: the keys receipts are signed with, as anchor text.
pub(crate) async fn receipt_keys(State(state): State<AppState>) -> Response {
    (
        [(CACHE_CONTROL, "no-cache")],
        Json(ReceiptKeys {
            keys: vec![state.consent.receipt_key_text.clone()],
        }),
    )
        .into_response()
}

/// `POST /v1/consent/decisions`: records a decision and answers with its receipt.
pub(crate) async fn record(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    JsonBody(record): JsonBody<DecisionRecord>,
) -> Response {
    let consent = Arc::clone(&state.consent);
    match consent
        .run(move |consent, c| decisions::record(consent, c, &claims.sub, record))
        .await
    {
        Ok((Outcome::Created, recorded)) => answer(StatusCode::CREATED, &recorded),
        Ok((Outcome::Repeated, recorded)) => answer(StatusCode::OK, &recorded),
        Err(e) => e.into_response(),
    }
}

/// The `after` query parameter: absent is 0; anything but one non-negative integer is
/// `None`.
fn after(query: Option<&str>) -> Option<i64> {
    let mut after = 0;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("after", value)) => after = value.parse::<i64>().ok().filter(|n| *n >= 0)?,
            _ => return None,
        }
    }
    Some(after)
}

/// `GET /v1/consent/decisions?after=N`: the member's decisions after sequence N.
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(after) = after(query.as_deref()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the only parameter is after, a non-negative integer",
        );
    };
    match state
        .consent
        .run(move |_, c| decisions::list(c, &claims.sub, after))
        .await
    {
        Ok(ledger) => answer(StatusCode::OK, &ledger),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::after;

    #[test]
    fn after_is_one_non_negative_integer() {
        assert_eq!(after(None), Some(0));
        assert_eq!(after(Some("")), Some(0));
        assert_eq!(after(Some("after=7")), Some(7));
        for bad in ["after=-1", "after=x", "after=", "other=1", "after=1&x=2"] {
            assert_eq!(after(Some(bad)), None, "{bad}");
        }
    }
}
