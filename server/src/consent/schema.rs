//! The consent tables, and the member record's contact fields.
//!
//! One migration step ([`migrate`]) in the server's ordered list. It is written to run again
//! on a file that already has its tables (it creates only what is missing), since a database
//! taken back to an older `user_version` must still open.

use rusqlite::Transaction;

use crate::db::DbError;
use crate::keyfile::KeyDir;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS consent_catalogue (
    sequence INTEGER PRIMARY KEY NOT NULL,
    published_at INTEGER NOT NULL,
    body TEXT NOT NULL
) STRICT;
-- Every notice version ever published, so a decision on an older one is still accepted.
CREATE TABLE IF NOT EXISTS consent_notice (
    purpose TEXT NOT NULL,
    kind TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (purpose, notice_id, version, language)
) STRICT;
-- The ledger: `id` is unique across members, so an id one member used cannot be reused.
CREATE TABLE IF NOT EXISTS consent_decision (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    record TEXT NOT NULL,
    receipt TEXT NOT NULL,
    UNIQUE (member_id, sequence)
) STRICT;
CREATE TABLE IF NOT EXISTS consent_order (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL,
    offer TEXT NOT NULL,
    partner TEXT NOT NULL,
    fields TEXT NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS consent_order_member ON consent_order (member_id);
CREATE TABLE IF NOT EXISTS partner_share (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL,
    partner TEXT NOT NULL,
    categories TEXT NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;
-- What each partner received: the stand-in for the partners' own endpoints.
CREATE TABLE IF NOT EXISTS partner_inbox (
    entry INTEGER PRIMARY KEY AUTOINCREMENT,
    partner TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('order', 'share')),
    at INTEGER NOT NULL,
    subject TEXT NOT NULL,
    fields TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS partner_inbox_partner ON partner_inbox (partner, entry);
CREATE TABLE IF NOT EXISTS analytics_batch (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    events INTEGER NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS analytics_event (
    batch_id TEXT NOT NULL REFERENCES analytics_batch(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS analytics_event_batch ON analytics_event (batch_id);
CREATE TABLE IF NOT EXISTS newsletter_subscription (
    member_id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    subscribed_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS privacy_request (
    entry INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    member_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT,
    status TEXT NOT NULL CHECK (status IN
        ('received', 'in_progress', 'extended', 'completed', 'refused')),
    received_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    extended_due_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS privacy_request_member ON privacy_request (member_id);
";

/// The member record's new fields, and the made-up values of the demo members (no real
/// person's: example.org addresses, numbers from no real plan).
const MEMBER_COLUMNS: [&str; 4] = ["email", "phone", "birth_date", "member_number"];

const DEMO_MEMBERS: &str = "
UPDATE member SET email = 'kari.nordmann@example.org', phone = '+47 00 00 00 01',
    birth_date = '1985-04-12', member_number = 'LO-100001' WHERE id = 'kari';
UPDATE member SET email = 'ola.nordmann@example.org', phone = '+47 00 00 00 02',
    birth_date = '1979-11-30', member_number = 'LO-100002' WHERE id = 'ola';
UPDATE member SET email = 'member-42@example.org', phone = '+47 00 00 00 42',
    birth_date = '1990-01-31', member_number = 'LO-100042' WHERE id = 'member-42';
";

/// The migration step: the consent tables, and the member's contact fields.
pub(crate) fn migrate(tx: &Transaction<'_>, _keys: &KeyDir) -> Result<(), DbError> {
    tx.execute_batch(TABLES)?;
    let existing: Vec<String> = tx
        .prepare("SELECT name FROM pragma_table_info('member')")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for column in MEMBER_COLUMNS {
        if !existing.iter().any(|c| c == column) {
            // The names are the constants above, never outside text.
            tx.execute_batch(&format!("ALTER TABLE member ADD COLUMN {column} TEXT"))?;
        }
    }
    tx.execute_batch(DEMO_MEMBERS)?;
    Ok(())
}
