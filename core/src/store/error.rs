//! What can go wrong opening or using the local database.

use crate::platform::SecureStoreError;

/// The store's detailed error. `Display` never shows data from the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file exists but the secure store has no key for it. The file is left
    /// as it is: it may still be opened if the key comes back (a restored keystore).
    #[error("the database key is missing from the secure store; the database was left untouched")]
    KeyMissing,
    /// The secure store holds a key of the wrong size.
    #[error("the database key in the secure store is malformed")]
    KeyMalformed,
    /// The key does not open this database (its key check does not match).
    #[error("the database key does not match this database")]
    WrongKey,
    /// The database exists but the header beside it (installation id, key check) is gone.
    #[error("the store header beside the database is missing")]
    HeaderMissing,
    /// The header beside the database cannot be read.
    #[error("the store header beside the database is malformed")]
    HeaderMalformed,
    /// Another process kept the data directory locked while this one waited to open it.
    #[error("another process is opening this data directory; try again")]
    Busy,
    /// The database file is damaged.
    #[error("the database file is corrupt")]
    Corrupt,
    /// The database was written by a newer schema than this build knows.
    #[error("the database has schema version {found}; this build knows up to {known}")]
    TooNew {
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A migration step failed; it was rolled back.
    #[error("migration to schema version {version} failed: {source}")]
    Migration {
        /// The version that could not be reached.
        version: i64,
        /// Why.
        source: rusqlite::Error,
    },
    /// Two registered migration steps claim one version, or a version is missing: a bug in
    /// the build, caught before anything is written.
    #[error("the schema's migration steps do not run in order at version {version}")]
    SchemaGap {
        /// The first version out of order.
        version: i64,
    },
    /// The secure store failed while reading or writing the key.
    #[error(transparent)]
    SecureStore(#[from] SecureStoreError),
    /// A file-system failure.
    #[error("file system: {0}")]
    Io(std::io::ErrorKind),
    /// Any other SQLite failure. SQLite's messages name tables and columns, never values.
    #[error("sqlite: {0}")]
    Sqlite(rusqlite::Error),
    /// The operating system's random generator failed.
    #[error("no randomness available for a new key")]
    NoRandomness,
    /// A thread panicked while holding the connection.
    #[error("the database lock was poisoned by an earlier panic")]
    Poisoned,
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e.kind())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt)
            | Some(rusqlite::ErrorCode::NotADatabase) => StoreError::Corrupt,
            _ => StoreError::Sqlite(e),
        }
    }
}
