//! `POST /v1/partners/{partner}/claim-reports`: a member's claim report (the PDF and the CSV of
//! their belongings) for an insurer. The reference server stands in for the insurer's own
//! endpoint: it checks the files are what their digests say, keeps the digests (not the files)
//! and puts an entry into the partner's inbox, so tests see exactly what arrived. Idempotent by
//! the report's id: the same report again is answered as before and delivered once.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::json::{JsonBody, answer};
use crate::AppState;
use crate::access::Authenticated;
use crate::consent::partners::{self, InboxKind};
use crate::consent::{ConsentError, Refusal, check_id, sha256_hex, subject};
use crate::db::DbError;
use crate::keyfile::KeyDir;

/// The partners that take claim reports.
const INSURERS: [&str; 1] = ["fremtind"];

/// Largest body: a report of a whole home with its photos, in base64.
pub(crate) const MAX_BODY: usize = 96 * 1024 * 1024;

/// The table of received reports, and the partner inbox made to take them: a schema step.
pub(crate) fn migrate(tx: &Transaction<'_>, _: &KeyDir) -> Result<(), DbError> {
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS claim_report (
            id TEXT PRIMARY KEY NOT NULL,
            member_id TEXT NOT NULL,
            partner TEXT NOT NULL,
            pdf_sha256 TEXT NOT NULL,
            received_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE partner_inbox_new (
            entry INTEGER PRIMARY KEY AUTOINCREMENT,
            partner TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('order', 'share', 'claim_report')),
            at INTEGER NOT NULL,
            subject TEXT NOT NULL,
            fields TEXT NOT NULL
        ) STRICT;
        INSERT INTO partner_inbox_new SELECT * FROM partner_inbox;
        DROP TABLE partner_inbox;
        ALTER TABLE partner_inbox_new RENAME TO partner_inbox;
        CREATE INDEX IF NOT EXISTS partner_inbox_partner ON partner_inbox (partner, entry);",
    )?;
    Ok(())
}

/// The body of a claim report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClaimReport {
    id: String,
    language: String,
    member_name: Option<String>,
    member_number: Option<String>,
    address: Option<String>,
    items: u32,
    photos: u32,
    pages: u32,
    purchase_price_ore: u64,
    replacement_value_ore: u64,
    pdf: String,
    pdf_sha256: String,
    csv: String,
    csv_sha256: String,
}

/// The answer.
#[derive(Debug, Clone, Serialize)]
struct Received {
    report_id: String,
    partner: String,
    status: &'static str,
    received_at: i64,
}

/// The decoded file of `base64` if its SHA-256 is `digest`.
fn file(base64: &str, digest: &str, what: &'static str) -> Result<Vec<u8>, Refusal> {
    let bytes = STANDARD
        .decode(base64)
        .map_err(|_| Refusal::BadRequest(what))?;
    if sha256_hex(&bytes) != digest {
        return Err(Refusal::BadRequest(what));
    }
    Ok(bytes)
}

fn receive(
    c: &Connection,
    sub: &str,
    partner: &'static str,
    report: ClaimReport,
) -> Result<(bool, Received), ConsentError> {
    check_id(&report.id, "id is not 1 to 64 of A-Z, a-z, 0-9 and -")?;
    let pdf = file(
        &report.pdf,
        &report.pdf_sha256,
        "pdf is not base64 of its pdf_sha256",
    )?;
    if !pdf.starts_with(b"%PDF-") {
        return Err(Refusal::BadRequest("pdf is not a PDF").into());
    }
    let csv = file(
        &report.csv,
        &report.csv_sha256,
        "csv is not base64 of its csv_sha256",
    )?;
    if !["nb", "nn", "en"].contains(&report.language.as_str()) {
        return Err(Refusal::BadRequest("language is not nb, nn or en").into());
    }
    let tx = c.unchecked_transaction()?;
    let earlier: Option<(String, String, String, i64)> = tx
        .query_row(
            "SELECT member_id, partner, pdf_sha256, received_at FROM claim_report WHERE id = ?1",
            [&report.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let received = |received_at| Received {
        report_id: report.id.clone(),
        partner: partner.to_owned(),
        status: "received",
        received_at,
    };
    if let Some((member, earlier_partner, digest, at)) = earlier {
        if member != sub || earlier_partner != partner || digest != report.pdf_sha256 {
            return Err(Refusal::ReplayedId.into());
        }
        return Ok((false, received(at)));
    }
    let at = lofavor_certificate::time::now_unix();
    tx.execute(
        "INSERT INTO claim_report (id, member_id, partner, pdf_sha256, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![report.id, sub, partner, report.pdf_sha256, at],
    )?;
    let fields = json!({
        "report_id": report.id,
        "language": report.language,
        "member_name": report.member_name,
        "member_number": report.member_number,
        "address": report.address,
        "items": report.items,
        "photos": report.photos,
        "pages": report.pages,
        "purchase_price_ore": report.purchase_price_ore,
        "replacement_value_ore": report.replacement_value_ore,
        "pdf_sha256": report.pdf_sha256,
        "pdf_bytes": pdf.len(),
        "csv_sha256": report.csv_sha256,
        "csv_bytes": csv.len(),
    });
    partners::deliver(
        &tx,
        partner,
        InboxKind::ClaimReport,
        at,
        &subject(sub),
        &fields,
    )?;
    tx.commit()?;
    Ok((true, received(at)))
}

/// `POST /v1/partners/{partner}/claim-reports`. A partner that takes no claim reports is 404
/// whatever the body is.
pub(crate) async fn claim_report(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    Path(partner): Path<String>,
    body: Result<JsonBody<ClaimReport>, Response>,
) -> Response {
    let Some(partner) = INSURERS.into_iter().find(|p| *p == partner) else {
        return ConsentError::Refused(Refusal::UnknownPartner).into_response();
    };
    let report = match body {
        Ok(JsonBody(report)) => report,
        Err(rejection) => return rejection,
    };
    match state
        .consent
        .run(move |_, c| receive(c, &claims.sub, partner, report))
        .await
    {
        Ok((true, received)) => answer(StatusCode::CREATED, &received),
        Ok((false, received)) => answer(StatusCode::OK, &received),
        Err(e) => e.into_response(),
    }
}
