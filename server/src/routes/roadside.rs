//! The roadside-assistance certificate: issuing it to the member (`POST
//! /v1/roadside/certificate`), and what a field worker's app needs to check one: the trust
//! list, the signed revocation list, and an online status lookup. A development-only revoke
//! endpoint lets tests and the demo withdraw a certificate.

use std::time::{Duration, SystemTime};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use lofavor_certificate::time::unix_seconds;
use lofavor_certificate::{
    CertificateClaims, CertificateId, CoverProduct, HolderName, MAX_VALIDITY, VehicleRegistration,
    issue, sign_revocation_list,
};
use serde::Serialize;

use super::ApiError;
use crate::AppState;
use crate::access::Authenticated;
use crate::members;
use crate::roadside::records::{self, Status};
use crate::roadside::{RoadsideError, keys};

/// How long a revocation list is current: a worker's app fetches a new one after this.
const REVOCATIONS_NEXT_UPDATE: Duration = Duration::from_secs(60 * 60);

/// The body of `POST /v1/roadside/certificate`.
#[derive(Debug, Serialize)]
struct IssuedCertificate {
    payload: String,
    certificate_id: String,
    issued_at: i64,
    expires_at: i64,
    cover: CoverBody,
}

#[derive(Debug, Serialize)]
struct CoverBody {
    product: &'static str,
    product_name: &'static str,
    valid_from: String,
    valid_to: String,
    vehicle: Option<String>,
}

#[derive(Debug, Serialize)]
struct StatusBody {
    status: &'static str,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(CACHE_CONTROL, "no-store")],
        Json(ApiError::new(code, message)),
    )
        .into_response()
}

fn unavailable(e: &RoadsideError) -> Response {
    log::error!(target: "lofavor_server::roadside", "roadside request failed: {e}");
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "the roadside service failed",
    )
}

fn product_code(product: CoverProduct) -> &'static str {
    match product {
        CoverProduct::Veihjelp => "Veihjelp",
        CoverProduct::VeihjelpPluss => "VeihjelpPluss",
    }
}

/// The short holder name from a full name: the last word is the family name.
fn holder(full_name: &str) -> Result<HolderName, RoadsideError> {
    let trimmed = full_name.trim();
    let (given, family) = trimmed
        .rsplit_once(char::is_whitespace)
        .unwrap_or((trimmed, ""));
    Ok(HolderName::from_names(given, family)?)
}

/// `POST /v1/roadside/certificate`: a fresh certificate for the member of the token.
pub(crate) async fn issue_certificate(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
) -> Response {
    match issue_for(&state, &claims.sub).await {
        Ok(Some(body)) => ([(CACHE_CONTROL, "no-store")], Json(body)).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "no_cover",
            "the member has no current roadside cover",
        ),
        Err(e) => unavailable(&e),
    }
}

async fn issue_for(
    state: &AppState,
    member_id: &str,
) -> Result<Option<IssuedCertificate>, RoadsideError> {
    let Some(member) = members::find(&state.db, member_id).await? else {
        return Ok(None);
    };
    let Some(stored) = records::cover(&state.db, member_id).await? else {
        return Ok(None);
    };
    let now = SystemTime::now();
    let cover_end = stored.cover.ends_at().ok_or(RoadsideError::Time)?;
    if cover_end <= now {
        return Ok(None);
    }
    // The certificate lasts 30 days, or until the cover ends if that is sooner; the app
    // renews it when fewer than 7 days remain.
    let expires_at = (now + MAX_VALIDITY).min(cover_end);
    let vehicle = stored
        .vehicle
        .as_deref()
        .map(VehicleRegistration::parse)
        .transpose()?;
    let certificate = CertificateClaims {
        certificate_id: CertificateId::random(),
        cover: stored.cover.clone(),
        holder: holder(&member.name)?,
        vehicle: vehicle.clone(),
    };
    let keys = keys::current(&state.db, &state.keys, now).await?;
    let payload = issue(&certificate, &keys.signing, now, expires_at)?;
    let (issued, expires) = (unix_seconds(now), unix_seconds(expires_at));
    records::record(
        &state.db,
        certificate.certificate_id,
        member_id,
        issued,
        expires,
    )
    .await?;
    let cover = &stored.cover;
    Ok(Some(IssuedCertificate {
        payload,
        certificate_id: hex::encode(certificate.certificate_id.as_bytes()),
        issued_at: issued,
        expires_at: expires,
        cover: CoverBody {
            product: product_code(cover.product),
            product_name: cover.product.name(),
            valid_from: cover.valid_from.to_string(),
            valid_to: cover.valid_to.to_string(),
            vehicle: vehicle.map(|v| v.as_str().to_owned()),
        },
    }))
}

fn cbor(content_type: &'static str, bytes: Vec<u8>) -> Response {
    (
        [(CONTENT_TYPE, content_type), (CACHE_CONTROL, "no-cache")],
        bytes,
    )
        .into_response()
}

/// `GET /v1/roadside/trust-list`: the issuer keys a verifier accepts, numbered, signed by
/// the trust-anchor key (COSE_Sign1).
pub(crate) async fn trust_list(State(state): State<AppState>) -> Response {
    let list = keys::current(&state.db, &state.keys, SystemTime::now())
        .await
        .and_then(|keys| Ok(keys.trust.sign(&state.trust_anchor)?));
    match list {
        Ok(bytes) => cbor("application/cose", bytes),
        Err(e) => unavailable(&e),
    }
}

/// `GET /v1/roadside/revocations`: the revoked, unexpired certificates, signed.
pub(crate) async fn revocations(State(state): State<AppState>) -> Response {
    let signed = async {
        let now = SystemTime::now();
        let keys = keys::current(&state.db, &state.keys, now).await?;
        let ids = records::revoked(&state.db, unix_seconds(now)).await?;
        Ok::<_, RoadsideError>(sign_revocation_list(
            &ids,
            now,
            now + REVOCATIONS_NEXT_UPDATE,
            &keys.signing,
        )?)
    };
    match signed.await {
        Ok(bytes) => cbor("application/cose", bytes),
        Err(e) => unavailable(&e),
    }
}

fn bad_id() -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "invalid_certificate_id",
        "a certificate id is 16 hexadecimal digits",
    )
}

/// `GET /v1/roadside/certificates/{id}/status`: whether this server issued certificate `id`
/// and whether it is revoked. Whether it has expired is in the certificate itself.
pub(crate) async fn status(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(id) = records::parse_id(&id) else {
        return bad_id();
    };
    match records::status(&state.db, id).await {
        Ok(status) => {
            let status = match status {
                Status::Valid => "valid",
                Status::Revoked => "revoked",
                Status::Unknown => "unknown",
            };
            ([(CACHE_CONTROL, "no-store")], Json(StatusBody { status })).into_response()
        }
        Err(e) => unavailable(&e),
    }
}

/// `POST /v1/roadside/certificates/{id}/revoke` (reference server only, for development,
/// tests and the demo): the member of the token withdraws one of their own certificates.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = records::parse_id(&id) else {
        return bad_id();
    };
    match records::revoke(&state.db, id, &claims.sub, unix_seconds(SystemTime::now())).await {
        Ok(true) => (
            [(CACHE_CONTROL, "no-store")],
            Json(StatusBody { status: "revoked" }),
        )
            .into_response(),
        Ok(false) => error(
            StatusCode::NOT_FOUND,
            "unknown_certificate",
            "no such certificate of this member",
        ),
        Err(e) => unavailable(&e),
    }
}
