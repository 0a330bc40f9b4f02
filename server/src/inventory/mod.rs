//! Husk Hva Du Har on the server: the members' items and photos as merged records in SQLite
//! (`inventory/inventory.db` in the data directory, the capability's own file and tables),
//! and the photos' blobs on disk beside it, encrypted and per member ([`blobs`]).

pub(crate) mod blobs;
pub(crate) mod faults;
pub(crate) mod records;

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::db::DbError;

/// The folder of the inventory in the data directory.
pub const INVENTORY_DIR: &str = "inventory";

/// The key file of the blob key (in the inventory folder, beside the blobs but never in the
/// database): 32 random bytes, mode 0600. Not in the key directory, which holds the P-256
/// signing keys only.
const BLOB_KEY: &str = "blob.key";

/// The inventory's database and blobs.
pub(crate) struct Inventory {
    pub(crate) db: Mutex<Connection>,
    pub(crate) blobs: blobs::Blobs,
}

fn blob_key(keys: &Path) -> Result<Zeroizing<[u8; 32]>, DbError> {
    crate::private_fs::create_dir(keys)?;
    let path = keys.join(BLOB_KEY);
    if !path.exists() {
        let key = Zeroizing::new(rand::random::<[u8; 32]>());
        let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(keys)?;
        tmp.write_all(key.as_slice())?;
        tmp.as_file().sync_all()?;
        // Never replaces a key another start made meanwhile: blobs sealed under it would be lost.
        tmp.persist_noclobber(&path)
            .map_err(|e| DbError::Io(e.error))?;
    }
    let raw = Zeroizing::new(std::fs::read(&path)?);
    let key: [u8; 32] = raw
        .as_slice()
        .try_into()
        .map_err(|_| DbError::Io(std::io::ErrorKind::InvalidData.into()))?;
    Ok(Zeroizing::new(key))
}

impl Inventory {
    /// Opens (and makes) the inventory under `data_dir`.
    pub(crate) fn open(data_dir: &Path) -> Result<Self, DbError> {
        let dir = data_dir.join(INVENTORY_DIR);
        crate::private_fs::create_dir(&dir)?;
        let path = dir.join("inventory.db");
        crate::private_fs::ensure_private_file(&path)?;
        let mut conn = Connection::open(&path)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in records::MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(current).unwrap_or(0))
        {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(
                None,
                "user_version",
                i64::try_from(i + 1).unwrap_or(i64::MAX),
            )?;
            tx.commit()?;
        }
        Ok(Self {
            db: Mutex::new(conn),
            blobs: blobs::Blobs::new(dir.join("blobs"), blob_key(&dir)?),
        })
    }
}
