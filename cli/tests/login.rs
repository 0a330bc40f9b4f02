//! `lofavor login`, `whoami` and `logout` against the real OpenID Provider, with a headless
//! browser in the role of the member's browser.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_e2e::oidc_provider::OidcProvider;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// `lofavor` with a data directory, the file stand-in for the keystore, and no member API.
fn lofavor(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lofavor"));
    command.arg("--data-dir").arg(data).args([
        "--secure-store",
        "insecure-file",
        "--server",
        "http://127.0.0.1:9/",
    ]);
    command
}

async fn json_of(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = lofavor(data)
        .args(args)
        .arg("--json")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn a_member_logs_in_from_the_terminal_at_a_standard_provider_and_logs_out() {
    let provider = OidcProvider::start(None).await.unwrap();
    let data = tempfile::tempdir().unwrap();

    let mut login = lofavor(data.path())
        .args(["login", "--no-browser", "--issuer", provider.issuer()])
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
    assert!(
        url.starts_with(&format!("{}/auth?", provider.issuer())),
        "{url}"
    );
    let redirect_uri = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert!(
        redirect_uri.starts_with("http://127.0.0.1:"),
        "{redirect_uri}"
    );
    assert!(redirect_uri.ends_with("/callback"), "{redirect_uri}");
    assert_ne!(
        redirect_uri, "http://127.0.0.1/callback",
        "an ephemeral port"
    );

    // The member logs in; the browser lands on the terminal's loopback listener.
    let browser = HeadlessBrowser::new();
    let back = browser
        .log_in(&url, "member-21", &redirect_uri)
        .await
        .unwrap();
    let page = reqwest::get(&back).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("terminalen"));

    let status = tokio::time::timeout(Duration::from_secs(30), login.wait())
        .await
        .unwrap()
        .unwrap();
    let rest = lines.next_line().await.unwrap().unwrap_or_default();
    assert!(status.success());
    assert_eq!(rest, "Logged in as Test Member member-21");

    let me = json_of(data.path(), &["whoami"]).await;
    assert_eq!(me["logged_in"], true);
    assert_eq!(me["subject"], "member-21");
    assert_eq!(me["membership"]["union"], "Fellesforbundet");

    let out = json_of(data.path(), &["logout"]).await;
    assert_eq!(out["logged_out"], true);
    assert_eq!(out["revoked"], true);
    assert!(
        out["end_session_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/session/end", provider.issuer()))
    );

    let me = json_of(data.path(), &["whoami"]).await;
    assert_eq!(me["logged_in"], false);
    assert_eq!(me["subject"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_login_at_an_issuer_that_cannot_be_reached_fails_with_the_network_exit_code() {
    let data = tempfile::tempdir().unwrap();
    let out = lofavor(data.path())
        .args(["login", "--no-browser", "--issuer", "http://127.0.0.1:9"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("lofavor: network: ")),
        "{stderr}"
    );

    let out = lofavor(data.path())
        .args([
            "--json",
            "login",
            "--no-browser",
            "--issuer",
            "http://127.0.0.1:9",
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(doc["error"]["kind"], "network");
}
