//! Consents and privacy rights as exported types: the screen models, the history, receipts,
//! orders and privacy requests. Newtypes and conversions only.

use std::sync::Arc;

use lofavor_core::consent as core;

use crate::config::AppLocale;
use crate::core::LofavorCore;
use crate::error::LofavorError;

/// Where a purpose stands for the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PurposeState {
    /// Never answered: off.
    NotAsked,
    /// Consent given on the current text.
    Given,
    /// Refused.
    Refused,
    /// Given, then withdrawn.
    Withdrawn,
    /// The text changed in a major way since the member answered: counts as refused.
    NeedsAnswer,
}

impl From<core::PurposeState> for PurposeState {
    fn from(s: core::PurposeState) -> Self {
        match s {
            core::PurposeState::NotAsked => Self::NotAsked,
            core::PurposeState::Given => Self::Given,
            core::PurposeState::Refused => Self::Refused,
            core::PurposeState::Withdrawn => Self::Withdrawn,
            core::PurposeState::NeedsAnswer => Self::NeedsAnswer,
        }
    }
}

/// The second, explicit confirmation a partner purpose needs.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExplicitConfirmation {
    /// Dialog title.
    pub title: String,
    /// What the member confirms.
    pub body: String,
    /// The confirming button.
    pub confirm_label: String,
    /// The button that leaves the consent off.
    pub cancel_label: String,
}

impl From<core::ExplicitConfirmation> for ExplicitConfirmation {
    fn from(c: core::ExplicitConfirmation) -> Self {
        Self {
            title: c.title,
            body: c.body,
            confirm_label: c.confirm_label,
            cancel_label: c.cancel_label,
        }
    }
}

/// One purpose on the second layer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PurposeRow {
    /// Stable purpose id.
    pub id: String,
    /// Whether it is sharing with a partner.
    pub partner_sharing: bool,
    /// The partner's name.
    pub partner_name: Option<String>,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// The full notice text.
    pub notice_text: String,
    /// The notice version.
    pub notice_version: String,
    /// The full notice on the web.
    pub notice_url: String,
    /// "Read the full text".
    pub read_more_label: String,
    /// The legal basis, for people.
    pub legal_basis: String,
    /// Recipients.
    pub recipients: Vec<String>,
    /// Kinds of data, for people.
    pub data_categories: Vec<String>,
    /// Retention.
    pub retention: String,
    /// What changes if the member says no.
    pub if_refused: String,
    /// Whether special-category data is involved.
    pub special_category: bool,
    /// Where it stands.
    pub state: PurposeState,
    /// The state, for people.
    pub state_label: String,
    /// Whether the switch shows on.
    pub switched_on: bool,
    /// The text changed in a minor way since the member answered.
    pub updated: bool,
    /// The latest choice is not on the server yet.
    pub pending_sync: bool,
    /// Stopped by the reservation while it stands.
    pub stopped_by_reservation: bool,
    /// The explicit confirmation to show before saying yes (partner purposes).
    pub explicit_confirmation: Option<ExplicitConfirmation>,
}

impl From<core::PurposeRow> for PurposeRow {
    fn from(r: core::PurposeRow) -> Self {
        Self {
            id: r.id,
            partner_sharing: r.partner_sharing,
            partner_name: r.partner_name,
            title: r.title,
            summary: r.summary,
            notice_text: r.notice_text,
            notice_version: r.notice_version,
            notice_url: r.notice_url,
            read_more_label: r.read_more_label,
            legal_basis: r.legal_basis,
            recipients: r.recipients,
            data_categories: r.data_categories,
            retention: r.retention,
            if_refused: r.if_refused,
            special_category: r.special_category,
            state: r.state.into(),
            state_label: r.state_label,
            switched_on: r.switched_on,
            updated: r.updated,
            pending_sync: r.pending_sync,
            stopped_by_reservation: r.stopped_by_reservation,
            explicit_confirmation: r.explicit_confirmation.map(Into::into),
        }
    }
}

