//! Sending the outbox: photos' blobs first, then the changes in batches, each batch applied
//! here in one transaction with the server's merged answer.

use rusqlite::OptionalExtension;
use serde_json::{Map, Value, json};

use super::upload::{self, sha256};
use super::wire::{Applied, Change, ChangeBatch};
use super::{SyncSummary, disclosure, fields, merge, outbox, request_timeout, retry, transient};
use crate::error::Result;
use crate::inventory::error::InventoryError;
use crate::inventory::handle::Inventory;
use crate::inventory::items;
use crate::inventory::photos::Size;
use crate::net::ApiRequest;

/// Changes per request: a batch answer stays far below the JSON limit.
const BATCH: u32 = 100;

/// Runs `f` on the store, unless the member's data was erased since this sync started.
fn db<T>(
    inv: &Inventory,
    f: impl FnOnce(&mut rusqlite::Connection) -> std::result::Result<T, InventoryError>,
) -> Result<T> {
    let started = inv.sync_epoch.load(std::sync::atomic::Ordering::SeqCst);
    Ok(inv
        .store
        .with_conn(|c| Ok(inv.still(started).and_then(|()| f(c))))??)
}

/// The fields of photo `id` to send, after uploading its blobs if the server lacks them;
/// `None` if the photo is gone here.
async fn photo_fields(
    inv: &Inventory,
    id: &str,
    summary: &mut SyncSummary,
) -> Result<Option<Map<String, Value>>> {
    let row = db(inv, |c| {
        Ok(c.query_row(
            "SELECT p.item_id, p.role, p.content_hash, p.width, p.height, p.captured_at,
                    r.large, r.thumb, COALESCE(r.uploaded, 0), rm.name
             FROM inventory_photo p LEFT JOIN inventory_photo_remote r ON r.photo_id = p.id
                  LEFT JOIN inventory_room rm ON rm.id = p.room_id
             WHERE p.id = ?1 AND p.deleted_at IS NULL",
            [id],
            |r| {
                Ok((
                    json!({
                        "item_id": r.get::<_, Option<String>>(0)?,
                        "role": r.get::<_, String>(1)?,
                        "content_hash": r.get::<_, String>(2)?,
                        "width": r.get::<_, u32>(3)?,
                        "height": r.get::<_, u32>(4)?,
                        "captured_at": r.get::<_, Option<String>>(5)?,
                        // A room overview belongs to its room, named as the items name it.
                        "room": r.get::<_, Option<String>>(9)?,
                    }),
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, bool>(8)?,
                ))
            },
        )
        .optional()?)
    })?;
    let Some((Value::Object(mut fields), large, thumb, uploaded)) = row else {
        return Ok(None);
    };
    let (large, thumb) = match (large, thumb, uploaded) {
        (Some(large), Some(thumb), true) => (large, thumb),
        _ => {
            let secrets = inv.secrets.as_ref();
            let mut hashes = Vec::with_capacity(2);
            for size in [Size::Large, Size::Thumbnail] {
                let jpeg = inv.files.read(secrets, id, size)?;
                let sha = sha256(&jpeg);
                if upload::upload(&inv.api, request_timeout(inv), &sha, &jpeg).await? {
                    summary.uploaded += 1;
                }
                hashes.push(sha);
            }
            let (large, thumb) = (hashes.remove(0), hashes.remove(0));
            db(inv, |c| {
                c.execute(
                    "INSERT OR REPLACE INTO inventory_photo_remote (photo_id, large, thumb, uploaded)
                     VALUES (?1, ?2, ?3, 1)",
                    rusqlite::params![id, large, thumb],
                )?;
                Ok(())
            })?;
            (large, thumb)
        }
    };
    fields.insert("large".into(), Value::String(large));
    fields.insert("thumb".into(), Value::String(thumb));
    Ok(Some(fields))
}

/// The change to send for `p`.
async fn change(inv: &Inventory, p: &outbox::Pending, summary: &mut SyncSummary) -> Result<Change> {
    let mut fields = Map::new();
    let mut deleted = p.deleted;
    if !deleted {
        if p.entity == "item" {
            match db(inv, |c| items::get(c, &p.entity_id)) {
                Ok(item) => fields = fields::values(&item.fields, &p.fields),
                Err(e) if e.kind() == crate::ErrorKind::NotFound => deleted = true,
                Err(e) => return Err(e),
            }
        } else {
            match photo_fields(inv, &p.entity_id, summary).await? {
                Some(f) => fields = f,
                None => deleted = true,
            }
        }
    }
    Ok(Change {
        change_id: p.change_id.clone(),
        entity: p.entity.clone(),
        id: p.entity_id.clone(),
        base_seq: p.base_seq,
        deleted,
        fields,
    })
}

/// Sends every change waiting in the outbox.
pub(crate) async fn push(inv: &Inventory, summary: &mut SyncSummary) -> Result<()> {
    // Each batch empties its part of the queue; edits made meanwhile may add more, so the
    // rounds are bounded rather than looping while the member keeps typing.
    for _ in 0..1_000 {
        let batch = db(inv, |c| outbox::pending(c, BATCH))?;
        if batch.is_empty() {
            break;
        }
        let mut changes = Vec::with_capacity(batch.len());
        for p in &batch {
            changes.push(change(inv, p, summary).await?);
        }
        let body = ChangeBatch { changes };
        let path = "v1/inventory/changes";
        let request = ApiRequest::post_json(path, &body, disclosure())
            .map_err(crate::net::ApiError::from)?
            .with_timeout(request_timeout(inv));
        let applied: Applied = retry()
            .run_while(transient, || inv.api.send(request.clone()))
            .await?;
        db(inv, |c| {
            let tx = c.transaction()?;
            for p in &batch {
                outbox::sent(&tx, p)?;
            }
            for record in &applied.records {
                merge::apply(&tx, record)?;
            }
            tx.commit()?;
            Ok(())
        })?;
        summary.pushed += u32::try_from(batch.len()).unwrap_or(u32::MAX);
    }
    Ok(())
}
