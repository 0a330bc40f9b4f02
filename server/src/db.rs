//! The server's SQLite database (the reference server's own data; not encrypted, since it
//! stands in for a backend, not a phone). It holds member records but no private key: those
//! are in key files of their own ([`crate::keyfile`]).
//!
//! The file and its `-wal` and `-shm` companions have mode 0600 (SQLite gives the companions
//! the database file's mode), and deleted content is overwritten (`secure_delete`).

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, Transaction};

use crate::keyfile::{KeyDir, KeyFileError};

/// Why the database failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A file-system failure.
    #[error("server data directory: {0}")]
    Io(#[from] std::io::Error),
    /// An SQLite failure.
    #[error("server database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A handler panicked while holding the connection.
    #[error("server database lock poisoned")]
    Poisoned,
    /// The blocking task that ran a query did not finish.
    #[error("server database task failed")]
    Task,
    /// A key file could not be read or written.
    #[error(transparent)]
    Key(#[from] KeyFileError),
    /// A stored record cannot be migrated (a damaged key, say).
    #[error("server database migration: {0}")]
    Migration(&'static str),
}

/// One schema step: SQL, or code where the step reaches outside the database.
enum Step {
    Sql(&'static str),
    Code(fn(&Transaction<'_>, &KeyDir) -> Result<(), DbError>),
}

/// Schema steps, oldest first; `user_version` records how far a file has come.
const MIGRATIONS: &[Step] = &[
    Step::Sql(
        "CREATE TABLE server_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;",
    ),
    // Demo members the development issuer lets one log in as. `member-42` is the account id
    // the external OpenID Provider's tests log in with, so its tokens find a record here too.
    Step::Sql(
        "CREATE TABLE member (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        union_name TEXT,
        active INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    INSERT INTO member (id, name, union_name, active) VALUES
        ('kari', 'Kari Nordmann', 'Fellesforbundet', 1),
        ('ola', 'Ola Nordmann', 'Fagforbundet', 1),
        ('member-42', 'Test Member member-42', 'Fellesforbundet', 1);",
    ),
    // Roadside assistance: each member's cover, the issuer keys that sign certificates (the
    // previous ones kept for the trust list after a rotation), and the certificates issued,
    // so they can be looked up and revoked. The reference server's database is not encrypted:
    // it stands in for a backend whose keys would live in an HSM.
    Step::Sql(
        "CREATE TABLE roadside_cover (
        member_id TEXT PRIMARY KEY NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        product TEXT NOT NULL CHECK (product IN ('Veihjelp', 'VeihjelpPluss')),
        valid_from TEXT NOT NULL,
        valid_to TEXT NOT NULL,
        vehicle TEXT
    ) STRICT;
    INSERT INTO roadside_cover (member_id, product, valid_from, valid_to, vehicle) VALUES
        ('kari', 'VeihjelpPluss', '2025-01-01', '2035-12-31', 'EV12345'),
        ('ola', 'Veihjelp', '2025-01-01', '2035-12-31', NULL),
        ('member-42', 'VeihjelpPluss', '2025-01-01', '2035-12-31', NULL);
    CREATE TABLE roadside_key (
        kid TEXT PRIMARY KEY NOT NULL,
        secret BLOB NOT NULL,
        not_before INTEGER NOT NULL,
        not_after INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE roadside_certificate (
        id TEXT PRIMARY KEY NOT NULL,
        member_id TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
    ) STRICT;
    CREATE INDEX roadside_certificate_member ON roadside_certificate (member_id);",
    ),
    // The roadside issuer keys' private halves move out to key files; the table keeps each
    // key's public half and period.
    Step::Code(crate::roadside::keys::move_secrets_out),
    // The trust list's sequence number: raised, with its issue time, whenever the set of
    // issuer keys it lists changes (`keys_digest` names that set), so a verifier can refuse
    // an older list.
    Step::Sql(
        "CREATE TABLE roadside_trust_list (
        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        sequence INTEGER NOT NULL,
        issued_at INTEGER NOT NULL,
        keys_digest BLOB NOT NULL
    ) STRICT;",
    ),
    // Consent and privacy rights: the catalogues and notice versions published, the consent
    // ledger, orders, partner shares and inboxes, analytics, the newsletter and privacy
    // requests; and the member's e-mail, phone, birth date and member number.
    Step::Code(crate::consent::schema::migrate),
    // Claim reports sent to an insurer, and the partner inbox made to take them.
    Step::Code(crate::routes::claims::migrate),
];

/// The open database.
pub(crate) struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    /// Opens `data_dir/server.db`, migrating it to the newest schema; steps that move
    /// secrets out write them to `keys`.
    pub(crate) fn open(data_dir: &Path, keys: &KeyDir) -> Result<Self, DbError> {
        crate::private_fs::create_dir(data_dir)?;
        let path = data_dir.join("server.db");
        // Made 0600 before SQLite opens it, so the database and the -wal and -shm files
        // SQLite makes beside it (with the database's mode) are never readable by others.
        crate::private_fs::ensure_private_file(&path)?;
        for companion in ["server.db-wal", "server.db-shm", "server.db-journal"] {
            crate::private_fs::narrow_if_present(&data_dir.join(companion))?;
        }
        lofavor_sqlcipher_crypto::keep_linked();
        let mut conn = Connection::open(&path)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;")?;
        let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let mut migrated = false;
        for (i, step) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(current).unwrap_or(0))
        {
            let tx = conn.transaction()?;
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Code(run) => run(&tx, keys)?,
            }
            tx.pragma_update(
                None,
                "user_version",
                i64::try_from(i + 1).unwrap_or(i64::MAX),
            )?;
            tx.commit()?;
            migrated = true;
        }
        if migrated {
            // Old pages of a migrated table (a private key, say) may still sit in the
            // write-ahead log: copy the new ones into the database and empty the log.
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `f` with the connection.
    pub(crate) fn with_conn<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, DbError> {
        let conn = self.conn.lock().map_err(|_| DbError::Poisoned)?;
        Ok(f(&conn)?)
    }

    /// Runs `f` with the connection, for work that fails in other ways than SQLite does.
    pub(crate) fn with_conn_try<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let conn = self.conn.lock().map_err(|_| DbError::Poisoned)?;
        f(&conn)
    }

    /// Whether the database answers a trivial query.
    pub(crate) fn ping(&self) -> Result<(), DbError> {
        let conn = self.conn.lock().map_err(|_| DbError::Poisoned)?;
        conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }
}