/// The reservation against direct marketing.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReservationRow {
    /// Title.
    pub title: String,
    /// What it does.
    pub text: String,
    /// Whether it stands.
    pub reserved: bool,
    /// The state, for people.
    pub state_label: String,
    /// Not yet on the server.
    pub pending_sync: bool,
}

impl From<core::ReservationRow> for ReservationRow {
    fn from(r: core::ReservationRow) -> Self {
        Self {
            title: r.title,
            text: r.text,
            reserved: r.reserved,
            state_label: r.state_label,
            pending_sync: r.pending_sync,
        }
    }
}

/// The first layer of the consent screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FirstLayer {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// One line per purpose.
    pub purposes: Vec<String>,
    /// Heading of what happens without consent.
    pub without_consent_heading: String,
    /// What LOfavør does on legitimate interest.
    pub without_consent: Vec<String>,
    /// "Accept all" (same weight as refuse).
    pub accept_all_label: String,
    /// "Refuse all".
    pub refuse_all_label: String,
    /// "Let me choose".
    pub choose_label: String,
}

impl From<core::FirstLayer> for FirstLayer {
    fn from(f: core::FirstLayer) -> Self {
        Self {
            title: f.title,
            summary: f.summary,
            purposes: f.purposes,
            without_consent_heading: f.without_consent_heading,
            without_consent: f.without_consent,
            accept_all_label: f.accept_all_label,
            refuse_all_label: f.refuse_all_label,
            choose_label: f.choose_label,
        }
    }
}

/// Everything the consent screens show.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentScreen {
    /// The language of the texts.
    pub locale: AppLocale,
    /// The catalogue's sequence.
    pub catalogue_sequence: u64,
    /// Whether the first layer must be shown now.
    pub needs_answer: bool,
    /// The first layer.
    pub first_layer: FirstLayer,
    /// Title of the second layer.
    pub second_layer_title: String,
    /// Save button of the second layer.
    pub save_label: String,
    /// One row per purpose and partner.
    pub purposes: Vec<PurposeRow>,
    /// The reservation.
    pub reservation: ReservationRow,
}

impl From<core::ConsentScreen> for ConsentScreen {
    fn from(s: core::ConsentScreen) -> Self {
        Self {
            locale: s.locale.into(),
            catalogue_sequence: s.catalogue_sequence,
            needs_answer: s.needs_answer,
            first_layer: s.first_layer.into(),
            second_layer_title: s.second_layer_title,
            save_label: s.save_label,
            purposes: s.purposes.into_iter().map(Into::into).collect(),
            reservation: s.reservation.into(),
        }
    }
}

/// One decision in the history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HistoryEntry {
    /// Record id.
    pub record_id: String,
    /// Purpose id.
    pub purpose: String,
    /// The purpose's title.
    pub title: String,
    /// `given`, `refused` or `withdrawn`.
    pub decision: String,
    /// When (Unix seconds, device clock).
    pub decided_at: i64,
    /// The notice version decided on.
    pub notice_version: String,
    /// Where it was collected.
    pub collection_method: String,
    /// Made on this device.
    pub made_here: bool,
    /// `pending`, `synced` or `rejected`.
    pub state: String,
    /// The signed receipt (COSE_Sign1 bytes), once synced.
    pub receipt: Option<Vec<u8>>,
}

impl From<core::HistoryEntry> for HistoryEntry {
    fn from(e: core::HistoryEntry) -> Self {
        Self {
            record_id: e.record_id,
            purpose: e.purpose,
            title: e.title,
            decision: e.decision,
            decided_at: e.decided_at,
            notice_version: e.notice_version,
            collection_method: e.collection_method,
            made_here: e.made_here,
            state: e.state,
            receipt: e.receipt,
        }
    }
}

