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
    // Husk Hva Du Har: three photos in, all synced with their renditions, a report written.
    let inventory = &doc["inventory"];
    assert_eq!(inventory["imported"], 3);
    assert_eq!(inventory["sync"]["pending"], 0);
    assert_eq!(inventory["sync"]["uploaded"], 6);
    assert!(
        inventory["report"]["pages"].as_u64().unwrap() >= 4,
        "{inventory}"
    );
    assert!(
        inventory["current_value_ore"].as_u64().unwrap()
            < inventory["purchase_price_ore"].as_u64().unwrap()
    );
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

/// The `{"error": {...}}` document a failed `--json` run prints as the last line of
/// standard error.
fn json_error(out: &Output) -> serde_json::Value {
    // Warnings may come before it; the failure is the last line.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let doc: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert!(doc["error"]["reason"].is_string(), "{doc}");
    doc["error"].clone()
}

#[test]
fn a_lost_key_is_a_clear_failure_and_the_data_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert_success(&in_data_dir(
        &data,
        &["--secure-store", "insecure-file", "--json", "status"],
    ));
    let db = std::fs::read(data.join("core/lofavor.db")).unwrap();

    // Another store than the one the directory remembers: refused before anything opens,
    // naming the flag that opens it.
    let out = in_data_dir(&data, &["--secure-store", "memory", "--json", "status"]);
    assert_eq!(out.status.code(), Some(2));
    let error = json_error(&out);
    assert_eq!(error["kind"], "secure_store_mismatch");
    let reason = error["reason"].as_str().unwrap();
    assert!(reason.contains("--secure-store insecure-file"), "{reason}");

    // The key itself gone: the core's own kind, and the data untouched.
    std::fs::remove_file(dir.path().join("data.stand-in-secrets.json")).unwrap();
    let out = in_data_dir(&data, &["--json", "status"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_error(&out)["kind"], "database_key_missing");
    let out = in_data_dir(&data, &["status"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("lofavor: database_key_missing: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("The database key is not in the stand-in file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(data.join("core/lofavor.db")).unwrap(), db);
}

#[test]
fn a_demo_directory_opens_afterwards_without_naming_its_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    assert_success(&in_data_dir(&data, &["demo"]));

    // The demo kept its key in the stand-in file; the next command finds it there. The demo
    // logged the member out, so the certificate is refused for that, not for a lost key.
    let out = in_data_dir(&data, &["--json", "certificate", "show"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_error(&out)["kind"], "not_logged_in");
    let out = in_data_dir(&data, &["--json", "whoami"]);
    assert_success(&out);
    let me: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(me["logged_in"], false);

    let out = in_data_dir(
        &data,
        &["--secure-store", "os-keystore", "--json", "whoami"],
    );
    assert_eq!(out.status.code(), Some(2));
    let error = json_error(&out);
    assert_eq!(error["kind"], "secure_store_mismatch");
    assert!(
        error["reason"]
            .as_str()
            .unwrap()
            .contains("--secure-store insecure-file"),
        "{error}"
    );
}

#[test]
fn log_lines_stay_off_unless_asked_for() {
    let out = lofavor().arg("demo").output().unwrap();
    assert_success(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stderr.contains("[Info"), "{stderr}");
    assert!(!stdout.contains("[Info"), "{stdout}");

    let dir = tempfile::tempdir().unwrap();
    let quiet = in_data_dir(dir.path(), &["--secure-store", "memory", "status"]);
    assert_success(&quiet);
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let verbose = in_data_dir(dir.path(), &["--secure-store", "memory", "-v", "status"]);
    assert_success(&verbose);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(
        stderr.contains("[Info lofavor_core] core opened"),
        "{stderr}"
    );
    assert!(!stderr.contains("[Debug"), "{stderr}");
    assert!(
        !String::from_utf8_lossy(&verbose.stdout).contains("[Info"),
        "log lines go to standard error only"
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let out = lofavor().arg("--help").output().unwrap();
    assert_success(&out);
    let help = String::from_utf8_lossy(&out.stdout);
    for line in [
        "Exit codes:",
        "0  success",
        "1  verify: the certificate is not valid",
        "2  usage",
        "3  the command failed",
        "4  network",
        "{\"error\": {\"kind\"",
    ] {
        assert!(help.contains(line), "{line} missing in:\n{help}");
    }
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
fn bad_arguments_fail_with_a_message_and_exit_code_2() {
    let out = lofavor()
        .args(["--locale", "sv", "status", "--secure-store", "memory"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown locale"));

    let out = lofavor()
        .args([
            "--json",
            "--locale",
            "sv",
            "status",
            "--secure-store",
            "memory",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json_error(&out)["kind"], "usage");

    // What clap itself refuses is a usage error too, and with --json a document.
    let out = lofavor().args(["--json", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let error = json_error(&out);
    assert_eq!(error["kind"], "usage");
    assert!(
        error["reason"].as_str().unwrap().contains("--payload"),
        "{error}"
    );
    let out = lofavor().args(["no-such-command"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn demo_in_a_given_directory_can_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    for _ in 0..2 {
        assert_success(&in_data_dir(&data, &["demo"]));
    }
}
