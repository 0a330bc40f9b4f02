//! The inventory as the shells see it: `core.inventory()`.

use std::sync::Arc;

use super::error::InventoryError;
use super::items;
use super::model::{Item, ItemFields, PhotoRole, Room};
use super::photos::{PhotoFiles, Size};
use crate::error::Result;
use crate::net::MemberApi;
use crate::platform::SecureStore;
use crate::runtime::CoreRuntime;
use crate::store::{MemberData, Store, StoreError};

/// The member's belongings, their photos and search. Cheap to clone.
#[derive(Clone)]
pub struct InventoryHandle {
    pub(crate) inner: Arc<Inventory>,
}

/// The inventory's shared parts.
pub(crate) struct Inventory {
    pub(crate) store: Arc<Store>,
    pub(crate) secrets: Arc<dyn SecureStore>,
    pub(crate) files: PhotoFiles,
    /// The one authorised request path (sync, sending a report); its gate is consent's.
    pub(crate) api: Arc<MemberApi>,
    /// Where imports, sync and reports run, off the caller's thread.
    pub(crate) runtime: Arc<CoreRuntime>,
}

impl std::fmt::Debug for InventoryHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InventoryHandle").finish_non_exhaustive()
    }
}

impl InventoryHandle {
    /// Opens the inventory; sweeps photo files a crash left without a row.
    pub(crate) fn new(
        store: Arc<Store>,
        secrets: Arc<dyn SecureStore>,
        api: Arc<MemberApi>,
        runtime: Arc<CoreRuntime>,
    ) -> Self {
        let files = PhotoFiles::new(&store);
        if let Err(e) = files.sweep(&store) {
            log::warn!(target: "lofavor_core::inventory", "photo sweep failed: {e}");
        }
        Self {
            inner: Arc::new(Inventory {
                store,
                secrets,
                files,
                api,
                runtime,
            }),
        }
    }

    /// The member data of the inventory, to register for erasure and export.
    pub(crate) fn member_data(&self) -> Arc<dyn MemberData> {
        self.inner.clone()
    }

    fn db<T>(
        &self,
        f: impl FnOnce(&mut rusqlite::Connection) -> Result<T, InventoryError>,
    ) -> Result<T> {
        Ok(self.inner.store.with_conn(|c| Ok(f(c)))??)
    }

    /// Adds an item; its id.
    pub fn add_item(&self, fields: ItemFields) -> Result<String> {
        let fields = items::checked(fields)?;
        let id = items::new_id();
        self.db(|c| {
            let tx = c.transaction()?;
            items::save(&tx, &id, &fields)?;
            tx.commit()?;
            Ok(())
        })?;
        Ok(id)
    }

    /// Adds an item with its photos: every photo is made into renditions first, so a photo
    /// that is refused leaves nothing behind, not even the item.
    pub fn add_item_with_photos(
        &self,
        fields: ItemFields,
        photos: &[Vec<u8>],
    ) -> Result<(String, Vec<String>)> {
        let fields = items::checked(fields)?;
        let renditions = photos
            .iter()
            .map(|bytes| super::photos::import(bytes))
            .collect::<Result<Vec<_>, _>>()?;
        let id = self.add_item(fields)?;
        let inner = &self.inner;
        let mut photo_ids = Vec::with_capacity(renditions.len());
        for r in &renditions {
            photo_ids.push(inner.files.add_renditions(
                &inner.store,
                inner.secrets.as_ref(),
                &id,
                PhotoRole::Item,
                r,
            )?);
        }
        Ok((id, photo_ids))
    }

