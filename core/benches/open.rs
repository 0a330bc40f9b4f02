#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly
//! Time to open a Core on an existing database (the app's cold-start cost of the core).
//!
//! Also opens the same SQLCipher database with rusqlite alone, key and one query, as the
//! reference: the ratio shows what the core adds on top of SQLCipher (header, migrations
//! check, runtime, HTTP client).

mod support;

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use lofavor_core::Core;
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};

fn open_existing(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let secrets: Arc<dyn SecureStore> = Arc::new(MemoryStandInStore::new());
    let platform = Platform {
        secure_store: Some(secrets.clone()),
        logger: None,
    };
    drop(Core::open(support::config(dir.path()), platform.clone()).unwrap());

    let header: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("store-header.json")).unwrap())
            .unwrap();
    let name = format!("db-key.{}", header["installation_id"].as_str().unwrap());
    let key = secrets.get(&name).unwrap().unwrap();
    let pragma = format!("PRAGMA key = \"x'{}'\";", hex::encode(&key));

    let mut group = c.benchmark_group("open");
    group.bench_function("core_open_existing", |b| {
        b.iter(|| Core::open(support::config(dir.path()), platform.clone()).unwrap())
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
