//! The inventory's part of the member's privacy export (right of access and portability):
//! every item with all its fields, the rooms, the insured sum, and every photo with its
//! large rendition (and the original, when kept) as base64 JPEG, so the export holds
//! everything the member gave, photos included. GPS is not in it: it was never stored.

use base64::Engine as _;

use super::error::InventoryError;
use super::handle::Inventory;
use super::items;
use super::photos::Size;

/// The export of `inventory` as JSON.
pub(crate) fn export(inventory: &Inventory) -> Result<serde_json::Value, InventoryError> {
    let (items, rooms, insured_sum) = inventory.store.with_conn(|c| {
        Ok((
            items::list(c),
            items::rooms(c),
            super::totals::insured_sum(c),
        ))
    })?;
    let (items, rooms, insured_sum) = (items?, rooms?, insured_sum?);
    let secrets = inventory.secrets.as_ref();
    let photo = |id: &str, role: &str| -> Result<serde_json::Value, InventoryError> {
        let base64 = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
        let original = if inventory.files.has(id, Size::Original) {
            Some(base64(inventory.files.read(secrets, id, Size::Original)?))
        } else {
            None
        };
        Ok(serde_json::json!({
            "id": id,
            "role": role,
            "jpeg_base64": base64(inventory.files.read(secrets, id, Size::Large)?),
            "original_jpeg_base64": original,
        }))
    };
    let mut out_items = Vec::with_capacity(items.len());
    for item in &items {
        let mut photos = Vec::with_capacity(item.photos.len());
        for p in &item.photos {
            let mut entry = photo(&p.id, p.role.as_str())?;
            entry["captured_at"] = serde_json::json!(p.captured_at);
            photos.push(entry);
        }
        out_items.push(serde_json::json!({
            "id": item.id,
            "fields": item.fields,
            "updated_at": item.updated_at,
            "photos": photos,
        }));
    }
    let mut out_rooms = Vec::with_capacity(rooms.len());
    for room in &rooms {
        let overview = inventory
            .store
            .with_conn(|c| Ok(super::photos::PhotoFiles::of_room(c, &room.name)))??;
        let mut photos = Vec::with_capacity(overview.len());
        for p in &overview {
            photos.push(photo(&p.id, p.role.as_str())?);
        }
        out_rooms.push(serde_json::json!({ "name": room.name, "photos": photos }));
    }
    Ok(serde_json::json!({
        "items": out_items,
        "rooms": out_rooms,
        "insured_sum_ore": insured_sum,
    }))
}
