//! Items and rooms in the database, and the search index beside them. Every change to an item
//! rewrites its row in the search index in the same transaction, so search never shows a
//! deleted item or misses a new one.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::error::InventoryError;
use super::model::{Item, ItemFields, Photo, PhotoRole, Room};
use crate::time::now_unix;

/// A fresh random id (128 bits, hex).
pub(crate) fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

fn clean(text: Option<String>, max: usize) -> Result<Option<String>, InventoryError> {
    match text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > max => {
            Err(InventoryError::InvalidInput("a text is too long"))
        }
        Some(t) if t.chars().any(|c| c.is_control() && c != '\n') => Err(
            InventoryError::InvalidInput("a text has control characters"),
        ),
        other => Ok(other),
    }
}

/// Checks and tidies a room's name.
pub(crate) fn checked_room(name: &str) -> Result<String, InventoryError> {
    clean(Some(name.to_owned()), 100)?.ok_or(InventoryError::InvalidInput("a room needs a name"))
}

/// The most one item may cost: 10 000 000 000 kr, in øre.
const MAX_ORE: u64 = 1_000_000_000_000;
/// The most of one item.
const MAX_QUANTITY: u32 = 10_000;

/// Checks and tidies what the member typed.
pub(crate) fn checked(mut fields: ItemFields) -> Result<ItemFields, InventoryError> {
    fields.name = clean(Some(fields.name), 200)?
        .ok_or(InventoryError::InvalidInput("an item needs a name"))?;
    fields.description = clean(fields.description, 4_000)?;
    fields.room = clean(fields.room, 100)?;
    fields.category = clean(fields.category, 100)?;
    fields.brand = clean(fields.brand, 100)?;
    fields.model = clean(fields.model, 100)?;
    fields.serial_number = clean(fields.serial_number, 100)?;
    fields.purchase_place = clean(fields.purchase_place, 200)?;
    fields.receipt_number = clean(fields.receipt_number, 100)?;
    fields.notes = clean(fields.notes, 4_000)?;
    for date in [&fields.purchase_date, &fields.warranty_end]
        .into_iter()
        .flatten()
    {
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            return Err(InventoryError::InvalidInput("a date is not YYYY-MM-DD"));
        }
    }
    if fields.quantity == 0 {
        fields.quantity = 1;
    }
    // Bounds no belonging reaches, so sums over a whole home (times quantities) stay exact
    // integers in SQLite and in the totals.
    if fields.quantity > MAX_QUANTITY {
        return Err(InventoryError::InvalidInput("a quantity is at most 10 000"));
    }
    if [fields.purchase_price, fields.replacement_value]
        .into_iter()
        .flatten()
        .any(|ore| ore > MAX_ORE)
    {
        return Err(InventoryError::InvalidInput(
            "an amount is at most 10 000 000 000 kr",
        ));
    }
    let currency = fields.currency.take().unwrap_or_else(|| "NOK".into());
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(InventoryError::InvalidInput(
            "a currency is three capital letters",
        ));
    }
    fields.currency = Some(currency);
    let mut tags = Vec::new();
    for tag in std::mem::take(&mut fields.tags) {
        if let Some(tag) = clean(Some(tag.replace(',', " ")), 50)?
            && !tags.contains(&tag)
        {
            tags.push(tag);
        }
    }
    fields.tags = tags;
    Ok(fields)
}

