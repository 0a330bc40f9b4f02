//! Many `lofavor` processes opening one new data directory at once (a user's shell scripts,
//! or a second terminal): every one opens it or says plainly that it is busy, and the
//! directory always opens afterwards. Before the data directory was locked while opening,
//! such a race left it permanently `database_corrupt` or `database_key_missing`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::process::{Command, Stdio};

/// `lofavor whoami` on `data` with the file stand-in and no reachable server (whoami reads
/// the encrypted cache only).
fn whoami(data: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lofavor"));
    command
        .arg("--data-dir")
        .arg(data)
        .args([
            "--secure-store",
            "insecure-file",
            "--server",
            "http://127.0.0.1:9/",
            "--json",
            "whoami",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn twenty_processes_opening_one_new_data_directory_at_once_never_brick_it() {
    for round in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let children: Vec<_> = (0..20).map(|_| whoami(&data).spawn().unwrap()).collect();
        let mut opened = 0;
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                opened += 1;
                let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(doc["logged_in"], false, "round {round}");
            } else {
                // The error document is the line that parses as one (warnings may precede it).
                let kind = stderr
                    .lines()
                    .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                    .find_map(|doc| doc["error"]["kind"].as_str().map(str::to_owned));
                assert_eq!(
                    kind.as_deref(),
                    Some("data_directory_busy"),
                    "round {round}: neither opened nor busy: {stderr}"
                );
            }
        }
        assert!(opened > 0, "round {round}: somebody opened it");
        // Whatever happened, the directory opens now, with the key it was created with.
        let out = whoami(&data).output().unwrap();
        assert!(
            out.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
