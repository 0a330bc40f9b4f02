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
use super::model::PhotoRole;
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
}

impl PhotoRow {
    pub(crate) fn of(id: &str, item: &str, role: PhotoRole, r: &lofavor_photo::Renditions) -> Self {
        Self {
            id: id.to_owned(),
            item_id: Some(item.to_owned()),
            role: role.as_str().to_owned(),
            content_hash: hex::encode(r.content_hash),
            width: r.large.width,
            height: r.large.height,
            captured_at: r.exif.captured_at.clone(),
        }
    }

    /// Inserts the row; `local` (made on this device) queues it for sync in the same
    /// transaction, while a row from the server is written as the server's.
    pub(crate) fn insert(
        &self,
        tx: &rusqlite::Transaction<'_>,
        local: bool,
    ) -> Result<(), InventoryError> {
        tx.execute(
            "INSERT INTO inventory_photo (id, item_id, role, content_hash, width, height,
                 captured_at, created_at, dirty)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                self.id,
                self.item_id,
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
}

impl Size {
    fn suffix(self) -> &'static str {
        match self {
            Size::Large => "large",
            Size::Thumbnail => "thumb",
        }
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

    fn key(&self, secrets: &dyn SecureStore) -> Result<Zeroizing<[u8; 32]>, InventoryError> {
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
        self.add_renditions(store, secrets, item, role, &renditions)
    }

    /// Stores renditions made by [`import`] as a photo of `role` attached to `item`.
    pub(crate) fn add_renditions(
        &self,
        store: &Store,
        secrets: &dyn SecureStore,
        item: &str,
        role: PhotoRole,
        renditions: &lofavor_photo::Renditions,
    ) -> Result<String, InventoryError> {
        let hash = hex::encode(renditions.content_hash);
        let existing: Option<String> = store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT id FROM inventory_photo WHERE content_hash = ?1 AND deleted_at IS NULL",
                [&hash],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let id = new_id();
        self.write_jpegs(
            secrets,
            &id,
            &renditions.large.jpeg,
            &renditions.thumbnail.jpeg,
        )?;
        let row = PhotoRow::of(&id, item, role, renditions);
        let inserted = store.with_conn(|c| {
            let tx = c.transaction()?;
            if let Err(e) = row.insert(&tx, true) {
                return Ok(Err(e));
            }
            tx.commit()?;
            Ok(Ok(()))
        });
        if let Err(e) = inserted.map_err(InventoryError::from).and_then(|r| r) {
            self.remove(&id);
            return Err(e);
        }
        Ok(id)
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
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
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

    /// Deletes the files of photo `id` (its row was never written).
    pub(crate) fn remove(&self, id: &str) {
        for size in [Size::Large, Size::Thumbnail] {
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
            let mut stmt = c.prepare("SELECT id FROM inventory_photo")?;
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
