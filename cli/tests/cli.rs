//! The `lofavor` binary, run as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use std::path::Path;
use std::process::{Command, Output};

fn lofavor() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lofavor"))
}

/// Runs `lofavor --data-dir DATA ARGS...` to the end.
fn in_data_dir(data: &Path, args: &[&str]) -> Output {
    lofavor()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// Asserts the run succeeded, showing its standard error otherwise.
fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn demo_runs_on_the_embedded_server_and_shows_an_encrypted_store() {
    let out = lofavor().arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("embedded reference server"), "{stdout}");
    assert!(stdout.contains("Logged in as Kari Nordmann"), "{stdout}");
    assert!(stdout.contains("the access token was accepted"), "{stdout}");
    assert!(stdout.contains("member still logged in: yes"), "{stdout}");
    assert!(
        stdout
            .contains("revoked at the issuer: yes; nothing of the member left on the device: yes"),
        "{stdout}"
    );
    assert!(stdout.contains("plaintext SQLite header: no"), "{stdout}");
    assert!(
        stdout.contains("marker visible in the file: no"),
        "{stdout}"
    );
    assert!(
        stdout.contains("marker readable through the core: yes"),
        "{stdout}"
    );
}

#[test]
fn demo_json_is_one_document() {
    let out = lofavor().args(["demo", "--json"]).output().unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["store"]["encrypted"], true);
    assert_eq!(doc["store"]["marker_visible_in_file"], false);
    assert_eq!(doc["server"]["embedded"], true);
    assert_eq!(doc["login"]["subject"], "kari");
    assert_eq!(doc["login"]["profile_from_member_api"], true);
    assert_eq!(doc["login"]["remembered_after_restart"], true);
    assert_eq!(doc["login"]["logout_revoked"], true);
    assert_eq!(doc["login"]["forgotten_after_logout"], true);
    assert_eq!(doc["server"]["database_ok"], true);
}

#[test]
fn status_keeps_its_store_across_runs_with_the_file_stand_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for _ in 0..2 {
        let out = in_data_dir(
            &data,
            &["--secure-store", "insecure-file", "--json", "status"],
        );
        assert_success(&out);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["database_encrypted"], true);
        assert_eq!(doc["server"]["ok"], true);
    }
    // the stand-in secrets file sits beside the data directory, not inside it
    assert!(dir.path().join("data.stand-in-secrets.json").exists());
    assert!(
        !data
            .join("core")
            .join("data.stand-in-secrets.json")
            .exists()
    );
}

#[test]
fn a_lost_key_is_a_clear_failure_and_the_data_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |store: &str| in_data_dir(&data, &["--secure-store", store, "--json", "status"]);
    assert!(run("insecure-file").status.success());
    let db = std::fs::read(data.join("core/lofavor.db")).unwrap();
    let out = run("memory");
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert!(
        err["error"]
            .as_str()
            .unwrap()
            .starts_with("database_key_missing"),
        "{err}"
    );
    assert_eq!(std::fs::read(data.join("core/lofavor.db")).unwrap(), db);
}

#[test]
fn an_unreachable_server_is_reported_not_fatal_for_status() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = lofavor()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--secure-store", "memory", "--json", "--server"])
        .arg(format!("http://127.0.0.1:{port}/"))
        .arg("status")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["server"]["ok"], false);
    assert_eq!(doc["server"]["error"], "network");
}

#[test]
fn bad_arguments_fail_with_a_message() {
    let out = lofavor()
        .args(["--locale", "sv", "status", "--secure-store", "memory"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown locale"));
}

#[test]
fn demo_in_a_given_directory_can_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    for _ in 0..2 {
        assert_success(&in_data_dir(&data, &["demo"]));
    }
}
