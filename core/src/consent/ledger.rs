//! The consent ledger: every decision the member made, here or on another device, as an
//! append-only list of records hash-chained on the device, so a silent change of any record,
//! or its removal from the middle, is detected ([`verify_chain`]).
//!
//! The chain: `chain(n) = SHA-256(chain(n-1) hex || "\n" || JSON of record n without its
//! chain_hash)`, with `chain(0)` the empty string. A record made here carries its chain value
//! as `chain_hash`, so the server's receipt also fixes the device's chain at that point.
//!
//! **Which decision counts** (two devices deciding one purpose): the server's order of
//! arrival is the truth. The device shows the synced decision with the highest server
//! sequence, unless the member made a newer decision here that is not yet synced: that one
//! shows (and governs the gate) until the server has it, and then the server's order
//! decides again.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::error::ConsentError;
use super::wire::DecisionRecord;

/// A decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The member agreed (for the reservation: reserved).
    Given,
    /// The member said no when asked.
    Refused,
    /// The member took back an earlier yes (for the reservation: lifted it).
    Withdrawn,
}

impl Decision {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Given => "given",
            Decision::Refused => "refused",
            Decision::Withdrawn => "withdrawn",
        }
    }

    /// The decision named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "given" => Some(Decision::Given),
            "refused" => Some(Decision::Refused),
            "withdrawn" => Some(Decision::Withdrawn),
            _ => None,
        }
    }
}

/// Where a record is in its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// Made here, not yet accepted by the server (offline, or not tried yet).
    Pending,
    /// The server has it (and signed a receipt).
    Synced,
    /// The server refused it; it does not count.
    Rejected,
}

impl SyncState {
    fn parse(text: &str) -> Self {
        match text {
            "synced" => SyncState::Synced,
            "rejected" => SyncState::Rejected,
            _ => SyncState::Pending,
        }
    }
}

/// One row of the ledger.
#[derive(Debug, Clone)]
pub struct LedgerEntry {
    /// The record.
    pub record: DecisionRecord,
    /// Made on this device (`false`: arrived from another device through the server).
    pub made_here: bool,
    /// Its sync state.
    pub state: SyncState,
    /// The server's order of arrival, once synced.
    pub server_sequence: Option<i64>,
    /// When the server received it.
    pub received_at: Option<i64>,
    /// The signed receipt, once synced.
    pub receipt: Option<Vec<u8>>,
    /// Why the server refused it (a fixed code).
    pub refusal: Option<String>,
}

/// The decision that counts for one purpose now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    /// The decision.
    pub decision: Decision,
    /// The notice version it was made on.
    pub notice_version: String,
    /// Whether the explicit confirmation was given.
    pub explicit: bool,
    /// When the member decided.
    pub decided_at: i64,
    /// Not yet on the server.
    pub pending: bool,
}

fn body_json(record: &DecisionRecord) -> String {
    let mut body = record.clone();
    body.chain_hash = String::new();
    // A record is plain strings, numbers and booleans: it always serialises.
    serde_json::to_string(&body).unwrap_or_default()
}

/// The chain value after `record`, following `previous`.
pub(crate) fn chain_after(previous: &str, record: &DecisionRecord) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(b"\n");
    hasher.update(body_json(record).as_bytes());
    hex::encode(hasher.finalize())
}

