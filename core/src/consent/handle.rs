//! The consent capability as the shells see it: `core.consent()`.

use std::sync::{Arc, RwLock};

use super::analytics;
use super::error::ConsentError;
use super::gate::ConsentGate;
use super::ledger::{Decision, LedgerEntry, SyncState};
use super::orders::{self, Offer, OrderConfirmation, OrderPreview};
use super::privacy::{self, AccessReport, PrivacyRequest, RequestKind};
use super::receipt::{ReceiptClaims, decode};
use super::screen::{self, ConsentScreen, PurposeState};
use super::service::{Consent, SyncReport};
use super::transfers;
use crate::error::Result;
use crate::net::Partner;
use crate::runtime::CoreRuntime;
use crate::store::MemberData;

/// The screen a decision is recorded from when the caller does not say.
pub const DEFAULT_SCREEN: &str = "consent";

/// One decision in the history, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The record id.
    pub record_id: String,
    /// The purpose id.
    pub purpose: String,
    /// The purpose's title now.
    pub title: String,
    /// `given`, `refused` or `withdrawn`.
    pub decision: String,
    /// When the member decided (Unix seconds, device clock).
    pub decided_at: i64,
    /// The notice version decided on.
    pub notice_version: String,
    /// Where it was collected.
    pub collection_method: String,
    /// Made on this device (else arrived from another of the member's devices).
    pub made_here: bool,
    /// `pending`, `synced` or `rejected`.
    pub state: String,
    /// The signed receipt, once synced.
    pub receipt: Option<Vec<u8>>,
}

/// The consent screens, the ledger, the gate, orders and the privacy rights. Cheap to clone;
/// every method takes `&self`.
#[derive(Clone)]
pub struct ConsentHandle {
    consent: Arc<Consent>,
    runtime: Arc<CoreRuntime>,
    parts: Arc<RwLock<Vec<Arc<dyn MemberData>>>>,
}

impl std::fmt::Debug for ConsentHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentHandle").finish_non_exhaustive()
    }
}

impl ConsentHandle {
    pub(crate) fn new(consent: Arc<Consent>, runtime: Arc<CoreRuntime>) -> Self {
        Self {
            consent,
            runtime,
            parts: Arc::new(RwLock::new(Vec::new())),
        }
    }

    /// Adds a capability's member data to access and export (the one registration point).
    pub fn register_member_data(&self, data: Arc<dyn MemberData>) {
        if let Ok(mut parts) = self.parts.write() {
            parts.push(data);
        }
    }

    fn parts(&self) -> Vec<Arc<dyn MemberData>> {
        self.parts.read().map(|p| p.clone()).unwrap_or_default()
    }

    /// Every registered part of the member's data, the consent ledger's own included.
    pub(crate) fn member_data(&self) -> Vec<Arc<dyn MemberData>> {
        let mut parts = self.parts();
        parts.push(Arc::new(super::ConsentData(self.consent.clone())));
        parts
    }

    /// The capability behind the handle (for the core's wiring).
    pub(crate) fn service(&self) -> Arc<Consent> {
        self.consent.clone()
    }

    /// The gate every transfer passes (for the core's own wiring and benchmarks).
    pub fn gate(&self) -> Arc<ConsentGate> {
        self.consent.gate.clone()
    }

    /// The consent screens' model, in the core's language, from what the device knows now.
    pub fn screen(&self) -> Result<ConsentScreen> {
        let effective = self.consent.effective()?;
        Ok(screen::build(
            &self.consent.catalogue(),
            &effective,
            self.consent.locale,
        ))
    }

    /// Fetches the signed catalogue; `true` when a newer one is now in force. A tampered,
    /// unsigned or older catalogue is refused and the current one kept.
    pub async fn refresh_catalogue(&self) -> Result<bool> {
        let consent = self.consent.clone();
        self.runtime
            .run(async move { Ok(consent.refresh_catalogue().await?) })
            .await
    }

    /// Says yes (`given`) or no to `purpose`. No to a purpose the member had said yes to is
    /// recorded as a withdrawal. A partner purpose needs `explicit` (the second
    /// confirmation) to say yes; without it nothing is recorded.
    pub async fn set(&self, purpose: &str, given: bool, explicit: bool) -> Result<HistoryEntry> {
        self.set_from(purpose, given, explicit, DEFAULT_SCREEN)
            .await
    }

    /// [`ConsentHandle::set`], naming the screen the member used (kept in the record).
    pub async fn set_from(
        &self,
        purpose: &str,
        given: bool,
        explicit: bool,
        screen: &str,
    ) -> Result<HistoryEntry> {
        let decision = self.decision_for(purpose, given)?;
        let (consent, purpose, screen) =
            (self.consent.clone(), purpose.to_owned(), screen.to_owned());
        let entry = self
            .runtime
            .run(async move {
                Ok(consent
                    .decide(&purpose, decision, explicit, &screen)
                    .await?)
            })
            .await?;
        Ok(self.history_entry(entry))
    }

