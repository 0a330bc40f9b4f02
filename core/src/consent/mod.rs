//! Consents and privacy rights: the signed catalogue of purposes ([`catalogue`]), the
//! screens the shells render ([`screen`], texts in [`text`]), the hash-chained ledger of the
//! member's decisions with the server's signed receipts ([`ledger`], [`receipt`]), the
//! reservation against marketing, the gate every transfer of personal data passes ([`gate`]),
//! analytics under consent, partner orders that send nothing before the member confirms
//! ([`orders`]), and the privacy rights: access, export, requests ([`privacy`]).
//!
//! `ConsentHandle` = `core.consent()` is what the shells call.

mod analytics;
pub mod catalogue;
mod error;
pub mod gate;
mod handle;
pub mod ledger;
mod member_data;
pub mod orders;
pub mod privacy;
pub mod receipt;
pub(crate) mod schema;
pub mod screen;
mod service;
pub mod text;
mod transfers;
pub mod wire;

pub use analytics::{ANALYTICS_PURPOSE, BATCH_SIZE, MAX_QUEUED_EVENTS};
pub use catalogue::{CATALOGUE_CONTENT_TYPE, Catalogue};
pub use error::ConsentError;
pub use gate::{ConsentGate, GateState};
pub use handle::{ConsentHandle, DEFAULT_SCREEN, HistoryEntry};
pub use ledger::Decision;
pub use orders::{Offer, OrderConfirmation, OrderField, OrderPreview, PREVIEW_LIFETIME_SECS};
pub use privacy::{
    AccessEntry, AccessReport, AccessSection, EXPORT_FORMAT, PrivacyRequest, RequestKind,
};
pub use receipt::{RECEIPT_CONTENT_TYPE, ReceiptClaims, verify_receipt};
pub use screen::{
    ConsentScreen, ExplicitConfirmation, FirstLayer, PurposeRow, PurposeState, ReservationRow,
};
pub use service::{MemberIdentity, SyncReport, pseudonym};
pub use transfers::NEWSLETTER_PURPOSE;

pub(crate) use member_data::ConsentData;
pub(crate) use service::Consent;
