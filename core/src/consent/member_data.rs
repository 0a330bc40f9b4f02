//! The consent capability's part of the member's data on the device: the ledger, the
//! analytics queue, order previews and privacy requests. Erased whenever a session ends (the
//! next member on the phone must not see the last one's choices; they come back from the
//! server at the next login); the catalogue is not the member's and stays.

use std::sync::Arc;

use super::analytics;
use super::privacy::consent_export;
use super::service::Consent;
use crate::store::{MemberData, StoreError};

/// [`MemberData`] of the consent capability.
pub(crate) struct ConsentData(pub(crate) Arc<Consent>);

impl MemberData for ConsentData {
    fn describe(&self) -> &'static str {
        "consent decisions"
    }

    fn unsynced_changes(&self) -> Result<u64, StoreError> {
        self.0.store.with_conn(|c| {
            let decisions: i64 = c.query_row(
                "SELECT COUNT(*) FROM consent_record WHERE state = 'pending'",
                [],
                |r| r.get(0),
            )?;
            let requests: i64 = c.query_row(
                "SELECT COUNT(*) FROM consent_privacy_request WHERE answer_json IS NULL",
                [],
                |r| r.get(0),
            )?;
            Ok(u64::try_from(decisions + requests).unwrap_or(0))
        })
    }

    fn erase(&self) -> Result<(), StoreError> {
        self.0.store.with_conn(|c| {
            let tx = c.transaction()?;
            tx.execute_batch(
                "DELETE FROM consent_record;
                 DELETE FROM sqlite_sequence WHERE name = 'consent_record';
                 DELETE FROM consent_sync;
                 DELETE FROM consent_order;
                 DELETE FROM consent_privacy_request;",
            )?;
            tx.commit()?;
            Ok(())
        })?;
        analytics::discard(&self.0.store)?;
        // The gate must forget the last member's consents at once.
        let _ = self.0.refresh_gate();
        Ok(())
    }

    fn export(&self) -> Result<serde_json::Value, StoreError> {
        consent_export(&self.0).map_err(|e| match e {
            super::error::ConsentError::Store(s) => s,
            _ => StoreError::Corrupt,
        })
    }
}
