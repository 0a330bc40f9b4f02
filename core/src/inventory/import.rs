//! Importing many photos at once, off the caller's thread: a few workers (bounded, so a
//! phone's memory holds at most that many decoded photos at a time) take the photos in
//! order, each photo is made whole or not at all, progress goes to the shell's observer, and
//! a cancel stops the photos not yet started. A photo that is refused does not stop the rest.

use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::error::InventoryError;
use super::handle::Inventory;
use super::items;
use super::model::{ItemFields, PhotoRole};
use super::photos::{self, Owner};
use crate::error::{Error, ErrorKind, Result};

/// Where a photo's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoSource {
    /// The bytes themselves (JPEG or PNG), e.g. from the platform's photo picker.
    Bytes(Vec<u8>),
    /// A file to read (JPEG or PNG); read with the pipeline's byte cap, never whole if larger.
    File(PathBuf),
}

/// What an imported photo is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportTarget {
    /// A new item with these fields; the photo is its item photo.
    NewItem(Box<ItemFields>),
    /// An existing item, in this role.
    Item {
        /// The item's id.
        item_id: String,
        /// What the photo shows.
        role: PhotoRole,
    },
    /// An overview of the room with this name (created if new).
    Room(String),
}

/// One photo to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoImport {
    /// Its bytes.
    pub source: PhotoSource,
    /// Where it goes.
    pub target: ImportTarget,
    /// Whether to keep the original too (a JPEG without its metadata, so without GPS).
    pub keep_original: bool,
}

/// A photo that went in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPhoto {
    /// The item it belongs to (none for a room overview).
    pub item_id: Option<String>,
    /// The photo's id.
    pub photo_id: String,
    /// The same photo was there already: nothing new was stored.
    pub duplicate: bool,
}

/// What became of one photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Its place in the request list.
    pub index: u32,
    /// Imported, or why not (the error's kind and reason; never the photo's content).
    pub result: std::result::Result<ImportedPhoto, Error>,
}

/// How far an import is; handed to the observer after each photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProgress {
    /// Photos finished (imported or refused).
    pub done: u32,
    /// Photos in the import.
    pub total: u32,
    /// The photo just finished.
    pub outcome: ImportOutcome,
}

/// Receives an import's progress. Called from the import's worker threads, one call at a
/// time; it must return quickly and must not wait on the core (re-entrancy: calling the core
/// from it is allowed, blocking until another core call ends is not).
pub trait ImportObserver: Send + Sync {
    /// One more photo is finished.
    fn on_progress(&self, progress: ImportProgress);
}

/// The end of an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    /// Every photo's outcome, in request order (photos never started are left out).
    pub outcomes: Vec<ImportOutcome>,
    /// Photos not started because the import was cancelled.
    pub cancelled: u32,
}

impl ImportSummary {
    /// Photos that went in (duplicates included).
    pub fn imported(&self) -> u32 {
        self.count(|r| r.is_ok())
    }

    /// Photos refused.
    pub fn refused(&self) -> u32 {
        self.count(|r| r.is_err())
    }

    fn count(&self, f: impl Fn(&std::result::Result<ImportedPhoto, Error>) -> bool) -> u32 {
        u32::try_from(self.outcomes.iter().filter(|o| f(&o.result)).count()).unwrap_or(u32::MAX)
    }
}

/// A running import: cancel it, or wait for its summary. Dropping it does not stop it.
#[derive(Debug)]
pub struct ImportJob {
    cancelled: Arc<AtomicBool>,
    done: Mutex<Option<tokio::sync::oneshot::Receiver<ImportSummary>>>,
}

impl ImportJob {
    /// Stops the import after the photos being worked on now; they are finished whole.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Waits for the import to end; its summary. Only the first call gets it.
    pub async fn finish(&self) -> Result<ImportSummary> {
        let receiver = self
            .done
            .lock()
            .map_err(|_| Error::new(ErrorKind::Internal, "import state poisoned"))?
            .take()
            .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "the import was awaited already"))?;
        receiver
            .await
            .map_err(|_| Error::new(ErrorKind::Internal, "the import stopped unexpectedly"))
    }
}

