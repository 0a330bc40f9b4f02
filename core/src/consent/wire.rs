//! The consent capability's messages on the member API (`server/openapi.yaml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `GET` the signed catalogue (anonymous; `application/cose`).
pub(crate) const CATALOGUE_PATH: &str = "v1/consent/catalogue";
/// `POST` a decision; `GET` (with `?after=N`) the member's decisions in the server's order.
pub(crate) const DECISIONS_PATH: &str = "v1/consent/decisions";
/// `POST` a batch of analytics events.
pub(crate) const ANALYTICS_PATH: &str = "v1/analytics/events";
/// `POST` to subscribe to the newsletter, `DELETE` to stop it.
pub(crate) const NEWSLETTER_PATH: &str = "v1/newsletter/subscription";
/// `GET` the partner offers.
pub(crate) const OFFERS_PATH: &str = "v1/offers";
/// `POST` a confirmed order.
pub(crate) const ORDERS_PATH: &str = "v1/orders";
/// `POST` and `GET` privacy-rights requests.
pub(crate) const PRIVACY_REQUESTS_PATH: &str = "v1/privacy/requests";
/// `GET` the server's copy of the member's data.
pub(crate) const PRIVACY_DATA_PATH: &str = "v1/privacy/data";
/// `GET` the member's profile (the fields an order or the newsletter needs).
pub(crate) const ME_PATH: &str = "v1/me";

/// `POST /v1/partners/{partner}/share`.
pub(crate) fn share_path(partner: &str) -> String {
    format!("v1/partners/{partner}/share")
}

/// One decision as recorded on the device and sent to the server: the fields of ISO/IEC TS
/// 27560 that a consent record needs to prove what the member was shown and chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// Record id, made on the device; the server keys idempotency on it.
    pub id: String,
    /// The purpose.
    pub purpose: String,
    /// The notice shown.
    pub notice_id: String,
    /// Its version, `major.minor`.
    pub notice_version: String,
    /// SHA-256 (hex) of the exact notice text shown.
    pub notice_sha256: String,
    /// The language it was shown in.
    pub language: String,
    /// `given`, `refused` or `withdrawn`.
    pub decision: String,
    /// Whether the member gave the explicit second confirmation.
    pub explicit: bool,
    /// When the member decided, by the device's clock (Unix seconds).
    pub decided_at: i64,
    /// Where: the screen and the app version.
    pub collection_method: String,
    /// The previous record of the same purpose on this device, if any.
    pub previous: Option<String>,
    /// The device's hash chain after this record (see `ledger`).
    pub chain_hash: String,
}

/// The server's answer to a recorded decision.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DecisionAnswer {
    /// The server's order of arrival for this member.
    pub sequence: i64,
    /// When the server received it.
    pub received_at: i64,
    /// The signed receipt, base64url without padding.
    pub receipt: String,
}

/// One decision the server holds, as listed.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ListedDecision {
    pub sequence: i64,
    pub received_at: i64,
    pub record: DecisionRecord,
    pub receipt: String,
}

/// `GET /v1/consent/decisions`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DecisionList {
    pub decisions: Vec<ListedDecision>,
}

/// One analytics event.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnalyticsEvent {
    pub name: String,
    pub at: i64,
}

/// `POST /v1/analytics/events`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnalyticsBatch {
    pub batch_id: String,
    pub events: Vec<AnalyticsEvent>,
}

/// `POST /v1/newsletter/subscription`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NewsletterSignup {
    pub email: String,
}

/// `POST /v1/partners/{partner}/share`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ShareRequest {
    pub id: String,
    pub categories: Vec<String>,
}

/// The member's profile fields an order may need (`GET /v1/me`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Profile {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub member_number: Option<String>,
    #[serde(default)]
    pub membership: Option<ProfileMembership>,
}

/// The membership part of the profile.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ProfileMembership {
    pub union: String,
}

/// A text in each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireText {
    /// Bokmål.
    pub nb: String,
    /// Nynorsk.
    pub nn: String,
    /// English.
    pub en: String,
}

/// One partner offer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WireOffer {
    pub id: String,
    pub partner: String,
    pub title: WireText,
    pub summary: WireText,
    pub fields: Vec<String>,
}

/// `GET /v1/offers`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct OfferList {
    pub offers: Vec<WireOffer>,
}

/// `POST /v1/orders`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct OrderBody {
    pub id: String,
    pub offer: String,
    pub fields: BTreeMap<String, String>,
}

/// The answer to an order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct OrderAnswer {
    pub order_id: String,
    pub partner: String,
    pub status: String,
    pub received_at: i64,
}

/// `POST /v1/privacy/requests`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrivacyRequestBody {
    pub id: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A privacy request as the server tracks it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WirePrivacyRequest {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub received_at: i64,
    pub due_at: i64,
    pub extended_due_at: Option<i64>,
}

/// `GET /v1/privacy/requests`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PrivacyRequestList {
    pub requests: Vec<WirePrivacyRequest>,
}
