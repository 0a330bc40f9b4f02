//! Signed receipts: for every decision it records, the server returns a COSE_Sign1 (ES256,
//! content type [`RECEIPT_CONTENT_TYPE`]) over what it recorded. The member can export them,
//! and anyone can check them with the server's published key ([`verify_receipt`]).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::VerifyingKey;
use serde::{Deserialize, Serialize};

use super::error::ConsentError;
use super::wire::DecisionRecord;
use lofavor_certificate::open_document;

/// The content type that binds a receipt's signature to receipts.
pub const RECEIPT_CONTENT_TYPE: &str = "application/lofavor-consent-receipt+json";

/// The most a receipt may weigh.
pub const MAX_RECEIPT_BYTES: usize = 8 * 1024;

/// What a receipt says the server recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptClaims {
    /// Receipt format (1).
    pub receipt_format: u32,
    /// The record's id.
    pub record_id: String,
    /// The member's pseudonymous id.
    pub subject: String,
    /// The controller.
    pub controller: String,
    /// The purpose.
    pub purpose: String,
    /// The notice id.
    pub notice_id: String,
    /// The notice version.
    pub notice_version: String,
    /// SHA-256 of the notice text shown.
    pub notice_sha256: String,
    /// The language.
    pub language: String,
    /// The decision.
    pub decision: String,
    /// Whether the explicit confirmation was given.
    pub explicit: bool,
    /// When the member decided (device clock).
    pub decided_at: i64,
    /// When the server received it.
    pub received_at: i64,
    /// The server's order of arrival.
    pub sequence: i64,
    /// Where the decision was collected.
    pub collection_method: String,
    /// The device's chain value after the record.
    pub chain_hash: String,
}

/// Decodes the base64url text of a receipt.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, ConsentError> {
    if text.len() > MAX_RECEIPT_BYTES * 2 {
        return Err(ConsentError::BadReceipt("too large"));
    }
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| ConsentError::BadReceipt("not base64url"))
}

/// Checks `receipt` against `keys` and returns what it says.
pub fn verify_receipt(
    receipt: &[u8],
    keys: &[VerifyingKey],
) -> Result<ReceiptClaims, ConsentError> {
    if keys.is_empty() {
        return Err(ConsentError::BadReceipt("no receipt key known yet"));
    }
    let opened = open_document(receipt, RECEIPT_CONTENT_TYPE, keys, MAX_RECEIPT_BYTES)
        .map_err(|_| ConsentError::BadReceipt("the signature does not verify"))?;
    let claims: ReceiptClaims = serde_json::from_slice(&opened.payload)
        .map_err(|_| ConsentError::BadReceipt("not a consent receipt"))?;
    if claims.receipt_format != 1 {
        return Err(ConsentError::BadReceipt("unknown receipt format"));
    }
    Ok(claims)
}

/// Whether `claims` are about exactly `record`.
pub(crate) fn matches_record(claims: &ReceiptClaims, record: &DecisionRecord) -> bool {
    claims.record_id == record.id
        && claims.purpose == record.purpose
        && claims.notice_id == record.notice_id
        && claims.notice_version == record.notice_version
        && claims.notice_sha256 == record.notice_sha256
        && claims.language == record.language
        && claims.decision == record.decision
        && claims.explicit == record.explicit
        && claims.decided_at == record.decided_at
        && claims.chain_hash == record.chain_hash
}
