//! The inventory as the shells see it: `core.inventory()`.

use std::path::PathBuf;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::error::InventoryError;
use super::import::{ImportJob, ImportObserver, PhotoImport};
use super::items;
use super::model::{Item, ItemFields, Photo, PhotoRole, Room};
use super::photos::{Owner, PhotoFiles, Size};
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
    /// Bumped by every erasure (a session ending). Work that started before (an import, a
    /// sync with a request in flight) checks it under the store's lock before each write and
    /// stops, so nothing of one member lands in the store after it was emptied for the next.
    pub(crate) epoch: std::sync::atomic::AtomicU64,
    /// The epoch the running sync started in (one sync runs at a time).
    pub(crate) sync_epoch: std::sync::atomic::AtomicU64,
}

impl Inventory {
    /// The current epoch.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Refuses when the member's data was erased since `started` (call under the store's
    /// lock, right before writing).
    pub(crate) fn still(&self, started: u64) -> Result<(), InventoryError> {
        if self.epoch() == started {
            Ok(())
        } else {
            Err(InventoryError::SessionEnded)
        }
    }
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
                epoch: std::sync::atomic::AtomicU64::new(0),
                sync_epoch: std::sync::atomic::AtomicU64::new(0),
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

    /// Adds an item with its photos: every photo is made into renditions and its files
    /// written first, then the item and the photos' rows go in in one transaction, so a photo
    /// that is refused, or a crash, leaves nothing behind, not even the item. A photo that was
    /// imported before is not attached again; its existing id is returned.
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
        let inner = &self.inner;
        let mut staged: Vec<(String, bool)> = Vec::with_capacity(renditions.len());
        let discard = |staged: &[(String, bool)]| {
            for (id, _) in staged.iter().filter(|(_, new)| *new) {
                inner.files.discard(id);
            }
        };
        for (i, r) in renditions.iter().enumerate() {
            let hash = hex::encode(r.content_hash);
            // The same picture given twice is one photo.
            if let Some(j) = renditions[..i]
                .iter()
                .position(|o| o.content_hash == r.content_hash)
            {
                staged.push((staged[j].0.clone(), false));
                continue;
            }
            let found = self.db(|c| PhotoFiles::existing(c, &hash))?;
            let next = match found {
                Some((id, _)) => Ok((id, false)),
                None => inner
                    .files
                    .stage(inner.secrets.as_ref(), r, None)
                    .map(|id| (id, true)),
            };
            match next {
                Ok(s) => staged.push(s),
                Err(e) => {
                    discard(&staged);
                    return Err(e.into());
                }
            }
        }
        let id = items::new_id();
        let saved = self.db(|c| {
            let tx = c.transaction()?;
            items::save(&tx, &id, &fields)?;
            for ((photo, new), r) in staged.iter().zip(&renditions) {
                if *new {
                    PhotoFiles::insert_row(&tx, photo, Owner::Item(&id), PhotoRole::Item, r)?;
                }
            }
            tx.commit()?;
            Ok(())
        });
        if let Err(e) = saved {
            discard(&staged);
            return Err(e);
        }
        Ok((id, staged.into_iter().map(|(photo, _)| photo).collect()))
    }

    /// Starts importing `photos` off the caller's thread, a few at a time; progress goes to
    /// `observer`. Each photo goes in whole or not at all; a refused one does not stop the
    /// rest.
    pub fn start_import(
        &self,
        photos: Vec<PhotoImport>,
        observer: Arc<dyn ImportObserver>,
    ) -> Result<ImportJob> {
        super::import::start(self.inner.clone(), photos, observer)
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
        let photos = self.item(id)?.photos;
        self.db(|c| {
            let tx = c.transaction()?;
            items::delete(&tx, id)?;
            tx.commit()?;
            Ok(())
        })?;
        // The member deleted it: its photos go from the disk now (the rows stay as
        // tombstones for sync; a file missed here is swept at the next start).
        for photo in photos {
            self.inner.files.discard(&photo.id);
        }
        Ok(())
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

    /// What item `id` is worth today after the depreciation of its category, and why.
    pub fn valuation(&self, id: &str) -> Result<super::Valuation> {
        self.db(|c| {
            let item = items::get(c, id)?;
            let facts = super::depreciation::ValueFacts::from(&item.fields);
            super::depreciation::valuation(c, &facts, super::depreciation::today())
        })
    }

    /// The depreciation rule of `category` (the member's own, or the built-in one).
    pub fn depreciation_rule(&self, category: &str) -> Result<super::DepreciationRule> {
        self.db(|c| super::depreciation::rule(c, Some(category)))
    }

    /// Sets the member's own rule for `category` (percent per whole year, floor percent), or
    /// with `None` goes back to the built-in one.
    pub fn set_depreciation_rule(&self, category: &str, rule: Option<(u32, u32)>) -> Result<()> {
        self.db(|c| super::depreciation::set_rule(c, category, rule))
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

    /// Writes an encrypted backup of every item, room and photo to `path`, opened only by
    /// `passphrase` (at least 8 characters); the number of items in it. Runs off the
    /// caller's thread (the key derivation alone takes a good part of a second).
    pub async fn backup(&self, path: PathBuf, passphrase: String) -> Result<u32> {
        let inner = self.inner.clone();
        let passphrase = Zeroizing::new(passphrase);
        self.inner
            .runtime
            .blocking(move || Ok(super::backup::write(&inner, &path, &passphrase)?))
            .await
    }

    /// Restores the backup at `path`: its items and photos join what is on this phone
    /// (those already here are left as they are).
    pub async fn restore(
        &self,
        path: PathBuf,
        passphrase: String,
    ) -> Result<super::backup::RestoreSummary> {
        let inner = self.inner.clone();
        let passphrase = Zeroizing::new(passphrase);
        self.inner
            .runtime
            .blocking(move || Ok(super::backup::restore(&inner, &path, &passphrase)?))
            .await
    }

    /// The original of photo `id` without its metadata, if the member kept it.
    pub fn photo_original(&self, id: &str) -> Result<Option<Vec<u8>>> {
        match self
            .inner
            .files
            .read(self.inner.secrets.as_ref(), id, Size::Original)
        {
            Ok(bytes) => Ok(Some(bytes)),
            Err(InventoryError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The overview photos of the room named `room`.
    pub fn room_photos(&self, room: &str) -> Result<Vec<Photo>> {
        self.db(|c| PhotoFiles::of_room(c, room))
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
        // Every change the server has not confirmed (the sync outbox), so a logout never
        // silently erases belongings that live only here.
        self.store.with_conn(|c| {
            let n: i64 = c.query_row("SELECT COUNT(*) FROM inventory_outbox", [], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    fn erase(&self) -> Result<(), StoreError> {
        self.store.with_conn(|c| {
            // Under the store's lock: work already running sees it before its next write.
            self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            c.execute_batch(
                "DELETE FROM inventory_search; DELETE FROM inventory_photo;
                 DELETE FROM inventory_item; DELETE FROM inventory_room;
                 DELETE FROM app_meta WHERE key LIKE 'inventory.%';",
            )?;
            c.execute_batch(super::sync::ERASE_SQL)?;
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
        super::export::export(self).map_err(|e| match e {
            InventoryError::Store(s) => s,
            InventoryError::SecureStore(s) => StoreError::SecureStore(s),
            _ => StoreError::Corrupt,
        })
    }
}
