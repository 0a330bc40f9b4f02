//! `lofavor verify` and `lofavor certificate show`, run as a user runs them. A certificate is
//! issued first by the reference server in this process (the member logged in through the
//! core, driving the server's picker page); the command then starts its own embedded server
//! on the same data directory, so it trusts the same issuer key.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lofavor_core::platform::{InsecureFileStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};
use tokio::io::AsyncWriteExt;

/// Logs `member` in at the embedded issuer by driving its picker page.
async fn log_in(core: &Core, member: &str) {
    let authorize = core.auth().begin_login().await.unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&authorize, member)
        .await
        .unwrap();
    core.auth().complete_login(&redirect).await.unwrap();
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
        trust_anchors: vec![server.trust_anchor().into()],
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
    let payload = core.roadside().certificate().await.unwrap().payload;
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

/// `lofavor` as [`lofavor`] runs it, with `input` on its standard input.
async fn lofavor_with_input(data: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lofavor"))
        .arg("--data-dir")
        .arg(data)
        .args(["--secure-store", "insecure-file"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).await.unwrap();
    drop(stdin);
    child.wait_with_output().await.unwrap()
}

/// The JSON document of a run that printed one, showing its standard error otherwise.
fn document_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    })
}

/// The `{"error": {...}}` document a failed `--json` run prints as the last line of
/// standard error.
fn error_of(out: &Output) -> serde_json::Value {
    // Warnings may come before it; the failure is the last line.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let doc: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    doc["error"].clone()
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
            "--json",
            "verify",
            "--payload",
            &payload,
        ],
    )
    .await;
    assert_eq!(offline.status.code(), Some(3));
    let error = error_of(&offline);
    assert_eq!(error["kind"], "trust_list_missing");
    let reason = error["reason"].as_str().unwrap();
    assert!(reason.contains("no trust list yet"), "{reason}");
    assert!(
        reason.contains("network"),
        "why the refresh failed: {reason}"
    );

    let valid = lofavor(data.path(), &["--json", "verify", "--payload", &payload]).await;
    assert_eq!(
        valid.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    let document = document_of(&valid);
    assert_eq!(document["verdict"], "valid");
    assert_eq!(document["holder"], "Kari N.");
    assert_eq!(document["vehicle"], "EV12345");
    assert_eq!(document["lists_refreshed"], true);
    assert_eq!(document["lists"]["checked_against"], "refreshed_lists");

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
    assert_eq!(cached.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("VALID"), "{stdout}");
    assert!(
        stdout.contains("not refreshed (network: "),
        "the refresh failure by its kind: {stdout}"
    );
    assert!(stdout.contains("the cached ones were used"), "{stdout}");

    // Not valid is an answer (exit 1), not a failure of the tool (exit 3).
    let mut chars: Vec<char> = payload.chars().collect();
    let at = chars.len() / 2;
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let refused = lofavor(data.path(), &["--json", "verify", "--payload", &tampered]).await;
    assert_eq!(refused.status.code(), Some(1));
    assert_ne!(document_of(&refused)["verdict"], "valid");
    assert!(
        !String::from_utf8_lossy(&refused.stderr).contains("\"error\""),
        "an answer, not an error"
    );

    let garbage = lofavor(data.path(), &["verify", "--payload", "hello"]).await;
    assert_eq!(garbage.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&garbage.stdout).contains("NOT A CERTIFICATE"));
}

