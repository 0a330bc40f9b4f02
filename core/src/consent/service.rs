//! The consent capability's state and its decisions: the current catalogue, the ledger, the
//! gate's snapshot, and the sync of decisions with the member API.

use std::sync::{Arc, RwLock};

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::catalogue::{Catalogue, PurposeKind};
use super::error::ConsentError;
use super::gate::ConsentGate;
use super::ledger::{self, Decision, Effective, LedgerEntry};
use super::receipt::{self, ReceiptClaims, verify_receipt};
use super::wire::{CATALOGUE_PATH, DECISIONS_PATH, DecisionAnswer, DecisionList, DecisionRecord};
use crate::config::Locale;
use crate::net::{
    ApiClient, ApiError, ApiRequest, Disclosure, MemberApi, NetError, SERVICE_PURPOSE,
};
use crate::store::Store;
use crate::time::now_unix;
use lofavor_certificate::TrustAnchors;

/// Who the member is, for the ledger's pseudonymous id. The login capability answers it
/// (wired in `handle.rs`); `None` when nobody is logged in.
pub trait MemberIdentity: Send + Sync {
    /// The member's subject identifier (`sub`).
    fn subject(&self) -> Option<String>;
}

/// The pseudonymous member id of `sub` in consent records and receipts: the first 16 bytes,
/// in hex, of SHA-256 over a fixed label and the subject. The same on the server, so a
/// receipt names the member without naming them.
pub fn pseudonym(sub: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"lofavor consent subject\0");
    hasher.update(sub.as_bytes());
    hex::encode(&hasher.finalize()[..16])
}

/// A fresh random id for records, orders and requests (128 bits, hex).
pub(crate) fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Decisions made here that the server now has.
    pub pushed: u32,
    /// Decisions made on another device that arrived here.
    pub pulled: u32,
    /// Decisions the server refused (they no longer count).
    pub rejected: u32,
    /// Decisions still waiting for the network.
    pub pending: u32,
}

/// The consent capability.
pub struct Consent {
    pub(crate) store: Arc<Store>,
    pub(crate) public_api: ApiClient,
    pub(crate) api: Arc<MemberApi>,
    pub(crate) anchors: TrustAnchors,
    pub(crate) gate: Arc<ConsentGate>,
    pub(crate) identity: Arc<dyn MemberIdentity>,
    pub(crate) locale: Locale,
    catalogue: RwLock<Arc<Catalogue>>,
}

impl std::fmt::Debug for Consent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consent").finish_non_exhaustive()
    }
}

impl Consent {
    /// Opens the capability: the newest catalogue that verifies (the bundled one otherwise),
    /// and the gate's state from the ledger.
    pub(crate) fn new(
        store: Arc<Store>,
        public_api: ApiClient,
        api: Arc<MemberApi>,
        anchors: TrustAnchors,
        identity: Arc<dyn MemberIdentity>,
        locale: Locale,
    ) -> Result<Self, ConsentError> {
        let catalogue = Arc::new(load_catalogue(&store, &anchors)?);
        let effective = store.with_conn(|c| Ok(ledger::effective(c)))??;
        let gate = Arc::new(ConsentGate::new(super::gate::GateState::new(
            catalogue.clone(),
            effective,
        )));
        Ok(Self {
            store,
            public_api,
            api,
            anchors,
            gate,
            identity,
            locale,
            catalogue: RwLock::new(catalogue),
        })
    }

    /// Runs `f` on the store's connection.
    pub(crate) fn db<T>(
        &self,
        f: impl FnOnce(&mut rusqlite::Connection) -> Result<T, ConsentError>,
    ) -> Result<T, ConsentError> {
        self.store.with_conn(|c| Ok(f(c)))?
    }

    /// The catalogue in force.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        match self.catalogue.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The decisions that count now.
    pub(crate) fn effective(
        &self,
    ) -> Result<std::collections::HashMap<String, Effective>, ConsentError> {
        self.db(|c| ledger::effective(c))
    }

