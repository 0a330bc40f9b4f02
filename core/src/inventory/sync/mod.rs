//! Sync of the inventory with the member API, offline first: every edit is queued in the
//! database with the edit itself ([`outbox`]), and a sync sends the queue, then reads what
//! other devices did. Everything goes through the one authorised request path.
//!
//! * Photos go first, as blobs keyed by the SHA-256 of each rendition's bytes (the JPEGs
//!   as stored, metadata-free), in chunks at explicit offsets ([`upload`]): a chunk sent
//!   twice is refused by its offset, a finished blob is never stored twice, and an upload
//!   cut off resumes where the server says it stopped. A photo's record is sent only once
//!   both its blobs are whole, so the server never holds a record of a missing blob.
//! * Changes of items and photos then go in batches ([`push`]); the server merges them by
//!   the rule in [`merge`] and answers with the merged records.
//! * Pulling ([`pull`]) reads every record changed after the device's cursor and applies it,
//!   except fields with an edit still waiting here; photos this device lacks (a new phone)
//!   are downloaded, checked against their hash and sealed under this device's key.
//!
//! Every request is retried with exponential backoff and full jitter ([`RetryPolicy`]: GETs
//! by the authorised path itself, the PUTs and POSTs here); each is idempotent by design
//! (offsets, change ids), so a retry after a lost answer is safe. A
//! sync cut off at any point (no network, a killed app) keeps what it did; the next resumes.

pub(crate) mod fields;
mod handle;
pub(crate) mod merge;
pub(crate) mod outbox;
mod pull;
mod push;
mod upload;
mod wire;

use std::time::Duration;

use crate::net::{ApiError, DataCategory, Disclosure, RetryPolicy, SERVICE_PURPOSE};

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// Changes the server accepted.
    pub pushed: u32,
    /// Changes from the server applied here.
    pub pulled: u32,
    /// Photo renditions uploaded (those the server already had are not counted).
    pub uploaded: u32,
    /// Photos downloaded from the server.
    pub downloaded: u32,
    /// Changes still waiting for the server.
    pub pending: u64,
}

/// The patience of one request of the sync.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Shorter patience for the sync of one store (by installation id), set by a test of a
/// server that hangs; other cores of the same test process keep the default.
#[cfg(feature = "test-hooks")]
static TEST_TIMEOUTS: std::sync::Mutex<Vec<(String, Duration)>> = std::sync::Mutex::new(Vec::new());

/// The patience of one request of the sync of `inv`.
pub(crate) fn request_timeout(inv: &crate::inventory::handle::Inventory) -> Duration {
    #[cfg(feature = "test-hooks")]
    if let Ok(set) = TEST_TIMEOUTS.lock()
        && let Some((_, t)) = set.iter().find(|(id, _)| id == inv.store.installation_id())
    {
        return *t;
    }
    let _ = inv;
    REQUEST_TIMEOUT
}

/// Sets the patience of every later sync request of `inv`.
#[cfg(feature = "test-hooks")]
pub(crate) fn set_request_timeout(inv: &crate::inventory::handle::Inventory, timeout: Duration) {
    if let Ok(mut set) = TEST_TIMEOUTS.lock() {
        let id = inv.store.installation_id().to_owned();
        set.retain(|(other, _)| *other != id);
        set.push((id, timeout));
    }
}

/// What sending the member's inventory discloses: their belongings and photos, to LOfavør
/// itself, for the service the member uses (keeping the inventory safe off the phone).
pub(crate) fn disclosure() -> Disclosure {
    Disclosure::to_lofavor(SERVICE_PURPOSE, &[DataCategory::Inventory])
}

/// The retries of one request: exponential backoff, full jitter.
pub(crate) fn retry() -> RetryPolicy {
    RetryPolicy::default()
}

/// Whether trying again may help.
pub(crate) fn transient(e: &ApiError) -> bool {
    e.is_transient()
}

/// Empties the sync's tables (erasure).
pub(crate) const ERASE_SQL: &str = "DELETE FROM inventory_outbox; DELETE FROM inventory_sync_seq;
    DELETE FROM inventory_photo_remote; DELETE FROM inventory_download;";
