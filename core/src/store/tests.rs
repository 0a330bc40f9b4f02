//! The store's promises, checked against real SQLCipher files on disk.

use std::fs;
use std::path::Path;

use super::*;
use crate::platform::MemoryStandInStore;

const MARKER: &str = "MARKER-bd6f1a-plaintext-should-never-appear";

fn all_files_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.display().to_string(), fs::read(&p).unwrap()))
        .collect()
}

/// The store's own tables only: capabilities' tables are tested with them.
fn schema() -> Schema {
    Schema::new(&[STORE_MIGRATIONS]).unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn secret_name(dir: &Path) -> String {
    StoreHeader::read(dir).unwrap().unwrap().key_secret_name()
}

#[test]
fn creates_then_reopens_with_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStandInStore::new();
    let store = Store::open(dir.path(), &secrets, &schema()).unwrap();
    assert_eq!(store.schema_version(), schema().latest());
    store.set_meta("greeting", "hei").unwrap();
    drop(store);
    let store = Store::open(dir.path(), &secrets, &schema()).unwrap();
    assert_eq!(store.meta("greeting").unwrap().as_deref(), Some("hei"));
    assert!(store.is_encrypted_on_disk().unwrap());
    assert!(store.cipher_version().unwrap().starts_with('4'));
    let key = secrets.get(&secret_name(dir.path())).unwrap().unwrap();
    assert_eq!(key.len(), 32);
}

#[test]
fn no_plaintext_in_the_database_or_its_wal() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStandInStore::new();
    let store = Store::open(dir.path(), &secrets, &schema()).unwrap();
    store.set_meta("marker", MARKER).unwrap();
    // Before a checkpoint the row sits in the WAL; after it, in the main file. Check both.
    let mut seen_files = 0;
    for (name, bytes) in all_files_bytes(dir.path()) {
        seen_files += 1;
        assert!(!contains(&bytes, MARKER.as_bytes()), "marker in {name}");
        assert!(
            !contains(&bytes, b"SQLite format 3"),
            "plaintext header in {name}"
        );
        assert!(!contains(&bytes, b"app_meta"), "schema in clear in {name}");
    }
    assert!(seen_files >= 3, "expected db, wal and header files");
    store
        .with_conn(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))
        .unwrap();
    drop(store);
    let db = fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    assert!(db.len() >= 4096);
    assert!(!contains(&db, MARKER.as_bytes()));
    assert!(!contains(&db, b"SQLite format 3"));
    // and the key is nowhere on disk either
    let key = secrets.get(&secret_name(dir.path())).unwrap().unwrap();
    for (name, bytes) in all_files_bytes(dir.path()) {
        assert!(!contains(&bytes, &key), "raw key in {name}");
        assert!(
            !contains(&bytes, hex::encode(&key).as_bytes()),
            "hex key in {name}"
        );
    }
}

#[test]
fn wrong_key_is_refused_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStandInStore::new();
    Store::open(dir.path(), &secrets, &schema())
        .unwrap()
        .set_meta("marker", MARKER)
        .unwrap();
    let before = fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    secrets.put(&secret_name(dir.path()), &[7u8; 32]).unwrap();
    let err = Store::open(dir.path(), &secrets, &schema()).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey), "{err:?}");
    assert_eq!(fs::read(dir.path().join(DATABASE_FILE)).unwrap(), before);
}

#[test]
fn missing_key_is_refused_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStandInStore::new();
    Store::open(dir.path(), &secrets, &schema()).unwrap();
    let before = fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    let empty = MemoryStandInStore::new();
    let err = Store::open(dir.path(), &empty, &schema()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing), "{err:?}");
    assert_eq!(
        empty.get(&secret_name(dir.path())).unwrap(),
        None,
        "no new key made"
    );
    assert_eq!(fs::read(dir.path().join(DATABASE_FILE)).unwrap(), before);
    // The old key still opens it.
    assert!(Store::open(dir.path(), &secrets, &schema()).is_ok());
}

#[test]
fn corrupt_file_is_reported_as_corrupt_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStandInStore::new();
    let store = Store::open(dir.path(), &secrets, &schema()).unwrap();
    store.set_meta("marker", MARKER).unwrap();
    store
        .with_conn(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))
        .unwrap();
    drop(store);
    let path = dir.path().join(DATABASE_FILE);
    let mut bytes = fs::read(&path).unwrap();
    for b in &mut bytes[100..1100] {
        *b ^= 0x5a;
    }
    fs::write(&path, &bytes).unwrap();
    let err = Store::open(dir.path(), &secrets, &schema()).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), bytes, "file left as it was");
}

#[test]
fn a_file_that_is_not_ours_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    fs::write(&path, b"definitely not a database").unwrap();
    let err = Store::open(dir.path(), &MemoryStandInStore::new(), &schema()).unwrap_err();
    assert!(matches!(err, StoreError::HeaderMissing), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), b"definitely not a database");
}

#[test]
fn a_first_open_killed_after_the_header_is_finished_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStandInStore::new();
    // Simulate a process killed after key and header were written, before the database.
    let key = DatabaseKey::generate().unwrap();
    let header = StoreHeader::new(key.check_value());
    secrets
        .put(&header.key_secret_name(), key.as_bytes())
        .unwrap();
    header.write(dir.path()).unwrap();
    let store = Store::open(dir.path(), &secrets, &schema()).unwrap();
    drop(store);
    assert_eq!(StoreHeader::read(dir.path()).unwrap(), Some(header.clone()));
    assert_eq!(
        secrets.get(&header.key_secret_name()).unwrap().as_deref(),
        Some(key.as_bytes())
    );
}

#[test]
fn a_database_from_a_newer_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStandInStore::new();
    let store = Store::open(dir.path(), &secrets, &schema()).unwrap();
    store
        .with_conn(|c| Ok(c.pragma_update(None, "user_version", schema().latest() + 5)?))
        .unwrap();
    drop(store);
    let err = Store::open(dir.path(), &secrets, &schema()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err:?}");
}

#[test]
fn foreign_keys_are_on_and_journal_is_wal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStandInStore::new(), &schema()).unwrap();
    let (fk, mode) = store
        .with_conn(|c| {
            let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            Ok((fk, mode))
        })
        .unwrap();
    assert_eq!(fk, 1);
    assert_eq!(mode, "wal");
}

#[test]
fn twenty_openers_of_a_new_directory_at_once_all_open_it() {
    use crate::platform::InsecureFileStandInStore;
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("core");
        let secrets_file = dir.path().join("secrets.json");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(20));
        let openers: Vec<_> = (0..20)
            .map(|_| {
                let (data, secrets_file, barrier) =
                    (data.clone(), secrets_file.clone(), barrier.clone());
                std::thread::spawn(move || {
                    // Each its own stand-in instance, as separate processes have.
                    let secrets = InsecureFileStandInStore::new(secrets_file);
                    barrier.wait();
                    Store::open(&data, &secrets, &schema()).map(|s| s.installation_id().to_owned())
                })
            })
            .collect();
        let ids: Vec<String> = openers
            .into_iter()
            .map(|o| o.join().unwrap().expect("every opener opens"))
            .collect();
        assert!(
            ids.iter().all(|id| id == &ids[0]),
            "round {round}: one installation"
        );
        let store = Store::open(
            &data,
            &InsecureFileStandInStore::new(&secrets_file),
            &schema(),
        )
        .unwrap();
        assert_eq!(store.installation_id(), ids[0]);
    }
}
