//! Versioned schema migrations, applied in order by the one initializer.
//!
//! Each capability owns its tables: its steps live in its own folder (`schema.rs`) and are
//! registered, with the store's own, in one ordered list when the core opens (a [`Schema`]).
//! Versions are global, because the schema version is SQLite's one `user_version`: a new
//! step takes the next free number, whichever capability it belongs to, and a released step
//! is never edited.
//!
//! Each step runs in its own `BEGIN IMMEDIATE` transaction that reads the version, applies
//! the step and bumps the version: a process killed half-way leaves the database at the
//! previous version, whole, and two processes migrating at once cannot both apply a step
//! (the second waits for the write lock, then reads the new version and skips it).

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// One step: the version it brings the database to, and its SQL.
#[derive(Debug)]
pub struct Migration {
    /// The schema version after this step.
    pub version: i64,
    /// The statements of the step.
    pub sql: &'static str,
}

/// The store's own tables, which belong to no capability.
pub const STORE_MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    sql: "
        -- Small settings of the installation (locale chosen by the member, feature flags).
        CREATE TABLE app_meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) STRICT;
    ",
}];

/// Every step of the database, from every capability, in version order.
#[derive(Debug)]
pub struct Schema {
    steps: Vec<&'static Migration>,
}

impl Schema {
    /// The schema made of `parts` (the store's own steps and each capability's). The versions
    /// together must run 1, 2, 3, … without a gap or a repeat: two capabilities claiming one
    /// version is a bug caught here, at open, and by a unit test.
    pub fn new(parts: &[&'static [Migration]]) -> Result<Self, StoreError> {
        let mut steps: Vec<&'static Migration> = parts.iter().flat_map(|p| p.iter()).collect();
        steps.sort_by_key(|m| m.version);
        for (i, step) in steps.iter().enumerate() {
            if i64::try_from(i + 1).ok() != Some(step.version) {
                return Err(StoreError::SchemaGap {
                    version: step.version,
                });
            }
        }
        Ok(Self { steps })
    }

    /// The newest schema version this build knows.
    pub fn latest(&self) -> i64 {
        self.steps.last().map_or(0, |m| m.version)
    }
}

/// Brings the database up to `schema`'s latest version; refuses a database from a newer
/// build.
pub(crate) fn migrate(conn: &mut Connection, schema: &Schema) -> Result<i64, StoreError> {
    let latest = schema.latest();
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > latest {
        return Err(StoreError::TooNew {
            found: current,
            known: latest,
        });
    }
    apply_after(conn, schema, current)?;
    Ok(latest)
}

/// Applies the steps after version `seen` (the version read when the open began; another
/// connection may have migrated since).
fn apply_after(conn: &mut Connection, schema: &Schema, seen: i64) -> Result<(), StoreError> {
    for step in schema.steps.iter().filter(|m| m.version > seen) {
        let fail = |source| StoreError::Migration {
            version: step.version,
            source,
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        // Read again under the write lock: another process may have migrated meanwhile.
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

    const LATER: &[Migration] = &[
        Migration {
            version: 3,
            sql: "CREATE TABLE c (x INTEGER) STRICT;",
        },
        Migration {
            version: 2,
            sql: "CREATE TABLE b (x INTEGER) STRICT;",
        },
    ];
    const CLASH: &[Migration] = &[Migration {
        version: 2,
        sql: "CREATE TABLE d (x INTEGER) STRICT;",
    }];
    const GAP: &[Migration] = &[Migration {
        version: 5,
        sql: "CREATE TABLE e (x INTEGER) STRICT;",
    }];

    #[test]
    fn parts_are_ordered_by_version_and_must_not_clash_or_leave_gaps() {
        let schema = Schema::new(&[LATER, STORE_MIGRATIONS]).unwrap();
        assert_eq!(schema.latest(), 3);
        assert!(matches!(
            Schema::new(&[STORE_MIGRATIONS, LATER, CLASH]),
            Err(StoreError::SchemaGap { version: 2 })
        ));
        assert!(matches!(
            Schema::new(&[STORE_MIGRATIONS, GAP]),
            Err(StoreError::SchemaGap { version: 5 })
        ));
    }

    #[test]
    fn migrating_twice_is_a_no_op_and_newer_is_refused() {
        let schema = Schema::new(&[STORE_MIGRATIONS, LATER]).unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn, &schema).unwrap(), 3);
        assert_eq!(migrate(&mut conn, &schema).unwrap(), 3);
        conn.pragma_update(None, "user_version", 4).unwrap();
        assert!(matches!(
            migrate(&mut conn, &schema),
            Err(StoreError::TooNew { found: 4, known: 3 })
        ));
    }

    #[test]
    fn a_step_another_process_already_applied_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.db");
        let schema = Schema::new(&[STORE_MIGRATIONS, LATER]).unwrap();
        let mut first = Connection::open(&path).unwrap();
        let mut second = Connection::open(&path).unwrap();
        // `second` read version 0; `first` migrates before `second` goes on, and `second`
        // must not apply the steps again (CREATE TABLE would fail if it did).
        migrate(&mut first, &schema).unwrap();
        apply_after(&mut second, &schema, 0).unwrap();
        let version: i64 = second
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 3);
    }
}