/// What a verified receipt says the server recorded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptClaims {
    /// Record id.
    pub record_id: String,
    /// The member's pseudonymous id.
    pub subject: String,
    /// The controller.
    pub controller: String,
    /// Purpose id.
    pub purpose: String,
    /// Notice version.
    pub notice_version: String,
    /// SHA-256 of the notice text.
    pub notice_sha256: String,
    /// Language.
    pub language: String,
    /// The decision.
    pub decision: String,
    /// Explicit confirmation given.
    pub explicit: bool,
    /// When the member decided.
    pub decided_at: i64,
    /// When the server received it.
    pub received_at: i64,
    /// The server's order of arrival.
    pub sequence: i64,
}

impl From<core::ReceiptClaims> for ReceiptClaims {
    fn from(c: core::ReceiptClaims) -> Self {
        Self {
            record_id: c.record_id,
            subject: c.subject,
            controller: c.controller,
            purpose: c.purpose,
            notice_version: c.notice_version,
            notice_sha256: c.notice_sha256,
            language: c.language,
            decision: c.decision,
            explicit: c.explicit,
            decided_at: c.decided_at,
            received_at: c.received_at,
            sequence: c.sequence,
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Decisions the server now has.
    pub pushed: u32,
    /// Decisions from other devices.
    pub pulled: u32,
    /// Decisions the server refused.
    pub rejected: u32,
    /// Decisions still waiting for the network.
    pub pending: u32,
}

impl From<core::SyncReport> for SyncReport {
    fn from(r: core::SyncReport) -> Self {
        Self {
            pushed: r.pushed,
            pulled: r.pulled,
            rejected: r.rejected,
            pending: r.pending,
        }
    }
}

/// A partner offer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Offer {
    /// Id.
    pub id: String,
    /// Partner id.
    pub partner: String,
    /// Partner name.
    pub partner_name: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// The data an order sends, for people.
    pub fields: Vec<String>,
}

impl From<core::Offer> for Offer {
    fn from(o: core::Offer) -> Self {
        Self {
            id: o.id,
            partner: o.partner,
            partner_name: o.partner_name,
            title: o.title,
            summary: o.summary,
            fields: o.fields,
        }
    }
}

/// One field of an order preview.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderField {
    /// Stable key.
    pub key: String,
    /// For people.
    pub label: String,
    /// The value that would be sent.
    pub value: String,
    /// Special-category data (the union).
    pub special_category: bool,
}

impl From<core::OrderField> for OrderField {
    fn from(f: core::OrderField) -> Self {
        Self {
            key: f.key,
            label: f.label,
            value: f.value,
            special_category: f.special_category,
        }
    }
}

/// What an order would send; nothing has been sent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderPreview {
    /// Id, to confirm it.
    pub id: String,
    /// Offer id.
    pub offer_id: String,
    /// Offer title.
    pub offer_title: String,
    /// Partner id.
    pub partner: String,
    /// "This goes to …".
    pub heading: String,
    /// Every field and value.
    pub fields: Vec<OrderField>,
    /// When it can no longer be confirmed (Unix seconds).
    pub expires_at: i64,
    /// Confirm button.
    pub confirm_label: String,
    /// "Nothing is sent before you confirm."
    pub nothing_sent_yet: String,
}

impl From<core::OrderPreview> for OrderPreview {
    fn from(p: core::OrderPreview) -> Self {
        Self {
            id: p.id,
            offer_id: p.offer_id,
            offer_title: p.offer_title,
            partner: p.partner,
            heading: p.heading,
            fields: p.fields.into_iter().map(Into::into).collect(),
            expires_at: p.expires_at,
            confirm_label: p.confirm_label,
            nothing_sent_yet: p.nothing_sent_yet,
        }
    }
}

/// A sent order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderConfirmation {
    /// Order id.
    pub order_id: String,
    /// Partner id.
    pub partner: String,
    /// Status (`sent`).
    pub status: String,
    /// When the server received it.
    pub received_at: i64,
}

