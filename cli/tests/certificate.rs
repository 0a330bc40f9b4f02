//! `lofavor verify` and `lofavor certificate show`, run as a user runs them. A certificate is
//! issued first by the reference server in this process (the member logged in through the
//! core, driving the server's picker page); the command then starts its own embedded server
//! on the same data directory, so it trusts the same issuer key.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use lofavor_core::platform::{InsecureFileStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};

/// Logs `member` in at the embedded issuer by driving its picker page.
async fn log_in(core: &Core, member: &str) {
    let authorize = core.begin_login().await.unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&authorize, member)
        .await
        .unwrap();
    core.complete_login(&redirect).await.unwrap();
}

/// A certificate payload for kari, from a server whose data lives under `data/server`.
async fn issue_payload(data: &Path) -> String {
    let server = start(ServerConfig::loopback(data.join("server")))
        .await
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let config = CoreConfig {
        data_dir: scratch.path().join("core"),
        api_base_url: server.base_url(),
        oidc_issuer: server.issuer_url().into(),
        oidc_client_id: "lofavor-cli".into(),
        redirect_uri: "http://127.0.0.1/callback".into(),
        locale: Locale::Nb,
        secure_store: SecureStoreChoice::ShellProvided,
    };
    let secrets = InsecureFileStandInStore::new(scratch.path().join("secrets.json"));
    let core = Core::open(
        config,
        Platform {
            secure_store: Some(Arc::new(secrets) as Arc<dyn SecureStore>),
            logger: None,
        },
    )
    .unwrap();
    log_in(&core, "kari").await;
    let payload = core.roadside_certificate().await.unwrap().payload;
    drop(core);
    server.stop().await;
    payload
}

async fn lofavor(data: &Path, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_lofavor"))
        .arg("--data-dir")
        .arg(data)
        .args(["--secure-store", "insecure-file"])
        .args(args)
        .output()
        .await
        .unwrap()
}

#[tokio::test]
async fn verify_exits_zero_only_for_a_valid_certificate() {
    let data = tempfile::tempdir().unwrap();
    let payload = issue_payload(data.path()).await;

    // First run offline, before any list was cached: a clear failure, not a verdict.
    let offline = lofavor(
        data.path(),
        &[
            "--server",
            "http://127.0.0.1:9/",
            "verify",
            "--payload",
            &payload,
        ],
    )
    .await;
    assert!(!offline.status.success());
    let stderr = String::from_utf8_lossy(&offline.stderr);
    assert!(stderr.contains("no trust list yet"), "{stderr}");

    let valid = lofavor(data.path(), &["--json", "verify", "--payload", &payload]).await;
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&valid.stdout).unwrap();
    assert_eq!(document["verdict"], "valid");
    assert_eq!(document["holder"], "Kari N.");
    assert_eq!(document["vehicle"], "EV12345");
    assert_eq!(document["lists_refreshed"], true);

    // Offline now: from the cached lists, still valid.
    let cached = lofavor(
        data.path(),
        &[
            "--server",
            "http://127.0.0.1:9/",
            "verify",
            "--payload",
            &payload,
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&cached.stdout);
    assert!(cached.status.success(), "{stdout}");
    assert!(stdout.contains("VALID"), "{stdout}");
    assert!(stdout.contains("using the cached ones"), "{stdout}");

    let mut chars: Vec<char> = payload.chars().collect();
    let at = chars.len() / 2;
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let refused = lofavor(data.path(), &["--json", "verify", "--payload", &tampered]).await;
    assert!(!refused.status.success());
    let document: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_ne!(document["verdict"], "valid");

    let garbage = lofavor(data.path(), &["verify", "--payload", "hello"]).await;
    assert!(!garbage.status.success());
    assert!(String::from_utf8_lossy(&garbage.stdout).contains("NOT A CERTIFICATE"));
}

