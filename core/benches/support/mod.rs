//! What the benchmarks share: a core on a fresh directory, with no reachable server and the
//! in-memory keystore stand-in.

#![allow(dead_code, clippy::unwrap_used)] // each benchmark uses a part; set-up failures stop loudly

use std::sync::Arc;

use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};

/// The configuration of a benchmark core in `dir`.
pub fn config(dir: &std::path::Path) -> CoreConfig {
    CoreConfig {
        data_dir: dir.to_path_buf(),
        api_base_url: "http://127.0.0.1:9/".into(),
        oidc_issuer: "http://127.0.0.1:9/".into(),
        oidc_client_id: "bench".into(),
        redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
        locale: Locale::Nb,
        secure_store: SecureStoreChoice::ShellProvided,
        trust_anchors: Vec::new(),
    }
}

/// A core opened in `dir` with a fresh in-memory keystore.
pub fn open(dir: &std::path::Path) -> Core {
    let secrets: Arc<dyn SecureStore> = Arc::new(MemoryStandInStore::new());
    Core::open(
        config(dir),
        Platform {
            secure_store: Some(secrets),
            logger: None,
        },
    )
    .unwrap()
}