    /// Replaces the fields of item `id`.
    pub fn update_item(&self, id: &str, fields: ItemFields) -> Result<()> {
        let fields = items::checked(fields)?;
        self.db(|c| {
            items::get(c, id)?;
            let tx = c.transaction()?;
            items::save(&tx, id, &fields)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Deletes item `id` (kept as a tombstone until synced).
    pub fn delete_item(&self, id: &str) -> Result<()> {
        self.db(|c| {
            let tx = c.transaction()?;
            items::delete(&tx, id)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Item `id` with its photos.
    pub fn item(&self, id: &str) -> Result<Item> {
        self.db(|c| items::get(c, id))
    }

    /// Every item.
    pub fn items(&self) -> Result<Vec<Item>> {
        self.db(|c| items::list(c))
    }

    /// The rooms.
    pub fn rooms(&self) -> Result<Vec<Room>> {
        self.db(|c| items::rooms(c))
    }

    /// What the belongings add up to, by room and category, beside the insured sum.
    pub fn totals(&self) -> Result<super::Totals> {
        self.db(|c| super::totals::totals(c))
    }

    /// Sets the insured sum of the member's contents insurance (øre), or clears it.
    pub fn set_insured_sum(&self, sum: Option<u64>) -> Result<()> {
        self.db(|c| super::totals::set_insured_sum(c, sum))
    }

    /// Items matching `text` as the member types it (prefixes of every word).
    pub fn search(&self, text: &str) -> Result<Vec<Item>> {
        self.db(|c| items::search(c, text))
    }

    /// Imports a JPEG or PNG as a photo of `item`; the photo's id (the existing one if this
    /// photo was imported before).
    pub fn add_photo(&self, item: &str, role: PhotoRole, bytes: &[u8]) -> Result<String> {
        self.item(item)?;
        let inner = &self.inner;
        Ok(inner
            .files
            .add(&inner.store, inner.secrets.as_ref(), item, role, bytes)?)
    }

    /// The JPEG of photo `id`: the 2048 px rendition, or the thumbnail.
    pub fn photo_jpeg(&self, id: &str, thumbnail: bool) -> Result<Vec<u8>> {
        let size = if thumbnail {
            Size::Thumbnail
        } else {
            Size::Large
        };
        Ok(self
            .inner
            .files
            .read(self.inner.secrets.as_ref(), id, size)?)
    }
}

impl MemberData for Inventory {
    fn describe(&self) -> &'static str {
        "inventory"
    }

    fn unsynced_changes(&self) -> Result<u64, StoreError> {
        // Every change the server has not confirmed (until the sync step exists: every
        // change), so a logout never silently erases belongings that live only here.
        self.store.with_conn(|c| {
            let n: i64 = c.query_row(
                "SELECT (SELECT COUNT(*) FROM inventory_item WHERE dirty = 1)
                      + (SELECT COUNT(*) FROM inventory_photo WHERE dirty = 1)",
                [],
                |r| r.get(0),
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    fn erase(&self) -> Result<(), StoreError> {
        self.store.with_conn(|c| {
            c.execute_batch(
                "DELETE FROM inventory_search; DELETE FROM inventory_photo;
                 DELETE FROM inventory_item; DELETE FROM inventory_room;
                 DELETE FROM app_meta WHERE key LIKE 'inventory.%';",
            )?;
            Ok(())
        })?;
        super::report::transfer::forget_all(&self.store);
        self.files
            .erase(self.secrets.as_ref())
            .map_err(|e| match e {
                InventoryError::Store(s) => s,
                InventoryError::SecureStore(s) => StoreError::SecureStore(s),
                _ => StoreError::Io(std::io::ErrorKind::Other),
            })
    }

    fn export(&self) -> Result<serde_json::Value, StoreError> {
        let items = self
            .store
            .with_conn(|c| Ok(items::list(c)))?
            .map_err(|_| StoreError::Corrupt)?;
        Ok(serde_json::Value::Array(
            items
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "id": i.id,
                        "name": i.fields.name,
                        "room": i.fields.room,
                        "brand": i.fields.brand,
                        "model": i.fields.model,
                        "serial_number": i.fields.serial_number,
                        "purchase_price_ore": i.fields.purchase_price,
                        "replacement_value_ore": i.fields.replacement_value,
                        "tags": i.fields.tags,
                        "photos": i.photos.iter().map(|p| serde_json::json!({
                            "id": p.id, "role": p.role.as_str(), "captured_at": p.captured_at,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        ))
    }
}
