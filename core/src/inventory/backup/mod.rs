//! The encrypted backup of Husk Hva Du Har: every item, room and photo in one file that only
//! the member's passphrase opens (Argon2id, XChaCha20-Poly1305; see `sealed`), restored on
//! another phone without the server.
//!
//! Inside the sealed stream: entries of `[kind u8][name length u32][name][data length u64]
//! [data]`, all little-endian: first the manifest (JSON: the items with their fields, the
//! photos' rows, the insured sum), then each photo file (`{photo id}.large|thumb|orig`, the
//! plain JPEG), then an end entry. A restore writes every photo file first and then the
//! rows in one transaction, so an interrupted restore leaves nothing but files the next
//! start sweeps. Items already on the phone (same id) and photos already there (same
//! content) are left as they are, so restoring twice adds nothing.

mod sealed;

use std::collections::HashSet;
use std::io::{BufReader, BufWriter};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::InventoryError;
use super::handle::Inventory;
use super::items;
use super::model::ItemFields;
use super::photos::{Owner, PhotoFiles, PhotoRecord, Size, is_photo_id};
use sealed::{OpeningReader, SealingWriter};

const FORMAT: &str = "lofavor-backup/1";
const END: u8 = 0;
const MANIFEST: u8 = 1;
const PHOTO: u8 = 2;
/// The most one entry may hold: a forged length cannot make the phone allocate more.
const MAX_ENTRY: u64 = 64 * 1024 * 1024;
const MAX_NAME: u32 = 64;

/// What a backup holds besides the photo files.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    created_at: i64,
    insured_sum: Option<u64>,
    items: Vec<BackupItem>,
    photos: Vec<BackupPhoto>,
}

#[derive(Debug, Serialize, Deserialize)]
struct BackupItem {
    id: String,
    fields: ItemFields,
}

