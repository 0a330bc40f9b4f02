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
