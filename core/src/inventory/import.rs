//! An item and its photos added as one step: every photo's files are written first, then the
//! item's row and the photos' rows in one transaction. A process killed at any moment leaves
//! either the whole item or nothing but files without a row (swept at the next start), so an
//! interrupted import that is run again neither loses nor duplicates an item.

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::error::InventoryError;
use super::handle::{Inventory, InventoryHandle};
use super::items;
use super::model::{ItemFields, PhotoRole};
use super::photos::PhotoRow;
use crate::error::Result;

impl InventoryHandle {
    /// The item holding a photo imported from exactly these bytes, if there is one: an
    /// import that was interrupted skips what it already took when it runs again.
    pub fn item_with_photo_of(&self, bytes: &[u8]) -> Result<Option<String>> {
        let hash = hex::encode(Sha256::digest(bytes));
        Ok(self.inner.store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT p.item_id FROM inventory_photo p JOIN inventory_item i ON i.id = p.item_id
                 WHERE p.content_hash = ?1 AND p.deleted_at IS NULL AND i.deleted_at IS NULL",
                [hash],
                |r| r.get(0),
            )
            .optional()?)
        })?)
    }
}

/// Adds item `fields` with photos made from `renditions`; the item's id and its photos' ids
/// (an existing photo's id where the same photo was imported before).
pub(crate) fn add_item_with_renditions(
    inner: &Inventory,
    fields: &ItemFields,
    renditions: &[lofavor_photo::Renditions],
) -> std::result::Result<(String, Vec<String>), InventoryError> {
    let id = items::new_id();
    let mut photo_ids = Vec::with_capacity(renditions.len());
    let mut rows = Vec::new();
    for r in renditions {
        let hash = hex::encode(r.content_hash);
        let existing: Option<String> = inner.store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT id FROM inventory_photo WHERE content_hash = ?1 AND deleted_at IS NULL",
                [&hash],
                |row| row.get(0),
            )
            .optional()?)
        })?;
        if let Some(existing) = existing {
            photo_ids.push(existing);
            continue;
        }
        let photo = items::new_id();
        if let Err(e) = inner.files.write_jpegs(
            inner.secrets.as_ref(),
            &photo,
            &r.large.jpeg,
            &r.thumbnail.jpeg,
        ) {
            inner.files.remove(&photo);
            rows.iter()
                .for_each(|p: &PhotoRow| inner.files.remove(&p.id));
            return Err(e);
        }
        photo_ids.push(photo.clone());
        rows.push(PhotoRow::of(&photo, &id, PhotoRole::Item, r));
    }
    let saved = inner.store.with_conn(|c| {
        let tx = c.transaction()?;
        let written = items::save(&tx, &id, fields)
            .and_then(|()| rows.iter().try_for_each(|row| row.insert(&tx, true)));
        if let Err(e) = written {
            return Ok(Err(e));
        }
        tx.commit()?;
        Ok(Ok(()))
    });
    if let Err(e) = saved.map_err(InventoryError::from).and_then(|r| r) {
        rows.iter().for_each(|p| inner.files.remove(&p.id));
        return Err(e);
    }
    Ok((id, photo_ids))
}
