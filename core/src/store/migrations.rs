//! Versioned schema migrations, applied in order by the one initializer.
//!
//! The schema version is SQLite's `user_version`. Each step runs in its own transaction
//! together with the version bump, so a process killed half-way leaves the database at the
//! previous version, whole, and the step runs again on the next open. Steps are only ever
//! appended; a released step is never edited.

use rusqlite::Connection;

use super::StoreError;

/// One step: the version it brings the database to, and its SQL.
struct Migration {
    version: i64,
    sql: &'static str,
}

/// All steps, oldest first. Capabilities add their tables here as new versions.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: "
            -- Small settings of the installation (locale chosen by the member, feature flags).
            CREATE TABLE app_meta (
                key   TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) STRICT;
        ",
    },
    Migration {
        version: 2,
        sql: "
            -- Logins under way (survive process death while the browser is open).
            CREATE TABLE auth_pending (
                state         TEXT PRIMARY KEY NOT NULL,
                nonce         TEXT NOT NULL,
                pkce_verifier TEXT NOT NULL,
                redirect_uri  TEXT NOT NULL,
                expires_at    INTEGER NOT NULL
            ) STRICT;
            -- The logged-in member, for offline display. One row at most.
            CREATE TABLE auth_member (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                subject    TEXT NOT NULL,
                name       TEXT,
                updated_at INTEGER NOT NULL
            ) STRICT;
        ",
    },
    Migration {
        version: 3,
        sql: "
            -- The member's union membership, for the member's own offline display. Special-
            -- category data (GDPR art. 9): encrypted at rest like the rest, never logged.
            ALTER TABLE auth_member ADD COLUMN membership_union TEXT;
            ALTER TABLE auth_member ADD COLUMN membership_active INTEGER;
        ",
    },
    Migration {
        version: 4,
        sql: "
            -- The member's latest roadside-assistance certificate, shown offline. One row at
            -- most; erased at logout. Times are Unix seconds.
            CREATE TABLE roadside_certificate (
                id             INTEGER PRIMARY KEY CHECK (id = 1),
                payload        TEXT NOT NULL,
                certificate_id TEXT NOT NULL,
                expires_at     INTEGER NOT NULL,
                fetched_at     INTEGER NOT NULL
            ) STRICT;
            -- What a field worker's app checks certificates against offline: the trust list
            -- and the signed revocation list as fetched. Not the member's data: kept at logout.
            CREATE TABLE roadside_trust_cache (
                kind       TEXT PRIMARY KEY NOT NULL CHECK (kind IN ('trust_list', 'revocations')),
                bytes      BLOB NOT NULL,
                fetched_at INTEGER NOT NULL
            ) STRICT;
        ",
    },
];

/// The newest schema version this build knows.
pub const LATEST_VERSION: i64 = match MIGRATIONS.last() {
    Some(m) => m.version,
    None => 0,
};

/// Brings the database up to [`LATEST_VERSION`]; refuses a database from a newer build.
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64, StoreError> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > LATEST_VERSION {
        return Err(StoreError::TooNew {
            found: current,
            known: LATEST_VERSION,
        });
    }
    apply_after(conn, current)?;
    Ok(LATEST_VERSION)
}

/// Applies the steps after version `seen` (the version read when the open began; another
/// connection may have migrated since).
fn apply_after(conn: &mut Connection, seen: i64) -> Result<(), StoreError> {
    for step in MIGRATIONS.iter().filter(|m| m.version > seen) {
        let fail = |source| StoreError::Migration {
            version: step.version,
            source,
        };
        // IMMEDIATE takes the write lock before the version is read again: of two
        // connections that both saw the old version, the second finds the step done.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let now: i64 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(fail)?;
        if now >= step.version {
            continue;
        }
        tx.execute_batch(step.sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", step.version)
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        log::info!(target: "lofavor_core::store", "database migrated to schema {}", step.version);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_by_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op_and_newer_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST_VERSION);
        assert_eq!(migrate(&mut conn).unwrap(), LATEST_VERSION);
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        assert!(matches!(migrate(&mut conn), Err(StoreError::TooNew { .. })));
    }

    #[test]
    fn a_connection_that_saw_an_old_version_does_not_apply_a_step_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut first = Connection::open(&path).unwrap();
        let mut second = Connection::open(&path).unwrap();
        // `second` read version 0; `first` migrates before `second` goes on.
        migrate(&mut first).unwrap();
        apply_after(&mut second, 0).unwrap();
        let version: i64 = second
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, LATEST_VERSION);
    }
}
