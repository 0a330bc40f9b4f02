//! The login capability's tables. Steps are only ever appended, with the next free global
//! version (see `crate::store::Schema`).

use crate::store::Migration;

/// The login capability's migration steps.
pub(crate) const MIGRATIONS: &[Migration] = &[
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
];
