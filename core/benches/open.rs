#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly
//! Time to open a Core on an existing database (the app's cold-start cost of the core).
//!
//! Also opens the same SQLCipher database with rusqlite alone, key and one query, as the
//! reference: the ratio shows what the core adds on top of SQLCipher (header, migrations
//! check, runtime, HTTP client).

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};

fn config(dir: &std::path::Path) -> CoreConfig {
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

fn open_existing(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let secrets: Arc<dyn SecureStore> = Arc::new(MemoryStandInStore::new());
    let platform = Platform {
        secure_store: Some(secrets.clone()),
        logger: None,
    };
    drop(Core::open(config(dir.path()), platform.clone()).unwrap());

    let header: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("store-header.json")).unwrap())
            .unwrap();
    let name = format!("db-key.{}", header["installation_id"].as_str().unwrap());
    let key = secrets.get(&name).unwrap().unwrap();
    let pragma = format!("PRAGMA key = \"x'{}'\";", hex::encode(&key));

    let mut group = c.benchmark_group("open");
    group.bench_function("core_open_existing", |b| {
        b.iter(|| Core::open(config(dir.path()), platform.clone()).unwrap())
    });
    group.bench_function("reference_sqlcipher_open_existing", |b| {
        b.iter(|| {
            let conn = rusqlite::Connection::open(dir.path().join("lofavor.db")).unwrap();
            conn.execute_batch(&pragma).unwrap();
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, open_existing);
criterion_main!(benches);
