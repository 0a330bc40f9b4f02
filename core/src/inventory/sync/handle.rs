//! `core.inventory().sync()`: what the shells call.

use super::{SyncSummary, outbox, pull, push};
use crate::error::Result;
use crate::inventory::handle::InventoryHandle;

/// One sync at a time in a process: two at once would send the same queue twice (harmless,
/// the server applies a change once, but wasteful on a phone's data plan).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl InventoryHandle {
    /// Sends every change made here (photos first), then applies what changed on the server
    /// (other devices' edits, by the rule in `merge`) and downloads the photos missing here.
    /// Needs a logged-in member. A sync cut off (no network, the server failing, the app
    /// killed) keeps what it did and fails with `network` or `server`; the next one resumes.
    pub async fn sync(&self) -> Result<SyncSummary> {
        let inner = self.inner.clone();
        self.inner
            .runtime
            .run(async move {
                let _one = ONE_AT_A_TIME.lock().await;
                inner
                    .sync_epoch
                    .store(inner.epoch(), std::sync::atomic::Ordering::SeqCst);
                let mut summary = SyncSummary::default();
                push::push(&inner, &mut summary).await?;
                pull::pull(&inner, &mut summary).await?;
                summary.pending = inner.store.with_conn(|c| Ok(outbox::count(c)))??;
                Ok(summary)
            })
            .await
    }

    /// How many changes wait for the server.
    pub fn unsynced_changes(&self) -> Result<u64> {
        Ok(self.inner.store.with_conn(|c| Ok(outbox::count(c)))??)
    }

    /// Gives every later sync request of this inventory at most `timeout` (the tests of a
    /// server that hangs). Only with the `test-hooks` feature.
    #[cfg(feature = "test-hooks")]
    pub fn set_sync_timeout(&self, timeout: std::time::Duration) {
        super::set_request_timeout(&self.inner, timeout);
    }
}