/// The room named `name`, made if new.
pub(crate) fn room_id(tx: &Transaction<'_>, name: &str) -> Result<String, InventoryError> {
    let found: Option<String> = tx
        .query_row(
            "SELECT id FROM inventory_room WHERE name = ?1 AND deleted_at IS NULL",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let id = new_id();
    let now = now_unix();
    tx.execute(
        "INSERT INTO inventory_room (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![id, name, now],
    )?;
    Ok(id)
}

/// Rooms, by name.
pub(crate) fn rooms(conn: &Connection) -> Result<Vec<Room>, InventoryError> {
    let mut stmt = conn.prepare(
        "SELECT id, name FROM inventory_room WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Room {
            id: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn to_i64(v: Option<u64>) -> Option<i64> {
    v.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}

/// Writes `fields` as item `id` (new or existing) and its search row, and notes the fields
/// that changed in the sync outbox, in the same transaction: an edit is never saved without
/// being queued for the server, nor queued without being saved.
pub(crate) fn save(
    tx: &Transaction<'_>,
    id: &str,
    fields: &ItemFields,
) -> Result<(), InventoryError> {
    let changed = match get(tx, id) {
        Ok(before) => super::sync::fields::changed(&before.fields, fields),
        Err(InventoryError::NotFound) => vec!["*"],
        Err(e) => return Err(e),
    };
    write(tx, id, fields, true)?;
    if !changed.is_empty() {
        super::sync::outbox::record(tx, "item", id, &changed, false)?;
    }
    Ok(())
}

/// Writes `fields` as item `id` (new or existing) and its search row; `dirty` says whether
/// the row now differs from the server's.
pub(crate) fn write(
    tx: &Transaction<'_>,
    id: &str,
    fields: &ItemFields,
    dirty: bool,
) -> Result<(), InventoryError> {
    let room = match &fields.room {
        Some(name) => Some(room_id(tx, name)?),
        None => None,
    };
    let now = now_unix();
    tx.execute(
        "INSERT INTO inventory_item (id, name, description, room_id, category, brand, model,
             serial_number, quantity, purchase_date, purchase_place, purchase_price, currency,
             replacement_value, receipt_number, warranty_end, notes, tags, created_at, updated_at, dirty)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?20)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
             room_id = excluded.room_id, category = excluded.category, brand = excluded.brand,
             model = excluded.model, serial_number = excluded.serial_number,
             quantity = excluded.quantity, purchase_date = excluded.purchase_date,
             purchase_place = excluded.purchase_place, purchase_price = excluded.purchase_price,
             currency = excluded.currency, replacement_value = excluded.replacement_value,
             receipt_number = excluded.receipt_number, warranty_end = excluded.warranty_end,
             notes = excluded.notes, tags = excluded.tags, updated_at = excluded.updated_at,
             dirty = excluded.dirty",
        params![
            id,
            fields.name,
            fields.description,
            room,
            fields.category,
            fields.brand,
            fields.model,
            fields.serial_number,
            fields.quantity,
            fields.purchase_date,
            fields.purchase_place,
            to_i64(fields.purchase_price),
            fields.currency.as_deref().unwrap_or("NOK"),
            to_i64(fields.replacement_value),
            fields.receipt_number,
            fields.warranty_end,
            fields.notes,
            fields.tags.join(","),
            now,
            dirty
        ],
    )?;
    tx.execute("DELETE FROM inventory_search WHERE item_id = ?1", [id])?;
    tx.execute(
        "INSERT INTO inventory_search (item_id, name, brand, model, serial_number, notes, room, tags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            fields.name,
            fields.brand,
            fields.model,
            fields.serial_number,
            fields.notes,
            fields.room,
            fields.tags.join(" ")
        ],
    )?;
    Ok(())
}

/// Marks item `id` deleted (a tombstone for sync) and takes it out of search.
pub(crate) fn delete(tx: &Transaction<'_>, id: &str) -> Result<(), InventoryError> {
    let changed = tx.execute(
        "UPDATE inventory_item SET deleted_at = ?2, updated_at = ?2, dirty = 1
         WHERE id = ?1 AND deleted_at IS NULL",
        params![id, now_unix()],
    )?;
    if changed == 0 {
        return Err(InventoryError::NotFound);
    }
    tx.execute("DELETE FROM inventory_search WHERE item_id = ?1", [id])?;
    let photos: Vec<String> = tx
        .prepare("SELECT id FROM inventory_photo WHERE item_id = ?1 AND deleted_at IS NULL")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    tx.execute(
        "UPDATE inventory_photo SET deleted_at = ?2, dirty = 1 WHERE item_id = ?1 AND deleted_at IS NULL",
        params![id, now_unix()],
    )?;
    super::sync::outbox::record(tx, "item", id, &[], true)?;
    for photo in photos {
        super::sync::outbox::record(tx, "photo", &photo, &[], true)?;
    }
    Ok(())
}

const ITEM_COLUMNS: &str = "i.id, i.name, i.description, r.name, i.category, i.brand, i.model,
    i.serial_number, i.quantity, i.purchase_date, i.purchase_place, i.purchase_price, i.currency,
    i.replacement_value, i.receipt_number, i.warranty_end, i.notes, i.tags, i.updated_at";

