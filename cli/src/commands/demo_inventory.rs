//! The Husk Hva Du Har step of `lofavor demo`: three belongings photographed (photos made
//! here, so the demo needs no files), imported in the background, synced to the member API
//! with their photos, valued, and written up as a claim report (PDF and CSV) in the demo's
//! directory.

use std::path::Path;
use std::sync::Arc;

use lofavor_core::Core;
use lofavor_core::inventory::{
    ImportObserver, ImportProgress, ImportTarget, ItemFields, PhotoImport, PhotoSource,
    ReportPhotos, ReportRequest,
};
use serde_json::{Map, Value, json};

use crate::error::{CliError, ShellKind};
use crate::output::Output;

struct Quiet;

impl ImportObserver for Quiet {
    fn on_progress(&self, _: ImportProgress) {}
}

/// A 1200×900 photo of a plain shape on a wall: enough for real renditions.
fn photo(wall: [u8; 3], thing: [u8; 3], round: bool) -> Result<Vec<u8>, CliError> {
    let image = image::RgbImage::from_fn(1200, 900, |x, y| {
        let (dx, dy) = (x.abs_diff(600), y.abs_diff(500));
        let inside = if round {
            dx * dx + dy * dy < 250 * 250
        } else {
            dx < 380 && dy < 180
        };
        image::Rgb(if inside { thing } else { wall })
    });
    let mut jpeg = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .map_err(|_| CliError::shell(ShellKind::CheckFailed, "the demo photo could not be made"))?;
    Ok(jpeg)
}

fn belonging(name: &str, room: &str, category: &str, kroner: u64, bought: &str) -> ItemFields {
    ItemFields {
        name: name.into(),
        room: Some(room.into()),
        category: Some(category.into()),
        purchase_price: Some(kroner * 100),
        purchase_date: Some(bought.into()),
        ..ItemFields::default()
    }
}

/// Runs the inventory step on `core`, where the member is logged in; adds `"inventory"` to
/// the demo's JSON document and writes the report beside the demo's data.
pub async fn run(
    core: &Core,
    data_dir: &Path,
    out: &Output,
    json: &mut Map<String, Value>,
) -> Result<(), CliError> {
    out.line("");
    out.line("Husk Hva Du Har");
    out.line("---------------");
    let photos = vec![
        PhotoImport {
            source: PhotoSource::Bytes(photo([225, 220, 210], [70, 90, 140], false)?),
            target: ImportTarget::NewItem(Box::new(belonging(
                "Sofa",
                "Stue",
                "Møbler",
                12_999,
                "2023-03-14",
            ))),
            keep_original: false,
        },
        PhotoImport {
            source: PhotoSource::Bytes(photo([230, 230, 230], [20, 20, 25], false)?),
            target: ImportTarget::NewItem(Box::new(belonging(
                "TV",
                "Stue",
                "Elektronikk",
                8_490,
                "2022-11-25",
            ))),
            keep_original: false,
        },
        PhotoImport {
            source: PhotoSource::Bytes(photo([200, 215, 200], [190, 40, 40], true)?),
            target: ImportTarget::NewItem(Box::new(belonging(
                "Sykkel",
                "Bod",
                "Sport",
                6_000,
                "2024-05-02",
            ))),
            keep_original: false,
        },
    ];
    let job = core.inventory().start_import(photos, Arc::new(Quiet))?;
    let imported = job.finish().await?;
    out.line(format!(
        "   imported {} photo(s) as items (renditions sealed on the device)",
        imported.imported()
    ));
    let synced = core.inventory().sync().await?;
    out.line(format!(
        "   synced: {} change(s) sent, {} photo rendition(s) uploaded, {} waiting",
        synced.pushed, synced.uploaded, synced.pending
    ));
    let totals = core.inventory().totals()?;
    out.line(format!(
        "   paid {} kr in all; worth {} kr today after depreciation",
        totals.all.purchase_price / 100,
        totals.all.current_value / 100
    ));
    let report = core
        .inventory()
        .make_report(ReportRequest {
            photos: ReportPhotos::Large,
            csv: true,
            ..ReportRequest::default()
        })
        .await?;
    let pdf_path = data_dir.join("husk-hva-du-har.pdf");
    std::fs::write(&pdf_path, &report.pdf)
        .map_err(|e| CliError::shell(ShellKind::File, format!("cannot write the report: {e}")))?;
    out.line(format!(
        "   claim report: {} page(s), {} photo(s), {} kB: {}",
        report.pages,
        report.photos,
        report.pdf.len() / 1000,
        pdf_path.display()
    ));
    json.insert(
        "inventory".into(),
        json!({
            "imported": imported.imported(),
            "sync": { "pushed": synced.pushed, "uploaded": synced.uploaded,
                      "pending": synced.pending },
            "purchase_price_ore": totals.all.purchase_price,
            "current_value_ore": totals.all.current_value,
            "report": { "file": pdf_path, "pages": report.pages, "photos": report.photos,
                        "bytes": report.pdf.len(),
                        "csv_bytes": report.csv.as_ref().map_or(0, Vec::len) },
        }),
    );
    if synced.pending == 0 && imported.refused() == 0 {
        Ok(())
    } else {
        Err(CliError::shell(
            ShellKind::CheckFailed,
            "the inventory did not sync whole",
        ))
    }
}