/// The chain value of the last record ("" when the ledger is empty).
pub(crate) fn head(conn: &Connection) -> Result<String, ConsentError> {
    Ok(conn
        .query_row(
            "SELECT chain FROM consent_record ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// The last record of `purpose` on this device, if any.
pub(crate) fn last_of(conn: &Connection, purpose: &str) -> Result<Option<String>, ConsentError> {
    Ok(conn
        .query_row(
            "SELECT id FROM consent_record WHERE purpose = ?1 ORDER BY seq DESC LIMIT 1",
            [purpose],
            |r| r.get(0),
        )
        .optional()?)
}

/// Appends a record made here (its `chain_hash` is set here), pending sync.
pub(crate) fn append_own(
    conn: &Connection,
    mut record: DecisionRecord,
) -> Result<DecisionRecord, ConsentError> {
    let chain = chain_after(&head(conn)?, &record);
    record.chain_hash = chain.clone();
    conn.execute(
        "INSERT INTO consent_record (id, purpose, decision, record_json, chain, origin, state)
         VALUES (?1, ?2, ?3, ?4, ?5, 'device', 'pending')",
        params![
            record.id,
            record.purpose,
            record.decision,
            serde_json::to_string(&record).unwrap_or_default(),
            chain
        ],
    )?;
    Ok(record)
}

/// Appends a record that arrived from the server (made on another device), unless it is
/// already here. Returns whether it was new.
pub(crate) fn append_remote(
    conn: &Connection,
    record: &DecisionRecord,
    server_sequence: i64,
    received_at: i64,
    receipt: &[u8],
) -> Result<bool, ConsentError> {
    let known: Option<i64> = conn
        .query_row(
            "SELECT seq FROM consent_record WHERE id = ?1",
            [&record.id],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_some() {
        return Ok(false);
    }
    let chain = chain_after(&head(conn)?, record);
    conn.execute(
        "INSERT INTO consent_record (id, purpose, decision, record_json, chain, origin, state,
                                     server_sequence, received_at, receipt)
         VALUES (?1, ?2, ?3, ?4, ?5, 'server', 'synced', ?6, ?7, ?8)",
        params![
            record.id,
            record.purpose,
            record.decision,
            serde_json::to_string(record).unwrap_or_default(),
            chain,
            server_sequence,
            received_at,
            receipt
        ],
    )?;
    Ok(true)
}

/// Marks a record as accepted by the server.
pub(crate) fn mark_synced(
    conn: &Connection,
    id: &str,
    server_sequence: i64,
    received_at: i64,
    receipt: &[u8],
) -> Result<(), ConsentError> {
    conn.execute(
        "UPDATE consent_record SET state = 'synced', server_sequence = ?2, received_at = ?3,
                receipt = ?4, refusal = NULL WHERE id = ?1",
        params![id, server_sequence, received_at, receipt],
    )?;
    Ok(())
}

/// Marks a record as refused by the server: it no longer counts.
pub(crate) fn mark_rejected(conn: &Connection, id: &str, code: &str) -> Result<(), ConsentError> {
    conn.execute(
        "UPDATE consent_record SET state = 'rejected', refusal = ?2 WHERE id = ?1",
        params![id, code],
    )?;
    Ok(())
}

/// Every record, oldest first.
pub(crate) fn entries(conn: &Connection) -> Result<Vec<LedgerEntry>, ConsentError> {
    let mut stmt = conn.prepare(
        "SELECT record_json, origin, state, server_sequence, received_at, receipt, refusal
         FROM consent_record ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<Vec<u8>>>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (json, origin, state, server_sequence, received_at, receipt, refusal) = row?;
        let record: DecisionRecord =
            serde_json::from_str(&json).map_err(|_| ConsentError::LedgerBroken)?;
        out.push(LedgerEntry {
            record,
            made_here: origin == "device",
            state: SyncState::parse(&state),
            server_sequence,
            received_at,
            receipt,
            refusal,
        });
    }
    Ok(out)
}

/// Records made here that the server has not accepted yet, oldest first.
pub(crate) fn pending(conn: &Connection) -> Result<Vec<DecisionRecord>, ConsentError> {
    Ok(entries(conn)?
        .into_iter()
        .filter(|e| e.state == SyncState::Pending)
        .map(|e| e.record)
        .collect())
}

/// Checks the whole chain; [`ConsentError::LedgerBroken`] when any record or link changed.
pub(crate) fn verify_chain(conn: &Connection) -> Result<(), ConsentError> {
    let mut stmt =
        conn.prepare("SELECT record_json, chain, origin FROM consent_record ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut previous = String::new();
    for row in rows {
        let (json, chain, origin) = row?;
        let record: DecisionRecord =
            serde_json::from_str(&json).map_err(|_| ConsentError::LedgerBroken)?;
        let expected = chain_after(&previous, &record);
        if expected != chain || (origin == "device" && record.chain_hash != chain) {
            return Err(ConsentError::LedgerBroken);
        }
        previous = chain;
    }
    Ok(())
}

/// The decision that counts for each purpose (see the module documentation for the rule).
pub(crate) fn effective(conn: &Connection) -> Result<HashMap<String, Effective>, ConsentError> {
    let mut synced: HashMap<String, (i64, Effective)> = HashMap::new();
    let mut pending: HashMap<String, Effective> = HashMap::new();
    for entry in entries(conn)? {
        let Some(decision) = Decision::parse(&entry.record.decision) else {
            continue;
        };
        let effective = Effective {
            decision,
            notice_version: entry.record.notice_version.clone(),
            explicit: entry.record.explicit,
            decided_at: entry.record.decided_at,
            pending: entry.state == SyncState::Pending,
        };
        match entry.state {
            // Oldest first: a later pending record of a purpose replaces an earlier one.
            SyncState::Pending => {
                pending.insert(entry.record.purpose.clone(), effective);
            }
            SyncState::Synced => {
                let sequence = entry.server_sequence.unwrap_or(0);
                let newer = synced
                    .get(&entry.record.purpose)
                    .is_none_or(|(s, _)| sequence > *s);
                if newer {
                    synced.insert(entry.record.purpose.clone(), (sequence, effective));
                }
            }
            SyncState::Rejected => {}
        }
    }
    let mut out: HashMap<String, Effective> =
        synced.into_iter().map(|(k, (_, e))| (k, e)).collect();
    out.extend(pending);
    Ok(out)
}