    /// Rebuilds the gate's snapshot after a change.
    pub(crate) fn refresh_gate(&self) -> Result<(), ConsentError> {
        let effective = self.effective()?;
        self.gate.update(self.catalogue(), effective);
        Ok(())
    }

    /// The member's pseudonymous id; [`ConsentError::NoMember`] when nobody is logged in.
    pub(crate) fn subject(&self) -> Result<String, ConsentError> {
        self.identity
            .subject()
            .map(|s| pseudonym(&s))
            .ok_or(ConsentError::NoMember)
    }

    /// Fetches the signed catalogue and puts it in force if it verifies and is not older.
    /// Returns whether a newer one came. A refused catalogue leaves the current one.
    pub async fn refresh_catalogue(&self) -> Result<bool, ConsentError> {
        let bytes = self
            .public_api
            .get_bytes(
                CATALOGUE_PATH,
                "application/cose",
                super::catalogue::MAX_CATALOGUE_BYTES,
            )
            .await
            .map_err(ApiError::from)?;
        let offered = Catalogue::from_signed(&bytes, &self.anchors)?;
        let current = self.catalogue();
        current.check_replaced_by(&offered)?;
        if offered.sequence == current.sequence && !current.receipt_keys.is_empty() {
            return Ok(false);
        }
        let sequence = i64::try_from(offered.sequence).unwrap_or(i64::MAX);
        self.db(|c| {
            c.execute(
                "INSERT OR REPLACE INTO consent_catalogue (id, sequence, signed, fetched_at)
                 VALUES (1, ?1, ?2, ?3)",
                params![sequence, bytes, now_unix()],
            )?;
            Ok(())
        })?;
        let newer = offered.sequence > current.sequence;
        if let Ok(mut slot) = self.catalogue.write() {
            *slot = Arc::new(offered);
        }
        self.refresh_gate()?;
        Ok(newer)
    }

    /// Records the member's decision on `purpose` (made on `screen`), then tries to sync it.
    /// A partner purpose given without `explicit` is refused and nothing is recorded.
    /// Offline, the decision counts on the device at once and is sent later.
    pub async fn decide(
        &self,
        purpose_id: &str,
        decision: Decision,
        explicit: bool,
        screen: &str,
    ) -> Result<LedgerEntry, ConsentError> {
        // Only a logged-in member decides; the server knows who from the token, and the
        // receipts name them by their pseudonymous id.
        self.subject()?;
        let record = self.record_decision(purpose_id, decision, explicit, screen)?;
        let pushed = self.push(&record).await;
        match pushed {
            Ok(()) => {}
            // Offline, or the server failing: the decision stands on the device and is sent
            // by the next sync under the same id.
            Err(e) if e.is_transient() => {}
            Err(e) => {
                self.refresh_gate()?;
                return Err(e);
            }
        }
        self.after_decision(purpose_id, decision).await;
        self.entry(&record.id)
    }

    /// Writes the record of a decision (one transaction: a killed app records a decision
    /// whole or not at all) and updates the gate. Nothing is sent.
    pub(crate) fn record_decision(
        &self,
        purpose_id: &str,
        decision: Decision,
        explicit: bool,
        screen: &str,
    ) -> Result<DecisionRecord, ConsentError> {
        let catalogue = self.catalogue();
        let purpose = catalogue
            .purpose(purpose_id)
            .ok_or(ConsentError::UnknownPurpose)?;
        if decision == Decision::Given && purpose.needs_explicit() && !explicit {
            return Err(ConsentError::ExplicitConfirmationRequired);
        }
        if purpose.kind == PurposeKind::Reservation && decision == Decision::Refused {
            return Err(ConsentError::InvalidDecision);
        }
        let locale = self.locale;
        let record = self.db(|conn| {
            let tx = conn.transaction()?;
            let record = DecisionRecord {
                id: new_id(),
                purpose: purpose.id.clone(),
                notice_id: purpose.notice.id.clone(),
                notice_version: purpose.notice.version.clone(),
                notice_sha256: purpose.notice.text_sha256(locale),
                language: locale.tag().to_owned(),
                decision: decision.as_str().to_owned(),
                explicit,
                decided_at: now_unix(),
                collection_method: format!(
                    "{}@lofavor-core/{}",
                    screen_name(screen),
                    env!("CARGO_PKG_VERSION")
                ),
                previous: ledger::last_of(&tx, &purpose.id)?,
                chain_hash: String::new(),
            };
            let record = ledger::append_own(&tx, record)?;
            tx.commit()?;
            Ok(record)
        })?;
        self.refresh_gate()?;
        if purpose_id == "analytics" && decision != Decision::Given {
            super::analytics::discard(&self.store)?;
        }
        Ok(record)
    }

