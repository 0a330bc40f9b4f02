//! `lofavor inventory ...`: Husk Hva Du Har in a terminal.

use lofavor_core::Core;
use lofavor_core::inventory::{Item, ItemFields};
use serde_json::{Value, json};

use crate::args::{Args, InventoryAction};
use crate::error::{CliError, ShellKind};
use crate::output::Output;
use crate::session;

/// Runs `lofavor inventory ...`.
pub async fn run(args: &Args, action: &InventoryAction, out: &Output) -> Result<(), CliError> {
    let (core, _backend) = session::open_for_command(args).await?;
    match action {
        InventoryAction::Add {
            name,
            room,
            price,
            photos,
        } => add(&core, name, room.clone(), price.as_deref(), photos, out),
        InventoryAction::Import {
            dir,
            room,
            keep_original,
        } => {
            super::inventory_import::import(&core, dir, room.as_deref(), *keep_original, out).await
        }
        InventoryAction::Backup {
            out: path,
            passphrase_file,
        } => super::inventory_backup::backup(&core, path, passphrase_file.as_deref(), out).await,
        InventoryAction::Restore {
            file,
            passphrase_file,
        } => super::inventory_backup::restore(&core, file, passphrase_file.as_deref(), out).await,
        InventoryAction::Sync => super::inventory_sync::run(&core, out).await,
        InventoryAction::List => {
            let items = core.inventory().items()?;
            print_items(out, &items);
            let totals = core.inventory().totals()?;
            out.line(format!(
                "{} item(s); paid {}; replacement value {}",
                totals.all.items,
                kroner(totals.all.purchase_price),
                kroner(totals.all.replacement_value)
            ));
            out.document(&json!({
                "items": items.iter().map(item_json).collect::<Vec<_>>(),
                "totals": {
                    "items": totals.all.items,
                    "purchase_price_ore": totals.all.purchase_price,
                    "replacement_value_ore": totals.all.replacement_value,
                    "insured_sum_ore": totals.insured_sum,
                    "shortfall_ore": totals.shortfall,
                },
            }));
            Ok(())
        }
        InventoryAction::Search { text } => {
            let items = core.inventory().search(text)?;
            print_items(out, &items);
            out.document(&json!({ "items": items.iter().map(item_json).collect::<Vec<_>>() }));
            Ok(())
        }
        InventoryAction::Show { id } => {
            let item = core.inventory().item(id)?;
            print_items(out, std::slice::from_ref(&item));
            out.document(&item_json(&item));
            Ok(())
        }
        InventoryAction::Report(report) => super::inventory_report::run(&core, report, out).await,
        InventoryAction::Photo {
            id,
            out: path,
            thumbnail,
        } => {
            let jpeg = core.inventory().photo_jpeg(id, *thumbnail)?;
            std::fs::write(path, &jpeg).map_err(|e| {
                CliError::shell(ShellKind::File, format!("cannot write the photo: {e}"))
            })?;
            out.line(format!(
                "{} bytes written to {}",
                jpeg.len(),
                path.display()
            ));
            out.document(&json!({ "file": path, "bytes": jpeg.len() }));
            Ok(())
        }
    }
}

/// "1499", "1499.50" or "1 499,50" kroner as øre.
fn parse_price(text: &str) -> Result<u64, CliError> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let cleaned = cleaned.replace(',', ".");
    let (kroner, ore) = cleaned.split_once('.').unwrap_or((&cleaned, "0"));
    let bad = || {
        CliError::usage(format!(
            "'{text}' is not a price in kroner (e.g. 1499 or 1499,50)"
        ))
    };
    if kroner.is_empty()
        || ore.len() > 2
        || !kroner
            .bytes()
            .chain(ore.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let kroner: u64 = kroner.parse().map_err(|_| bad())?;
    let ore: u64 = format!("{ore:0<2}").parse().map_err(|_| bad())?;
    kroner
        .checked_mul(100)
        .and_then(|k| k.checked_add(ore))
        .ok_or_else(bad)
}

fn add(
    core: &Core,
    name: &str,
    room: Option<String>,
    price: Option<&str>,
    photos: &[std::path::PathBuf],
    out: &Output,
) -> Result<(), CliError> {
    let price = price.map(parse_price).transpose()?;
    let mut files = Vec::with_capacity(photos.len());
    for path in photos {
        files.push(std::fs::read(path).map_err(|e| {
            CliError::shell(
                ShellKind::File,
                format!("cannot read {}: {e}", path.display()),
            )
        })?);
    }
    let (id, photo_ids) = core.inventory().add_item_with_photos(
        ItemFields {
            name: name.to_owned(),
            room,
            purchase_price: price,
            ..ItemFields::default()
        },
        &files,
    )?;
    out.line(format!("Added {id} with {} photo(s)", photo_ids.len()));
    out.document(&json!({ "id": id, "photos": photo_ids }));
    Ok(())
}

fn kroner(ore: u64) -> String {
    format!("{},{:02} kr", ore / 100, ore % 100)
}

fn print_items(out: &Output, items: &[Item]) {
    if items.is_empty() {
        out.line("No items.");
    }
    for item in items {
        let f = &item.fields;
        out.line(format!(
            "{}  {}  [{}]{}",
            item.id,
            f.name,
            f.room.as_deref().unwrap_or("-"),
            f.purchase_price
                .map(|p| format!("  {}", kroner(p)))
                .unwrap_or_default()
        ));
        for photo in &item.photos {
            out.line(format!(
                "    photo {} ({}, {}x{})",
                photo.id,
                photo.role.as_str(),
                photo.width,
                photo.height
            ));
        }
    }
}

fn item_json(item: &Item) -> Value {
    let f = &item.fields;
    json!({
        "id": item.id,
        "name": f.name,
        "room": f.room,
        "brand": f.brand,
        "model": f.model,
        "serial_number": f.serial_number,
        "purchase_price_ore": f.purchase_price,
        "currency": f.currency,
        "tags": f.tags,
        "photos": item.photos.iter().map(|p| json!({
            "id": p.id, "role": p.role.as_str(), "width": p.width, "height": p.height,
            "captured_at": p.captured_at,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::parse_price;

    #[test]
    fn prices_read_as_members_write_them() {
        assert_eq!(parse_price("1499").unwrap(), 149_900);
        assert_eq!(parse_price("1 499,5").unwrap(), 149_950);
        assert_eq!(parse_price("0.07").unwrap(), 7);
        for bad in ["", "-5", "1,234", "12.345", "abc", "99999999999999999999"] {
            assert!(parse_price(bad).is_err(), "{bad}");
        }
    }
}