#[tokio::test]
async fn verify_reads_a_payload_from_standard_input_or_a_file_whitespace_around_it_ignored() {
    let data = tempfile::tempdir().unwrap();
    let payload = issue_payload(data.path()).await;

    // What `certificate show --payload > file` or `echo` hand over: a trailing newline.
    let piped = lofavor_with_input(
        data.path(),
        &["--json", "verify", "--payload", "-"],
        format!("{payload}\n").as_bytes(),
    )
    .await;
    assert_eq!(document_of(&piped)["verdict"], "valid");
    assert_eq!(piped.status.code(), Some(0));

    let file = data.path().join("payload.txt");
    std::fs::write(&file, format!("  {payload}\r\n\n")).unwrap();
    let from_file = lofavor(
        data.path(),
        &["--json", "verify", "--payload-file", file.to_str().unwrap()],
    )
    .await;
    assert_eq!(document_of(&from_file)["verdict"], "valid");

    let spaced = format!("{payload}\n");
    let argument = lofavor(data.path(), &["--json", "verify", "--payload", &spaced]).await;
    assert_eq!(document_of(&argument)["verdict"], "valid");

    // Nothing to check is an error of the input, not a verdict.
    let empty =
        lofavor_with_input(data.path(), &["--json", "verify", "--payload", "-"], b"\n").await;
    assert_eq!(empty.status.code(), Some(3));
    assert_eq!(error_of(&empty)["kind"], "invalid_input");
    let missing = lofavor(
        data.path(),
        &["--json", "verify", "--payload-file", "no-such-file.txt"],
    )
    .await;
    assert_eq!(missing.status.code(), Some(3));
    assert_eq!(error_of(&missing)["kind"], "file");
}

/// A loopback port where nothing listens.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A loopback server that accepts connections (the kernel completes the handshake) and
/// never answers: the phone whose request goes out and nothing comes back.
fn hanging_server() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

/// A loopback server that answers every request with `status_line` and no body.
fn answering_server(status_line: &'static str) -> u16 {
    lofavor_e2e::stub_server::answering_server(status_line, Vec::new()).unwrap()
}

#[tokio::test]
async fn offline_verify_answers_from_the_cache_without_waiting_for_the_network() {
    let data = tempfile::tempdir().unwrap();
    let payload = issue_payload(data.path()).await;
    // Online once: the lists are cached.
    let online = lofavor(data.path(), &["--json", "verify", "--payload", &payload]).await;
    assert_eq!(document_of(&online)["verdict"], "valid");

    let (_hanging, hanging_port) = hanging_server();
    for (what, port) in [("refused", closed_port()), ("hanging", hanging_port)] {
        let server = format!("http://127.0.0.1:{port}/");
        let started = Instant::now();
        let out = lofavor(
            data.path(),
            &[
                "--server",
                &server,
                "--json",
                "verify",
                "--payload",
                &payload,
            ],
        )
        .await;
        let took = started.elapsed();
        eprintln!("verify with a {what} server took {took:?}");
        assert_eq!(out.status.code(), Some(0), "{what}");
        let document = document_of(&out);
        assert_eq!(document["verdict"], "valid", "{what}");
        assert_eq!(document["lists_refreshed"], false, "{what}");
        assert_eq!(
            document["lists"]["checked_against"], "cached_lists",
            "{what}"
        );
        assert_eq!(document["lists"]["refresh"]["ok"], false, "{what}");
        assert_eq!(
            document["lists"]["refresh"]["error"]["kind"], "network",
            "{what}"
        );
        assert!(
            document["lists"]["trust_list_fetched_at"].is_u64(),
            "{what}"
        );
        // Far below the HTTP layer's 30 s request timeout: the answer did not wait for it.
        assert!(took < Duration::from_secs(10), "{what}: {took:?}");
    }

    // A member API that answers, but with an error: reported as what it is, not "offline".
    let port = answering_server("404 Not Found");
    let out = lofavor(
        data.path(),
        &[
            "--server",
            &format!("http://127.0.0.1:{port}/"),
            "--json",
            "verify",
            "--payload",
            &payload,
        ],
    )
    .await;
    let document = document_of(&out);
    assert_eq!(document["verdict"], "valid");
    assert_eq!(document["lists"]["refresh"]["error"]["kind"], "server");
}