    /// What a decision sets off once recorded: the newsletter is started or stopped.
    /// Best effort: a failure leaves the decision as it is, and the next sync tries again.
    async fn after_decision(&self, purpose_id: &str, decision: Decision) {
        if purpose_id == "newsletter" {
            let result = match decision {
                Decision::Given => super::transfers::subscribe_newsletter(self).await,
                _ => super::transfers::unsubscribe_newsletter(self).await,
            };
            if let Err(e) = result {
                log::info!(target: "lofavor_core::consent", "newsletter not updated yet: {e}");
            }
        }
    }

    async fn push(&self, record: &DecisionRecord) -> Result<(), ConsentError> {
        let request = ApiRequest::post_json(
            DECISIONS_PATH,
            record,
            Disclosure::to_lofavor(SERVICE_PURPOSE, &[]),
        )
        .map_err(ApiError::from)?;
        match self.api.send::<DecisionAnswer>(request).await {
            Ok(answer) => {
                let bytes = receipt::decode(&answer.receipt)?;
                self.check_receipt(&bytes, record)?;
                self.db(|c| {
                    ledger::mark_synced(c, &record.id, answer.sequence, answer.received_at, &bytes)
                })?;
                Ok(())
            }
            Err(e) => {
                let code = match e.status() {
                    Some(409) => Some("replayed_id"),
                    Some(400) | Some(422) => Some("refused"),
                    _ => None,
                };
                if let Some(code) = code {
                    self.db(|c| ledger::mark_rejected(c, &record.id, code))?;
                    return Err(ConsentError::DecisionRefused(match code {
                        "replayed_id" => "this decision id was already used",
                        _ => "the server does not know this purpose, notice version or text",
                    }));
                }
                Err(e.into())
            }
        }
    }

    /// Checks a receipt the server returned for `record` when a receipt key is known (from a
    /// signed catalogue); a receipt that does not verify or does not match is refused.
    fn check_receipt(&self, bytes: &[u8], record: &DecisionRecord) -> Result<(), ConsentError> {
        let keys = self.catalogue().receipt_keys();
        if keys.is_empty() {
            return Ok(());
        }
        let claims = verify_receipt(bytes, &keys)?;
        if !receipt::matches_record(&claims, record) {
            return Err(ConsentError::BadReceipt(
                "the receipt is about another record",
            ));
        }
        Ok(())
    }

    /// Sends every pending decision, then reads the decisions made on other devices.
    pub async fn sync(&self) -> Result<SyncReport, ConsentError> {
        let mut report = SyncReport::default();
        let pending = self.db(|c| ledger::pending(c))?;
        for record in pending {
            match self.push(&record).await {
                Ok(()) => report.pushed += 1,
                Err(ConsentError::DecisionRefused(_)) => report.rejected += 1,
                Err(e) if e.is_transient() => {
                    report.pending += 1;
                }
                Err(e) => return Err(e),
            }
        }
        if report.pending == 0 {
            report.pulled = self.pull().await?;
        }
        self.refresh_gate()?;
        Ok(report)
    }

