//! `lofavor inventory import DIR`: every JPEG, PNG and HEIC in a folder, one item per photo
//! named after its file, through the core's background import (a few photos at a time, each
//! whole or not at all), with a progress bar and a summary of what was refused and why. The
//! good files go in whatever the bad ones are. Ctrl-C stops after the photos being worked
//! on; what went in stays, and running the import again adds only what is missing (the same
//! photo twice is one photo).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lofavor_core::Core;
use lofavor_core::inventory::{
    ImportObserver, ImportProgress, ImportTarget, ItemFields, PhotoImport, PhotoSource,
};
use serde_json::json;

use crate::error::{CliError, ShellKind};
use crate::output::Output;

/// The photos of `dir` the import takes, by extension, in name order.
pub fn photos_in(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        CliError::shell(
            ShellKind::File,
            format!("cannot read {}: {e}", dir.display()),
        )
    })?;
    let mut photos: Vec<PathBuf> = entries
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

/// Moves the bar on as photos finish (called from the core's workers).
struct Bar(indicatif::ProgressBar);

impl ImportObserver for Bar {
    fn on_progress(&self, progress: ImportProgress) {
        self.0.set_position(u64::from(progress.done));
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A HEIC file as a JPEG in `scratch` (the core takes JPEG and PNG only), or why not.
fn converted(path: &Path, scratch: &Path, index: usize) -> Result<PathBuf, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot be read ({:?})", e.kind()))?;
    if !crate::heic::is_heic(&bytes) {
        return Ok(path.to_owned());
    }
    let jpeg = crate::heic::to_jpeg(&bytes)?;
    let out = scratch.join(format!("{index}.jpg"));
    std::fs::write(&out, jpeg).map_err(|e| format!("cannot be converted ({:?})", e.kind()))?;
    Ok(out)
}

/// Imports every photo of `dir`.
pub async fn import(
    core: &Core,
    dir: &Path,
    room: Option<&str>,
    keep_original: bool,
    out: &Output,
) -> Result<(), CliError> {
    let files = photos_in(dir)?;
    let scratch = tempfile::tempdir()
        .map_err(|e| CliError::shell(ShellKind::File, format!("no temporary folder: {e}")))?;
    let mut requests = Vec::with_capacity(files.len());
    let mut sent = Vec::with_capacity(files.len());
    let mut refused = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let is_heif = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "heic" | "heif"));
        let source = if is_heif {
            converted(path, scratch.path(), index)
        } else {
            Ok(path.clone())
        };
        match source {
            Ok(source) => {
                let name = path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| file_name(path));
                requests.push(PhotoImport {
                    source: PhotoSource::File(source),
                    target: ImportTarget::NewItem(Box::new(ItemFields {
                        name,
                        room: room.map(str::to_owned),
                        ..ItemFields::default()
                    })),
                    keep_original,
                });
                sent.push(file_name(path));
            }
            Err(reason) => refused.push(json!({ "file": file_name(path), "reason": reason })),
        }
    }
    let bar = if out.is_json() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(requests.len() as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let job = Arc::new(
        core.inventory()
            .start_import(requests, Arc::new(Bar(bar.clone())))?,
    );
    let on_interrupt = job.clone();
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });
    let summary = job.finish().await;
    interrupt.abort();
    bar.finish_and_clear();
    let summary = summary?;

    let mut imported = Vec::new();
    for outcome in &summary.outcomes {
        let file = sent
            .get(outcome.index as usize)
            .cloned()
            .unwrap_or_default();
        match &outcome.result {
            Ok(photo) => imported.push(json!({
                "file": file,
                "id": photo.item_id,
                "photo": photo.photo_id,
                "duplicate": photo.duplicate,
            })),
            Err(e) => refused.push(json!({ "file": file, "reason": e.reason() })),
        }
    }
    out.line(format!(
        "Imported {} of {} photo(s) from {}",
        imported.len(),
        files.len(),
        dir.display()
    ));
    if summary.cancelled > 0 {
        out.line(format!(
            "  stopped: {} photo(s) not started; run the import again to add them",
            summary.cancelled
        ));
    }
    for r in &refused {
        out.line(format!(
            "  refused {}: {}",
            r["file"].as_str().unwrap_or_default(),
            r["reason"].as_str().unwrap_or_default()
        ));
    }
    out.document(&json!({
        "imported": imported,
        "refused": refused,
        "cancelled": summary.cancelled,
    }));
    Ok(())
}
