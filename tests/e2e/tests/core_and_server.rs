//! The core against the real reference server on loopback, as the apps use it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use std::sync::Arc;

use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_server::{ServerConfig, start};

fn config(dir: &std::path::Path, base_url: &str) -> CoreConfig {
    CoreConfig {
        data_dir: dir.join("core"),
        api_base_url: base_url.into(),
        oidc_issuer: base_url.into(),
        oidc_client_id: "lofavor-e2e".into(),
        redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
        locale: Locale::Nn,
        secure_store: SecureStoreChoice::ShellProvided,
        trust_anchors: Vec::new(),
    }
}

fn platform(secrets: &Arc<MemoryStandInStore>) -> Platform {
    Platform {
        secure_store: Some(secrets.clone() as Arc<dyn SecureStore>),
        logger: None,
    }
}

#[tokio::test]
async fn core_checks_the_reference_server_and_survives_a_restart_of_both() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStandInStore::new());
    for round in 0..2 {
        let server = start(ServerConfig::loopback(dir.path().join("server")))
            .await
            .unwrap();
        let core = Core::open(config(dir.path(), &server.base_url()), platform(&secrets)).unwrap();
        let status = core.check_server().await.unwrap();
        assert_eq!(status.service, "lofavor-server");
        assert!(status.database_ok);
        let info = core.info().unwrap();
        assert_eq!(info.locale, Locale::Nn);
        assert!(info.database_encrypted, "round {round}");
        drop(core);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_stopped_server_is_a_network_error_and_local_data_stays_readable() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStandInStore::new());
    let server = start(ServerConfig::loopback(dir.path().join("server")))
        .await
        .unwrap();
    let base = server.base_url();
    server.stop().await;
    let core = Core::open(config(dir.path(), &base), platform(&secrets)).unwrap();
    core.store().set_meta("offline", "still here").unwrap();
    let err = core.check_server().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(
        !err.reason().contains("127.0.0.1"),
        "no addresses in reasons: {err}"
    );
    assert_eq!(
        core.store().meta("offline").unwrap().as_deref(),
        Some("still here")
    );
}

#[test]
fn the_core_can_be_dropped_inside_an_async_context() {
    // Dropping a runtime inside another runtime panics; the core's Drop must not.
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStandInStore::new());
    let outer = tokio::runtime::Runtime::new().unwrap();
    outer.block_on(async {
        let core = Core::open(
            config(dir.path(), "http://127.0.0.1:9/"),
            platform(&secrets),
        )
        .unwrap();
        drop(core);
    });
}

#[tokio::test]
async fn a_panic_in_a_core_task_is_an_internal_error() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStandInStore::new());
    let core = Core::open(
        config(dir.path(), "http://127.0.0.1:9/"),
        platform(&secrets),
    )
    .unwrap();
    let err = core.trigger_async_panic_for_tests().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal);
    assert!(core.info().is_ok(), "the core still works");
}

#[test]
fn the_secure_store_choice_is_explicit() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStandInStore::new());
    let mut c = config(dir.path(), "http://127.0.0.1:9/");
    c.secure_store = SecureStoreChoice::MemoryStandIn;
    // a store handed over while the config names another is refused, not silently ignored
    let err = Core::open(c.clone(), platform(&secrets)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    c.secure_store = SecureStoreChoice::ShellProvided;
    let err = Core::open(c, Platform::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
}
