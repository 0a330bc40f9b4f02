//! Usage analytics the app sends when the member consented: batches of named events,
//! idempotent by the batch id, at most [`MAX_EVENTS`] a batch.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{ConsentError, MAX_TIME, Refusal, check_id, sha256_hex};

/// Most events in one batch.
pub(crate) const MAX_EVENTS: usize = 500;
/// Longest event name.
const MAX_NAME: usize = 64;

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Event {
    name: String,
    at: i64,
}

/// The body of `POST /v1/analytics/events`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Batch {
    batch_id: String,
    events: Vec<Event>,
}

/// The answer: how many events were new.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Accepted {
    accepted: usize,
}

fn check(batch: &Batch) -> Result<(), Refusal> {
    check_id(
        &batch.batch_id,
        "batch_id is not 1 to 64 of A-Z, a-z, 0-9 and -",
    )?;
    if batch.events.is_empty() || batch.events.len() > MAX_EVENTS {
        return Err(Refusal::BadRequest("a batch holds 1 to 500 events"));
    }
    for event in &batch.events {
        let name_ok = !event.name.is_empty()
            && event.name.len() <= MAX_NAME
            && event
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
        if !name_ok {
            return Err(Refusal::BadRequest(
                "an event name is not 1 to 64 of a-z, 0-9, . and _",
            ));
        }
        if !(0..=MAX_TIME).contains(&event.at) {
            return Err(Refusal::BadRequest("an event time is out of range"));
        }
    }
    Ok(())
}

/// Records `batch` of member `sub`; a repeat of the same batch accepts nothing new.
pub(crate) fn record(c: &Connection, sub: &str, batch: Batch) -> Result<Accepted, ConsentError> {
    check(&batch)?;
    let digest = sha256_hex(
        serde_json::to_string(&batch.events)
            .map_err(|_| ConsentError::Stored)?
            .as_bytes(),
    );
    let tx = c.unchecked_transaction()?;
    let earlier: Option<(String, String)> = tx
        .query_row(
            "SELECT member_id, digest FROM analytics_batch WHERE id = ?1",
            [&batch.batch_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((member, earlier_digest)) = earlier {
        if member != sub || earlier_digest != digest {
            return Err(Refusal::ReplayedId.into());
        }
        return Ok(Accepted { accepted: 0 });
    }
    tx.execute(
        "INSERT INTO analytics_batch (id, member_id, digest, events, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            batch.batch_id,
            sub,
            digest,
            i64::try_from(batch.events.len()).unwrap_or(i64::MAX),
            lofavor_certificate::time::now_unix()
        ],
    )?;
    {
        let mut insert =
            tx.prepare("INSERT INTO analytics_event (batch_id, name, at) VALUES (?1, ?2, ?3)")?;
        for event in &batch.events {
            insert.execute(params![batch.batch_id, event.name, event.at])?;
        }
    }
    tx.commit()?;
    Ok(Accepted {
        accepted: batch.events.len(),
    })
}

/// How many events the server holds of member `sub`.
pub(crate) fn count(c: &Connection, sub: &str) -> Result<i64, ConsentError> {
    Ok(c.query_row(
        "SELECT COALESCE(SUM(events), 0) FROM analytics_batch WHERE member_id = ?1",
        [sub],
        |r| r.get(0),
    )?)
}
