//! Consent receipts: what the server signs for each decision it records, so the member holds
//! proof of what they decided, on which notice text, and when the server received it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lofavor_certificate::sign_document;
use p256::ecdsa::SigningKey;
use serde::Serialize;

use super::ConsentError;
use super::decisions::DecisionRecord;

/// The content type in a receipt's protected header.
pub(crate) const RECEIPT_CONTENT_TYPE: &str = "application/lofavor-consent-receipt+json";

/// The controller every receipt names.
pub(crate) const CONTROLLER: &str = "LOfavør AS";

/// The signed payload of a receipt.
#[derive(Debug, Serialize)]
struct Receipt<'a> {
    receipt_format: u8,
    record_id: &'a str,
    subject: &'a str,
    controller: &'a str,
    purpose: &'a str,
    notice_id: &'a str,
    notice_version: &'a str,
    notice_sha256: &'a str,
    language: &'a str,
    decision: &'a str,
    explicit: bool,
    decided_at: i64,
    received_at: i64,
    sequence: i64,
    collection_method: &'a str,
    chain_hash: &'a str,
}

/// The receipt for `record` of member `subject` (the pseudonym), received at `received_at`
/// as the member's `sequence`-th decision: base64url (no padding) of the COSE_Sign1.
pub(crate) fn sign(
    record: &DecisionRecord,
    subject: &str,
    received_at: i64,
    sequence: i64,
    key: &SigningKey,
) -> Result<String, ConsentError> {
    let receipt = Receipt {
        receipt_format: 1,
        record_id: &record.id,
        subject,
        controller: CONTROLLER,
        purpose: &record.purpose,
        notice_id: &record.notice_id,
        notice_version: &record.notice_version,
        notice_sha256: &record.notice_sha256,
        language: &record.language,
        decision: &record.decision,
        explicit: record.explicit,
        decided_at: record.decided_at,
        received_at,
        sequence,
        collection_method: &record.collection_method,
        chain_hash: &record.chain_hash,
    };
    let payload = serde_json::to_vec(&receipt).map_err(|_| ConsentError::Stored)?;
    let signed = sign_document(payload, key, RECEIPT_CONTENT_TYPE)?;
    Ok(URL_SAFE_NO_PAD.encode(signed))
}
