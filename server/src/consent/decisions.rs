//! The consent ledger: each member's decisions in the order the server received them, with a
//! signed receipt for each. The server's arrival order is the truth when two devices decide
//! on one purpose.
//!
//! A decision is idempotent by its id: the same id with the same record again gets the
//! first answer; the same id with anything else, or an id another member used, is refused.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::catalogue::{self, LANGUAGES, NoticeLookup};
use super::{
    Consent, ConsentError, MAX_TIME, Outcome, Refusal, check_id, is_sha256_hex, receipts, subject,
};

/// Longest collection method text, in characters.
const MAX_COLLECTION_METHOD: usize = 100;
/// Longest purpose or notice id accepted at all (a longer one is malformed, not unknown).
const MAX_NAME: usize = 128;

/// The decisions a member may record.
const DECISIONS: [&str; 3] = ["given", "refused", "withdrawn"];

/// A decision as the device posts it, and as the ledger answers it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionRecord {
    /// The device's id of this decision.
    pub(crate) id: String,
    /// The purpose decided on.
    pub(crate) purpose: String,
    /// The notice shown.
    pub(crate) notice_id: String,
    /// Its version, `major.minor`.
    pub(crate) notice_version: String,
    /// SHA-256 of the notice text shown, lowercase hex.
    pub(crate) notice_sha256: String,
    /// The language of the text shown.
    pub(crate) language: String,
    /// given, refused or withdrawn.
    pub(crate) decision: String,
    /// Whether the member confirmed explicitly.
    pub(crate) explicit: bool,
    /// When the member decided (device clock, Unix seconds).
    pub(crate) decided_at: i64,
    /// How the decision was collected (screen and control).
    pub(crate) collection_method: String,
    /// The id of the device's previous decision on this purpose.
    // Present as null or an id: a missing field is malformed, not "no previous".
    #[serde(deserialize_with = "Option::deserialize")]
    pub(crate) previous: Option<String>,
    /// The device's hash chain value over its ledger.
    pub(crate) chain_hash: String,
}

/// The server's answer to a recorded decision.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Recorded {
    /// The member's decisions received so far, this one included (1, 2, ...).
    pub(crate) sequence: i64,
    /// When the server received it.
    pub(crate) received_at: i64,
    /// The signed receipt, base64url without padding.
    pub(crate) receipt: String,
}

/// A decision of the ledger as `GET /v1/consent/decisions` lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Listed {
    sequence: i64,
    received_at: i64,
    record: DecisionRecord,
    receipt: String,
}

/// The body of `GET /v1/consent/decisions`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Ledger {
    decisions: Vec<Listed>,
    latest: i64,
}

/// Checks the form of `record`; what needs the catalogue is checked on recording.
fn check_form(record: &DecisionRecord) -> Result<(), Refusal> {
    check_id(&record.id, "id is not 1 to 64 of A-Z, a-z, 0-9 and -")?;
    if record.purpose.is_empty() || record.purpose.len() > MAX_NAME {
        return Err(Refusal::BadRequest("purpose is empty or too long"));
    }
    if record.notice_id.is_empty() || record.notice_id.len() > MAX_NAME {
        return Err(Refusal::BadRequest("notice_id is empty or too long"));
    }
    if !catalogue::is_version(&record.notice_version) {
        return Err(Refusal::BadRequest("notice_version is not major.minor"));
    }
    if !is_sha256_hex(&record.notice_sha256) {
        return Err(Refusal::BadRequest(
            "notice_sha256 is not 64 lowercase hex digits",
        ));
    }
    if !LANGUAGES.contains(&record.language.as_str()) {
        return Err(Refusal::BadRequest("language is not nb, nn or en"));
    }
    if !DECISIONS.contains(&record.decision.as_str()) {
        return Err(Refusal::BadRequest(
            "decision is not given, refused or withdrawn",
        ));
    }
    if !(0..=MAX_TIME).contains(&record.decided_at) {
        return Err(Refusal::BadRequest("decided_at is out of range"));
    }
    if record.collection_method.chars().count() > MAX_COLLECTION_METHOD {
        return Err(Refusal::BadRequest("collection_method is too long"));
    }
    if let Some(previous) = &record.previous {
        check_id(previous, "previous is not an id")?;
    }
    if !is_sha256_hex(&record.chain_hash) {
        return Err(Refusal::BadRequest(
            "chain_hash is not 64 lowercase hex digits",
        ));
    }
    Ok(())
}

