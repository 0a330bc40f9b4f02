//! Analytics of use: events are collected on the device only while the member consents to
//! `analytics` (the gate is asked at collection time, not only when sending), sent in batches,
//! and discarded when the consent is refused or withdrawn.

use rusqlite::params;
use sha2::{Digest, Sha256};

use super::error::ConsentError;
use super::service::Consent;
use super::wire::{ANALYTICS_PATH, AnalyticsBatch, AnalyticsEvent};
use crate::net::{ApiError, ApiRequest, DataCategory, Disclosure};
use crate::store::{Store, StoreError};
use crate::time::now_unix;

/// The analytics purpose.
pub const ANALYTICS_PURPOSE: &str = "analytics";

/// At most this many events wait on the device; the oldest go first.
pub const MAX_QUEUED_EVENTS: i64 = 1_000;

/// At most this many events go in one batch.
pub const BATCH_SIZE: i64 = 500;

fn disclosure() -> Disclosure {
    Disclosure::to_lofavor(ANALYTICS_PURPOSE, &[DataCategory::Usage])
}

/// An event name: lowercase ASCII letters, digits, `.` and `_`, 1 to 64 bytes. Names are
/// chosen by the app, never by the member, so they hold nothing the member typed.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
}

/// Records `name` if the member consents to analytics now; returns whether it was kept.
pub(crate) fn track(consent: &Consent, name: &str) -> Result<bool, ConsentError> {
    if !valid_name(name) {
        return Err(ConsentError::InvalidInput(
            "an event name is 1-64 of a-z 0-9 . _",
        ));
    }
    if consent.gate.check(&disclosure()).is_err() {
        return Ok(false);
    }
    consent.db(|c| {
        c.execute(
            "INSERT INTO consent_analytics_event (name, at) VALUES (?1, ?2)",
            params![name, now_unix()],
        )?;
        c.execute(
            "DELETE FROM consent_analytics_event WHERE id <= (SELECT MAX(id) FROM consent_analytics_event) - ?1",
            [MAX_QUEUED_EVENTS],
        )?;
        Ok(true)
    })
}

/// How many events wait.
pub(crate) fn queued(store: &Store) -> Result<u64, StoreError> {
    store.with_conn(|c| {
        let n: i64 = c.query_row("SELECT COUNT(*) FROM consent_analytics_event", [], |r| {
            r.get(0)
        })?;
        Ok(u64::try_from(n).unwrap_or(0))
    })
}

/// Deletes every waiting event (consent refused or withdrawn, or the session ended).
pub(crate) fn discard(store: &Store) -> Result<(), StoreError> {
    store.with_conn(|c| {
        c.execute("DELETE FROM consent_analytics_event", [])?;
        Ok(())
    })
}

/// Sends the waiting events in batches through the gate; returns how many went. Without
/// consent nothing is sent and the queue is emptied.
pub(crate) async fn flush(consent: &Consent) -> Result<u64, ConsentError> {
    if consent.gate.check(&disclosure()).is_err() {
        discard(&consent.store)?;
        return Ok(0);
    }
    let mut sent = 0;
    loop {
        let events: Vec<(i64, String, i64)> = consent.db(|c| {
            let mut stmt =
                c.prepare("SELECT id, name, at FROM consent_analytics_event ORDER BY id LIMIT ?1")?;
            let rows = stmt.query_map([BATCH_SIZE], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })?;
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            return Ok(sent);
        };
        let (first, last) = (first.0, last.0);
        // The same rows give the same batch id, so a batch re-sent after a lost answer is
        // counted once by the server.
        let batch_id = hex::encode(
            &Sha256::digest(format!(
                "{}:{first}:{last}",
                consent.store.installation_id()
            ))[..16],
        );
        let batch = AnalyticsBatch {
            batch_id,
            events: events
                .iter()
                .map(|(_, name, at)| AnalyticsEvent {
                    name: name.clone(),
                    at: *at,
                })
                .collect(),
        };
        let request =
            ApiRequest::post_json(ANALYTICS_PATH, &batch, disclosure()).map_err(ApiError::from)?;
        consent.api.send::<serde_json::Value>(request).await?;
        consent.db(|c| {
            c.execute(
                "DELETE FROM consent_analytics_event WHERE id BETWEEN ?1 AND ?2",
                [first, last],
            )?;
            Ok(())
        })?;
        sent += events.len() as u64;
    }
}
