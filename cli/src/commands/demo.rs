//! `lofavor demo`: the member's journey, step by step, on the embedded reference server.
//!
//! For now: the core opens, its store is shown to be encrypted on disk, and the server
//! answers. Each capability adds its part of the journey here.

use std::sync::Arc;

use lofavor_core::platform::{MemoryStandInStore, SecureStore};
use lofavor_core::{SecureStoreChoice, store::DATABASE_FILE};
use serde_json::json;

use crate::args::{Args, SecureStoreArg};
use crate::output::Output;
use crate::session::{self, Backend};

/// A string written into the store to show it cannot be found in the file.
const MARKER: &str = "demo-marker-only-visible-through-the-core";

/// Runs the demo.
pub async fn run(args: &Args, out: &Output) -> Result<(), String> {
    // A fresh directory unless one is given: the demo always starts from nothing and
    // leaves nothing behind.
    let temp;
    let data_dir = match &args.data_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
            temp.path().to_path_buf()
        }
    };
    out.line("LOfavør demo");
    out.line("============");

    let backend = Backend::start(args, &data_dir).await?;
    out.line(format!(
        "1. Member API: {} ({})",
        backend.base_url,
        if backend.embedded.is_some() {
            "embedded reference server"
        } else {
            "given by --server"
        }
    ));

    // The demo reopens the core, so it keeps one secure store for both opens.
    // A temporary directory lives only as long as this run, and so may its key; a given
    // directory outlives it, so its key must too.
    let default_store = if args.data_dir.is_some() {
        SecureStoreArg::InsecureFile
    } else {
        SecureStoreArg::Memory
    };
    let choice = session::secure_store_choice(args, &data_dir, default_store);
    let (choice, shared): (SecureStoreChoice, Option<Arc<dyn SecureStore>>) = match choice {
        SecureStoreChoice::MemoryStandIn => (
            SecureStoreChoice::ShellProvided,
            Some(Arc::new(MemoryStandInStore::new())),
        ),
        other => (other, None),
    };
    let config = session::config(args, &data_dir, &backend, choice)?;
    let db_path = config.data_dir.join(DATABASE_FILE);

    let core = session::open_core(config.clone(), shared.clone())?;
    let info = core.info().map_err(|e| e.to_string())?;
    out.line(format!(
        "2. Core {} opened; local store at schema {}, SQLCipher {}",
        info.core_version, info.schema_version, info.cipher_version
    ));
    core.store()
        .set_meta("demo-marker", MARKER)
        .map_err(|e| e.to_string())?;
    drop(core);

    let bytes =
        std::fs::read(&db_path).map_err(|e| format!("cannot read the database file: {e}"))?;
    let wal = std::fs::read(db_path.with_extension("db-wal")).unwrap_or_default();
    let plaintext_header = bytes.starts_with(b"SQLite format 3\0");
    let marker_visible = [&bytes, &wal]
        .iter()
        .any(|b| b.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()));
    out.line(format!(
        "3. Database file: {} bytes; plaintext SQLite header: {}; marker visible in the file: {}",
        bytes.len(),
        yes_no(plaintext_header),
        yes_no(marker_visible)
    ));

    let core = session::open_core(config, shared)?;
    let read_back = core
        .store()
        .meta("demo-marker")
        .map_err(|e| e.to_string())?;
    let readable = read_back.as_deref() == Some(MARKER);
    out.line(format!(
        "4. Reopened with the key from the secure store; marker readable through the core: {}",
        yes_no(readable)
    ));

    let server = core.check_server().await.map_err(|e| e.to_string())?;
    out.line(format!(
        "5. Server health: {} {} answers, database {} ({} ms)",
        server.service,
        server.version,
        if server.database_ok { "ok" } else { "down" },
        server.round_trip_ms
    ));

    let encrypted = !plaintext_header && !marker_visible && readable && info.database_encrypted;
    out.line(if encrypted {
        "Done: the store is encrypted at rest and the server answers."
    } else {
        "PROBLEM: the store is not encrypted as it should be."
    });
    let mut roadside = serde_json::Map::new();
    super::demo_roadside::run(&core, out, &mut roadside).await?;
    out.document(&json!({
        "roadside": roadside.remove("roadside"),
        "server": { "base_url": backend.base_url, "embedded": backend.embedded.is_some(),
                    "service": server.service, "version": server.version,
                    "database_ok": server.database_ok, "round_trip_ms": server.round_trip_ms },
        "store": { "schema_version": info.schema_version, "cipher_version": info.cipher_version,
                   "file_bytes": bytes.len(), "plaintext_header": plaintext_header,
                   "marker_visible_in_file": marker_visible, "marker_readable_through_core": readable,
                   "encrypted": encrypted },
    }));
    if encrypted {
        Ok(())
    } else {
        Err("the store is not encrypted".into())
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
