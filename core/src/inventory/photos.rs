//! Photo files: each rendition sealed with XChaCha20-Poly1305 under the photo key (32 random
//! bytes in the SecureStore, never in the database or a file) and written under `photos/` to
//! a temporary name, synced and renamed, so a crash never leaves half a file. The database
//! row comes last; files without a row (a crash in between) are swept at the next start.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::error::InventoryError;
use super::items::new_id;
use super::model::{Photo, PhotoRole};
use crate::platform::SecureStore;
use crate::store::Store;
use crate::time::now_unix;

/// The folder of the sealed photo files, inside the data directory.
pub const PHOTO_DIR: &str = "photos";

/// The renditions of `bytes` (JPEG or PNG), within the default limits.
pub(crate) fn import(bytes: &[u8]) -> Result<lofavor_photo::Renditions, InventoryError> {
    Ok(lofavor_photo::import(
        bytes,
        &lofavor_photo::Limits::default(),
    )?)
}

/// A photo's row, written after its files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct PhotoRow {
    pub(crate) id: String,
    pub(crate) item_id: Option<String>,
    pub(crate) role: String,
    /// SHA-256 of the bytes imported (hex): the same photo is kept once.
    pub(crate) content_hash: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) captured_at: Option<String>,
    /// The room a room overview shows, by name (created if new).
    pub(crate) room: Option<String>,
}

impl PhotoRow {
    /// Inserts the row; `local` (made on this device) queues it for sync in the same
    /// transaction, while a row from the server is written as the server's.
    pub(crate) fn insert(
        &self,
        tx: &rusqlite::Transaction<'_>,
        local: bool,
    ) -> Result<(), InventoryError> {
        let room = match &self.room {
            Some(name) => Some(super::items::room_id(
                tx,
                &super::items::checked_room(name)?,
            )?),
            None => None,
        };
        tx.execute(
            "INSERT INTO inventory_photo (id, item_id, room_id, role, content_hash, width,
                 height, captured_at, created_at, dirty)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                self.id,
                self.item_id,
                room,
                self.role,
                self.content_hash,
                self.width,
                self.height,
                self.captured_at,
                now_unix(),
                local
            ],
        )?;
        if local {
            super::sync::outbox::record(tx, "photo", &self.id, &["*"], false)?;
        }
        Ok(())
    }
}

/// Which rendition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// 2048 px.
    Large,
    /// 320 px.
    Thumbnail,
    /// The JPEG as the camera wrote it, metadata (GPS included) removed; kept only when the
    /// member asks for it.
    Original,
}

impl Size {
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Size::Large => "large",
            Size::Thumbnail => "thumb",
            Size::Original => "orig",
        }
    }
}

/// A photo's row, without its owner.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct PhotoRecord {
    /// Id (32 hex digits; also the name of its files).
    pub id: String,
    /// What it shows.
    pub role: PhotoRole,
    /// SHA-256 of the photo as imported, hex.
    pub content_hash: String,
    /// The large rendition's width.
    pub width: u32,
    /// The large rendition's height.
    pub height: u32,
    /// EXIF DateTimeOriginal.
    pub captured_at: Option<String>,
}

/// Whether `id` can name a photo's files: 32 hex digits, nothing that could reach another
/// folder.
pub(crate) fn is_photo_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What a photo is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner<'a> {
    /// An item, by id.
    Item(&'a str),
    /// A room, by id (an overview of the room).
    Room(&'a str),
}

/// The original of `bytes` as the member may keep it: a JPEG without any metadata segment
/// (so no GPS), or nothing for a PNG, whose large rendition already keeps every pixel a
/// screenshot or a scan has.
pub(crate) fn original_to_keep(bytes: &[u8]) -> Result<Option<Vec<u8>>, InventoryError> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        Ok(Some(lofavor_photo::strip_metadata(bytes)?))
    } else {
        Ok(None)
    }
}

/// Where the photos are, and their key.
pub(crate) struct PhotoFiles {
    dir: PathBuf,
    key_name: String,
}

