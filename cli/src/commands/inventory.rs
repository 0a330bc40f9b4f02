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
        InventoryAction::Import { dir, room } => import(&core, dir, room.as_deref(), out),
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

/// The photos of `dir` the import takes, by extension, in name order.
fn photos_in(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, CliError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        CliError::shell(
            ShellKind::File,
            format!("cannot read {}: {e}", dir.display()),
        )
    })?;
    let mut photos: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "jpg" | "jpeg" | "png" | "heic" | "heif"
                )
            })
        })
        .collect();
    photos.sort();
    Ok(photos)
}

/// Imports every photo of `dir` as an item of its own; a refused file is reported and the
/// rest go on. Each item is made whole or not at all, so an interrupted import leaves only
/// whole items (files of a photo cut off half-way are swept at the next start).
fn import(
    core: &Core,
    dir: &std::path::Path,
    room: Option<&str>,
    out: &Output,
) -> Result<(), CliError> {
    let photos = photos_in(dir)?;
    let bar = if out.is_json() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(photos.len() as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut imported = Vec::new();
    let mut refused = Vec::new();
    for path in &photos {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(file.clone());
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.clone());
        let result = std::fs::read(path)
            .map_err(|e| format!("cannot be read ({:?})", e.kind()))
            .and_then(|bytes| {
                core.inventory()
                    .add_item_with_photos(
                        ItemFields {
                            name,
                            room: room.map(str::to_owned),
                            ..ItemFields::default()
                        },
                        &[bytes],
                    )
                    .map_err(|e| e.reason().to_owned())
            });
        match result {
            Ok((id, _)) => imported.push(json!({ "file": file, "id": id })),
            Err(reason) => refused.push(json!({ "file": file, "reason": reason })),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    out.line(format!(
        "Imported {} of {} photo(s) from {}",
        imported.len(),
        photos.len(),
        dir.display()
    ));
    for r in &refused {
        out.line(format!(
            "  refused {}: {}",
            r["file"].as_str().unwrap_or_default(),
            r["reason"].as_str().unwrap_or_default()
        ));
    }
    out.document(&json!({ "imported": imported, "refused": refused }));
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
