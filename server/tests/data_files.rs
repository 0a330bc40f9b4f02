//! The server's data on disk: every file it makes is readable by its own user only, and the
//! private keys are in key files of their own, never in the database, across restarts and when
//! an older database that still held a key is opened.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test
#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lofavor_certificate::{
    RevocationList, TrustAnchors, TrustList, TrustedKey, Verification, key_id, verify,
};
use lofavor_server::ServerConfig;
use p256::ecdsa::SigningKey;
use p256::pkcs8::DecodePrivateKey;
use serde_json::Value;
use support::*;

/// Logs in as kari and fetches a certificate (which makes the roadside issuer key); returns
/// the payload.
async fn certificate(server: &lofavor_server::RunningServer) -> String {
    let kari = login(server.issuer_url(), "kari").await;
    let response = http()
        .post(format!("{}v1/roadside/certificate", server.base_url()))
        .bearer_auth(kari["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["payload"].as_str().unwrap().to_owned()
}

async fn trust(server: &lofavor_server::RunningServer) -> TrustList {
    let response = http()
        .get(format!("{}v1/roadside/trust-list", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let anchors = TrustAnchors::from_texts(&[server.trust_anchor()]).unwrap();
    TrustList::from_signed(&response.bytes().await.unwrap(), &anchors).unwrap()
}

/// Every file and directory under `dir` (and `dir` itself), with its mode bits.
fn modes(dir: &Path) -> Vec<(PathBuf, u32, bool)> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(path) = todo.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        found.push((
            path.clone(),
            meta.permissions().mode() & 0o777,
            meta.is_dir(),
        ));
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                todo.push(entry.unwrap().path());
            }
        }
    }
    found
}

/// Asserts every file under `dir` has mode 0600 and every directory 0700 (`dir` itself too
/// when the server made it).
fn assert_private(dir: &Path, made_by_server: bool) {
    for (path, mode, is_dir) in modes(dir) {
        if path == dir && !made_by_server {
            continue;
        }
        let want = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{} has mode {mode:o}", path.display());
    }
}

/// The roadside key files under `data`, read as the server reads them.
fn key_files(data: &Path) -> Vec<SigningKey> {
    let mut keys = Vec::new();
    for entry in std::fs::read_dir(data.join(lofavor_server::KEY_DIR)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        // The trust anchor signs the trust list only: a key file of its own, not an issuer key.
        if name == format!("{}.p8", lofavor_server::TRUST_ANCHOR_KEY) {
            continue;
        }
        // Nor is the key that signs consent receipts.
        if name == format!("{}.p8", lofavor_server::CONSENT_RECEIPT_KEY) {
            continue;
        }
        assert!(
            name.starts_with("roadside-") && name.ends_with(".p8"),
            "{name}"
        );
        keys.push(SigningKey::from_pkcs8_der(&std::fs::read(&path).unwrap()).unwrap());
    }
    keys
}

/// Whether `needle` occurs in any of the database's files.
fn in_database(data: &Path, needle: &[u8]) -> bool {
    ["server.db", "server.db-wal", "server.db-journal"]
        .iter()
        .filter_map(|name| std::fs::read(data.join(name)).ok())
        .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}

/// A trust list of `key` alone.
fn only(key: &SigningKey) -> TrustList {
    let now = SystemTime::now();
    TrustList::new(vec![
        TrustedKey::new(
            *key.verifying_key(),
            now - std::time::Duration::from_secs(3600),
            now + std::time::Duration::from_secs(3600),
        )
        .unwrap(),
    ])
    .unwrap()
}

fn valid(payload: &str, trust: &TrustList) -> bool {
    matches!(
        verify(payload, trust, &RevocationList::empty(), SystemTime::now()),
        Verification::Valid { .. }
    )
}

