//! Where the server may listen: the development issuer logs anyone in as any member without a
//! password, so an address other machines can reach is refused while it is served, unless the
//! operator allows it explicitly.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use std::net::SocketAddr;

use lofavor_server::{ExternalIssuer, IssuerChoice, ServerConfig, ServerError, parse_bind};
use support::*;

fn config(dir: &tempfile::TempDir, bind: &str) -> ServerConfig {
    ServerConfig {
        bind: parse_bind(bind).unwrap(),
        ..ServerConfig::loopback(dir.path().join("data"))
    }
}

#[tokio::test]
async fn an_address_other_machines_reach_is_refused_with_the_development_issuer() {
    for bind in [
        "0.0.0.0:0",
        "[::]:0",
        "192.0.2.10:0",
        "[2001:db8::1]:0",
        "10.0.0.1:8080",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let refused = lofavor_server::start(config(&dir, bind)).await;
        let Err(ServerError::Exposed(addr)) = refused else {
            panic!("{bind} was not refused: {refused:?}");
        };
        assert_eq!(addr, bind.parse::<SocketAddr>().unwrap());
        let message = ServerError::Exposed(addr).to_string();
        assert!(message.contains("refusing to listen"), "{message}");
        assert!(message.contains("--allow-remote"), "{message}");
        // Refused before anything is made: no database, no key.
        assert!(!dir.path().join("data").exists(), "{bind}");
    }
}

#[tokio::test]
async fn loopback_addresses_are_accepted() {
    for bind in ["127.0.0.1:0", "[::1]:0", "localhost:0", "127.0.0.2:0"] {
        let dir = tempfile::tempdir().unwrap();
        let server = lofavor_server::start(config(&dir, bind)).await.unwrap();
        assert!(lofavor_server::is_loopback(&server.addr()), "{bind}");
        // The development issuer answers there.
        let discovery = reqwest::get(format!(
            "{}/.well-known/openid-configuration",
            server.issuer_url()
        ))
        .await
        .unwrap();
        assert_eq!(discovery.status(), 200, "{bind}");
        server.stop().await;
    }
    // IPv4-mapped loopback is loopback too.
    assert!(lofavor_server::is_loopback(
        &"[::ffff:127.0.0.1]:80".parse().unwrap()
    ));
}

#[tokio::test]
async fn allow_remote_serves_on_every_interface() {
    let dir = tempfile::tempdir().unwrap();
    let server = lofavor_server::start(ServerConfig {
        allow_remote: true,
        ..config(&dir, "0.0.0.0:0")
    })
    .await
    .unwrap();
    assert!(server.addr().ip().is_unspecified());
    let local = format!("http://127.0.0.1:{}/health", server.addr().port());
    assert_eq!(reqwest::get(local).await.unwrap().status(), 200);
    server.stop().await;
}

#[tokio::test]
async fn without_the_development_issuer_any_address_is_allowed() {
    let provider = start().await;
    let dir = tempfile::tempdir().unwrap();
    let server = lofavor_server::start(ServerConfig {
        issuer: IssuerChoice::External(ExternalIssuer::new(
            provider.issuer(),
            lofavor_server::MEMBER_API_AUDIENCE,
        )),
        ..config(&dir, "0.0.0.0:0")
    })
    .await
    .unwrap();
    // No login page is served.
    let own = reqwest::get(format!(
        "http://127.0.0.1:{}/oidc/authorize",
        server.addr().port()
    ))
    .await
    .unwrap();
    assert_eq!(own.status(), 404);
    server.stop().await;
}

#[test]
fn bind_addresses_are_read_as_people_write_them() {
    assert_eq!(
        parse_bind("localhost:8080").unwrap(),
        "127.0.0.1:8080".parse::<SocketAddr>().unwrap()
    );
    assert_eq!(
        parse_bind("[::1]:9").unwrap(),
        "[::1]:9".parse::<SocketAddr>().unwrap()
    );
    assert!(parse_bind("localhost").is_err(), "a port is needed");
    assert!(parse_bind("not an address").is_err());
}
