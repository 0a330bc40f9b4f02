//! The inventory capability's tables. Steps are only ever appended, with the next free global
//! version (see `crate::store::Schema`). Times are Unix seconds; money is integer øre.

use crate::store::Migration;

/// The inventory capability's migration steps.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
    version: 6,
    sql: "
        CREATE TABLE inventory_room (
            id         TEXT PRIMARY KEY NOT NULL,
            name       TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX inventory_room_name ON inventory_room (name) WHERE deleted_at IS NULL;
        -- One row per belonging. A deleted item keeps its row as a tombstone (deleted_at)
        -- until the server has it, so a delete syncs like an edit.
        CREATE TABLE inventory_item (
            id                TEXT PRIMARY KEY NOT NULL,
            name              TEXT NOT NULL,
            description       TEXT,
            room_id           TEXT REFERENCES inventory_room (id),
            category          TEXT,
            brand             TEXT,
            model             TEXT,
            serial_number     TEXT,
            quantity          INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
            purchase_date     TEXT,
            purchase_place    TEXT,
            purchase_price    INTEGER CHECK (purchase_price IS NULL OR purchase_price >= 0),
            currency          TEXT NOT NULL DEFAULT 'NOK',
            replacement_value INTEGER CHECK (replacement_value IS NULL OR replacement_value >= 0),
            receipt_number    TEXT,
            warranty_end      TEXT,
            notes             TEXT,
            tags              TEXT NOT NULL DEFAULT '',
            created_at        INTEGER NOT NULL,
            updated_at        INTEGER NOT NULL,
            deleted_at        INTEGER,
            dirty             INTEGER NOT NULL DEFAULT 1
        ) STRICT;
        -- Photos: the sealed renditions are files under photos/ named by the photo's id; the
        -- row is written after both files are in place, so a row never points at nothing.
        CREATE TABLE inventory_photo (
            id           TEXT PRIMARY KEY NOT NULL,
            item_id      TEXT REFERENCES inventory_item (id),
            room_id      TEXT REFERENCES inventory_room (id),
            role         TEXT NOT NULL CHECK (role IN ('item', 'receipt', 'serial_plate', 'room_overview')),
            content_hash TEXT NOT NULL UNIQUE,
            width        INTEGER NOT NULL,
            height       INTEGER NOT NULL,
            captured_at  TEXT,
            created_at   INTEGER NOT NULL,
            deleted_at   INTEGER,
            dirty        INTEGER NOT NULL DEFAULT 1
        ) STRICT;
        -- Search: FTS5 over the words members look for. unicode61 without diacritic folding:
        -- 'ø', 'æ' and 'å' are letters of their own in Norwegian, so 'o' does not find 'ø'.
        CREATE VIRTUAL TABLE inventory_search USING fts5 (
            item_id UNINDEXED, name, brand, model, serial_number, notes, room, tags,
            tokenize = 'unicode61 remove_diacritics 0'
        );
    ",
    },
    Migration {
        version: 7,
        sql: "
        -- Sync: one pending change per item or photo, with the names of the fields it changed
        -- (comma-separated) and the server sequence the edit was made on (base_seq). The
        -- values are read from the row when sent, so later edits coalesce into one change;
        -- each coalescing gives the change a new id, so a retried send is never mistaken for
        -- an earlier one the server already applied.
        CREATE TABLE inventory_outbox (
            change_id  TEXT PRIMARY KEY NOT NULL,
            entity     TEXT NOT NULL CHECK (entity IN ('item', 'photo')),
            entity_id  TEXT NOT NULL,
            fields     TEXT NOT NULL DEFAULT '',
            deleted    INTEGER NOT NULL DEFAULT 0,
            base_seq   INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE (entity, entity_id)
        ) STRICT;
        -- The server sequence of each item and photo as this device last saw it.
        CREATE TABLE inventory_sync_seq (
            entity    TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            seq       INTEGER NOT NULL,
            PRIMARY KEY (entity, entity_id)
        ) STRICT;
        -- Per photo: the SHA-256 of each rendition as uploaded or downloaded, and whether
        -- both are complete on the server.
        CREATE TABLE inventory_photo_remote (
            photo_id TEXT PRIMARY KEY NOT NULL,
            large    TEXT NOT NULL,
            thumb    TEXT NOT NULL,
            uploaded INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        -- Photos the server has and this device has not yet downloaded (a new phone): the
        -- server's record, applied once both renditions are here.
        CREATE TABLE inventory_download (
            photo_id TEXT PRIMARY KEY NOT NULL,
            record   TEXT NOT NULL
        ) STRICT;
        -- What was changed before sync existed is pending, every field of it.
        INSERT INTO inventory_outbox (change_id, entity, entity_id, fields, deleted, created_at)
            SELECT lower(hex(randomblob(16))), 'item', id, '*', deleted_at IS NOT NULL, updated_at
            FROM inventory_item WHERE dirty = 1;
        INSERT INTO inventory_outbox (change_id, entity, entity_id, fields, deleted, created_at)
            SELECT lower(hex(randomblob(16))), 'photo', id, '*', deleted_at IS NOT NULL, created_at
            FROM inventory_photo WHERE dirty = 1;
    ",
    },
    Migration {
        version: 8,
        sql: "
        -- A photo is one photo while it lives: the content hash is unique among live photos
        -- only, so the same picture can be imported again after the item it belonged to was
        -- deleted (its tombstone stays for sync). SQLite cannot drop a column's UNIQUE, so the
        -- table is rebuilt with the same columns and rows.
        CREATE TABLE inventory_photo_new (
            id           TEXT PRIMARY KEY NOT NULL,
            item_id      TEXT REFERENCES inventory_item (id),
            room_id      TEXT REFERENCES inventory_room (id),
            role         TEXT NOT NULL CHECK (role IN ('item', 'receipt', 'serial_plate', 'room_overview')),
            content_hash TEXT NOT NULL,
            width        INTEGER NOT NULL,
            height       INTEGER NOT NULL,
            captured_at  TEXT,
            created_at   INTEGER NOT NULL,
            deleted_at   INTEGER,
            dirty        INTEGER NOT NULL DEFAULT 1
        ) STRICT;
        INSERT INTO inventory_photo_new (id, item_id, room_id, role, content_hash, width,
                height, captured_at, created_at, deleted_at, dirty)
            SELECT id, item_id, room_id, role, content_hash, width, height, captured_at,
                created_at, deleted_at, dirty
            FROM inventory_photo;
        DROP TABLE inventory_photo;
        ALTER TABLE inventory_photo_new RENAME TO inventory_photo;
        CREATE UNIQUE INDEX inventory_photo_live_hash ON inventory_photo (content_hash)
            WHERE deleted_at IS NULL;
        CREATE INDEX inventory_photo_item ON inventory_photo (item_id);
    ",
    },
];
