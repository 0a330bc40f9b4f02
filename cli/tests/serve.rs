//! `lofavor serve`: the reference server with its development login page stays on loopback
//! unless `--allow-remote` is given, which warns.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The running command, killed when the test ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(data: &Path, args: &[&str]) -> Running {
    Running(
        Command::new(env!("CARGO_BIN_EXE_lofavor"))
            .arg("--data-dir")
            .arg(data)
            .arg("serve")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    )
}

/// The first line of standard output: where it listens.
fn first_line(running: &mut Running) -> String {
    BufReader::new(running.0.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap()
}

/// Waits up to ten seconds for `running` to end by itself; returns its exit code and
/// standard error.
fn finish(mut running: Running, what: &str) -> (Option<i32>, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "{what}: still serving");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    running
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr)
}

#[test]
fn serve_refuses_an_address_other_machines_reach() {
    for bind in ["0.0.0.0:0", "[::]:0", "192.0.2.10:8080"] {
        let data = tempfile::tempdir().unwrap();
        let (code, stderr) = finish(serve(data.path(), &["--bind", bind]), bind);
        assert_eq!(
            code,
            Some(i32::from(lofavor_server::EXIT_EXPOSED)),
            "{bind}: {stderr}"
        );
        assert!(stderr.contains("refusing to listen"), "{stderr}");
        assert!(stderr.contains("--allow-remote"), "{stderr}");
        assert!(!data.path().join("server").exists(), "nothing made");
    }
}

#[test]
fn serve_refusal_has_its_own_json_kind() {
    let data = tempfile::tempdir().unwrap();
    let running = Running(
        Command::new(env!("CARGO_BIN_EXE_lofavor"))
            .arg("--json")
            .arg("--data-dir")
            .arg(data.path())
            .args(["serve", "--bind", "0.0.0.0:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let (code, stderr) = finish(running, "--json");
    assert_eq!(code, Some(i32::from(lofavor_server::EXIT_EXPOSED)));
    let last: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(last["error"]["kind"], "exposed_bind", "{stderr}");
}

#[test]
fn serve_listens_on_loopback_by_any_name() {
    for (bind, shown) in [
        ("localhost:0", "http://127.0.0.1:"),
        ("[::1]:0", "http://[::1]:"),
        ("127.0.0.1:0", "http://127.0.0.1:"),
    ] {
        let data = tempfile::tempdir().unwrap();
        let mut running = serve(data.path(), &["--bind", bind]);
        let line = first_line(&mut running);
        assert!(
            line.starts_with(&format!("reference server listening on {shown}")),
            "{bind}: {line}"
        );
    }
}

#[test]
fn serve_allow_remote_listens_everywhere_with_a_warning() {
    let data = tempfile::tempdir().unwrap();
    let mut running = serve(data.path(), &["--bind", "0.0.0.0:0", "--allow-remote"]);
    let line = first_line(&mut running);
    assert!(
        line.starts_with("reference server listening on http://0.0.0.0:"),
        "{line}"
    );
    let warning = BufReader::new(running.0.stderr.take().unwrap())
        .lines()
        .map(Result::unwrap)
        .find(|l| l.contains("WARNING"))
        .unwrap();
    assert!(warning.contains("without a password"), "{warning}");
}
