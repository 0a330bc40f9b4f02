//! The `lofavor-server` program: `--issuer URL --audience AUD` make its member API trust an
//! external issuer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use support::*;

/// The program, killed when the test ends.
struct Program(Child);

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the program with `args`; returns it with its first two stdout lines.
fn run(args: &[&str]) -> (Program, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lofavor-server"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    (Program(child), first, second)
}

#[tokio::test]
async fn the_program_trusts_the_issuer_it_is_given() {
    let provider = start().await;
    let data = tempfile::tempdir().unwrap();
    let issuer = provider.issuer();
    let (_program, first, second) = run(&[
        "--bind",
        "127.0.0.1:0",
        "--data-dir",
        data.path().to_str().unwrap(),
        "--issuer",
        &issuer,
        "--audience",
        lofavor_server::MEMBER_API_AUDIENCE,
    ]);
    let base = first.strip_prefix("listening on ").unwrap().to_owned();
    assert_eq!(second, format!("issuer {issuer}"));
    let tokens = login(&issuer, "kari").await;
    let response = me(&base, tokens["access_token"].as_str()).await;
    assert_eq!(response.status(), 200);

    let (_other, first, second) = run(&[
        "--bind",
        "127.0.0.1:0",
        "--data-dir",
        data.path().join("other").to_str().unwrap(),
        "--issuer",
        &issuer,
        "--audience",
        "urn:not-this-api",
    ]);
    let base = first.strip_prefix("listening on ").unwrap().to_owned();
    assert_eq!(second, format!("issuer {issuer}"));
    assert_eq!(
        me(&base, tokens["access_token"].as_str()).await.status(),
        401
    );
}

#[tokio::test]
async fn the_program_serves_its_own_issuer_by_default() {
    let data = tempfile::tempdir().unwrap();
    let (_program, first, second) = run(&[
        "--bind",
        "127.0.0.1:0",
        "--data-dir",
        data.path().to_str().unwrap(),
        "--access-token-ttl",
        "42",
    ]);
    let base = first.strip_prefix("listening on ").unwrap().to_owned();
    let issuer = second.strip_prefix("issuer ").unwrap().to_owned();
    assert_eq!(issuer, format!("{base}oidc"));
    let tokens = login(&issuer, "member-42").await;
    assert_eq!(tokens["expires_in"], 42);
    assert_eq!(
        me(&base, tokens["access_token"].as_str()).await.status(),
        200
    );
}

/// Runs the program with `args`, which should end by itself within ten seconds; returns its
/// exit code and standard error.
fn run_to_end(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Program(
        Command::new(env!("CARGO_BIN_EXE_lofavor-server"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{args:?}: still serving"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.0.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), stderr)
}

#[test]
fn the_program_refuses_to_serve_the_development_issuer_to_the_network() {
    for bind in ["0.0.0.0:0", "[::]:0", "192.0.2.10:8080"] {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join("data");
        let (code, stderr) = run_to_end(&["--bind", bind, "--data-dir", dir.to_str().unwrap()]);
        assert_eq!(
            code,
            Some(i32::from(lofavor_server::EXIT_EXPOSED)),
            "{bind}: {stderr}"
        );
        assert!(stderr.contains("refusing to listen"), "{stderr}");
        assert!(stderr.contains("--allow-remote"), "{stderr}");
        assert!(!dir.exists(), "nothing made");
    }
}

#[test]
fn the_program_listens_on_loopback_by_any_name() {
    for (bind, shown) in [
        ("localhost:0", "http://127.0.0.1:"),
        ("[::1]:0", "http://[::1]:"),
        ("127.0.0.1:0", "http://127.0.0.1:"),
    ] {
        let data = tempfile::tempdir().unwrap();
        let (_program, first, _) =
            run(&["--bind", bind, "--data-dir", data.path().to_str().unwrap()]);
        assert!(
            first.starts_with(&format!("listening on {shown}")),
            "{bind}: {first}"
        );
    }
}

#[tokio::test]
async fn allow_remote_serves_the_network_with_a_warning() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Program(
        Command::new(env!("CARGO_BIN_EXE_lofavor-server"))
            .args([
                "--bind",
                "0.0.0.0:0",
                "--allow-remote",
                "--data-dir",
                data.path().to_str().unwrap(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // Both lines are read, so the program never writes to a closed pipe.
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first = stdout.next().unwrap().unwrap();
    let second = stdout.next().unwrap().unwrap();
    assert!(second.starts_with("issuer http://0.0.0.0:"), "{second}");
    let port = first
        .strip_prefix("listening on http://0.0.0.0:")
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let warning = BufReader::new(child.0.stderr.take().unwrap())
        .lines()
        .map(Result::unwrap)
        .find(|l| l.contains("WARNING"))
        .unwrap();
    assert!(warning.contains("without a password"), "{warning}");
    let health = reqwest::get(format!("http://127.0.0.1:{port}/health"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}
