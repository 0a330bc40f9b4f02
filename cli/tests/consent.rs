//! `lofavor consent`, `privacy`, `offers` and `order` against the reference server in this
//! process (so the test reads what reached it), after `lofavor login` through its issuer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

fn lofavor(data: &Path, server: &RunningServer) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lofavor"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(["--secure-store", "insecure-file", "--server"])
        .arg(server.base_url());
    command
}

async fn run(data: &Path, server: &RunningServer, args: &[&str]) -> Output {
    lofavor(data, server)
        .args(args)
        .arg("--json")
        .output()
        .await
        .unwrap()
}

fn document(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn error_kind(out: &Output) -> String {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let doc: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    doc["error"]["kind"].as_str().unwrap_or_default().to_owned()
}

/// A server whose data lives under `data/server`, and `member` logged in through the CLI.
async fn logged_in(data: &Path, member: &str) -> RunningServer {
    let server = start(ServerConfig::loopback(data.join("server")))
        .await
        .unwrap();
    let mut login = lofavor(data, &server)
        .args(["login", "--no-browser"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(login.stdout.take().unwrap()).lines();
    let url = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&url, member)
        .await
        .unwrap();
    reqwest::get(&redirect).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), login.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success());
    server
}

#[tokio::test]
async fn a_partner_consent_needs_explicit_and_the_receipts_are_written() {
    let data = tempfile::tempdir().unwrap();
    let server = logged_in(data.path(), "kari").await;
    let path = data.path();

    let shown = document(&run(path, &server, &["consent", "show"]).await);
    assert_eq!(shown["needs_answer"], true);
    assert!(
        shown["purposes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["switched_on"] == false)
    );

    // Without --explicit: refused, and nothing changed, not even the other choice.
    let refused = run(
        path,
        &server,
        &[
            "consent",
            "set",
            "analytics=yes",
            "partner_sharing.fremtind=yes",
        ],
    )
    .await;
    assert_eq!(error_kind(&refused), "explicit_confirmation_required");
    let history = document(&run(path, &server, &["consent", "history"]).await);
    assert!(history["history"].as_array().unwrap().is_empty());
    let unknown = run(path, &server, &["consent", "set", "nonsense=yes"]).await;
    assert_eq!(error_kind(&unknown), "not_found");
    let malformed = run(path, &server, &["consent", "set", "analytics=maybe"]).await;
    assert!(!malformed.status.success());

    let set = document(
        &run(
            path,
            &server,
            &[
                "consent",
                "set",
                "analytics=yes",
                "partner_sharing.fremtind=yes",
                "--explicit",
            ],
        )
        .await,
    );
    assert_eq!(set["recorded"].as_array().unwrap().len(), 2);
    document(&run(path, &server, &["consent", "reserve", "on"]).await);
    let shown = document(&run(path, &server, &["consent", "show"]).await);
    assert_eq!(shown["reserved"], true);

    let file = path.join("receipts.json");
    let written = document(
        &run(
            path,
            &server,
            &["consent", "receipts", "--out", file.to_str().unwrap()],
        )
        .await,
    );
    assert_eq!(written["receipts"], 3);
    let receipts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(receipts["receipt_keys"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_order_without_yes_only_shows_what_would_be_sent() {
    let data = tempfile::tempdir().unwrap();
    let server = logged_in(data.path(), "kari").await;
    let path = data.path();
    let offers = document(&run(path, &server, &["offers"]).await);
    assert!(offers["offers"].as_array().unwrap().len() >= 4);

    server.clear_requests();
    let preview = document(&run(path, &server, &["order", "fremtind-home-insurance"]).await);
    assert_eq!(preview["sent"], false);
    assert!(!preview["fields"].as_array().unwrap().is_empty());
    assert!(
        !server
            .requests()
            .iter()
            .any(|r| r.starts_with("POST /v1/orders"))
    );
    assert!(server.partner_inbox("fremtind").is_empty());

    let sent = document(
        &run(
            path,
            &server,
            &["order", "fremtind-home-insurance", "--yes"],
        )
        .await,
    );
    assert_eq!(sent["sent"], true);
    assert_eq!(server.partner_inbox("fremtind").len(), 1);
}

#[tokio::test]
async fn privacy_rights_from_the_terminal_and_erasure_needs_yes() {
    let data = tempfile::tempdir().unwrap();
    let server = logged_in(data.path(), "ola").await;
    let path = data.path();

    let request = document(
        &run(
            path,
            &server,
            &[
                "privacy",
                "request",
                "objection",
                "--text",
                "Ingen profilering.",
            ],
        )
        .await,
    );
    assert_eq!(request["status"], "received");
    assert!(request["due_at"].as_i64().unwrap() > request["received_at"].as_i64().unwrap());
    let listed = document(&run(path, &server, &["privacy", "requests"]).await);
    assert_eq!(listed["requests"].as_array().unwrap().len(), 1);
    let bad = run(path, &server, &["privacy", "request", "complaint"]).await;
    assert_eq!(error_kind(&bad), "invalid_input");

    let access = document(&run(path, &server, &["privacy", "access"]).await);
    assert!(access["device"]["profile"].is_object());
    assert!(access["processing"]["processors"].is_object());
    let file = path.join("export.json");
    document(
        &run(
            path,
            &server,
            &["privacy", "export", "--out", file.to_str().unwrap()],
        )
        .await,
    );
    let export: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(export["format"], "lofavor-export/1");

    let without = run(path, &server, &["privacy", "erase"]).await;
    assert_eq!(error_kind(&without), "usage");
    let whoami = document(&run(path, &server, &["whoami"]).await);
    assert_eq!(whoami["logged_in"], true);
    document(&run(path, &server, &["privacy", "erase", "--yes"]).await);
    let whoami = document(&run(path, &server, &["whoami"]).await);
    assert_eq!(whoami["logged_in"], false);
}

#[tokio::test]
async fn a_process_killed_while_deciding_records_nothing_the_member_did_not_choose() {
    let data = tempfile::tempdir().unwrap();
    let server = logged_in(data.path(), "kari").await;
    let path = data.path();
    let mut seed = 0x2545_f491_u64;
    for round in 0..20 {
        // A small xorshift: a different moment in each round, the same rounds in every run.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = Duration::from_millis(seed % 400);
        let answer = if round % 2 == 0 {
            "analytics=yes"
        } else {
            "analytics=no"
        };
        let mut child = lofavor(path, &server)
            .args(["consent", "set", answer])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        tokio::time::sleep(after).await;
        let _ = child.start_kill();
        let _ = child.wait().await;
    }
    // The member's last answer, not interrupted, is the newest record.
    document(&run(path, &server, &["consent", "set", "analytics=yes"]).await);
    // The ledger still chains, and holds only the answers the member gave.
    let history = document(&run(path, &server, &["consent", "history"]).await);
    assert_eq!(history["history"][0]["decision"], "given");
    for entry in history["history"].as_array().unwrap() {
        assert_eq!(entry["purpose"], "analytics");
        let decision = entry["decision"].as_str().unwrap();
        assert!(
            ["given", "refused", "withdrawn"].contains(&decision),
            "{decision}"
        );
    }
    // Whatever was left pending goes with the next sync, once each.
    document(&run(path, &server, &["consent", "show"]).await);
    let history = document(&run(path, &server, &["consent", "history"]).await);
    assert!(
        history["history"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["state"] == "synced")
    );
}