    fn decision_for(&self, purpose: &str, given: bool) -> Result<Decision> {
        if given {
            return Ok(Decision::Given);
        }
        let catalogue = self.consent.catalogue();
        let found = catalogue
            .purpose(purpose)
            .ok_or(ConsentError::UnknownPurpose)?;
        let effective = self.consent.effective()?;
        let (state, _) = screen::state_of(found, effective.get(purpose));
        let reservation = found.kind == super::catalogue::PurposeKind::Reservation;
        Ok(if state == PurposeState::Given || reservation {
            Decision::Withdrawn
        } else {
            Decision::Refused
        })
    }

    /// "Accept all" on the first layer: every purpose yes. Sharing with partners needs
    /// `explicit`; without it nothing at all is recorded.
    pub async fn accept_all(&self, explicit: bool) -> Result<Vec<HistoryEntry>> {
        self.all(true, explicit).await
    }

    /// "Refuse all" on the first layer: every purpose no (withdrawn where it was yes).
    pub async fn refuse_all(&self) -> Result<Vec<HistoryEntry>> {
        self.all(false, false).await
    }

    async fn all(&self, given: bool, explicit: bool) -> Result<Vec<HistoryEntry>> {
        let catalogue = self.consent.catalogue();
        if given && !explicit && catalogue.consent_purposes().any(|p| p.needs_explicit()) {
            return Err(ConsentError::ExplicitConfirmationRequired.into());
        }
        let ids: Vec<String> = catalogue.consent_purposes().map(|p| p.id.clone()).collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(
                self.set_from(&id, given, explicit, "consent.first_layer")
                    .await?,
            );
        }
        Ok(out)
    }

    /// Reserves the member against direct marketing (`true`) or lifts the reservation.
    /// Consents are kept either way; while reserved, no marketing purpose lets data out.
    pub async fn set_reservation(&self, reserved: bool) -> Result<HistoryEntry> {
        let id = self
            .consent
            .catalogue()
            .reservation()
            .map(|r| r.id.clone())
            .ok_or(ConsentError::UnknownPurpose)?;
        self.set_from(&id, reserved, false, "privacy.reservation")
            .await
    }

    /// Whether the member is reserved against direct marketing now.
    pub fn is_reserved(&self) -> bool {
        self.consent.gate.state().is_some_and(|s| s.is_reserved())
    }

    /// Sends pending decisions and privacy requests, reads decisions made on other devices,
    /// and sends the analytics events collected under consent.
    pub async fn sync(&self) -> Result<SyncReport> {
        let consent = self.consent.clone();
        self.runtime
            .run(async move {
                let report = consent.sync().await?;
                if report.pending == 0 {
                    privacy::send_queued(&consent).await?;
                    analytics::flush(&consent).await?;
                }
                Ok(report)
            })
            .await
    }

    fn history_entry(&self, entry: LedgerEntry) -> HistoryEntry {
        let catalogue = self.consent.catalogue();
        let title = catalogue
            .purpose(&entry.record.purpose)
            .map(|p| p.notice.title.get(self.consent.locale).to_owned())
            .unwrap_or_else(|| entry.record.purpose.clone());
        HistoryEntry {
            record_id: entry.record.id.clone(),
            purpose: entry.record.purpose.clone(),
            title,
            decision: entry.record.decision.clone(),
            decided_at: entry.record.decided_at,
            notice_version: entry.record.notice_version.clone(),
            collection_method: entry.record.collection_method.clone(),
            made_here: entry.made_here,
            state: match entry.state {
                SyncState::Pending => "pending",
                SyncState::Synced => "synced",
                SyncState::Rejected => "rejected",
            }
            .to_owned(),
            receipt: entry.receipt,
        }
    }

    /// Every decision, newest first, after checking the ledger's hash chain
    /// ([`crate::ErrorKind::Storage`] "altered" if a record was changed or removed).
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        let mut entries: Vec<HistoryEntry> = self
            .consent
            .history()?
            .into_iter()
            .map(|e| self.history_entry(e))
            .collect();
        entries.reverse();
        Ok(entries)
    }

    /// The receipts as one JSON document anyone can check with the server's published key:
    /// `{"format": "lofavor-consent-receipts/1", "receipt_keys": [...], "receipts": [{"record_id",
    /// "purpose", "decision", "receipt": base64url COSE_Sign1}]}`.
    pub fn export_receipts(&self) -> Result<Vec<u8>> {
        use base64::Engine;
        let receipts: Vec<serde_json::Value> = self
            .consent
            .history()?
            .into_iter()
            .filter_map(|e| {
                e.receipt.map(|r| {
                    serde_json::json!({
                        "record_id": e.record.id,
                        "purpose": e.record.purpose,
                        "decision": e.record.decision,
                        "receipt": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r),
                    })
                })
            })
            .collect();
        let doc = serde_json::json!({
            "format": "lofavor-consent-receipts/1",
            "receipt_keys": self.consent.catalogue().receipt_keys,
            "receipts": receipts,
        });
        Ok(serde_json::to_vec_pretty(&doc).map_err(|_| ConsentError::Protocol("receipts"))?)
    }

    /// Checks a receipt (the COSE bytes, or their base64url text) against the server's key
    /// as the current catalogue names it, and returns what it says.
    pub fn verify_receipt(&self, receipt: &[u8]) -> Result<ReceiptClaims> {
        let bytes = match std::str::from_utf8(receipt) {
            Ok(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic()) => {
                decode(text.trim())?
            }
            _ => receipt.to_vec(),
        };
        Ok(self.consent.verify_receipt(&bytes)?)
    }

    /// Records an analytics event if the member consents now; `false` if it was dropped.
    pub fn track(&self, event: &str) -> Result<bool> {
        Ok(analytics::track(&self.consent, event)?)
    }

    /// How many analytics events wait on the device.
    pub fn queued_events(&self) -> Result<u64> {
        Ok(analytics::queued(&self.consent.store)?)
    }

    /// Sends waiting analytics events; returns how many went.
    pub async fn flush_analytics(&self) -> Result<u64> {
        let consent = self.consent.clone();
        self.runtime
            .run(async move { Ok(analytics::flush(&consent).await?) })
            .await
    }

    /// Asks LOfavør to share the member's data with `partner` (id such as `fremtind`), as
    /// the member's explicit consent for that partner allows; refused without it.
    pub async fn share_with_partner(&self, partner: &str) -> Result<()> {
        let partner = Partner::from_id(partner).ok_or(ConsentError::UnknownPurpose)?;
        let consent = self.consent.clone();
        self.runtime
            .run(async move { Ok(transfers::share_with_partner(&consent, partner).await?) })
            .await
    }

    /// The partner offers.
    pub async fn offers(&self) -> Result<Vec<Offer>> {
        let consent = self.consent.clone();
        self.runtime
            .run(async move { Ok(orders::offers(&consent).await?) })
            .await
    }

    /// The preview of an order of `offer`: every field and value that would go to which
    /// partner. Nothing is sent.
    pub async fn prepare_order(&self, offer: &str) -> Result<OrderPreview> {
        let (consent, offer) = (self.consent.clone(), offer.to_owned());
        self.runtime
            .run(async move { Ok(orders::prepare(&consent, &offer).await?) })
            .await
    }

    /// Sends the order the member confirmed; the same answer again if already sent.
    pub async fn confirm_order(&self, preview_id: &str) -> Result<OrderConfirmation> {
        let (consent, id) = (self.consent.clone(), preview_id.to_owned());
        self.runtime
            .run(async move { Ok(orders::confirm(&consent, &id).await?) })
            .await
    }

    /// Records a decision on the device only, without a member or the network: for the
    /// benchmarks of a long ledger. Only with the `test-hooks` feature.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn record_offline_for_tests(&self, purpose: &str, given: bool) -> Result<()> {
        let decision = self.decision_for(purpose, given)?;
        self.consent
            .record_decision(purpose, decision, true, "bench")?;
        Ok(())
    }

    /// [`ConsentHandle::confirm_order`] as if the time were `now` (tests of expiry). Only
    /// with the `test-hooks` feature.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub async fn confirm_order_at(&self, preview_id: &str, now: i64) -> Result<OrderConfirmation> {
        let (consent, id) = (self.consent.clone(), preview_id.to_owned());
        self.runtime
            .run(async move { Ok(orders::confirm_at(&consent, &id, now).await?) })
            .await
    }

    /// Everything the device and the server hold about the member, and the processing
    /// information (GDPR art. 15).
    pub async fn access(&self) -> Result<AccessReport> {
        let (consent, parts) = (self.consent.clone(), self.parts());
        self.runtime
            .run(async move {
                let mut report = privacy::access(&consent, &parts).await?;
                let ledger = privacy::consent_export(&consent)?;
                report.device.push(privacy::section(
                    consent.locale,
                    "consent decisions",
                    &ledger,
                ));
                Ok(report)
            })
            .await
    }

    /// The export archive (JSON; schema in `consent::privacy`).
    pub async fn export(&self) -> Result<Vec<u8>> {
        let (consent, parts) = (self.consent.clone(), self.parts());
        self.runtime
            .run(async move { Ok(privacy::export(&consent, &parts)?) })
            .await
    }

    /// Sends a privacy-rights request of `kind` (`access`, `rectification`, `erasure`,
    /// `restriction`, `objection`, `portability`, `human_review`) with an optional text;
    /// kept and sent later when offline.
    pub async fn request(&self, kind: &str, text: Option<String>) -> Result<PrivacyRequest> {
        let kind = RequestKind::parse(kind).ok_or(ConsentError::InvalidInput(
            "unknown kind of privacy request",
        ))?;
        let consent = self.consent.clone();
        self.runtime
            .run(async move { Ok(privacy::request(&consent, kind, text).await?) })
            .await
    }

    /// The member's privacy requests with their status and deadline, newest first.
    pub async fn requests(&self) -> Result<Vec<PrivacyRequest>> {
        let consent = self.consent.clone();
        self.runtime
            .run(async move { Ok(privacy::requests(&consent).await?) })
            .await
    }
}
