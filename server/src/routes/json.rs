//! What the consent, privacy and partner routes share: a JSON body extractor whose
//! rejections are the API's JSON errors, and the answer for each refusal.

use axum::Json;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::consent::{ConsentError, Refusal};

/// Largest request body of these routes but analytics: the longest legitimate one, a privacy
/// request with 2000 characters of text, is well under it.
pub(crate) const MAX_BODY: usize = 32 * 1024;

/// Largest analytics body: 500 events of the longest names fit.
pub(crate) const MAX_ANALYTICS_BODY: usize = 128 * 1024;

/// An error answer, never cached.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(CACHE_CONTROL, "no-store")],
        Json(ApiError::new(code, message)),
    )
        .into_response()
}

/// A JSON answer, never cached (it is about one member).
pub(crate) fn answer(status: StatusCode, body: &impl Serialize) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// A request body of JSON `T`. A body over the route's limit is 413 `too_large`; anything
/// else that is not `T` (not JSON, wrong types, unknown fields, no JSON content type) is 400
/// `bad_request`. The message never repeats the body.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the request body is too large",
            )),
            Err(_) => Err(error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "the request body is not the JSON this endpoint takes",
            )),
        }
    }
}

/// The status, code and message of `refusal`.
fn refusal(refusal: Refusal) -> (StatusCode, &'static str, &'static str) {
    use StatusCode as S;
    match refusal {
        Refusal::BadRequest(why) => (S::BAD_REQUEST, "bad_request", why),
        Refusal::UnknownPurpose => (
            S::BAD_REQUEST,
            "unknown_purpose",
            "no published catalogue has this purpose",
        ),
        Refusal::UnknownNoticeVersion => (
            S::BAD_REQUEST,
            "unknown_notice_version",
            "this notice version was never published for the purpose",
        ),
        Refusal::NoticeTextMismatch => (
            S::BAD_REQUEST,
            "notice_text_mismatch",
            "the notice hash is not that of the published text in this language",
        ),
        Refusal::ExplicitConfirmationRequired => (
            S::BAD_REQUEST,
            "explicit_confirmation_required",
            "sharing with a partner needs the member's explicit confirmation",
        ),
        Refusal::ReplayedId => (
            S::CONFLICT,
            "replayed_id",
            "this id was used before for something else",
        ),
        Refusal::UnknownPartner => (S::NOT_FOUND, "unknown_partner", "no such partner"),
        Refusal::UnknownOffer => (S::NOT_FOUND, "unknown_offer", "no such offer"),
        Refusal::FieldsMismatch => (
            S::BAD_REQUEST,
            "fields_mismatch",
            "the fields are not exactly the ones the offer needs",
        ),
        Refusal::UnknownKind => (
            S::BAD_REQUEST,
            "unknown_kind",
            "not a kind of privacy-rights request",
        ),
        Refusal::UnknownMember => (
            S::NOT_FOUND,
            "unknown_member",
            "no member record for this subject",
        ),
    }
}

impl IntoResponse for ConsentError {
    fn into_response(self) -> Response {
        match self {
            ConsentError::Refused(r) => {
                let (status, code, message) = refusal(r);
                error(status, code, message)
            }
            other => {
                log::error!(target: "lofavor_server::consent", "consent request failed: {other}");
                error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the consent service failed",
                )
            }
        }
    }
}
