//! Reading what changed on the server after this device's cursor, and downloading the photos
//! this device lacks.

use super::upload;
use super::wire::{Page, Record};
use super::{SyncSummary, merge, request_timeout};
use crate::error::Result;
use crate::inventory::error::InventoryError;
use crate::inventory::handle::Inventory;
use crate::net::{ApiRequest, Disclosure};

/// Where the cursor is kept (`app_meta`; erased with the member's data).
const CURSOR: &str = "inventory.sync.cursor";

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

/// Applies every record after the cursor; the cursor moves in the same transaction as the
/// records it covers, so a pull cut off resumes after the last page applied.
pub(crate) async fn pull(inv: &Inventory, summary: &mut SyncSummary) -> Result<()> {
    for _ in 0..100_000 {
        let cursor: i64 = inv
            .store
            .meta(CURSOR)?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let path = format!("v1/inventory/changes?since={cursor}");
        // A GET: the authorised path retries it with backoff itself.
        let page: Page = inv
            .api
            .send(ApiRequest::get(&path, Disclosure::Nothing).with_timeout(request_timeout(inv)))
            .await?;
        db(inv, |c| {
            let tx = c.transaction()?;
            for record in &page.records {
                if merge::apply(&tx, record)? == merge::Applied::Changed {
                    summary.pulled += 1;
                }
            }
            tx.execute(
                "INSERT INTO app_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                rusqlite::params![CURSOR, page.latest.max(cursor).to_string()],
            )?;
            tx.commit()?;
            Ok(())
        })?;
        if !page.more || page.latest <= cursor {
            break;
        }
    }
    download_all(inv, summary).await
}

/// Downloads the photos the server has and this device lacks. Files are written before the
/// row, as for an import.
async fn download_all(inv: &Inventory, summary: &mut SyncSummary) -> Result<()> {
    let queued: Vec<(String, String)> = db(inv, |c| {
        let mut stmt = c.prepare("SELECT photo_id, record FROM inventory_download")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    })?;
    for (id, json) in queued {
        let parsed: Option<Record> = serde_json::from_str(&json).ok();
        let Some((row, large, thumb)) = parsed.as_ref().and_then(merge::photo_row) else {
            log::warn!(target: "lofavor_core::inventory", "a server photo record is malformed");
            db(inv, |c| forget(c, &id))?;
            continue;
        };
        let usable: bool = db(inv, |c| {
            let item_here: i64 = c.query_row(
                "SELECT COUNT(*) FROM inventory_item WHERE id = ?1 AND deleted_at IS NULL",
                [&row.item_id],
                |r| r.get(0),
            )?;
            let same_photo: i64 = c.query_row(
                "SELECT COUNT(*) FROM inventory_photo
                 WHERE content_hash = ?1 AND deleted_at IS NULL",
                [&row.content_hash],
                |r| r.get(0),
            )?;
            // An item's photo needs its item here; a room overview brings its room along.
            let owner_here = item_here == 1 || (row.item_id.is_none() && row.room.is_some());
            Ok(owner_here && same_photo == 0)
        })?;
        if !usable {
            db(inv, |c| forget(c, &id))?;
            continue;
        }
        let large_jpeg = upload::download(&inv.api, request_timeout(inv), &large).await?;
        let thumb_jpeg = upload::download(&inv.api, request_timeout(inv), &thumb).await?;
        inv.still(inv.sync_epoch.load(std::sync::atomic::Ordering::SeqCst))?;
        inv.files
            .write_jpegs(inv.secrets.as_ref(), &id, &large_jpeg, &thumb_jpeg)?;
        let stored = db(inv, |c| {
            let tx = c.transaction()?;
            row.insert(&tx, false)?;
            tx.execute(
                "INSERT OR REPLACE INTO inventory_photo_remote (photo_id, large, thumb, uploaded)
                 VALUES (?1, ?2, ?3, 1)",
                rusqlite::params![id, large, thumb],
            )?;
            tx.execute("DELETE FROM inventory_download WHERE photo_id = ?1", [&id])?;
            tx.commit()?;
            Ok(())
        });
        if let Err(e) = stored {
            // The same photo written meanwhile (a restore of a backup made on a synced
            // phone has the server's ids): it is here, and its files are that row's.
            let here: bool = db(inv, |c| {
                Ok(c.query_row(
                    "SELECT COUNT(*) FROM inventory_photo WHERE id = ?1",
                    [&id],
                    |r| r.get::<_, i64>(0),
                )? > 0)
            })?;
            if !here {
                inv.files.discard(&id);
            }
            // A record this phone cannot use (a room name it refuses) must not stop every
            // later download: it is dropped, with a warning.
            if here || e.kind() == crate::ErrorKind::InvalidInput {
                db(inv, |c| forget(c, &id))?;
                continue;
            }
            return Err(e);
        }
        summary.downloaded += 1;
    }
    Ok(())
}

fn forget(c: &mut rusqlite::Connection, id: &str) -> std::result::Result<(), InventoryError> {
    c.execute("DELETE FROM inventory_download WHERE photo_id = ?1", [id])?;
    Ok(())
}
