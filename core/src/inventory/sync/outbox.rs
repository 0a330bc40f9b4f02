//! The persistent upload queue: one pending change per item or photo, written in the same
//! transaction as the edit it describes, so a change is never lost between the edit and the
//! upload, whatever kills the app in between.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::inventory::error::InventoryError;
use crate::inventory::items::new_id;
use crate::time::now_unix;

/// A pending change as the queue holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pending {
    pub(crate) change_id: String,
    pub(crate) entity: String,
    pub(crate) entity_id: String,
    /// Changed field names; `*` is every field.
    pub(crate) fields: Vec<String>,
    pub(crate) deleted: bool,
    pub(crate) base_seq: i64,
}

fn split(fields: &str) -> Vec<String> {
    fields
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Queues a change of `entity` `id`: `fields` changed, or it was deleted. A change already
/// pending for it takes these fields in too and gets a new id (the old one may be in flight:
/// a server that applied it must still apply this one).
pub(crate) fn record(
    tx: &Transaction<'_>,
    entity: &str,
    id: &str,
    fields: &[&str],
    deleted: bool,
) -> Result<(), InventoryError> {
    let existing: Option<(String, bool)> = tx
        .query_row(
            "SELECT fields, deleted FROM inventory_outbox WHERE entity = ?1 AND entity_id = ?2",
            params![entity, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match existing {
        Some((before, was_deleted)) => {
            let mut all = split(&before);
            for f in fields {
                if !all.iter().any(|a| a == f) {
                    all.push((*f).to_owned());
                }
            }
            if all.iter().any(|a| a == "*") {
                all = vec!["*".into()];
            }
            tx.execute(
                "UPDATE inventory_outbox SET change_id = ?3, fields = ?4, deleted = ?5
                 WHERE entity = ?1 AND entity_id = ?2",
                params![entity, id, new_id(), all.join(","), was_deleted || deleted],
            )?;
        }
        None => {
            tx.execute(
                "INSERT INTO inventory_outbox
                     (change_id, entity, entity_id, fields, deleted, base_seq, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                     COALESCE((SELECT seq FROM inventory_sync_seq
                               WHERE entity = ?2 AND entity_id = ?3), 0), ?6)",
                params![new_id(), entity, id, fields.join(","), deleted, now_unix()],
            )?;
        }
    }
    Ok(())
}

/// Up to `limit` pending changes, items before photos, oldest first.
pub(crate) fn pending(conn: &Connection, limit: u32) -> Result<Vec<Pending>, InventoryError> {
    let mut stmt = conn.prepare(
        "SELECT change_id, entity, entity_id, fields, deleted, base_seq FROM inventory_outbox
         ORDER BY entity = 'photo', created_at, rowid LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(Pending {
            change_id: r.get(0)?,
            entity: r.get(1)?,
            entity_id: r.get(2)?,
            fields: split(&r.get::<_, String>(3)?),
            deleted: r.get(4)?,
            base_seq: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The fields of `entity` `id` still waiting to be sent (`*`: all), and whether its delete is.
pub(crate) fn waiting(
    conn: &Connection,
    entity: &str,
    id: &str,
) -> Result<Option<(Vec<String>, bool)>, InventoryError> {
    Ok(conn
        .query_row(
            "SELECT fields, deleted FROM inventory_outbox WHERE entity = ?1 AND entity_id = ?2",
            params![entity, id],
            |r| Ok((split(&r.get::<_, String>(0)?), r.get(1)?)),
        )
        .optional()?)
}

/// The server applied change `change_id`: it leaves the queue, unless an edit since gave the
/// entity's pending change a new id. Marks the row clean when nothing more is pending.
pub(crate) fn sent(tx: &Transaction<'_>, p: &Pending) -> Result<(), InventoryError> {
    tx.execute(
        "DELETE FROM inventory_outbox WHERE change_id = ?1",
        [&p.change_id],
    )?;
    forget_if_clean(tx, &p.entity, &p.entity_id)
}

/// Drops whatever is pending for `entity` `id` (a delete on the server won over it).
pub(crate) fn drop_pending(
    tx: &Transaction<'_>,
    entity: &str,
    id: &str,
) -> Result<(), InventoryError> {
    tx.execute(
        "DELETE FROM inventory_outbox WHERE entity = ?1 AND entity_id = ?2",
        params![entity, id],
    )?;
    forget_if_clean(tx, entity, id)
}

fn forget_if_clean(tx: &Transaction<'_>, entity: &str, id: &str) -> Result<(), InventoryError> {
    let table = if entity == "item" {
        "inventory_item"
    } else {
        "inventory_photo"
    };
    tx.execute(
        &format!(
            "UPDATE {table} SET dirty = 0 WHERE id = ?1 AND NOT EXISTS
             (SELECT 1 FROM inventory_outbox WHERE entity = ?2 AND entity_id = ?1)"
        ),
        params![id, entity],
    )?;
    Ok(())
}

/// Notes that the server's record of `entity` `id` is at `seq`.
pub(crate) fn seen(
    tx: &Transaction<'_>,
    entity: &str,
    id: &str,
    seq: i64,
) -> Result<(), InventoryError> {
    tx.execute(
        "INSERT INTO inventory_sync_seq (entity, entity_id, seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (entity, entity_id) DO UPDATE SET seq = max(seq, excluded.seq)",
        params![entity, id, seq],
    )?;
    Ok(())
}

/// How many changes wait for the server.
pub(crate) fn count(conn: &Connection) -> Result<u64, InventoryError> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM inventory_outbox", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn db() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        for m in crate::inventory::schema::MIGRATIONS {
            c.execute_batch(m.sql).unwrap();
        }
        c
    }

    #[test]
    fn edits_coalesce_under_a_new_id_so_an_answer_to_an_older_send_keeps_the_newer_edit() {
        let mut c = db();
        let tx = c.transaction().unwrap();
        seen(&tx, "item", "i1", 7).unwrap();
        record(&tx, "item", "i1", &["name"], false).unwrap();
        tx.commit().unwrap();
        let first = pending(&c, 10).unwrap().remove(0);
        assert_eq!(first.fields, ["name"]);
        assert_eq!(first.base_seq, 7);

        // Edited again while the first send is in flight.
        let tx = c.transaction().unwrap();
        record(&tx, "item", "i1", &["brand", "name"], false).unwrap();
        tx.commit().unwrap();
        let second = pending(&c, 10).unwrap().remove(0);
        assert_ne!(second.change_id, first.change_id);
        assert_eq!(second.fields, ["name", "brand"]);
        assert_eq!(second.base_seq, 7);

        // The answer to the first send leaves the second waiting.
        let tx = c.transaction().unwrap();
        sent(&tx, &first).unwrap();
        tx.commit().unwrap();
        assert_eq!(count(&c).unwrap(), 1);
        let tx = c.transaction().unwrap();
        sent(&tx, &second).unwrap();
        record(&tx, "photo", "p1", &["*"], false).unwrap();
        record(&tx, "photo", "p1", &[], true).unwrap();
        tx.commit().unwrap();
        let photo = pending(&c, 10).unwrap().remove(0);
        assert_eq!((photo.fields, photo.deleted), (vec!["*".to_owned()], true));
        assert_eq!(waiting(&c, "item", "i1").unwrap(), None);
    }

    #[test]
    fn what_was_changed_before_sync_existed_is_queued_by_the_migration() {
        let c = Connection::open_in_memory().unwrap();
        let step = |v: i64| {
            crate::inventory::schema::MIGRATIONS
                .iter()
                .find(|m| m.version == v)
                .unwrap()
        };
        let (v6, v7) = (step(6), step(7));
        c.execute_batch(v6.sql).unwrap();
        c.execute_batch(
            "INSERT INTO inventory_item (id, name, created_at, updated_at) VALUES ('a', 'x', 1, 1);
             INSERT INTO inventory_item (id, name, created_at, updated_at, deleted_at)
                 VALUES ('b', 'y', 1, 2, 2);",
        )
        .unwrap();
        c.execute_batch(v7.sql).unwrap();
        let queued = pending(&c, 10).unwrap();
        assert_eq!(queued.len(), 2);
        assert!(queued.iter().all(|p| p.fields == ["*"] && p.base_seq == 0));
        assert!(queued.iter().any(|p| p.entity_id == "b" && p.deleted));
    }
}
