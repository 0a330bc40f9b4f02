//! The member API accepts the core's access tokens: from the reference server's own
//! development issuer, and from a standard OpenID Provider it is configured to trust (the
//! real `oidc-provider` issuing JWT access tokens for the API). The core refreshes a token
//! the API refuses, once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Recorder, World};
use lofavor_core::auth::SessionEvent;
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_e2e::oidc_provider::ProviderOptions;
use lofavor_server::{ExternalIssuer, IssuerChoice, MEMBER_API_AUDIENCE, ServerConfig};

const REDIRECT: &str = "no.lofavor.app:/oauth2redirect";

fn core_at(
    dir: &std::path::Path,
    api: &str,
    issuer: &str,
    secrets: Arc<MemoryStandInStore>,
) -> Core {
    Core::open(
        CoreConfig {
            data_dir: dir.to_path_buf(),
            api_base_url: api.into(),
            oidc_issuer: issuer.into(),
            oidc_client_id: "lofavor-android".into(),
            redirect_uri: REDIRECT.into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::ShellProvided,
            trust_anchors: Vec::new(),
        },
        Platform {
            secure_store: Some(secrets as Arc<dyn SecureStore>),
            logger: None,
        },
    )
    .unwrap()
}

#[tokio::test]
async fn the_reference_server_is_the_issuer_and_its_api_accepts_and_refreshes_the_token() {
    let server_dir = tempfile::tempdir().unwrap();
    let server = lofavor_server::start(ServerConfig {
        access_token_ttl: Duration::from_secs(2),
        ..ServerConfig::loopback(server_dir.path())
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let core = core_at(
        dir.path(),
        &server.base_url(),
        server.issuer_url(),
        Arc::new(MemoryStandInStore::new()),
    );
    let recorder = Arc::new(Recorder::default());
    let _subscription = core.auth().subscribe_session(recorder.clone()).unwrap();

    let url = core.auth().begin_login().await.unwrap();
    let back = HeadlessBrowser::new()
        .pick_member(&url, "kari")
        .await
        .unwrap();
    assert!(back.starts_with(REDIRECT), "{back}");
    let member = core.auth().complete_login(&back).await.unwrap();
    assert_eq!(member.subject, "kari");
    assert_eq!(member.name.as_deref(), Some("Kari Nordmann"));
    assert_eq!(member.membership.as_ref().unwrap().union, "Fellesforbundet");

    let profile = core.auth().refresh_profile().await.unwrap();
    assert_eq!(profile, member);
    // After the access token's time is up, the core refreshes (with rotation) and the API
    // accepts the new token.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let again = core.auth().refresh_profile().await.unwrap();
    assert_eq!(again.subject, "kari");
    let events = recorder.wait_for(4).await;
    assert!(
        matches!(events[1], SessionEvent::LoggedIn { .. }),
        "{events:?}"
    );
    assert!(
        matches!(events[2], SessionEvent::ProfileRefreshed { .. }),
        "{events:?}"
    );
    assert!(
        matches!(events[3], SessionEvent::ProfileRefreshed { .. }),
        "{events:?}"
    );

    // The API refuses a made-up token with the RFC 6750 challenge.
    let refused = reqwest::Client::new()
        .get(format!("{}v1/me", server.base_url()))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let challenge = refused.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert!(challenge.contains("invalid_token"), "{challenge}");
}

#[tokio::test]
async fn the_member_api_trusts_a_standard_provider_it_is_configured_with() {
    let world = World::with(ProviderOptions {
        jwt_access_tokens: true,
        ..Default::default()
    })
    .await;
    let server_dir = tempfile::tempdir().unwrap();
    let server = lofavor_server::start(ServerConfig {
        issuer: IssuerChoice::External(ExternalIssuer::new(
            world.provider.issuer(),
            MEMBER_API_AUDIENCE,
        )),
        ..ServerConfig::loopback(server_dir.path())
    })
    .await
    .unwrap();
    let core = core_at(
        world.dir.path(),
        &server.base_url(),
        world.provider.issuer(),
        world.secrets.clone(),
    );
    let url = core.auth().begin_login().await.unwrap();
    let back = world
        .browser
        .log_in(&url, "member-42", REDIRECT)
        .await
        .unwrap();
    core.auth().complete_login(&back).await.unwrap();

    let profile = core.auth().refresh_profile().await.unwrap();
    assert_eq!(profile.subject, "member-42");
    assert_eq!(profile.name.as_deref(), Some("Test Member member-42"));
    assert_eq!(
        profile.membership.as_ref().map(|m| m.union.as_str()),
        Some("Fellesforbundet"),
        "the provider's token carries the membership scope"
    );

    // A member the API does not know is a clear error, not a crash. Another person, so
    // another browser (the provider remembers the first one's session).
    core.auth().logout(true).await.unwrap();
    let url = core.auth().begin_login().await.unwrap();
    let back = HeadlessBrowser::new()
        .log_in(&url, "stranger", REDIRECT)
        .await
        .unwrap();
    assert_eq!(
        core.auth().complete_login(&back).await.unwrap().subject,
        "stranger"
    );
    let err = core.auth().refresh_profile().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");

    // A token changed on its way is refused.
    let id_token_refused = reqwest::Client::new()
        .get(format!("{}v1/me", server.base_url()))
        .bearer_auth(core.auth().access_token().await.unwrap() + "x")
        .send()
        .await
        .unwrap();
    assert_eq!(id_token_refused.status(), 401, "a damaged token is refused");
}