/// How many photos are decoded at once: the cores there are, at most 4 (a 48 MP photo needs
/// about 35 MiB while it is worked on).
fn workers(photos: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    cores.clamp(1, 4).min(photos.max(1))
}

/// What the workers share.
struct Shared {
    inventory: Arc<Inventory>,
    queue: Mutex<VecDeque<(u32, PhotoImport)>>,
    cancelled: Arc<AtomicBool>,
    observer: Arc<dyn ImportObserver>,
    /// Outcomes so far; the lock also keeps observer calls one at a time and in step.
    outcomes: Mutex<Vec<ImportOutcome>>,
    total: u32,
    /// The inventory's epoch when the import started: an erasure since stops it.
    epoch: u64,
}

/// Starts importing `photos` on the core's runtime.
pub(crate) fn start(
    inventory: Arc<Inventory>,
    photos: Vec<PhotoImport>,
    observer: Arc<dyn ImportObserver>,
) -> Result<ImportJob> {
    let handle = inventory.runtime.handle()?.clone();
    let inventory_epoch = inventory.epoch();
    let total = u32::try_from(photos.len())
        .map_err(|_| Error::new(ErrorKind::InvalidInput, "too many photos in one import"))?;
    let count = workers(photos.len());
    let cancelled = Arc::new(AtomicBool::new(false));
    let shared = Arc::new(Shared {
        inventory,
        queue: Mutex::new((0..total).zip(photos).collect()),
        cancelled: cancelled.clone(),
        observer,
        outcomes: Mutex::new(Vec::new()),
        total,
        epoch: inventory_epoch,
    });
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let coordinator = handle.clone();
    handle.spawn(async move {
        let tasks: Vec<_> = (0..count)
            .map(|_| {
                let shared = shared.clone();
                coordinator.spawn_blocking(move || work(&shared))
            })
            .collect();
        for task in tasks {
            // A worker that panicked has finished its photo as refused already (see `work`).
            let _ = task.await;
        }
        let mut outcomes = shared
            .outcomes
            .lock()
            .map(|mut o| std::mem::take(&mut *o))
            .unwrap_or_default();
        outcomes.sort_by_key(|o| o.index);
        let finished = u32::try_from(outcomes.len()).unwrap_or(u32::MAX);
        let _ = sender.send(ImportSummary {
            outcomes,
            cancelled: shared.total.saturating_sub(finished),
        });
    });
    Ok(ImportJob {
        cancelled,
        done: Mutex::new(Some(receiver)),
    })
}

/// One worker: takes photos until none are left or the import is cancelled.
fn work(shared: &Shared) {
    loop {
        // Cancelled, or the session ended (the member's data erased): what is left is not
        // started.
        if shared.cancelled.load(Ordering::SeqCst) || shared.inventory.epoch() != shared.epoch {
            return;
        }
        let next = shared.queue.lock().ok().and_then(|mut q| q.pop_front());
        let Some((index, photo)) = next else { return };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            import_one(&shared.inventory, photo, shared.epoch)
        }))
        .unwrap_or_else(|_| Err(InventoryError::InvalidInput("the photo could not be read")))
        .map_err(Error::from);
        let outcome = ImportOutcome { index, result };
        if let Ok(mut outcomes) = shared.outcomes.lock() {
            outcomes.push(outcome.clone());
            let done = u32::try_from(outcomes.len()).unwrap_or(u32::MAX);
            shared.observer.on_progress(ImportProgress {
                done,
                total: shared.total,
                outcome,
            });
        }
    }
}