fn item_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, ItemFields, i64)> {
    let tags: String = r.get(17)?;
    Ok((
        r.get(0)?,
        ItemFields {
            name: r.get(1)?,
            description: r.get(2)?,
            room: r.get(3)?,
            category: r.get(4)?,
            brand: r.get(5)?,
            model: r.get(6)?,
            serial_number: r.get(7)?,
            quantity: r.get(8)?,
            purchase_date: r.get(9)?,
            purchase_place: r.get(10)?,
            purchase_price: r.get::<_, Option<i64>>(11)?.map(|v| v.max(0) as u64),
            currency: r.get(12)?,
            replacement_value: r.get::<_, Option<i64>>(13)?.map(|v| v.max(0) as u64),
            receipt_number: r.get(14)?,
            warranty_end: r.get(15)?,
            notes: r.get(16)?,
            tags: tags
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        r.get(18)?,
    ))
}

fn with_photos(
    conn: &Connection,
    rows: Vec<(String, ItemFields, i64)>,
) -> Result<Vec<Item>, InventoryError> {
    // One query for the photos of every item in the answer, not one per item: a search
    // result of 200 items is one round trip to SQLite, not 201.
    let ids = serde_json::to_string(&rows.iter().map(|(id, _, _)| id).collect::<Vec<_>>())
        .map_err(|_| InventoryError::InvalidInput("item ids"))?;
    let mut stmt = conn.prepare(
        "SELECT item_id, id, role, width, height, captured_at FROM inventory_photo
         WHERE deleted_at IS NULL AND item_id IN (SELECT value FROM json_each(?1))
         ORDER BY created_at, rowid",
    )?;
    let mut photos: std::collections::HashMap<String, Vec<Photo>> =
        std::collections::HashMap::new();
    let found = stmt.query_map([ids], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Photo {
                id: r.get(1)?,
                role: PhotoRole::parse(&r.get::<_, String>(2)?).unwrap_or(PhotoRole::Item),
                width: r.get(3)?,
                height: r.get(4)?,
                captured_at: r.get(5)?,
            },
        ))
    })?;
    for row in found {
        let (item, photo) = row?;
        photos.entry(item).or_default().push(photo);
    }
    Ok(rows
        .into_iter()
        .map(|(id, fields, updated_at)| Item {
            photos: photos.remove(&id).unwrap_or_default(),
            id,
            fields,
            updated_at,
        })
        .collect())
}

/// Every item (not deleted), by room and name.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Item>, InventoryError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ITEM_COLUMNS} FROM inventory_item i LEFT JOIN inventory_room r ON r.id = i.room_id
         WHERE i.deleted_at IS NULL ORDER BY r.name COLLATE NOCASE, i.name COLLATE NOCASE, i.id"
    ))?;
    let rows = stmt
        .query_map([], item_row)?
        .collect::<Result<Vec<_>, _>>()?;
    with_photos(conn, rows)
}

/// Item `id`.
pub(crate) fn get(conn: &Connection, id: &str) -> Result<Item, InventoryError> {
    let row = conn
        .query_row(
            &format!(
                "SELECT {ITEM_COLUMNS} FROM inventory_item i LEFT JOIN inventory_room r ON r.id = i.room_id
                 WHERE i.id = ?1 AND i.deleted_at IS NULL"
            ),
            [id],
            item_row,
        )
        .optional()?
        .ok_or(InventoryError::NotFound)?;
    Ok(with_photos(conn, vec![row])?.remove(0))
}

/// The FTS5 query for what the member typed: each word quoted (no query syntax gets
/// through) and matched as a prefix, all words required.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(10)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Items matching `text`, best first.
pub(crate) fn search(conn: &Connection, text: &str) -> Result<Vec<Item>, InventoryError> {
    let Some(query) = fts_query(text) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {ITEM_COLUMNS} FROM inventory_search s
         JOIN inventory_item i ON i.id = s.item_id
         LEFT JOIN inventory_room r ON r.id = i.room_id
         WHERE inventory_search MATCH ?1 AND i.deleted_at IS NULL
         ORDER BY bm25(inventory_search) LIMIT 200"
    ))?;
    let rows = stmt
        .query_map([query], item_row)?
        .collect::<Result<Vec<_>, _>>()?;
    with_photos(conn, rows)
}
