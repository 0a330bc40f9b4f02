//! The field worker's side: the trust list and the signed revocation list cached in the
//! store, refreshed when online, and certificates checked against them offline; plus the
//! online status lookup by certificate id.
//!
//! First run, before the app has ever been online: there is no trust list, and checking a
//! certificate fails with [`ServiceError::NoTrustList`] ("no trust list yet; go online once")
//! rather than answering `UntrustedIssuer`, which would tell the worker the member's
//! certificate is false when the app simply knows no issuer yet. With a trust list but no
//! revocation list, nothing counts as revoked (the list is then reported stale).

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rusqlite::OptionalExtension;

use super::certificate::{
    LumaFrame, RevocationList, TrustList, Verification, inspect, verify, verify_image,
};
use super::error::ServiceError;
use super::wire::{REVOCATIONS_PATH, StatusResponse, TRUST_LIST_PATH, status_path};
use crate::net::ApiClient;
use crate::store::{Store, StoreError};
use crate::time::{from_unix_seconds, unix_seconds};

const TRUST_LIST_MAX_BYTES: usize = 64 * 1024;
const REVOCATIONS_MAX_BYTES: usize = 4 * 1024 * 1024;
const KIND_TRUST: &str = "trust_list";
const KIND_REVOCATIONS: &str = "revocations";

/// What the worker's app has cached to check certificates offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustMaterial {
    /// Issuer keys in the trust list.
    pub keys: u32,
    /// When the trust list was fetched.
    pub trust_list_fetched_at: SystemTime,
    /// Certificates the cached revocation list revokes (0 without a list).
    pub revoked: u32,
    /// When the revocation list was fetched; `None` if there is none.
    pub revocations_fetched_at: Option<SystemTime>,
    /// Whether the issuer has published a newer revocation list by now (always true without
    /// one): still used offline, but worth refreshing.
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
    parsed: Mutex<Option<Arc<Cached>>>,
}

impl TrustCache {
    /// The cache over `store`; nothing is read until first needed.
    pub(crate) fn new(store: Arc<Store>) -> Self {
        Self {
            store,
            parsed: Mutex::new(None),
        }
    }

    /// The parsed lists, read from the store on first use.
    fn current(&self) -> Result<Option<Arc<Cached>>, ServiceError> {
        let mut parsed = self
            .parsed
            .lock()
            .map_err(|_| ServiceError::Store(StoreError::Poisoned))?;
        if parsed.is_none() {
            *parsed = cached(&self.store)?.map(Arc::new);
        }
        Ok(parsed.clone())
    }

    /// What is cached, if anything.
    pub(crate) fn material(&self, now: SystemTime) -> Result<Option<TrustMaterial>, ServiceError> {
        Ok(self.current()?.map(|c| describe(&c, now)))
    }

    /// Fetches the lists and caches them (see `refresh`); they are parsed again on next use.
    pub(crate) async fn refresh(
        &self,
        api: &ApiClient,
        now: SystemTime,
    ) -> Result<TrustMaterial, ServiceError> {
        refresh(&self.store, api, now).await?;
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

fn cached(store: &Store) -> Result<Option<Cached>, ServiceError> {
    let Some((trust_bytes, trust_fetched_at)) = load(store, KIND_TRUST)? else {
        return Ok(None);
    };
    let trust = TrustList::from_cbor(&trust_bytes)?;
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
    TrustMaterial {
        keys: u32::try_from(cached.trust.keys().len()).unwrap_or(u32::MAX),
        trust_list_fetched_at: from_unix_seconds(cached.trust_fetched_at),
        revoked: u32::try_from(cached.revocations.len()).unwrap_or(u32::MAX),
        revocations_fetched_at: cached.revocations_fetched_at.map(from_unix_seconds),
        revocations_stale: cached.revocations.is_stale(now),
    }
}

/// Fetches the trust list and the revocation list and caches them. The revocation list is
/// replaced only by one issued no earlier than the cached one, so an old list cannot be
/// replayed to un-revoke a certificate.
async fn refresh(store: &Store, api: &ApiClient, now: SystemTime) -> Result<(), ServiceError> {
    let trust_bytes = api
        .get_bytes(TRUST_LIST_PATH, "application/cbor", TRUST_LIST_MAX_BYTES)
        .await?;
    let trust = TrustList::from_cbor(&trust_bytes)?;
    let revocation_bytes = api
        .get_bytes(REVOCATIONS_PATH, "application/cose", REVOCATIONS_MAX_BYTES)
        .await?;
    let fresh = RevocationList::from_cbor(&revocation_bytes, &trust)?;
    let keep_cached = match load(store, KIND_REVOCATIONS)? {
        Some((bytes, _)) => {
            RevocationList::from_cbor(&bytes, &trust).is_ok_and(|old| fresh.is_older_than(&old))
        }
        None => false,
    };
    let at = unix_seconds(now);
    store.with_conn(|c| {
        let tx = c.transaction()?;
        let save = "INSERT INTO roadside_trust_cache (kind, bytes, fetched_at) VALUES (?1, ?2, ?3)
                    ON CONFLICT(kind) DO UPDATE SET bytes = excluded.bytes,
                        fetched_at = excluded.fetched_at";
        tx.execute(save, rusqlite::params![KIND_TRUST, trust_bytes, at])?;
        if !keep_cached {
            tx.execute(
                save,
                rusqlite::params![KIND_REVOCATIONS, revocation_bytes, at],
            )?;
        }
        tx.commit()?;
        Ok(())
    })?;
    if keep_cached {
        log::warn!(target: "lofavor_core::roadside", "server sent an older revocation list; kept the cached one");
    }
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