impl From<core::OrderConfirmation> for OrderConfirmation {
    fn from(c: core::OrderConfirmation) -> Self {
        Self {
            order_id: c.order_id,
            partner: c.partner,
            status: c.status,
            received_at: c.received_at,
        }
    }
}

/// A privacy request and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PrivacyRequest {
    /// Id.
    pub id: String,
    /// `access`, `rectification`, `erasure`, `restriction`, `objection`, `portability`,
    /// `human_review`.
    pub kind: String,
    /// The kind, for people.
    pub kind_label: String,
    /// `queued`, `received`, `in_progress`, `extended`, `completed`, `refused`.
    pub status: String,
    /// The status, for people.
    pub status_label: String,
    /// When LOfavør received it.
    pub received_at: Option<i64>,
    /// The deadline (Unix seconds).
    pub due_at: Option<i64>,
    /// "Answer by …".
    pub due_label: Option<String>,
}

impl From<core::PrivacyRequest> for PrivacyRequest {
    fn from(r: core::PrivacyRequest) -> Self {
        Self {
            id: r.id,
            kind: r.kind.as_str().to_owned(),
            kind_label: r.kind_label,
            status: r.status,
            status_label: r.status_label,
            received_at: r.received_at,
            due_at: r.due_at,
            due_label: r.due_label,
        }
    }
}

/// One line of the access report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccessEntry {
    /// What it is.
    pub label: String,
    /// Its value.
    pub value: String,
}

/// A group of the access report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccessSection {
    /// Stable key (`profile`, `processors`, ...).
    pub key: String,
    /// What the group is, for people.
    pub title: String,
    /// Its lines.
    pub entries: Vec<AccessEntry>,
}

impl From<core::AccessSection> for AccessSection {
    fn from(s: core::AccessSection) -> Self {
        Self {
            key: s.key,
            title: s.title,
            entries: s
                .entries
                .into_iter()
                .map(|e| AccessEntry {
                    label: e.label,
                    value: e.value,
                })
                .collect(),
        }
    }
}

/// Everything the member may know (GDPR art. 15).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccessReport {
    /// What this device holds.
    pub device: Vec<AccessSection>,
    /// What the server holds (empty offline).
    pub server: Vec<AccessSection>,
    /// Whether the server could be asked.
    pub server_reached: bool,
    /// Processing information.
    pub processing: Vec<AccessSection>,
}

impl From<core::AccessReport> for AccessReport {
    fn from(r: core::AccessReport) -> Self {
        let map = |v: Vec<core::AccessSection>| v.into_iter().map(Into::into).collect();
        Self {
            device: map(r.device),
            server: map(r.server),
            server_reached: r.server_reached,
            processing: map(r.processing),
        }
    }
}

/// Consents, the reservation, partner orders and privacy rights: `core.consent()`.
#[derive(Debug, uniffi::Object)]
pub struct ConsentHandle {
    inner: lofavor_core::consent::ConsentHandle,
}

#[uniffi::export]
impl LofavorCore {
    /// Consents, the reservation, partner orders and privacy rights.
    pub fn consent(&self) -> Arc<ConsentHandle> {
        Arc::new(ConsentHandle {
            inner: self.inner.consent().clone(),
        })
    }

    /// Erases the member's data on this device: logs out (revoking at the provider when
    /// reachable), erases every capability's data and every token, and compacts the database.
    pub async fn erase_device(&self) -> Result<(), LofavorError> {
        Ok(self.inner.erase_device().await?)
    }
}

#[uniffi::export]
impl ConsentHandle {
    /// The consent screens' model from what the device knows now.
    pub fn screen(&self) -> Result<ConsentScreen, LofavorError> {
        Ok(self.inner.screen()?.into())
    }

    /// Fetches the signed catalogue; `true` when a newer one is in force. A tampered one is
    /// refused (`Tampered`) and the current one kept.
    pub async fn refresh_catalogue(&self) -> Result<bool, LofavorError> {
        Ok(self.inner.refresh_catalogue().await?)
    }