/// Checks `record` against every notice version published.
fn check_notice(c: &Connection, record: &DecisionRecord) -> Result<(), ConsentError> {
    let found = catalogue::lookup(
        c,
        &record.purpose,
        &record.notice_id,
        &record.notice_version,
        &record.language,
    )?;
    match found {
        NoticeLookup::UnknownPurpose => Err(Refusal::UnknownPurpose.into()),
        NoticeLookup::UnknownVersion => Err(Refusal::UnknownNoticeVersion.into()),
        NoticeLookup::Published { sha256, .. } if sha256 != record.notice_sha256 => {
            Err(Refusal::NoticeTextMismatch.into())
        }
        NoticeLookup::Published { kind, .. }
            if kind == "partner_sharing" && record.decision == "given" && !record.explicit =>
        {
            Err(Refusal::ExplicitConfirmationRequired.into())
        }
        NoticeLookup::Published { .. } => Ok(()),
    }
}

/// Records `record` for the member with token subject `sub`.
pub(crate) fn record(
    consent: &Consent,
    c: &Connection,
    sub: &str,
    record: DecisionRecord,
) -> Result<(Outcome, Recorded), ConsentError> {
    check_form(&record)?;
    let tx = c.unchecked_transaction()?;
    let earlier: Option<(String, String, i64, i64, String)> = tx
        .query_row(
            "SELECT member_id, record, sequence, received_at, receipt
             FROM consent_decision WHERE id = ?1",
            [&record.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    if let Some((member, stored, sequence, received_at, receipt)) = earlier {
        let stored: DecisionRecord =
            serde_json::from_str(&stored).map_err(|_| ConsentError::Stored)?;
        if member != sub || stored != record {
            return Err(Refusal::ReplayedId.into());
        }
        return Ok((
            Outcome::Repeated,
            Recorded {
                sequence,
                received_at,
                receipt,
            },
        ));
    }
    check_notice(&tx, &record)?;
    let sequence: i64 = tx.query_row(
        "SELECT COALESCE(MAX(sequence), 0) + 1 FROM consent_decision WHERE member_id = ?1",
        [sub],
        |r| r.get(0),
    )?;
    let received_at = lofavor_certificate::time::now_unix();
    let receipt = receipts::sign(
        &record,
        &subject(sub),
        received_at,
        sequence,
        &consent.receipt_key,
    )?;
    let stored = serde_json::to_string(&record).map_err(|_| ConsentError::Stored)?;
    tx.execute(
        "INSERT INTO consent_decision (id, member_id, sequence, received_at, record, receipt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![record.id, sub, sequence, received_at, stored, receipt],
    )?;
    tx.commit()?;
    Ok((
        Outcome::Created,
        Recorded {
            sequence,
            received_at,
            receipt,
        },
    ))
}

/// The decisions of member `sub` after sequence `after`, ascending.
pub(crate) fn list(c: &Connection, sub: &str, after: i64) -> Result<Ledger, ConsentError> {
    let mut stmt = c.prepare(
        "SELECT sequence, received_at, record, receipt FROM consent_decision
         WHERE member_id = ?1 AND sequence > ?2 ORDER BY sequence",
    )?;
    let rows = stmt
        .query_map(params![sub, after], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut decisions = Vec::with_capacity(rows.len());
    for (sequence, received_at, record, receipt) in rows {
        decisions.push(Listed {
            sequence,
            received_at,
            record: serde_json::from_str(&record).map_err(|_| ConsentError::Stored)?,
            receipt,
        });
    }
    let latest = c.query_row(
        "SELECT COALESCE(MAX(sequence), 0) FROM consent_decision WHERE member_id = ?1",
        [sub],
        |r| r.get(0),
    )?;
    Ok(Ledger { decisions, latest })
}

/// Every decision record of member `sub`, in arrival order (for the data export).
pub(crate) fn records(c: &Connection, sub: &str) -> Result<Vec<DecisionRecord>, ConsentError> {
    let mut stmt =
        c.prepare("SELECT record FROM consent_decision WHERE member_id = ?1 ORDER BY sequence")?;
    let rows = stmt
        .query_map([sub], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.iter()
        .map(|r| serde_json::from_str(r).map_err(|_| ConsentError::Stored))
        .collect()
}
