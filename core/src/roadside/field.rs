//! The field worker's side: the trust list and the signed revocation list cached in the
//! store, refreshed when online, and certificates checked against them offline; plus the
//! online status lookup by certificate id.
//!
//! First run, before the app has ever been online: there is no trust list, and checking a
//! certificate fails with [`ServiceError::NoTrustList`] ("no trust list yet; go online once")
//! rather than answering `UntrustedIssuer`, which would tell the worker the member's
//! certificate is false when the app simply knows no issuer yet. With a trust list but no
//! revocation list, nothing counts as revoked (the list is then reported stale).
//!
//! What is accepted (issue: the trust list must not be forged nor rolled back):
//!
//! - a trust list only when one of the configured trust anchors signed it, and only with a
//!   sequence number no lower than the cached list's (the same number only for the same
//!   list);
//! - a revocation list only when it verifies against the trust list fetched with it (so,
//!   when both change in one refresh, against the new one), and only when it was issued no
//!   earlier than the cached one.
//!
//! A refresh is all or nothing: when either list is refused, both cached lists stay and the
//! refusal is the typed error ([`TrustError`], [`RevocationError`]). The cached trust list is
//! checked against the anchors again whenever it is loaded, so a deployment that changes its
//! anchors stops trusting a list the old anchor signed.
//!
//! How old the revocation list is: [`TrustMaterial::revocations_age`] and
//! [`TrustMaterial::revocations_stale`], stale once the issuer's `next_update` has passed or
//! the list is older than [`REVOCATIONS_STALE_AFTER`], whichever comes first.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use rusqlite::OptionalExtension;

use super::certificate::{
    LumaFrame, RevocationList, TrustAnchors, TrustList, Verification, inspect, verify, verify_image,
};
#[cfg(doc)]
use super::certificate::{RevocationError, TrustError};
use super::error::ServiceError;
use super::wire::{REVOCATIONS_PATH, StatusResponse, TRUST_LIST_PATH, status_path};
use crate::net::ApiClient;
use crate::store::{Store, StoreError};
use crate::time::{from_unix_seconds, unix_seconds};

const TRUST_LIST_MAX_BYTES: usize = 64 * 1024;
const REVOCATIONS_MAX_BYTES: usize = 4 * 1024 * 1024;
const KIND_TRUST: &str = "trust_list";
const KIND_REVOCATIONS: &str = "revocations";

/// A revocation list older than this is reported stale even if the issuer's `next_update`
/// lies further ahead: a worker checking against a list more than a day old may accept a
/// certificate that was withdrawn since. Still used offline; it is the best the app has.
pub const REVOCATIONS_STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// What the worker's app has cached to check certificates offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustMaterial {
    /// Issuer keys in the trust list.
    pub keys: u32,
    /// The trust list's sequence number (a later list has a higher one).
    pub trust_list_sequence: u64,
    /// When the trust list was fetched.
    pub trust_list_fetched_at: SystemTime,
    /// Certificates the cached revocation list revokes (0 without a list).
    pub revoked: u32,
    /// When the revocation list was fetched; `None` if there is none.
    pub revocations_fetched_at: Option<SystemTime>,
    /// When the issuer signed the cached revocation list; `None` if there is none.
    pub revocations_issued_at: Option<SystemTime>,
    /// How old the cached revocation list is now (since the issuer signed it); `None` if
    /// there is none.
    pub revocations_age: Option<Duration>,
    /// Whether the revocation list is stale (always true without one): the issuer's
    /// `next_update` has passed, or it is older than [`REVOCATIONS_STALE_AFTER`]. Still used
    /// offline, but worth refreshing.
    pub revocations_stale: bool,
}

/// What the member API says of a certificate id, online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnlineStatus {
    /// Issued by the service and not revoked (its expiry is in the certificate itself).
    Valid,
    /// Issued by the service and revoked.
    Revoked,
    /// Not issued by this service.
    Unknown,
}

