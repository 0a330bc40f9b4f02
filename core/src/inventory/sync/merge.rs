//! How edits from several devices merge. The server decides; this is the rule it applies and
//! how a device applies the server's answer to its own rows.
//!
//! # The rule
//!
//! * **Server order.** Every change the server accepts gets the next sequence number; that
//!   order, not the devices' clocks (which may be wrong), decides.
//! * **Per field, the last writer wins.** A change carries only the fields its edit changed.
//!   The server keeps, per field, the value of the change with the highest sequence that set
//!   it. Two devices that edit different fields of one item both keep their edit; two that
//!   edit the same field end with the value of the change that reached the server last.
//! * **A tombstone wins over edits older than the delete.** Each change says which server
//!   sequence of the entity it was made on (`base_seq`). An edit whose `base_seq` is lower
//!   than the sequence of the entity's delete was made without knowing of the delete and is
//!   dropped, and so is a second delete. (An edit made after its device saw the delete would
//!   restore the entity; the app offers no such edit, as the delete removes the entity there,
//!   so in practice a delete is final.)
//! * **Photos** are immutable once made: a photo record is created once and can only be
//!   deleted; a deleted item takes its photos with it.
//! * **Idempotent.** A change has its own id; the server applies an id once, so a change sent
//!   again after a lost answer changes nothing.
//!
//! # On the device
//!
//! A server record overwrites the local row's fields except those with an edit still waiting
//! in the outbox (they will reach the server later and win there, being later). A server
//! delete removes the local item and drops whatever was pending for it.

use rusqlite::Transaction;

use super::fields;
use super::outbox;
use super::wire::Record;
use crate::inventory::error::InventoryError;
use crate::inventory::items;
use crate::inventory::model::ItemFields;
use crate::inventory::photos::PhotoRow;
use crate::time::now_unix;

/// What applying a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applied {
    /// Nothing changed here.
    Nothing,
    /// A local row was written or deleted.
    Changed,
    /// A photo this device does not have yet: it is queued for download.
    Download,
}

/// Applies server `record` to the local rows, in `tx`.
pub(crate) fn apply(tx: &Transaction<'_>, record: &Record) -> Result<Applied, InventoryError> {
    outbox::seen(tx, &record.entity, &record.id, record.seq)?;
    match record.entity.as_str() {
        "item" => apply_item(tx, record),
        "photo" => apply_photo(tx, record),
        _ => Ok(Applied::Nothing),
    }
}

fn apply_item(tx: &Transaction<'_>, record: &Record) -> Result<Applied, InventoryError> {
    let local = match items::get(tx, &record.id) {
        Ok(item) => Some(item.fields),
        Err(InventoryError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let exists_as_tombstone = local.is_none()
        && tx.query_row(
            "SELECT COUNT(*) FROM inventory_item WHERE id = ?1",
            [&record.id],
            |r| r.get::<_, i64>(0),
        )? > 0;
    if record.deleted {
        outbox::drop_pending(tx, "item", &record.id)?;
        if local.is_some() {
            tombstone(tx, &record.id)?;
            return Ok(Applied::Changed);
        }
        return Ok(Applied::Nothing);
    }
    if exists_as_tombstone {
        // Deleted here; the delete is queued and wins on the server.
        return Ok(Applied::Nothing);
    }
    let waiting = outbox::waiting(tx, "item", &record.id)?;
    let keep: Vec<String> = waiting.map(|(f, _)| f).unwrap_or_default();
    if keep.iter().any(|f| f == "*") {
        return Ok(Applied::Nothing);
    }
    let mut merged = local.clone().unwrap_or_else(|| ItemFields {
        quantity: 1,
        ..ItemFields::default()
    });
    for (name, value) in &record.fields {
        if !keep.iter().any(|k| k == name) && !fields::set(&mut merged, name, value) {
            log::warn!(target: "lofavor_core::inventory", "a server record has a field of the wrong type");
        }
    }
    let Ok(merged) = items::checked(merged) else {
        log::warn!(target: "lofavor_core::inventory", "a server record was refused: invalid fields");
        return Ok(Applied::Nothing);
    };
    if local.as_ref() == Some(&merged) {
        return Ok(Applied::Nothing);
    }
    items::write(tx, &record.id, &merged, !keep.is_empty())?;
    Ok(Applied::Changed)
}

/// Deletes item `id` as the server did: no outbox entry, its photos with it.
fn tombstone(tx: &Transaction<'_>, id: &str) -> Result<(), InventoryError> {
    let now = now_unix();
    tx.execute(
        "UPDATE inventory_item SET deleted_at = ?2, updated_at = ?2, dirty = 0 WHERE id = ?1",
        rusqlite::params![id, now],
    )?;
    tx.execute("DELETE FROM inventory_search WHERE item_id = ?1", [id])?;
    tx.execute(
        "UPDATE inventory_photo SET deleted_at = ?2 WHERE item_id = ?1 AND deleted_at IS NULL",
        rusqlite::params![id, now],
    )?;
    tx.execute(
        "DELETE FROM inventory_download WHERE json_extract(record, '$.fields.item_id') = ?1",
        [id],
    )?;
    Ok(())
}

fn apply_photo(tx: &Transaction<'_>, record: &Record) -> Result<Applied, InventoryError> {
    let local: Option<bool> = rusqlite::OptionalExtension::optional(tx.query_row(
        "SELECT deleted_at IS NOT NULL FROM inventory_photo WHERE id = ?1",
        [&record.id],
        |r| r.get(0),
    ))?;
    if record.deleted {
        outbox::drop_pending(tx, "photo", &record.id)?;
        tx.execute(
            "DELETE FROM inventory_download WHERE photo_id = ?1",
            [&record.id],
        )?;
        if local == Some(false) {
            tx.execute(
                "UPDATE inventory_photo SET deleted_at = ?2, dirty = 0 WHERE id = ?1",
                rusqlite::params![record.id, now_unix()],
            )?;
            return Ok(Applied::Changed);
        }
        return Ok(Applied::Nothing);
    }
    if local.is_some() {
        return Ok(Applied::Nothing);
    }
    let json = serde_json::to_string(record)
        .map_err(|_| InventoryError::InvalidInput("a server record"))?;
    tx.execute(
        "INSERT OR REPLACE INTO inventory_download (photo_id, record) VALUES (?1, ?2)",
        rusqlite::params![record.id, json],
    )?;
    Ok(Applied::Download)
}

/// The photo row of a downloaded server record, with the SHA-256 of its two renditions.
pub(crate) fn photo_row(record: &Record) -> Option<(PhotoRow, String, String)> {
    let text = |name: &str| record.fields.get(name).and_then(|v| v.as_str());
    let dim = |name: &str| {
        record
            .fields
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
    };
    // The id names files on this phone and the hashes name blobs: nothing else passes.
    let hex64 = |v: &str| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit());
    if !crate::inventory::photos::is_photo_id(&record.id)
        || !text("large").is_some_and(hex64)
        || !text("thumb").is_some_and(hex64)
    {
        return None;
    }
    let row = PhotoRow {
        id: record.id.clone(),
        item_id: text("item_id").map(str::to_owned),
        role: text("role")
            .filter(|r| crate::inventory::PhotoRole::parse(r).is_some())?
            .to_owned(),
        content_hash: text("content_hash")?.to_owned(),
        width: dim("width")?,
        height: dim("height")?,
        captured_at: text("captured_at").map(str::to_owned),
        room: text("room").map(str::to_owned),
    };
    Some((row, text("large")?.to_owned(), text("thumb")?.to_owned()))
}