#[tokio::test]
async fn certificate_show_needs_a_login_and_verify_reads_a_png() {
    let data = tempfile::tempdir().unwrap();
    let shown = lofavor(data.path(), &["certificate", "show"]).await;
    assert!(!shown.status.success());
    assert!(
        String::from_utf8_lossy(&shown.stderr).contains("lofavor login"),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );

    // A PNG of a certificate's QR code, as `certificate show --png` writes it.
    let payload = issue_payload(data.path()).await;
    let png = data.path().join("certificate.png");
    let qr = lofavor_core::roadside::certificate::QrMatrix::encode(&payload).unwrap();
    std::fs::write(&png, qr.to_png(8).unwrap()).unwrap();
    let read = lofavor(
        data.path(),
        &["--json", "verify", "--image", png.to_str().unwrap()],
    )
    .await;
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(document["verdict"], "valid");
}

#[tokio::test]
async fn certificate_show_prints_the_qr_code_and_shows_it_offline_afterwards() {
    let data = tempfile::tempdir().unwrap();
    let server = start(ServerConfig::loopback(data.path().join("other-server")))
        .await
        .unwrap();
    log_in_where_the_command_looks(data.path(), &server, "ola").await;

    let base = server.base_url();
    let png = data.path().join("qr.png");
    let shown = lofavor(
        data.path(),
        &[
            "--server",
            &base,
            "certificate",
            "show",
            "--png",
            png.to_str().unwrap(),
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(
        stdout.contains('\u{2580}') || stdout.contains('\u{2584}') || stdout.contains('\u{2588}'),
        "{stdout}"
    );
    assert!(stdout.contains("Ola N."), "{stdout}");
    assert!(stdout.contains("Veihjelp"), "{stdout}");
    assert!(stdout.contains("Status:   valid"), "{stdout}");
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    server.stop().await;

    let offline = lofavor(
        data.path(),
        &[
            "--server",
            "http://127.0.0.1:9/",
            "--json",
            "certificate",
            "show",
        ],
    )
    .await;
    assert!(
        offline.status.success(),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&offline.stdout).unwrap();
    assert_eq!(document["holder"], "Ola N.");
    assert!(document["vehicle"].is_null());
    assert_eq!(document["status"]["state"], "valid");
    assert!(document["payload"].as_str().unwrap().starts_with("VH1:"));
}

/// Logs `member` in on the very store a command with `--data-dir data --secure-store
/// insecure-file --server <server>` opens: its core directory, its stand-in secrets file, the
/// issuer it derives from `--server`.
async fn log_in_where_the_command_looks(data: &Path, server: &RunningServer, member: &str) {
    let mut name = data.file_name().unwrap().to_os_string();
    name.push(".stand-in-secrets.json");
    let config = CoreConfig {
        data_dir: data.join("core"),
        api_base_url: server.base_url(),
        oidc_issuer: server.issuer_url().into(),
        oidc_client_id: "lofavor-cli".into(),
        redirect_uri: "http://127.0.0.1/callback".into(),
        locale: Locale::Nb,
        secure_store: SecureStoreChoice::InsecureFileStandIn {
            path: data.with_file_name(name),
        },
    };
    let core = Core::open(config, Platform::default()).unwrap();
    log_in(&core, member).await;
}

#[tokio::test]
async fn the_demo_shows_the_certificate_with_a_position_and_checks_it_as_a_worker() {
    let data = tempfile::tempdir().unwrap();
    let server = start(ServerConfig::loopback(data.path().join("other-server")))
        .await
        .unwrap();
    log_in_where_the_command_looks(data.path(), &server, "kari").await;
    let out = lofavor(
        data.path(),
        &["--server", &server.base_url(), "--json", "demo"],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let roadside = &document["roadside"];
    assert_eq!(roadside["certificate"]["holder"], "Kari N.");
    assert_eq!(roadside["field_check"]["from_payload"]["verdict"], "valid");
    assert_eq!(roadside["field_check"]["from_camera"]["verdict"], "valid");
    assert_ne!(
        roadside["field_check"]["one_character_changed"]["verdict"],
        "valid"
    );
    let place = roadside["location"]["nearest_place"]["text"]
        .as_str()
        .unwrap();
    assert!(place.contains("Dombås"), "{place}");
    let text = serde_json::to_string(roadside).unwrap();
    assert!(
        !text.contains("Fellesforbundet"),
        "no union in the roadside step"
    );
}
