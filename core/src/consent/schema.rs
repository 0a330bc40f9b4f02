//! The consent capability's tables. Steps are only ever appended, with the next free global
//! version (see `crate::store::Schema`). Times are Unix seconds.

use crate::store::Migration;

/// The consent capability's migration steps.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 5,
    sql: "
        -- The newest signed catalogue that verified (absent: the bundled copy applies). Not
        -- the member's data: kept when a session ends.
        CREATE TABLE consent_catalogue (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            sequence   INTEGER NOT NULL,
            signed     BLOB NOT NULL,
            fetched_at INTEGER NOT NULL
        ) STRICT;
        -- The consent ledger: append-only, hash-chained in `seq` order. `record_json` is the
        -- record exactly as made (here or on another device); `chain` is this device's hash
        -- chain over it. Rows are never updated except for their sync state.
        CREATE TABLE consent_record (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            id              TEXT NOT NULL UNIQUE,
            purpose         TEXT NOT NULL,
            decision        TEXT NOT NULL CHECK (decision IN ('given', 'refused', 'withdrawn')),
            record_json     TEXT NOT NULL,
            chain           TEXT NOT NULL,
            origin          TEXT NOT NULL CHECK (origin IN ('device', 'server')),
            state           TEXT NOT NULL CHECK (state IN ('pending', 'synced', 'rejected')),
            server_sequence INTEGER UNIQUE,
            received_at     INTEGER,
            receipt         BLOB,
            refusal         TEXT
        ) STRICT;
        -- How far the server's list of decisions has been read.
        CREATE TABLE consent_sync (
            id           INTEGER PRIMARY KEY CHECK (id = 1),
            pulled_after INTEGER NOT NULL
        ) STRICT;
        -- Analytics events collected while the member consents; deleted on withdrawal.
        CREATE TABLE consent_analytics_event (
            id   INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            at   INTEGER NOT NULL
        ) STRICT;
        -- Order previews: what would go to a partner, kept until confirmed or expired.
        CREATE TABLE consent_order (
            id          TEXT PRIMARY KEY NOT NULL,
            offer       TEXT NOT NULL,
            partner     TEXT NOT NULL,
            body_json   TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            expires_at  INTEGER NOT NULL,
            answer_json TEXT
        ) STRICT;
        -- Privacy-rights requests the member made, and the server's answer about them.
        CREATE TABLE consent_privacy_request (
            id          TEXT PRIMARY KEY NOT NULL,
            kind        TEXT NOT NULL,
            text        TEXT,
            created_at  INTEGER NOT NULL,
            answer_json TEXT
        ) STRICT;
    ",
}];
