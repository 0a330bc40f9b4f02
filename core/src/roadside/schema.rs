//! The roadside capability's tables. Steps are only ever appended, with the next free global
//! version (see `crate::store::Schema`).

use crate::store::Migration;

/// The roadside capability's migration steps.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 4,
    sql: "
        -- The member's latest roadside-assistance certificate, shown offline. One row at
        -- most; erased at the end of every session. Times are Unix seconds.
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
}];
