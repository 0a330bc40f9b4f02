//! Items' and photos' records in SQLite, and the merge rule applied as changes arrive (the
//! rule is documented in the core's `inventory/sync/merge.rs`; in short: server order,
//! per-field last writer wins, a delete is final and wins over every edit made without
//! knowing of it, a change id is applied once).

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Records per page of `GET /v1/inventory/changes`: 100 items of the longest texts stay
/// under the 4 MiB the app accepts of one answer.
pub(crate) const PAGE: i64 = 100;

/// The tables of the inventory database, by version.
pub(crate) const MIGRATIONS: &[&str] = &["
    -- The merged state of each item and photo of each member; seq is the server order of
    -- its last applied change, deleted_seq that of its delete.
    CREATE TABLE record (
        member      TEXT NOT NULL,
        entity      TEXT NOT NULL CHECK (entity IN ('item', 'photo')),
        id          TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        deleted_seq INTEGER,
        fields      TEXT NOT NULL,
        PRIMARY KEY (member, entity, id)
    ) STRICT;
    CREATE INDEX record_by_seq ON record (member, seq);
    -- Change ids already applied, so a change sent again changes nothing.
    CREATE TABLE applied (
        member    TEXT NOT NULL,
        change_id TEXT NOT NULL,
        PRIMARY KEY (member, change_id)
    ) STRICT;
    CREATE TABLE sequence (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL) STRICT;
    INSERT INTO sequence (id, seq) VALUES (1, 0);
"];

/// One change as a device sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Change {
    pub(crate) change_id: String,
    pub(crate) entity: String,
    pub(crate) id: String,
    pub(crate) base_seq: i64,
    pub(crate) deleted: bool,
    pub(crate) fields: Map<String, Value>,
}

/// A merged record.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Record {
    pub(crate) entity: String,
    pub(crate) id: String,
    pub(crate) seq: i64,
    pub(crate) deleted: bool,
    pub(crate) fields: Map<String, Value>,
}

fn is_id(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.len() <= max
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why a change is refused; the batch is then applied not at all.
pub(crate) fn check(change: &Change) -> Result<(), &'static str> {
    if !is_id(&change.change_id, 64) || !is_id(&change.id, 64) {
        return Err("an id is malformed");
    }
    if change.entity != "item" && change.entity != "photo" {
        return Err("an entity is neither item nor photo");
    }
    if change.fields.len() > 64 || change.fields.keys().any(|k| !is_id(k, 40)) {
        return Err("a change has too many or malformed fields");
    }
    Ok(())
}

fn record(
    c: &Connection,
    member: &str,
    entity: &str,
    id: &str,
) -> rusqlite::Result<Option<Record>> {
    c.query_row(
        "SELECT seq, deleted_seq IS NOT NULL, fields FROM record
         WHERE member = ?1 AND entity = ?2 AND id = ?3",
        params![member, entity, id],
        |r| {
            let fields: String = r.get(2)?;
            Ok(Record {
                entity: entity.to_owned(),
                id: id.to_owned(),
                seq: r.get(0)?,
                deleted: r.get(1)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
            })
        },
    )
    .optional()
}

/// Applies `change` of `member` (once per change id); the record as merged.
pub(crate) fn apply(
    tx: &Transaction<'_>,
    member: &str,
    change: &Change,
) -> rusqlite::Result<Option<Record>> {
    let new = tx.execute(
        "INSERT OR IGNORE INTO applied (member, change_id) VALUES (?1, ?2)",
        params![member, change.change_id],
    )? == 1;
    let current = record(tx, member, &change.entity, &change.id)?;
    if !new {
        return Ok(current);
    }
    // A tombstone wins over every edit made on a sequence older than the delete (made
    // without knowing of it), and over a second delete.
    let deleted_seq: Option<i64> = tx
        .query_row(
            "SELECT deleted_seq FROM record WHERE member = ?1 AND entity = ?2 AND id = ?3",
            params![member, change.entity, change.id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if deleted_seq.is_some_and(|d| change.deleted || change.base_seq < d) {
        return Ok(current);
    }
    // Photos are immutable: once recorded, only a delete changes them.
    if change.entity == "photo" && current.as_ref().is_some_and(|r| !r.deleted) && !change.deleted {
        return Ok(current);
    }
    let seq: i64 = tx.query_row(
        "UPDATE sequence SET seq = seq + 1 WHERE id = 1 RETURNING seq",
        [],
        |r| r.get(0),
    )?;
    let mut fields = current.map(|r| r.fields).unwrap_or_default();
    // A photo of an item already deleted (added offline on another device) arrives deleted:
    // the devices drop it without telling, so it would otherwise stay here for good.
    let item_gone = change.entity == "photo"
        && !change.deleted
        && change
            .fields
            .get("item_id")
            .and_then(Value::as_str)
            .is_some_and(|item| {
                tx.query_row(
                    "SELECT deleted_seq IS NOT NULL FROM record
                     WHERE member = ?1 AND entity = 'item' AND id = ?2",
                    params![member, item],
                    |r| r.get::<_, bool>(0),
                )
                .unwrap_or(false)
            });
    let deleted = change.deleted || item_gone;
    if !change.deleted {
        // Per field, the last writer by server order wins: this change is the latest.
        for (name, value) in &change.fields {
            fields.insert(name.clone(), value.clone());
        }
    }
    let text = serde_json::to_string(&fields).unwrap_or_else(|_| "{}".into());
    tx.execute(
        "INSERT INTO record (member, entity, id, seq, deleted_seq, fields)
         VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?4 END, ?6)
         ON CONFLICT (member, entity, id) DO UPDATE SET seq = excluded.seq,
             deleted_seq = excluded.deleted_seq, fields = excluded.fields",
        params![member, change.entity, change.id, seq, deleted, text],
    )?;
    // A deleted item takes its photos with it.
    if change.deleted && change.entity == "item" {
        let photos: Vec<String> = tx
            .prepare(
                "SELECT id FROM record WHERE member = ?1 AND entity = 'photo'
                 AND deleted_seq IS NULL AND json_extract(fields, '$.item_id') = ?2",
            )?
            .query_map(params![member, change.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for photo in photos {
            let seq: i64 = tx.query_row(
                "UPDATE sequence SET seq = seq + 1 WHERE id = 1 RETURNING seq",
                [],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE record SET seq = ?3, deleted_seq = ?3
                 WHERE member = ?1 AND entity = 'photo' AND id = ?2",
                params![member, photo, seq],
            )?;
        }
    }
    record(tx, member, &change.entity, &change.id)
}

/// `member`'s records changed after `since`, in server order; whether more follow.
pub(crate) fn since(
    c: &Connection,
    member: &str,
    since: i64,
) -> rusqlite::Result<(Vec<Record>, bool)> {
    let mut stmt = c.prepare(
        "SELECT entity, id, seq, deleted_seq IS NOT NULL, fields FROM record
         WHERE member = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let records: Vec<Record> = stmt
        .query_map(params![member, since, PAGE], |r| {
            let fields: String = r.get(4)?;
            Ok(Record {
                entity: r.get(0)?,
                id: r.get(1)?,
                seq: r.get(2)?,
                deleted: r.get(3)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let more = records.len() as i64 == PAGE;
    Ok((records, more))
}
