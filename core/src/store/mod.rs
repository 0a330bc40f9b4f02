//! The encrypted local database: SQLCipher through rusqlite, opened in one place.
//!
//! [`Store::open`] is the only way to a connection. It fetches (or, the first time,
//! creates) the 32-byte key in the secure store, checks it against the header beside the
//! database, sets the pragmas, and runs the migrations. It never deletes or recreates a
//! database it cannot open: a missing key, a wrong key and a corrupt file are each a
//! clear [`StoreError`], and the file stays as it was.

mod error;
mod header;
mod key;
mod lock;
mod member_data;
mod migrations;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::platform::SecureStore;
pub use error::StoreError;
use header::StoreHeader;
use key::DatabaseKey;
pub use member_data::MemberData;
pub use migrations::{Migration, STORE_MIGRATIONS, Schema};

/// The database's file name inside the data directory.
pub const DATABASE_FILE: &str = "lofavor.db";

/// The open, encrypted database of one installation.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    schema_version: i64,
    installation_id: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("schema_version", &self.schema_version)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the database in `data_dir` with its key from `secrets`, and brings
    /// it to `schema`.
    ///
    /// One process opens a data directory at a time: another opener waits (up to ten
    /// seconds) and is then refused with [`StoreError::Busy`]. Once open, processes share the
    /// database through SQLite's own locking.
    pub fn open(
        data_dir: &Path,
        secrets: &dyn SecureStore,
        schema: &Schema,
    ) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        // Held until the database is migrated: everything below reads what another opener
        // could be writing (header, key, schema).
        let _lock = lock::OpenLock::acquire(data_dir, lock::OPEN_WAIT)?;
        let path = data_dir.join(DATABASE_FILE);
        let exists = path.exists();
        let header = StoreHeader::read(data_dir)?;

        let (key, installation_id) = match (exists, header) {
            (true, None) => return Err(StoreError::HeaderMissing),
            (true, Some(header)) => {
                let secret = secrets
                    .get(&header.key_secret_name())?
                    .ok_or(StoreError::KeyMissing)?;
                let key = DatabaseKey::from_secret(secret)?;
                if key.check_value() != header.key_check {
                    return Err(StoreError::WrongKey);
                }
                (key, header.installation_id)
            }
            // No database yet. Reuse a key a killed first open already stored; otherwise
            // start afresh. Key first, then header, then database: every crash point in
            // between is finished by the next open.
            (false, header) => first_open_key(data_dir, header, secrets)?,
        };

        lofavor_sqlcipher_crypto::keep_linked();
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // SQLCipher logs decryption failures to stderr itself; we report them as typed errors.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.execute_batch(&key.pragma_statement())?;
        drop(key);
        // The first read decrypts page 1: with a verified key, a failure here means the
        // file is damaged.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })?;
        configure(&conn)?;
        let schema_version = migrations::migrate(&mut conn, schema)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            schema_version,
            installation_id,
        })
    }

    /// Runs `f` with the connection. Keep `f` short: it holds the database lock.
    ///
    /// Blocking work off the async workers: SQLCipher calls block (disk, a lock held by
    /// another call), so when `f` is called on a worker of the core's multi-threaded runtime
    /// it runs inside [`tokio::task::block_in_place`], which first hands that worker's other
    /// tasks to a fresh thread; network work never waits behind the database. This is
    /// `spawn_blocking` without its `'static` bound, so a capability's async code calls the
    /// store directly with borrowed data. Elsewhere (the caller's own thread, a
    /// current-thread runtime, the blocking pool) `f` simply runs.
    pub(crate) fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let on_async_worker = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        let locked = || {
            let mut guard: MutexGuard<'_, Connection> =
                self.conn.lock().map_err(|_| StoreError::Poisoned)?;
            f(&mut guard)
        };
        if on_async_worker {
            tokio::task::block_in_place(locked)
        } else {
            locked()
        }
    }

    /// [`Store::with_conn`] for the tests of other crates, which scan the decrypted database
    /// for what must not be there. Only with the `test-hooks` feature, never in an app.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn with_conn_for_tests<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.with_conn(f)
    }

    /// The schema version after migrations.
    pub fn schema_version(&self) -> i64 {
        self.schema_version
    }

    /// The random id of this installation's data directory: it scopes the names of the
    /// installation's secrets in the secure store.
    pub fn installation_id(&self) -> &str {
        &self.installation_id
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLCipher version; empty would mean the build lost its encryption.
    pub fn cipher_version(&self) -> Result<String, StoreError> {
        self.with_conn(|conn| {
            Ok(conn
                .query_row("PRAGMA cipher_version", [], |row| row.get::<_, String>(0))
                .optional()?
                .unwrap_or_default())
        })
    }

    /// Whether the database file on disk is encrypted: SQLCipher is active and the file
    /// does not start with SQLite's plaintext header.
    pub fn is_encrypted_on_disk(&self) -> Result<bool, StoreError> {
        use std::io::Read;
        if self.cipher_version()?.is_empty() {
            return Ok(false);
        }
        let mut head = [0u8; 16];
        let mut file = std::fs::File::open(&self.path)?;
        let read = file.read(&mut head)?;
        Ok(read == 16 && &head != b"SQLite format 3\0")
    }

    /// Compacts the database after an erasure: the write-ahead log is folded in and
    /// truncated, and `VACUUM` rewrites the file without its free pages, so nothing deleted
    /// lingers in the file or beside it (`secure_delete` already zeroes deleted rows).
    pub fn compact(&self) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.execute_batch("VACUUM;")?;
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Reads a setting of the installation.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.with_conn(|conn| {
            Ok(conn
                .query_row("SELECT value FROM app_meta WHERE key = ?1", [key], |row| {
                    row.get(0)
                })
                .optional()?)
        })
    }

    /// Writes a setting of the installation.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.execute(
                "INSERT INTO app_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }
}

fn first_open_key(
    data_dir: &Path,
    header: Option<StoreHeader>,
    secrets: &dyn SecureStore,
) -> Result<(DatabaseKey, String), StoreError> {
    if let Some(header) = header
        && let Some(secret) = secrets.get(&header.key_secret_name())?
        && let Ok(key) = DatabaseKey::from_secret(secret)
        && key.check_value() == header.key_check
    {
        return Ok((key, header.installation_id));
    }
    let key = DatabaseKey::generate()?;
    let header = StoreHeader::new(key.check_value());
    secrets.put(&header.key_secret_name(), key.as_bytes())?;
    header.write(data_dir)?;
    Ok((key, header.installation_id))
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    // First: a process that has the database open may hold a lock for a moment.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL: readers do not block the writer, and a killed process loses at most the last
    // uncommitted transaction. SQLCipher encrypts the WAL pages too.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        log::warn!(target: "lofavor_core::store", "journal mode is {mode}, not WAL");
    }
    // secure_delete: a row the member's logout removes is overwritten, not left in a free
    // page that anyone holding the key could still read.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA secure_delete = ON;",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