    async fn pull(&self) -> Result<u32, ConsentError> {
        let after: i64 = self.db(|c| {
            Ok(c.query_row(
                "SELECT pulled_after FROM consent_sync WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
        })?;
        let path = format!("{DECISIONS_PATH}?after={after}");
        let list: DecisionList = self
            .api
            .send(ApiRequest::get(&path, Disclosure::Nothing))
            .await?;
        let keys = self.catalogue().receipt_keys();
        let mut checked = Vec::with_capacity(list.decisions.len());
        for listed in list.decisions {
            let bytes = receipt::decode(&listed.receipt)?;
            if !keys.is_empty() {
                let claims = verify_receipt(&bytes, &keys)?;
                if !receipt::matches_record(&claims, &listed.record)
                    || claims.sequence != listed.sequence
                {
                    return Err(ConsentError::BadReceipt(
                        "a listed decision does not match its receipt",
                    ));
                }
            }
            if Decision::parse(&listed.record.decision).is_none() {
                return Err(ConsentError::Protocol("unknown decision"));
            }
            checked.push((listed, bytes));
        }
        self.db(|conn| {
            let tx = conn.transaction()?;
            let mut pulled = 0;
            let mut latest = after;
            for (listed, bytes) in &checked {
                latest = latest.max(listed.sequence);
                let own_pending: Option<String> = tx
                    .query_row(
                        "SELECT state FROM consent_record WHERE id = ?1 AND origin = 'device'",
                        [&listed.record.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                match own_pending.as_deref() {
                    // Made here; the answer to its upload was lost (the app was killed or
                    // the network dropped after the server recorded it).
                    Some("pending") => ledger::mark_synced(
                        &tx,
                        &listed.record.id,
                        listed.sequence,
                        listed.received_at,
                        bytes,
                    )?,
                    Some(_) => {}
                    None => {
                        if ledger::append_remote(
                            &tx,
                            &listed.record,
                            listed.sequence,
                            listed.received_at,
                            bytes,
                        )? {
                            pulled += 1;
                        }
                    }
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO consent_sync (id, pulled_after) VALUES (1, ?1)",
                [latest],
            )?;
            tx.commit()?;
            Ok(pulled)
        })
    }

    /// The ledger entry `id`.
    fn entry(&self, id: &str) -> Result<LedgerEntry, ConsentError> {
        self.history()?
            .into_iter()
            .find(|e| e.record.id == id)
            .ok_or(ConsentError::LedgerBroken)
    }

    /// Every record, oldest first, after checking the chain.
    pub fn history(&self) -> Result<Vec<LedgerEntry>, ConsentError> {
        self.db(|c| {
            ledger::verify_chain(c)?;
            ledger::entries(c)
        })
    }

    /// Verifies a receipt against the keys the current catalogue names.
    pub fn verify_receipt(&self, receipt: &[u8]) -> Result<ReceiptClaims, ConsentError> {
        verify_receipt(receipt, &self.catalogue().receipt_keys())
    }
}

/// A screen name for the collection method: ASCII letters, digits, `.`, `_`, `-`, at most 40.
fn screen_name(screen: &str) -> String {
    let cleaned: String = screen
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(40)
        .collect();
    if cleaned.is_empty() {
        "app".to_owned()
    } else {
        cleaned
    }
}

/// The catalogue on the device: the stored signed one if it still verifies (checked again
/// on every load), else the bundled copy; never older than the bundled copy.
fn load_catalogue(store: &Store, anchors: &TrustAnchors) -> Result<Catalogue, ConsentError> {
    let bundled = Catalogue::bundled()?;
    let stored: Option<Vec<u8>> = store.with_conn(|c| {
        Ok(c.query_row(
            "SELECT signed FROM consent_catalogue WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
    })?;
    if let Some(bytes) = stored {
        match Catalogue::from_signed(&bytes, anchors) {
            Ok(catalogue) if catalogue.sequence >= bundled.sequence => return Ok(catalogue),
            Ok(_) => {}
            Err(e) => {
                log::warn!(target: "lofavor_core::consent", "stored catalogue ignored: {e}");
            }
        }
    }
    Ok(bundled)
}

impl From<NetError> for ConsentError {
    fn from(e: NetError) -> Self {
        ConsentError::Api(ApiError::Net(e))
    }
}
