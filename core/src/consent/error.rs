//! What can go wrong in the consent capability. Converted to the public error in
//! `crate::error` only. The texts never carry a name, an e-mail address, a field value or a
//! notice text: only fixed reasons and stable ids (purpose and offer ids are not personal).

use crate::net::ApiError;
use crate::store::StoreError;

/// Why a consent or privacy operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ConsentError {
    /// The catalogue offered is unsigned, tampered, older or malformed; the previous one is
    /// kept.
    #[error("consent catalogue refused: {0}")]
    BadCatalogue(&'static str),
    /// No purpose with this id in the catalogue.
    #[error("unknown purpose")]
    UnknownPurpose,
    /// A partner purpose was given without the member's explicit second confirmation.
    #[error("sharing with a partner needs the member's explicit confirmation")]
    ExplicitConfirmationRequired,
    /// The decision is not one the purpose takes (a reservation has no "refused").
    #[error("this decision does not apply to this purpose")]
    InvalidDecision,
    /// The member API refused a decision (unknown notice version, a replayed id, ...).
    #[error("the server refused the decision: {0}")]
    DecisionRefused(&'static str),
    /// A receipt that does not verify, is not a receipt, or does not match its record.
    #[error("receipt refused: {0}")]
    BadReceipt(&'static str),
    /// The consent ledger on the device no longer chains: a record was changed or removed.
    #[error("the consent history on this device has been altered")]
    LedgerBroken,
    /// Nobody is logged in, so there is no member to decide for.
    #[error("nobody is logged in")]
    NoMember,
    /// No offer with this id.
    #[error("unknown offer")]
    UnknownOffer,
    /// No order preview with this id (never made, already sent elsewhere, or erased).
    #[error("unknown order preview")]
    UnknownPreview,
    /// The order preview expired before the member confirmed it; nothing was sent.
    #[error("the order preview has expired; nothing was sent")]
    PreviewExpired,
    /// The profile lacks a field the partner needs.
    #[error("the member's profile lacks a field this order needs")]
    MissingField,
    /// Input that cannot be used (an empty or over-long text, an unknown request kind).
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    /// The member API answered something outside the contract.
    #[error("the server's answer does not follow the contract: {0}")]
    Protocol(&'static str),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A request on the member's behalf failed (no access token, the gate, the member API).
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl ConsentError {
    /// Whether the failure is "no network".
    pub(crate) fn is_offline(&self) -> bool {
        matches!(self, ConsentError::Api(e) if e.is_offline())
    }

    /// Whether trying again later may succeed (no network, or the server failing).
    pub(crate) fn is_transient(&self) -> bool {
        matches!(self, ConsentError::Api(e) if e.is_transient())
    }
}

impl From<rusqlite::Error> for ConsentError {
    fn from(e: rusqlite::Error) -> Self {
        ConsentError::Store(StoreError::from(e))
    }
}