/// Reads `source`, never more than the pipeline's byte cap (plus one, to tell it is over).
fn read(source: PhotoSource) -> Result<Vec<u8>, InventoryError> {
    match source {
        PhotoSource::Bytes(bytes) => Ok(bytes),
        PhotoSource::File(path) => {
            let cap = lofavor_photo::Limits::default().max_bytes;
            let mut bytes = Vec::new();
            std::fs::File::open(path)?
                .take(u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1))
                .read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

/// Imports one photo whole: the renditions are made and the files written before the item
/// and the photo's row go in, together, in one transaction; so a refused photo or a crash
/// leaves no item without its photo and no row without its files. The same photo twice is
/// one photo: imported again for a new item, it makes no second item.
pub(crate) fn import_one(
    inventory: &Inventory,
    photo: PhotoImport,
    epoch: u64,
) -> Result<ImportedPhoto, InventoryError> {
    let bytes = read(photo.source)?;
    let renditions = photos::import(&bytes)?;
    let original = if photo.keep_original {
        photos::original_to_keep(&bytes)?
    } else {
        None
    };
    drop(bytes);
    let target = match photo.target {
        ImportTarget::NewItem(fields) => ImportTarget::NewItem(Box::new(items::checked(*fields)?)),
        ImportTarget::Room(name) => ImportTarget::Room(items::checked_room(&name)?),
        other => other,
    };
    let store = &inventory.store;
    let hash = hex::encode(renditions.content_hash);
    let found = store.with_conn(|c| Ok(photos::PhotoFiles::existing(c, &hash)))??;
    if let Some((photo_id, item_id)) = found {
        return Ok(ImportedPhoto {
            item_id,
            photo_id,
            duplicate: true,
        });
    }
    // The key is taken under the store's lock, where an erasure bumps the epoch: none is
    // made for a member who is gone (an erasure after this deletes the key it finds).
    let key = store.with_conn(|_| {
        Ok(inventory
            .still(epoch)
            .and_then(|()| inventory.files.key(inventory.secrets.as_ref())))
    })??;
    let photo_id = inventory
        .files
        .stage_with(&key, &renditions, original.as_deref())?;
    let saved = store.with_conn(|c| {
        Ok(inventory
            .still(epoch)
            .and_then(|()| attach(c, &photo_id, target, &renditions)))
    })?;
    match saved {
        Ok(item_id) => Ok(ImportedPhoto {
            item_id,
            photo_id,
            duplicate: false,
        }),
        Err(e) => {
            inventory.files.discard(&photo_id);
            // Another import of the same photo won the race: that photo is this one.
            let found = store.with_conn(|c| Ok(photos::PhotoFiles::existing(c, &hash)))??;
            match found {
                Some((photo_id, item_id)) => Ok(ImportedPhoto {
                    item_id,
                    photo_id,
                    duplicate: true,
                }),
                None => Err(e),
            }
        }
    }
}

/// Writes the owner (a new item or room, when the target makes one) and the row of staged
/// photo `photo_id` in one transaction; the item's id.
fn attach(
    conn: &mut rusqlite::Connection,
    photo_id: &str,
    target: ImportTarget,
    renditions: &lofavor_photo::Renditions,
) -> Result<Option<String>, InventoryError> {
    let tx = conn.transaction()?;
    let item = match target {
        ImportTarget::NewItem(fields) => {
            let id = items::new_id();
            items::save(&tx, &id, &fields)?;
            photos::PhotoFiles::insert_row(
                &tx,
                photo_id,
                Owner::Item(&id),
                PhotoRole::Item,
                renditions,
            )?;
            Some(id)
        }
        ImportTarget::Item { item_id, role } => {
            items::get(&tx, &item_id)?;
            photos::PhotoFiles::insert_row(&tx, photo_id, Owner::Item(&item_id), role, renditions)?;
            Some(item_id)
        }
        ImportTarget::Room(name) => {
            let room = items::room_id(&tx, &name)?;
            photos::PhotoFiles::insert_row(
                &tx,
                photo_id,
                Owner::Room(&room),
                PhotoRole::RoomOverview,
                renditions,
            )?;
            None
        }
    };
    tx.commit()?;
    Ok(item)
}