impl PhotoFiles {
    pub(crate) fn new(store: &Store) -> Self {
        let dir = store
            .path()
            .parent()
            .map_or_else(|| PathBuf::from(PHOTO_DIR), |d| d.join(PHOTO_DIR));
        Self {
            dir,
            key_name: format!("photo-key.{}", store.installation_id()),
        }
    }

    /// The photo key, made on first use.
    pub(crate) fn key(
        &self,
        secrets: &dyn SecureStore,
    ) -> Result<Zeroizing<[u8; 32]>, InventoryError> {
        if let Some(raw) = secrets.get(&self.key_name)? {
            let key: [u8; 32] = raw
                .as_slice()
                .try_into()
                .map_err(|_| InventoryError::File("the photo key is malformed".into()))?;
            return Ok(Zeroizing::new(key));
        }
        let key = Zeroizing::new(rand::random::<[u8; 32]>());
        secrets.put(&self.key_name, key.as_slice())?;
        Ok(key)
    }

    fn path(&self, id: &str, size: Size) -> PathBuf {
        self.dir.join(format!("{id}.{}", size.suffix()))
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), InventoryError> {
        std::fs::create_dir_all(&self.dir)?;
        let mut file = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&self.dir)?;
        file.write_all(bytes)?;
        file.as_file().sync_all()?;
        file.persist(path)
            .map_err(|e| InventoryError::from(e.error))?;
        Ok(())
    }

    /// Imports `bytes` as a photo of `role` attached to `item`; the id of the photo (an
    /// existing one when the same photo was imported before).
    pub(crate) fn add(
        &self,
        store: &Store,
        secrets: &dyn SecureStore,
        item: &str,
        role: PhotoRole,
        bytes: &[u8],
    ) -> Result<String, InventoryError> {
        let renditions = import(bytes)?;
        Ok(self
            .add_renditions(store, secrets, Owner::Item(item), role, &renditions, None)?
            .0)
    }

    /// The photo with content hash `hash`, if there is one: its id and its item.
    pub(crate) fn existing(
        conn: &rusqlite::Connection,
        hash: &str,
    ) -> Result<Option<(String, Option<String>)>, InventoryError> {
        Ok(conn
            .query_row(
                "SELECT id, item_id FROM inventory_photo
                 WHERE content_hash = ?1 AND deleted_at IS NULL",
                [hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Writes the sealed files of a new photo (no row yet): its id. Nothing is left behind
    /// when this fails; files whose row never comes are swept at the next start.
    pub(crate) fn stage(
        &self,
        secrets: &dyn SecureStore,
        renditions: &lofavor_photo::Renditions,
        original: Option<&[u8]>,
    ) -> Result<String, InventoryError> {
        self.stage_with(&*self.key(secrets)?, renditions, original)
    }

    /// [`Self::stage`] with the photo key in hand (an import takes it under the store's
    /// lock, so none is made after an erasure).
    pub(crate) fn stage_with(
        &self,
        key: &[u8; 32],
        renditions: &lofavor_photo::Renditions,
        original: Option<&[u8]>,
    ) -> Result<String, InventoryError> {
        let id = new_id();
        let files = [
            (Size::Large, Some(renditions.large.jpeg.as_slice())),
            (Size::Thumbnail, Some(renditions.thumbnail.jpeg.as_slice())),
            (Size::Original, original),
        ];
        for (size, jpeg) in files {
            let Some(jpeg) = jpeg else { continue };
            if let Err(e) = self.seal_file(key, &id, size, jpeg) {
                self.discard(&id);
                return Err(e);
            }
        }
        Ok(id)
    }

    /// The row of staged photo `id`, attached to `owner`: written last, in the caller's
    /// transaction, so a row never points at a missing file.
    pub(crate) fn insert_row(
        tx: &rusqlite::Transaction<'_>,
        id: &str,
        owner: Owner<'_>,
        role: PhotoRole,
        renditions: &lofavor_photo::Renditions,
    ) -> Result<(), InventoryError> {
        Self::insert_record(
            tx,
            &PhotoRecord {
                id: id.to_owned(),
                role,
                content_hash: hex::encode(renditions.content_hash),
                width: renditions.large.width,
                height: renditions.large.height,
                captured_at: renditions.exif.captured_at.clone(),
            },
            owner,
        )
    }

    /// The row of a photo whose files are in place, attached to `owner`, made on this
    /// device: queued for sync in the same transaction.
    pub(crate) fn insert_record(
        tx: &rusqlite::Transaction<'_>,
        photo: &PhotoRecord,
        owner: Owner<'_>,
    ) -> Result<(), InventoryError> {
        let (item, room) = match owner {
            Owner::Item(item) => (Some(item), None),
            Owner::Room(room) => (None, Some(room)),
        };
        tx.execute(
            "INSERT INTO inventory_photo (id, item_id, room_id, role, content_hash, width,
                 height, captured_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                photo.id,
                item,
                room,
                photo.role.as_str(),
                photo.content_hash,
                photo.width,
                photo.height,
                photo.captured_at,
                now_unix()
            ],
        )?;
        super::sync::outbox::record(tx, "photo", &photo.id, &["*"], false)?;
        Ok(())
    }

    /// Seals `plain` as rendition `size` of photo `id` (no row yet; see [`Self::stage`]).
    pub(crate) fn stage_file(
        &self,
        secrets: &dyn SecureStore,
        id: &str,
        size: Size,
        plain: &[u8],
    ) -> Result<(), InventoryError> {
        self.seal_file(&*self.key(secrets)?, id, size, plain)
    }

    fn seal_file(
        &self,
        key: &[u8; 32],
        id: &str,
        size: Size,
        plain: &[u8],
    ) -> Result<(), InventoryError> {
        if !is_photo_id(id) {
            return Err(InventoryError::InvalidInput("a photo id is malformed"));
        }
        let context = format!("{id}/{}", size.suffix());
        let sealed = lofavor_photo::seal(key, context.as_bytes(), plain)?;
        self.write(&self.path(id, size), &sealed)
    }

    /// Stores renditions made by [`import`] (and the original, if the member keeps it) as a
    /// photo of `role` attached to `owner`: the photo's id, and whether it was there before
    /// (the same photo imported twice, perhaps by two imports at once, is one photo).
    pub(crate) fn add_renditions(
        &self,
        store: &Store,
        secrets: &dyn SecureStore,
        owner: Owner<'_>,
        role: PhotoRole,
        renditions: &lofavor_photo::Renditions,
        original: Option<&[u8]>,
    ) -> Result<(String, bool), InventoryError> {
        let hash = hex::encode(renditions.content_hash);
        if let Some((id, _)) = store.with_conn(|c| Ok(Self::existing(c, &hash)))?? {
            return Ok((id, true));
        }
        let id = self.stage(secrets, renditions, original)?;
        let inserted = store
            .with_conn(|c| {
                let tx = c.transaction()?;
                Ok(Self::insert_row(&tx, &id, owner, role, renditions).map(|()| tx.commit()))
            })
            .map_err(InventoryError::from)
            .and_then(|r| r.and_then(|committed| Ok(committed?)));
        if let Err(e) = inserted {
            self.discard(&id);
            // Another import of the same photo won the race: that photo is this one.
            if let Some((id, _)) = store.with_conn(|c| Ok(Self::existing(c, &hash)))?? {
                return Ok((id, true));
            }
            return Err(e);
        }
        Ok((id, false))
    }

    /// The overview photos of the room named `room`, oldest first.
    pub(crate) fn of_room(
        conn: &rusqlite::Connection,
        room: &str,
    ) -> Result<Vec<Photo>, InventoryError> {
        let mut stmt = conn.prepare(
            "SELECT p.id, p.role, p.width, p.height, p.captured_at
             FROM inventory_photo p JOIN inventory_room r ON r.id = p.room_id
             WHERE r.name = ?1 AND r.deleted_at IS NULL AND p.deleted_at IS NULL
             ORDER BY p.created_at, p.rowid",
        )?;
        let rows = stmt.query_map([room], |r| {
            Ok(Photo {
                id: r.get(0)?,
                role: PhotoRole::parse(&r.get::<_, String>(1)?).unwrap_or(PhotoRole::RoomOverview),
                width: r.get(2)?,
                height: r.get(3)?,
                captured_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Seals and writes both renditions of photo `id`; no row yet (a crash before the row is
    /// written leaves files the next start sweeps).
    pub(crate) fn write_jpegs(
        &self,
        secrets: &dyn SecureStore,
        id: &str,
        large: &[u8],
        thumb: &[u8],
    ) -> Result<(), InventoryError> {
        if !is_photo_id(id) {
            return Err(InventoryError::InvalidInput("a photo id is malformed"));
        }
        let key = self.key(secrets)?;
        for (size, jpeg) in [(Size::Large, large), (Size::Thumbnail, thumb)] {
            let context = format!("{id}/{}", size.suffix());
            let sealed = lofavor_photo::seal(&key, context.as_bytes(), jpeg)?;
            self.write(&self.path(id, size), &sealed)?;
        }
        Ok(())
    }

    /// The JPEG of rendition `size` of photo `id`.
    pub(crate) fn read(
        &self,
        secrets: &dyn SecureStore,
        id: &str,
        size: Size,
    ) -> Result<Vec<u8>, InventoryError> {
        if !is_photo_id(id) {
            return Err(InventoryError::NotFound);
        }
        let sealed = match std::fs::read(self.path(id, size)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(InventoryError::NotFound);
            }
            Err(e) => return Err(e.into()),
        };
        let key = self.key(secrets)?;
        let context = format!("{id}/{}", size.suffix());
        Ok(lofavor_photo::open(&key, context.as_bytes(), &sealed)?)
    }

    /// Deletes the files of photo `id` unless a row owns them (another restore, download or
    /// import wrote the same photo meanwhile: its files are that row's now).
    pub(crate) fn discard_unowned(&self, store: &Store, id: &str) {
        let owned = store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM inventory_photo WHERE id = ?1",
                [id],
                |r| r.get::<_, i64>(0),
            )?)
        });
        if !matches!(owned, Ok(n) if n > 0) {
            self.discard(id);
        }
    }

    /// Whether rendition `size` of photo `id` is on disk.
    pub(crate) fn has(&self, id: &str, size: Size) -> bool {
        is_photo_id(id) && self.path(id, size).is_file()
    }

    /// Deletes the files of photo `id` (staged, or its row gone).
    pub(crate) fn discard(&self, id: &str) {
        if !is_photo_id(id) {
            return;
        }
        for size in [Size::Large, Size::Thumbnail, Size::Original] {
            let _ = std::fs::remove_file(self.path(id, size));
        }
    }

    /// Deletes files no row points at (a crash between the files and the row) and
    /// temporary files left by a crash while writing.
    pub(crate) fn sweep(&self, store: &Store) -> Result<u32, InventoryError> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Ok(0);
        };
        let known: std::collections::HashSet<String> = store.with_conn(|c| {
            // A deleted photo keeps its row as a tombstone for sync, but not its pixels.
            let mut stmt = c.prepare("SELECT id FROM inventory_photo WHERE deleted_at IS NULL")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })?;
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let id = name.split('.').next().unwrap_or_default();
            if (name.starts_with(".tmp-") || !known.contains(id))
                && std::fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Deletes every photo file and the key (erasure: nothing of the member stays, and the
    /// next member's photos get a new key).
    pub(crate) fn erase(&self, secrets: &dyn SecureStore) -> Result<(), InventoryError> {
        match std::fs::remove_dir_all(&self.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        secrets.delete(&self.key_name)?;
        Ok(())
    }
}