#[derive(Debug, Serialize, Deserialize)]
struct BackupPhoto {
    #[serde(flatten)]
    record: PhotoRecord,
    /// The item it belongs to, or the room it shows (by name).
    item_id: Option<String>,
    room: Option<String>,
    has_original: bool,
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RestoreSummary {
    /// Items added.
    pub items: u32,
    /// Photos added.
    pub photos: u32,
    /// Items and photos that were on this phone already, left as they are.
    pub already_here: u32,
}

fn entry_head(kind: u8, name: &str, len: usize) -> Vec<u8> {
    [
        &[kind][..],
        &u32::try_from(name.len()).unwrap_or(u32::MAX).to_le_bytes(),
        name.as_bytes(),
        &u64::try_from(len).unwrap_or(u64::MAX).to_le_bytes(),
    ]
    .concat()
}

/// Writes the backup of `inventory` to `path` (a temporary file renamed at the end, so a
/// crash never leaves half a backup where a whole one is expected).
pub(crate) fn write(
    inventory: &Inventory,
    path: &Path,
    passphrase: &str,
) -> Result<u32, InventoryError> {
    sealed::check_passphrase(passphrase)?;
    let manifest = inventory
        .store
        .with_conn(|c| Ok(manifest(c, &inventory.files)))??;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = tempfile::Builder::new()
        .prefix(".backup-")
        .tempfile_in(dir)?;
    let mut out = SealingWriter::new(BufWriter::new(file), passphrase)?;
    let json = serde_json::to_vec(&manifest)
        .map_err(|_| InventoryError::InvalidInput("the inventory does not serialise"))?;
    out.put(&entry_head(MANIFEST, "manifest.json", json.len()))?;
    out.put(&json)?;
    let secrets = inventory.secrets.as_ref();
    for photo in &manifest.photos {
        let mut sizes = vec![Size::Large, Size::Thumbnail];
        if photo.has_original {
            sizes.push(Size::Original);
        }
        for size in sizes {
            let jpeg = inventory.files.read(secrets, &photo.record.id, size)?;
            let name = format!("{}.{}", photo.record.id, size.suffix());
            out.put(&entry_head(PHOTO, &name, jpeg.len()))?;
            out.put(&jpeg)?;
        }
    }
    out.put(&[END])?;
    let file = out
        .finish()?
        .into_inner()
        .map_err(|e| InventoryError::from(e.into_error()))?;
    file.as_file().sync_all()?;
    file.persist(path)
        .map_err(|e| InventoryError::from(e.error))?;
    Ok(u32::try_from(manifest.items.len()).unwrap_or(u32::MAX))
}

fn manifest(conn: &rusqlite::Connection, files: &PhotoFiles) -> Result<Manifest, InventoryError> {
    let items = items::list(conn)?
        .into_iter()
        .map(|i| BackupItem {
            id: i.id,
            fields: i.fields,
        })
        .collect();
    let mut stmt = conn.prepare(
        "SELECT p.id, p.role, p.content_hash, p.width, p.height, p.captured_at, p.item_id, r.name
         FROM inventory_photo p
         LEFT JOIN inventory_item i ON i.id = p.item_id
         LEFT JOIN inventory_room r ON r.id = p.room_id
         WHERE p.deleted_at IS NULL AND i.deleted_at IS NULL
         ORDER BY p.created_at, p.rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            PhotoRecord {
                id: r.get(0)?,
                role: super::model::PhotoRole::parse(&r.get::<_, String>(1)?)
                    .unwrap_or(super::model::PhotoRole::Item),
                content_hash: r.get(2)?,
                width: r.get(3)?,
                height: r.get(4)?,
                captured_at: r.get(5)?,
            },
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut photos = Vec::new();
    for row in rows {
        let (record, item_id, room) = row?;
        photos.push(BackupPhoto {
            has_original: files.has(&record.id, Size::Original),
            record,
            item_id,
            room,
        });
    }
    Ok(Manifest {
        format: FORMAT.into(),
        created_at: crate::time::now_unix(),
        insured_sum: super::totals::insured_sum(conn)?,
        items,
        photos,
    })
}

/// Reads one entry's head: its kind, name and length (checked against the caps).
fn next_entry<R: std::io::Read>(
    input: &mut OpeningReader<R>,
) -> Result<Option<(u8, String, usize)>, InventoryError> {
    let bad = || InventoryError::Backup("the backup's contents are malformed");
    let mut kind = [0u8; 1];
    input.take(&mut kind)?;
    if kind[0] == END {
        return Ok(None);
    }
    let mut word = [0u8; 4];
    input.take(&mut word)?;
    let name_len = u32::from_le_bytes(word);
    if name_len > MAX_NAME {
        return Err(bad());
    }
    let mut name = vec![0u8; name_len as usize];
    input.take(&mut name)?;
    let name = String::from_utf8(name).map_err(|_| bad())?;
    let mut long = [0u8; 8];
    input.take(&mut long)?;
    let len = u64::from_le_bytes(long);
    if len > MAX_ENTRY {
        return Err(bad());
    }
    Ok(Some((
        kind[0],
        name,
        usize::try_from(len).map_err(|_| bad())?,
    )))
}

/// Restores the backup at `path` into `inventory`.
pub(crate) fn restore(
    inventory: &Inventory,
    path: &Path,
    passphrase: &str,
) -> Result<RestoreSummary, InventoryError> {
    let bad = || InventoryError::Backup("the backup's contents are malformed");
    let file = std::fs::File::open(path)?;
    let mut input = OpeningReader::new(BufReader::new(file), passphrase)?;
    let Some((MANIFEST, _, len)) = next_entry(&mut input)? else {
        return Err(bad());
    };
    let mut json = vec![0u8; len];
    input.take(&mut json)?;
    let manifest: Manifest = serde_json::from_slice(&json).map_err(|_| bad())?;
    drop(json);
    if manifest.format != FORMAT {
        return Err(InventoryError::Backup("the backup was made by a newer app"));
    }
    let mut items = Vec::with_capacity(manifest.items.len());
    for item in manifest.items {
        if !is_photo_id(&item.id) {
            return Err(bad());
        }
        items.push((item.id, items::checked(item.fields)?));
    }
    let (here_items, here_photos) = inventory.store.with_conn(|c| Ok(already_here(c)))??;
    // In the backup's order, so the photos of an item come back in the order they had.
    let wanted: Vec<&BackupPhoto> = manifest
        .photos
        .iter()
        .filter(|p| is_photo_id(&p.record.id))
        .filter(|p| {
            !here_photos.contains(&p.record.content_hash) && !here_photos.contains(&p.record.id)
        })
        .collect();

    // The files first: a failure or a crash from here on leaves only files without rows.
    let mut staged: HashSet<(String, &'static str)> = HashSet::new();
    let written = stage_photos(inventory, &mut input, &wanted, &mut staged);
    let finished = written.and_then(|()| if input.at_end()? { Ok(()) } else { Err(bad()) });
    let discard = |staged: &HashSet<(String, &'static str)>| {
        for (id, _) in staged {
            inventory.files.discard_unowned(&inventory.store, id);
        }
    };
    if let Err(e) = finished {
        discard(&staged);
        return Err(e);
    }
    let saved = inventory
        .store
        .with_conn(|c| {
            Ok(save_restored(
                c,
                &items,
                &here_items,
                &wanted,
                &staged,
                manifest.insured_sum,
            ))
        })
        .map_err(InventoryError::from)
        .and_then(|saved| saved);
    match saved {
        Ok(mut summary) => {
            let skipped = manifest.photos.len().saturating_sub(wanted.len());
            summary.already_here = summary
                .already_here
                .saturating_add(u32::try_from(skipped).unwrap_or(u32::MAX));
            Ok(summary)
        }
        Err(e) => {
            discard(&staged);
            Err(e)
        }
    }
}

/// Item ids and photo content hashes (and ids) already on this phone.
fn already_here(
    conn: &rusqlite::Connection,
) -> Result<(HashSet<String>, HashSet<String>), InventoryError> {
    let collect = |sql: &str| -> Result<HashSet<String>, InventoryError> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    Ok((
        collect("SELECT id FROM inventory_item")?,
        // A deleted photo is not here: the same picture may come back (its id may not).
        collect(
            "SELECT content_hash FROM inventory_photo WHERE deleted_at IS NULL
             UNION SELECT id FROM inventory_photo",
        )?,
    ))
}

/// Reads the photo entries and writes the wanted ones as sealed files under their ids.
fn stage_photos<R: std::io::Read>(
    inventory: &Inventory,
    input: &mut OpeningReader<R>,
    wanted: &[&BackupPhoto],
    staged: &mut HashSet<(String, &'static str)>,
) -> Result<(), InventoryError> {
    let bad = || InventoryError::Backup("the backup's contents are malformed");
    while let Some((kind, name, len)) = next_entry(input)? {
        if kind != PHOTO {
            return Err(bad());
        }
        let (id, suffix) = name.split_once('.').ok_or_else(bad)?;
        let size = match suffix {
            "large" => Size::Large,
            "thumb" => Size::Thumbnail,
            "orig" => Size::Original,
            _ => return Err(bad()),
        };
        let mut jpeg = vec![0u8; len];
        input.take(&mut jpeg)?;
        if !wanted.iter().any(|p| p.record.id == id) {
            continue;
        }
        // Only what the pipeline would have made: a JPEG within the limits.
        if lofavor_photo::probe(&jpeg, &lofavor_photo::Limits::default())?.format
            != lofavor_photo::Format::Jpeg
        {
            return Err(bad());
        }
        inventory
            .files
            .stage_file(inventory.secrets.as_ref(), id, size, &jpeg)?;
        staged.insert((id.to_owned(), size_name(size)));
    }
    Ok(())
}

fn size_name(size: Size) -> &'static str {
    match size {
        Size::Large => "large",
        Size::Thumbnail => "thumb",
        Size::Original => "orig",
    }
}

/// The rows of the restored items and photos, in one transaction.
fn save_restored(
    conn: &mut rusqlite::Connection,
    items: &[(String, ItemFields)],
    here: &HashSet<String>,
    photos: &[&BackupPhoto],
    staged: &HashSet<(String, &'static str)>,
    insured_sum: Option<u64>,
) -> Result<RestoreSummary, InventoryError> {
    let tx = conn.transaction()?;
    // Photos go only to items that live here or come with the backup, never to a deleted one.
    let live: HashSet<String> = {
        let mut stmt = tx.prepare("SELECT id FROM inventory_item WHERE deleted_at IS NULL")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut summary = RestoreSummary::default();
    for (id, fields) in items {
        if here.contains(id) {
            summary.already_here += 1;
            continue;
        }
        items::save(&tx, id, fields)?;
        summary.items += 1;
    }
    let known = |item: &str| live.contains(item) || items.iter().any(|(id, _)| id == item);
    for photo in photos {
        let id = &photo.record.id;
        if photo.item_id.as_deref().is_some_and(|item| !known(item)) {
            continue;
        }
        let whole =
            staged.contains(&(id.clone(), "large")) && staged.contains(&(id.clone(), "thumb"));
        if !whole {
            return Err(InventoryError::Backup(
                "a photo in the backup is incomplete",
            ));
        }
        let room_id;
        let owner = match (&photo.item_id, &photo.room) {
            (Some(item), _) => Owner::Item(item),
            (None, Some(room)) => {
                room_id = items::room_id(&tx, &items::checked_room(room)?)?;
                Owner::Room(&room_id)
            }
            (None, None) => continue,
        };
        PhotoFiles::insert_record(&tx, &photo.record, owner)?;
        summary.photos += 1;
    }
    if super::totals::insured_sum(&tx)?.is_none() && insured_sum.is_some() {
        super::totals::set_insured_sum(&tx, insured_sum)?;
    }
    tx.commit()?;
    Ok(summary)
}