#[tokio::test]
async fn a_fresh_data_directory_is_private_and_its_key_lives_in_a_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").join("server");
    let server = lofavor_server::start(ServerConfig::loopback(&data))
        .await
        .unwrap();
    let first = certificate(&server).await;
    // While it runs: the database, its -wal and -shm files, the key directory and key file.
    assert!(data.join("server.db-wal").exists());
    assert!(data.join("server.db-shm").exists());
    assert_private(&dir.path().join("data"), true);

    let keys = key_files(&data);
    assert_eq!(keys.len(), 1, "one roadside issuer key");
    let key = &keys[0];
    assert!(valid(&first, &only(key)), "the key file's key signs");
    // Neither the bare scalar (SEC1) nor its PKCS#8 form is anywhere in the database.
    let scalar = key.to_bytes();
    assert!(!in_database(&data, &scalar));
    assert!(!in_database(&data, &hex::encode(scalar).into_bytes()));
    server.stop().await;
    assert!(!in_database(&data, &scalar));

    // After a restart the same key signs: the old certificate verifies against the new trust
    // list, and the new one against the key file alone.
    let server = lofavor_server::start(ServerConfig::loopback(&data))
        .await
        .unwrap();
    let trust = trust(&server).await;
    assert_eq!(trust.keys().len(), 1);
    assert!(valid(&first, &trust));
    let second = certificate(&server).await;
    assert!(valid(&second, &only(key)));
    assert_eq!(key_files(&data).len(), 1, "no new key made");
    assert_private(&dir.path().join("data"), true);
    server.stop().await;
}

#[tokio::test]
async fn a_missing_key_file_stops_the_server_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let server = lofavor_server::start(ServerConfig::loopback(dir.path()))
        .await
        .unwrap();
    certificate(&server).await;
    server.stop().await;
    for entry in std::fs::read_dir(dir.path().join(lofavor_server::KEY_DIR)).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let refused = lofavor_server::start(ServerConfig::loopback(dir.path())).await;
    let message = refused.unwrap_err().to_string();
    assert!(message.contains("key file"), "{message}");
}

/// A database as the previous schema left it: the roadside key's private scalar in
/// `roadside_key.secret`, the file readable by everyone.
fn downgrade(data: &Path, key: &SigningKey, not_before: i64, not_after: i64) {
    let conn = rusqlite::Connection::open(data.join("server.db")).unwrap();
    conn.execute_batch(
        "DROP TABLE roadside_key;
         DROP TABLE roadside_trust_list;
         CREATE TABLE roadside_key (
            kid TEXT PRIMARY KEY NOT NULL,
            secret BLOB NOT NULL,
            not_before INTEGER NOT NULL,
            not_after INTEGER NOT NULL
         ) STRICT;
         PRAGMA user_version = 3;",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO roadside_key (kid, secret, not_before, not_after) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![
            hex::encode(key_id(key.verifying_key())),
            key.to_bytes().to_vec(),
            not_before,
            not_after
        ],
    )
    .unwrap();
    // Closed cleanly: SQLite folds the log into the file, so the secret is in server.db.
    drop(conn);
    std::fs::set_permissions(
        data.join("server.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
}

#[tokio::test]
async fn a_key_an_older_database_held_moves_to_a_key_file_and_out_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    // A database of the current schema with its member records, then taken back to the old
    // one, holding a key that never saw a key file.
    lofavor_server::start(ServerConfig::loopback(data))
        .await
        .unwrap()
        .stop()
        .await;
    let old = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    downgrade(data, &old, now - 60, now + 100 * 24 * 3600);
    assert!(
        in_database(data, &old.to_bytes()),
        "the test plants the key"
    );

    let server = lofavor_server::start(ServerConfig::loopback(data))
        .await
        .unwrap();
    // The key is in its own file now, and gone from every file of the database.
    let keys = key_files(data);
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].verifying_key(), old.verifying_key());
    assert!(!in_database(data, &old.to_bytes()));
    let columns: Vec<String> = rusqlite::Connection::open(data.join("server.db"))
        .unwrap()
        .prepare("SELECT name FROM pragma_table_info('roadside_key')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!columns.iter().any(|c| c == "secret"), "{columns:?}");
    // The old file's mode was narrowed.
    assert_private(data, false);

    // It signs with the migrated key.
    let payload = certificate(&server).await;
    assert!(valid(&payload, &only(&old)));
    assert!(valid(&payload, &trust(&server).await));
    server.stop().await;
}
