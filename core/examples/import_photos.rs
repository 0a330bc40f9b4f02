//! The whole import as the apps run it, for the photo benchmark (`tests/bench/photo.sh`):
//! opens a core in a fresh temporary directory (the in-memory keystore stand-in), imports
//! every file given through `start_import` (renditions, sealing, atomic files, the database
//! row, a few photos at a time), and prints how many went in and how long the import took.
//!
//! `cargo run --release -p lofavor-core --example import_photos -- PHOTO...`

#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark tool: stop loudly, print figures

use std::sync::Arc;
use std::time::Instant;

use lofavor_core::inventory::{
    ImportObserver, ImportProgress, ImportTarget, ItemFields, PhotoImport, PhotoSource,
};
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};

struct Quiet;

impl ImportObserver for Quiet {
    fn on_progress(&self, _: ImportProgress) {}
}

fn main() {
    let files: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let dir = tempfile::tempdir().unwrap();
    let secrets: Arc<dyn SecureStore> = Arc::new(MemoryStandInStore::new());
    let core = Core::open(
        CoreConfig {
            data_dir: dir.path().to_path_buf(),
            api_base_url: "http://127.0.0.1:9/".into(),
            oidc_issuer: "http://127.0.0.1:9/".into(),
            oidc_client_id: "bench".into(),
            redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::ShellProvided,
            trust_anchors: Vec::new(),
        },
        Platform {
            secure_store: Some(secrets),
            logger: None,
        },
    )
    .unwrap();
    let photos = files
        .iter()
        .enumerate()
        .map(|(i, path)| PhotoImport {
            source: PhotoSource::File(path.clone()),
            target: ImportTarget::NewItem(Box::new(ItemFields {
                name: format!("photo {i}"),
                ..ItemFields::default()
            })),
            keep_original: false,
        })
        .collect();
    let started = Instant::now();
    let job = core
        .inventory()
        .start_import(photos, Arc::new(Quiet))
        .unwrap();
    let summary = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(job.finish())
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(summary.refused(), 0, "{:?}", summary.outcomes);
    println!(
        "imported {} photo(s) in {seconds:.2} s: {:.1} photos/s",
        summary.imported(),
        f64::from(summary.imported()) / seconds
    );
}
