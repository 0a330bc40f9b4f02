//! `GET /v1/me`: the member the access token is about.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::ApiError;
use crate::AppState;
use crate::access::Authenticated;
use crate::members;

/// The body of `GET /v1/me`.
#[derive(Debug, Serialize)]
struct Me {
    subject: String,
    name: String,
    /// Only with the `membership` scope (GDPR art. 9 data, released on purpose only).
    membership: Option<Membership>,
    /// Contact and identity fields, each only when the record has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_number: Option<String>,
}

#[derive(Debug, Serialize)]
struct Membership {
    union: String,
    active: bool,
}

pub(crate) async fn me(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
) -> Response {
    match members::find(&state.db, &claims.sub).await {
        Ok(Some(member)) => {
            let membership = if claims.has_scope("membership") {
                member.union.map(|union| Membership {
                    union,
                    active: member.active,
                })
            } else {
                None
            };
            (
                [(CACHE_CONTROL, "no-store")],
                Json(Me {
                    subject: member.id,
                    name: member.name,
                    membership,
                    email: member.email,
                    phone: member.phone,
                    birth_date: member.birth_date,
                    member_number: member.member_number,
                }),
            )
                .into_response()
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Json(ApiError::new(
                "unknown_member",
                "no member record for this subject",
            )),
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ApiError::new("unavailable", "the member database failed")),
        )
            .into_response(),
    }
}