#[tokio::test]
async fn a_revocation_the_refresh_brings_changes_the_answer() {
    let data = tempfile::tempdir().unwrap();
    let server = start(ServerConfig::loopback(data.path().join("other-server")))
        .await
        .unwrap();
    let base = server.base_url();
    // Not the data directory's own server: its anchor is passed as a deployment would.
    let anchor = server.trust_anchor().to_owned();
    let scratch = tempfile::tempdir().unwrap();
    let member = Core::open(
        CoreConfig {
            data_dir: scratch.path().join("core"),
            api_base_url: base.clone(),
            oidc_issuer: server.issuer_url().into(),
            oidc_client_id: "lofavor-cli".into(),
            redirect_uri: "http://127.0.0.1/callback".into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::MemoryStandIn,
            trust_anchors: vec![server.trust_anchor().into()],
        },
        Platform::default(),
    )
    .unwrap();
    log_in(&member, "kari").await;
    let certificate = member.roadside().certificate().await.unwrap();
    let payload = certificate.payload.clone();

    // The worker checks once: the lists are cached, the certificate is valid.
    let first = lofavor(
        data.path(),
        &[
            "--server",
            &base,
            "--trust-anchor",
            &anchor,
            "--json",
            "verify",
            "--payload",
            &payload,
        ],
    )
    .await;
    assert_eq!(document_of(&first)["verdict"], "valid");

    // The issuer revokes it; the worker's cache does not know yet.
    let token = member.auth().access_token().await.unwrap();
    let revoked = reqwest::Client::new()
        .post(format!(
            "{base}v1/roadside/certificates/{}/revoke",
            certificate.certificate_id
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);

    // The answer from the cache comes first; the refreshed lists overturn it, and the exit
    // code follows the final answer.
    let second = lofavor(
        data.path(),
        &[
            "--server",
            &base,
            "--trust-anchor",
            &anchor,
            "verify",
            "--payload",
            &payload,
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert_eq!(second.status.code(), Some(1), "{stdout}");
    let valid_at = stdout.find("VALID").unwrap();
    let changed_at = stdout
        .find("The lists just refreshed change the answer:")
        .unwrap();
    let revoked_at = stdout.find("REVOKED by the issuer").unwrap();
    assert!(valid_at < changed_at && changed_at < revoked_at, "{stdout}");

    let third = lofavor(
        data.path(),
        &[
            "--server",
            &base,
            "--trust-anchor",
            &anchor,
            "--json",
            "verify",
            "--payload",
            &payload,
        ],
    )
    .await;
    assert_eq!(third.status.code(), Some(1));
    assert_eq!(document_of(&third)["verdict"], "revoked");
    server.stop().await;
}

#[tokio::test]
async fn certificate_show_needs_a_login_and_verify_reads_a_png() {
    let data = tempfile::tempdir().unwrap();
    let shown = lofavor(data.path(), &["--json", "certificate", "show"]).await;
    assert_eq!(shown.status.code(), Some(3));
    assert_eq!(error_of(&shown)["kind"], "not_logged_in");
    // People are told what to do next.
    let shown = lofavor(data.path(), &["certificate", "show"]).await;
    assert!(
        String::from_utf8_lossy(&shown.stderr).contains("Log in first: lofavor login"),
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

    // A photo with no code in it is no verdict on any certificate: "unreadable", exit 1.
    let blank = data.path().join("blank.png");
    image::GrayImage::from_pixel(320, 240, image::Luma([200]))
        .save(&blank)
        .unwrap();
    let unread = lofavor(
        data.path(),
        &["--json", "verify", "--image", blank.to_str().unwrap()],
    )
    .await;
    assert_eq!(unread.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&unread.stdout).unwrap();
    assert_eq!(document["verdict"], "unreadable");
    assert_eq!(document["reason"], "no QR code found");
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
        trust_anchors: vec![server.trust_anchor().into()],
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
        &[
            "--server",
            &server.base_url(),
            "--trust-anchor",
            server.trust_anchor(),
            "--json",
            "demo",
        ],
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