    /// Yes or no to `purpose`, from `screen`. A partner purpose needs `explicit` to say yes.
    pub async fn set(
        &self,
        purpose: String,
        given: bool,
        explicit: bool,
        screen: String,
    ) -> Result<HistoryEntry, LofavorError> {
        Ok(self
            .inner
            .set_from(&purpose, given, explicit, &screen)
            .await?
            .into())
    }

    /// "Accept all": partner sharing included only with `explicit`; without it nothing is
    /// recorded (`ExplicitConfirmationRequired`).
    pub async fn accept_all(&self, explicit: bool) -> Result<Vec<HistoryEntry>, LofavorError> {
        Ok(self
            .inner
            .accept_all(explicit)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// "Refuse all".
    pub async fn refuse_all(&self) -> Result<Vec<HistoryEntry>, LofavorError> {
        Ok(self
            .inner
            .refuse_all()
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Reserves against direct marketing, or lifts the reservation.
    pub async fn set_reservation(&self, reserved: bool) -> Result<HistoryEntry, LofavorError> {
        Ok(self.inner.set_reservation(reserved).await?.into())
    }

    /// Sends pending decisions and requests; reads decisions from the member's other devices.
    pub async fn sync(&self) -> Result<SyncReport, LofavorError> {
        Ok(self.inner.sync().await?.into())
    }

    /// Every decision, newest first (checks the ledger's hash chain).
    pub fn history(&self) -> Result<Vec<HistoryEntry>, LofavorError> {
        Ok(self.inner.history()?.into_iter().map(Into::into).collect())
    }

    /// The receipts as one JSON document for the share sheet.
    pub fn export_receipts(&self) -> Result<Vec<u8>, LofavorError> {
        Ok(self.inner.export_receipts()?)
    }

    /// Verifies a receipt (COSE bytes or base64url text) with the server's published key.
    pub fn verify_receipt(&self, receipt: Vec<u8>) -> Result<ReceiptClaims, LofavorError> {
        Ok(self.inner.verify_receipt(&receipt)?.into())
    }

    /// Records an analytics event if the member consents now.
    pub fn track(&self, event: String) -> Result<bool, LofavorError> {
        Ok(self.inner.track(&event)?)
    }

    /// Shares the member's data with `partner` as the explicit consent for it allows.
    pub async fn share_with_partner(&self, partner: String) -> Result<(), LofavorError> {
        Ok(self.inner.share_with_partner(&partner).await?)
    }

    /// The partner offers.
    pub async fn offers(&self) -> Result<Vec<Offer>, LofavorError> {
        Ok(self
            .inner
            .offers()
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// What an order of `offer` would send; nothing is sent.
    pub async fn prepare_order(&self, offer: String) -> Result<OrderPreview, LofavorError> {
        Ok(self.inner.prepare_order(&offer).await?.into())
    }

    /// Sends the confirmed order.
    pub async fn confirm_order(
        &self,
        preview_id: String,
    ) -> Result<OrderConfirmation, LofavorError> {
        Ok(self.inner.confirm_order(&preview_id).await?.into())
    }

    /// The access report (GDPR art. 15).
    pub async fn access(&self) -> Result<AccessReport, LofavorError> {
        Ok(self.inner.access().await?.into())
    }

    /// The export archive, JSON bytes for the share sheet.
    pub async fn export(&self) -> Result<Vec<u8>, LofavorError> {
        Ok(self.inner.export().await?)
    }

    /// Sends a privacy-rights request of `kind` with an optional text.
    pub async fn request(
        &self,
        kind: String,
        text: Option<String>,
    ) -> Result<PrivacyRequest, LofavorError> {
        Ok(self.inner.request(&kind, text).await?.into())
    }

    /// The member's privacy requests with status and deadline.
    pub async fn requests(&self) -> Result<Vec<PrivacyRequest>, LofavorError> {
        Ok(self
            .inner
            .requests()
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
