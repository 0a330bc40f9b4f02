//! What the offline terminal tests share: running `lofavor` on a data directory with no
//! server, and reading its JSON answer.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses a part; a failed step should stop the test

use std::path::Path;
use std::process::Output;

/// `lofavor --json ARGS` on `data`, with a server address nothing answers on.
pub fn run(data: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lofavor"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "--secure-store",
            "insecure-file",
            "--server",
            "http://127.0.0.1:9/",
        ])
        .args(args)
        .arg("--json")
        .env_remove("LOFAVOR_BACKUP_PASSPHRASE")
        .output()
        .unwrap()
}

/// The JSON document of a run that succeeded.
pub fn document(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
