//! Login through the core against the real OpenID Provider, with a headless browser in the
//! role of the system browser.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::sync::Arc;

use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_e2e::oidc_provider::OidcProvider;
use url::Url;

const REDIRECT: &str = "http://127.0.0.1:53123/callback";

struct World {
    provider: OidcProvider,
    dir: tempfile::TempDir,
    secrets: Arc<MemoryStandInStore>,
    browser: HeadlessBrowser,
}

impl World {
    async fn new() -> Self {
        Self {
            provider: OidcProvider::start(None).await.unwrap(),
            dir: tempfile::tempdir().unwrap(),
            secrets: Arc::new(MemoryStandInStore::new()),
            browser: HeadlessBrowser::new(),
        }
    }

    fn core(&self) -> Core {
        let config = CoreConfig {
            data_dir: self.dir.path().to_path_buf(),
            api_base_url: "http://127.0.0.1:9/".into(),
            oidc_issuer: self.provider.issuer().into(),
            oidc_client_id: "lofavor-cli".into(),
            redirect_uri: REDIRECT.into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::ShellProvided,
        };
        let platform = Platform {
            secure_store: Some(self.secrets.clone() as Arc<dyn SecureStore>),
            logger: None,
        };
        Core::open(config, platform).unwrap()
    }

    /// Starts a login and lets the member log in; returns the redirect the browser got.
    async fn redirect_after_login(&self, core: &Core, account: &str) -> String {
        let url = core.begin_login().await.unwrap();
        self.browser.log_in(&url, account, REDIRECT).await.unwrap()
    }
}

/// `url` with query parameter `name` set to `value` (or removed, for `None`).
fn with_param(url: &str, name: &str, value: Option<&str>) -> String {
    let mut url = Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| k != name)
        .collect();
    let mut query = url.query_pairs_mut();
    query.clear();
    for (k, v) in &pairs {
        query.append_pair(k, v);
    }
    if let Some(value) = value {
        query.append_pair(name, value);
    }
    drop(query);
    url.into()
}

fn param(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn a_member_logs_in_and_is_remembered_offline() {
    let world = World::new().await;
    let core = world.core();
    let url = core.begin_login().await.unwrap();
    assert_eq!(
        param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(param(&url, "client_id").as_deref(), Some("lofavor-cli"));
    let scope = param(&url, "scope").unwrap();
    for wanted in ["openid", "profile", "offline_access"] {
        assert!(scope.split(' ').any(|s| s == wanted), "{scope}");
    }
    assert!(param(&url, "state").unwrap().len() >= 16);
    assert!(param(&url, "nonce").unwrap().len() >= 16);

    let back = world
        .browser
        .log_in(&url, "member-42", REDIRECT)
        .await
        .unwrap();
    let member = core.complete_login(&back).await.unwrap();
    assert_eq!(member.subject, "member-42");
    assert_eq!(member.name.as_deref(), Some("Test Member member-42"));
    assert!(core.auth().has_session().unwrap(), "refresh token kept");
    assert!(core.auth().cached_access_token().is_some());

    // The refresh token is in the SecureStore, nowhere in the database.
    let name = format!("refresh-token.{}", core.store().installation_id());
    let refresh = world
        .secrets
        .get(&name)
        .unwrap()
        .expect("refresh token in the SecureStore");
    let refresh = String::from_utf8(refresh).unwrap();
    let in_db: i64 = core
        .store()
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM app_meta WHERE value = ?1",
                [&refresh],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(in_db, 0);

    // A new process, offline as far as login goes: the member is still shown.
    drop(core);
    let core = world.core();
    assert_eq!(core.member().unwrap(), Some(member));
    assert!(
        core.auth().cached_access_token().is_none(),
        "access token was memory only"
    );
}

#[tokio::test]
async fn the_app_dies_while_the_browser_is_open_and_the_next_process_completes() {
    let world = World::new().await;
    let core = world.core();
    let url = core.begin_login().await.unwrap();
    drop(core); // Android kills the app
    let back = world
        .browser
        .log_in(&url, "member-7", REDIRECT)
        .await
        .unwrap();
    let core = world.core();
    let member = core.complete_login(&back).await.unwrap();
    assert_eq!(member.subject, "member-7");
}

#[tokio::test]
async fn a_wrong_state_is_refused_and_the_real_redirect_still_completes() {
    let world = World::new().await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-1").await;
    let forged = with_param(&back, "state", Some("not-the-state"));
    let err = core.complete_login(&forged).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(!err.reason().contains("not-the-state"), "{err}");
    core.complete_login(&back).await.unwrap();
    // and the same redirect cannot be used twice
    let err = core.complete_login(&back).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
}

#[tokio::test]
async fn a_wrong_or_missing_issuer_is_refused() {
    let world = World::new().await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-2").await;
    let err = core
        .complete_login(&with_param(&back, "iss", Some("https://evil.example")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("another issuer"), "{err}");

    let back = world.redirect_after_login(&core, "member-2").await;
    let err = core
        .complete_login(&with_param(&back, "iss", None))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::LoginInvalid,
        "the provider promises iss (RFC 9207)"
    );
}

#[tokio::test]
async fn a_member_who_cancels_gets_cancelled() {
    let world = World::new().await;
    let core = world.core();
    let url = core.begin_login().await.unwrap();
    // What the provider sends when the member declines.
    let cancel = format!(
        "{REDIRECT}?error=access_denied&state={}&iss={}",
        param(&url, "state").unwrap(),
        world.provider.issuer()
    );
    let err = core.complete_login(&cancel).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginCancelled);
    assert!(!core.auth().has_session().unwrap());
}

#[tokio::test]
async fn an_expired_login_is_refused() {
    let world = World::new().await;
    let core = world.core();
    let url = core.begin_login().await.unwrap();
    // Eleven minutes later.
    core.store()
        .with_conn(|c| Ok(c.execute("UPDATE auth_pending SET expires_at = expires_at - 660", [])?))
        .unwrap();
    let back = world
        .browser
        .log_in(&url, "member-3", REDIRECT)
        .await
        .unwrap();
    let err = core.complete_login(&back).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("too long"), "{err}");
}

#[tokio::test]
async fn a_code_that_was_tampered_with_is_rejected_by_the_provider() {
    let world = World::new().await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-4").await;
    let err = core
        .complete_login(&with_param(&back, "code", Some("forged-code")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginRejected);
    assert!(err.reason().contains("invalid_grant"), "{err}");
    assert!(!core.auth().has_session().unwrap());
}