fn load(store: &Store, kind: &str) -> Result<Option<(Vec<u8>, i64)>, ServiceError> {
    Ok(store.with_conn(|c| {
        Ok(c.query_row(
            "SELECT bytes, fetched_at FROM roadside_trust_cache WHERE kind = ?1",
            [kind],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
    })?)
}

/// The cached trust list and revocation list (the empty one when there is none or when it
/// no longer verifies), with their fetch times.
struct Cached {
    trust: TrustList,
    trust_fetched_at: i64,
    revocations: RevocationList,
    revocations_fetched_at: Option<i64>,
}

/// The cached lists, parsed once and kept in memory: checking a certificate must not read
/// two blobs from the database and verify the revocation list's signature again each time
/// (that would double the cost of a check). Dropped whenever the lists are refreshed.
pub(crate) struct TrustCache {
    store: Arc<Store>,
    anchors: TrustAnchors,
    parsed: Mutex<Option<Arc<Cached>>>,
    /// One refresh at a time, so two cannot each pass the rollback check against the same
    /// cached lists and then save in the wrong order.
    refreshing: tokio::sync::Mutex<()>,
}

impl TrustCache {
    /// The cache over `store`, accepting trust lists signed by `anchors`; nothing is read
    /// until first needed.
    pub(crate) fn new(store: Arc<Store>, anchors: TrustAnchors) -> Self {
        Self {
            store,
            anchors,
            parsed: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The parsed lists, read from the store on first use.
    fn current(&self) -> Result<Option<Arc<Cached>>, ServiceError> {
        let mut parsed = self
            .parsed
            .lock()
            .map_err(|_| ServiceError::Store(StoreError::Poisoned))?;
        if parsed.is_none() {
            *parsed = cached(&self.store, &self.anchors)?.map(Arc::new);
        }
        Ok(parsed.clone())
    }

    /// What is cached, if anything.
    pub(crate) fn material(&self, now: SystemTime) -> Result<Option<TrustMaterial>, ServiceError> {
        Ok(self.current()?.map(|c| describe(&c, now)))
    }

    /// Fetches the lists and caches them when both are accepted (see `refresh`); they are
    /// parsed again on next use. On a refusal the cached lists stay and the error says why.
    pub(crate) async fn refresh(
        &self,
        api: &ApiClient,
        now: SystemTime,
    ) -> Result<TrustMaterial, ServiceError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let cached = self.current()?;
        refresh(&self.store, &self.anchors, cached.as_deref(), api, now).await?;
        if let Ok(mut parsed) = self.parsed.lock() {
            *parsed = None;
        }
        let cached = self.current()?.ok_or(ServiceError::NoTrustList)?;
        Ok(describe(&cached, now))
    }

    /// Checks a payload offline at `now` against the cached lists.
    pub(crate) fn check_payload(
        &self,
        payload: &str,
        now: SystemTime,
    ) -> Result<Verification, ServiceError> {
        let cached = self.current()?.ok_or(ServiceError::NoTrustList)?;
        Ok(verify(payload, &cached.trust, &cached.revocations, now))
    }

    /// Finds the QR code in a camera frame and checks it offline at `now`.
    pub(crate) fn check_frame(
        &self,
        frame: &LumaFrame<'_>,
        now: SystemTime,
    ) -> Result<Verification, ServiceError> {
        let cached = self.current()?.ok_or(ServiceError::NoTrustList)?;
        Ok(verify_image(frame, &cached.trust, &cached.revocations, now))
    }
}

fn cached(store: &Store, anchors: &TrustAnchors) -> Result<Option<Cached>, ServiceError> {
    let Some((trust_bytes, trust_fetched_at)) = load(store, KIND_TRUST)? else {
        return Ok(None);
    };
    // Checked against the anchors again: a list cached before the app's anchors changed, or
    // by an older app that cached unsigned lists, is not trusted; the app goes online once.
    let trust = match TrustList::from_signed(&trust_bytes, anchors) {
        Ok(trust) => trust,
        Err(e) => {
            log::warn!(target: "lofavor_core::roadside", "cached trust list unusable: {e}");
            return Ok(None);
        }
    };
    let (revocations, revocations_fetched_at) = match load(store, KIND_REVOCATIONS)? {
        Some((bytes, at)) => match RevocationList::from_cbor(&bytes, &trust) {
            Ok(list) => (list, Some(at)),
            Err(e) => {
                log::warn!(target: "lofavor_core::roadside", "cached revocation list unusable: {e}");
                (RevocationList::empty(), None)
            }
        },
        None => (RevocationList::empty(), None),
    };
    Ok(Some(Cached {
        trust,
        trust_fetched_at,
        revocations,
        revocations_fetched_at,
    }))
}

fn describe(cached: &Cached, now: SystemTime) -> TrustMaterial {
    let revocations_age = cached.revocations.age(now);
    TrustMaterial {
        keys: u32::try_from(cached.trust.keys().len()).unwrap_or(u32::MAX),
        trust_list_sequence: cached.trust.sequence(),
        trust_list_fetched_at: from_unix_seconds(cached.trust_fetched_at),
        revoked: u32::try_from(cached.revocations.len()).unwrap_or(u32::MAX),
        revocations_fetched_at: cached.revocations_fetched_at.map(from_unix_seconds),
        revocations_issued_at: cached.revocations.issued_at(),
        revocations_age,
        revocations_stale: cached.revocations.is_stale(now)
            || revocations_age.is_none_or(|age| age > REVOCATIONS_STALE_AFTER),
    }
}

/// Fetches the trust list and the revocation list and caches both, or neither.
///
/// The trust list must be signed by one of `anchors` and must not be older than the cached
/// one; the revocation list must verify against that new trust list and must not be older
/// than the cached one. Any refusal leaves the cache as it was.
async fn refresh(
    store: &Store,
    anchors: &TrustAnchors,
    cached: Option<&Cached>,
    api: &ApiClient,
    now: SystemTime,
) -> Result<(), ServiceError> {
    let trust_bytes = api
        .get_bytes(TRUST_LIST_PATH, "application/cose", TRUST_LIST_MAX_BYTES)
        .await?;
    let trust = TrustList::from_signed(&trust_bytes, anchors)?;
    if let Some(cached) = cached {
        cached.trust.check_replaces(&trust)?;
    }
    let revocation_bytes = api
        .get_bytes(REVOCATIONS_PATH, "application/cose", REVOCATIONS_MAX_BYTES)
        .await?;
    let fresh = RevocationList::from_cbor(&revocation_bytes, &trust)?;
    if let Some(cached) = cached {
        cached.revocations.check_replaces(&fresh)?;
    }
    let at = unix_seconds(now);
    store.with_conn(|c| {
        let tx = c.transaction()?;
        let save = "INSERT INTO roadside_trust_cache (kind, bytes, fetched_at) VALUES (?1, ?2, ?3)
                    ON CONFLICT(kind) DO UPDATE SET bytes = excluded.bytes,
                        fetched_at = excluded.fetched_at";
        tx.execute(save, rusqlite::params![KIND_TRUST, trust_bytes, at])?;
        tx.execute(
            save,
            rusqlite::params![KIND_REVOCATIONS, revocation_bytes, at],
        )?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(())
}

/// Asks the member API about the certificate in `payload` (by its id only; nothing about
/// the member is sent). Does not check the signature: pair it with an offline check.
pub(crate) async fn lookup(api: &ApiClient, payload: &str) -> Result<OnlineStatus, ServiceError> {
    let read = inspect(payload).map_err(ServiceError::NotAPayload)?;
    let id = hex::encode(read.claims.certificate_id.as_bytes());
    let answer: StatusResponse = api.get_json_as(&status_path(&id), None).await?;
    match answer.status.as_str() {
        "valid" => Ok(OnlineStatus::Valid),
        "revoked" => Ok(OnlineStatus::Revoked),
        "unknown" => Ok(OnlineStatus::Unknown),
        _ => Err(ServiceError::BadStatus),
    }
}

#[cfg(test)]
#[path = "field_tests.rs"]
mod tests;
