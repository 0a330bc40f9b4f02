//! The session after login, against the real OpenID Provider: access tokens and their
//! single-flight refresh with rotation, a replayed refresh token, the network going away,
//! session events, and logout with revocation.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::{Recorder, World, param};
use lofavor_core::ErrorKind;
use lofavor_core::auth::{LogoutReason, SessionEvent};
use lofavor_core::store::MemberData;
use lofavor_core::store::StoreError;
use lofavor_e2e::oidc_provider::ProviderOptions;

/// A provider whose access tokens live two seconds: refreshed after one.
async fn short_lived_world() -> World {
    World::with(ProviderOptions {
        access_token_ttl: Some(Duration::from_secs(2)),
        ..Default::default()
    })
    .await
}

/// Waits until the access token is due for refresh (half of its two seconds).
async fn until_refresh_is_due() {
    tokio::time::sleep(Duration::from_millis(1100)).await;
}

#[tokio::test]
async fn a_fresh_access_token_is_served_from_memory() {
    let world = World::new().await;
    let core = world.core();
    world.log_in(&core, "member-10").await;
    let first = core.auth().access_token().await.unwrap();
    let again = core.auth().access_token().await.unwrap();
    assert_eq!(first, again);
    let stats = world.provider.stats().await.unwrap();
    assert_eq!(stats.token_requests("refresh_token"), 0);
}

#[tokio::test]
async fn after_a_restart_the_access_token_comes_from_a_refresh_with_rotation() {
    let world = World::new().await;
    let core = world.core();
    world.log_in(&core, "member-11").await;
    let before = world.refresh_token(&core).unwrap();
    drop(core);

    let core = world.core();
    assert!(core.auth().cached_access_token().is_none());
    let token = core.auth().access_token().await.unwrap();
    assert!(!token.is_empty());
    let after = world.refresh_token(&core).unwrap();
    assert_ne!(
        before, after,
        "the provider rotated the refresh token and we kept the new one"
    );
    assert_eq!(
        world
            .provider
            .stats()
            .await
            .unwrap()
            .token_requests("refresh_token"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_at_once_cause_exactly_one_refresh() {
    let world = short_lived_world().await;
    let core = Arc::new(world.core());
    world.log_in(&core, "member-12").await;
    let first = core.auth().access_token().await.unwrap();
    let before = world.refresh_token(&core).unwrap();
    until_refresh_is_due().await;

    let callers: Vec<_> = (0..50)
        .map(|_| {
            let core = core.clone();
            tokio::spawn(async move { core.auth().access_token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for caller in callers {
        tokens.push(caller.await.unwrap().unwrap());
    }
    let stats = world.provider.stats().await.unwrap();
    assert_eq!(stats.token_requests("refresh_token"), 1, "single flight");
    assert!(
        tokens.iter().all(|t| t == &tokens[0]),
        "all got the same token"
    );
    assert_ne!(tokens[0], first, "a new access token");
    let after = world.refresh_token(&core).unwrap();
    assert_ne!(after, before, "the rotated refresh token is kept");

    // The kept token is the one the provider expects: a restart refreshes with it.
    drop(tokens);
    let core = {
        drop(core);
        world.core()
    };
    core.auth().access_token().await.unwrap();
}

#[tokio::test]
async fn a_replayed_refresh_token_ends_the_session_cleanly_without_a_loop() {
    let world = short_lived_world().await;
    let core = world.core();
    world.log_in(&core, "member-13").await;
    let stolen = world.refresh_token(&core).unwrap();
    until_refresh_is_due().await;
    core.auth().access_token().await.unwrap(); // rotates: `stolen` is now an old token

    let recorder = Arc::new(Recorder::default());
    let _subscription = core.auth().subscribe_session(recorder.clone()).unwrap();
    recorder.wait_for(1).await;

    // Somebody replays the old refresh token: the provider revokes the whole grant.
    let replay = reqwest::Client::new()
        .post(format!("{}/token", world.provider.issuer()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", stolen.as_str()),
            ("client_id", "lofavor-cli"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 400, "the provider refuses the replay");

    until_refresh_is_due().await;
    let err = core.auth().access_token().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SessionEnded);
    assert!(
        !core.auth().has_session().unwrap(),
        "refresh token forgotten"
    );
    assert_eq!(
        core.auth().member().unwrap(),
        None,
        "the member is forgotten too"
    );
    let err = core.auth().access_token().await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::NotLoggedIn,
        "no loop: nothing to refresh"
    );

    let stats = world.provider.stats().await.unwrap();
    // Ours: one good refresh, one refused; plus the replay.
    assert_eq!(stats.token_requests("refresh_token"), 3);
    let events = recorder.wait_for(2).await;
    assert!(
        matches!(events[0], SessionEvent::LoggedIn { .. }),
        "{events:?}"
    );
    assert_eq!(
        events[1],
        SessionEvent::LoggedOut {
            reason: LogoutReason::SessionEnded
        }
    );
}

#[tokio::test]
async fn when_the_provider_is_unreachable_the_session_is_kept() {
    let mut world = short_lived_world().await;
    let core = world.core();
    world.log_in(&core, "member-14").await;
    let kept = world.refresh_token(&core).unwrap();
    until_refresh_is_due().await;
    until_refresh_is_due().await; // fully expired now

    // The provider goes away (the phone lost its network).
    world.provider = lofavor_e2e::oidc_provider::OidcProvider::start(None)
        .await
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(20), core.auth().access_token())
        .await
        .expect("fails, does not hang")
        .unwrap_err();
    // The old provider's port is closed now; the core still holds its session.
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(core.auth().has_session().unwrap());
    assert_eq!(world.refresh_token(&core).unwrap(), kept);
    assert!(
        core.auth().member().unwrap().is_some(),
        "still shown offline"
    );
}

#[tokio::test]
async fn listeners_hear_login_and_logout_and_stop_when_dropped() {
    let world = World::new().await;
    let core = world.core();
    let recorder = Arc::new(Recorder::default());
    let subscription = core.auth().subscribe_session(recorder.clone()).unwrap();
    assert_eq!(
        recorder.wait_for(1).await,
        vec![SessionEvent::LoggedOut {
            reason: LogoutReason::NotLoggedIn
        }]
    );
    world.log_in(&core, "member-15").await;
    let events = recorder.wait_for(2).await;
    match &events[1] {
        SessionEvent::LoggedIn { member } => assert_eq!(member.subject, "member-15"),
        other => panic!("expected LoggedIn, got {other:?}"),
    }

    // A second listener registered now hears the current state first.
    let late = Arc::new(Recorder::default());
    let _late_subscription = core.auth().subscribe_session(late.clone()).unwrap();
    assert!(matches!(
        late.wait_for(1).await[0],
        SessionEvent::LoggedIn { .. }
    ));

    drop(subscription);
    core.auth().logout(false).await.unwrap();
    assert_eq!(
        late.wait_for(2).await[1],
        SessionEvent::LoggedOut {
            reason: LogoutReason::MemberLoggedOut
        }
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        recorder.events.lock().unwrap().len(),
        2,
        "dropped: no more events"
    );
}

#[tokio::test]
async fn logout_revokes_at_the_provider_and_leaves_nothing_of_the_member() {
    let world = World::new().await;
    let core = world.core();
    world.log_in(&core, "member-16").await;
    let refresh = world.refresh_token(&core).unwrap();

    let outcome = core.auth().logout(false).await.unwrap();
    assert!(outcome.revoked, "the provider confirmed the revocation");
    let end = outcome
        .end_session_url
        .expect("the provider supports end-session");
    assert!(end.starts_with(&format!("{}/session/end", world.provider.issuer())));
    assert_eq!(param(&end, "client_id").as_deref(), Some("lofavor-cli"));
    assert_eq!(
        param(&end, "post_logout_redirect_uri").as_deref(),
        Some("http://127.0.0.1:53123/logged-out")
    );

    // Nothing of the session is left on the device.
    assert!(world.refresh_token(&core).is_none());
    assert_eq!(core.auth().member().unwrap(), None);
    assert!(core.auth().cached_access_token().is_none());
    let rows: i64 = core
        .store()
        .with_conn_for_tests(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM auth_member) + (SELECT count(*) FROM auth_pending)",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(rows, 0);

    // The revoked refresh token is dead at the provider.
    let response = reqwest::Client::new()
        .post(format!("{}/token", world.provider.issuer()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
            ("client_id", "lofavor-cli"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");

    let err = core.auth().access_token().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotLoggedIn);
}

/// Whether `text` holds something shaped like a JWT (three base64url parts, the first a
/// JSON header).
fn holds_a_jwt(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .any(|word| {
            let parts: Vec<&str> = word.split('.').collect();
            parts.len() == 3 && parts[0].starts_with("eyJ") && parts[1].len() > 10
        })
}

#[tokio::test]
async fn the_end_session_url_names_the_app_not_the_member() {
    let world = World::new().await;
    let core = world.core();
    world.log_in(&core, "member-26").await;
    let member = core.auth().member().unwrap().unwrap();
    let name = member.name.clone().unwrap();
    let union = member.membership.clone().unwrap().union;

    let end = core
        .auth()
        .logout(false)
        .await
        .unwrap()
        .end_session_url
        .unwrap();
    // Every form the URL could carry them in: as sent, percent-decoded, and each parameter.
    let decoded: String = url::Url::parse(&end)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect();
    for text in [end.as_str(), decoded.as_str()] {
        for personal in [name.as_str(), "Test Member", union.as_str(), "member-26"] {
            assert!(
                !text.contains(personal),
                "the end-session URL names the member"
            );
        }
        assert!(!holds_a_jwt(text), "the end-session URL carries a token");
    }
    assert_eq!(param(&end, "id_token_hint"), None);
    assert_eq!(param(&end, "logout_hint"), None);
    assert_eq!(param(&end, "client_id").as_deref(), Some("lofavor-cli"));

    // The provider accepts it: it asks the member to confirm the logout.
    let page = reqwest::Client::new().get(&end).send().await.unwrap();
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
    let body = page.text().await.unwrap();
    assert!(body.contains("<form"), "a confirmation form: {body}");
}

#[tokio::test]
async fn a_login_without_a_refresh_token_leaves_none_of_the_previous_session() {
    let world = World::new().await;
    let core = world.core();
    world.log_in(&core, "member-27").await;
    let previous = world.refresh_token(&core).unwrap();

    // Another member, in a browser of their own (the provider's session cookie would be
    // the previous member's), whom the provider's policy gives no refresh token.
    let url = core.auth().begin_login().await.unwrap();
    let back = lofavor_e2e::browser::HeadlessBrowser::new()
        .log_in(&url, "no-refresh-28", common::REDIRECT)
        .await
        .unwrap();
    core.auth().complete_login(&back).await.unwrap();
    assert_eq!(
        core.auth().member().unwrap().unwrap().subject,
        "no-refresh-28",
        "the new member is logged in"
    );
    assert!(
        world.refresh_token(&core).is_none(),
        "the old token is gone"
    );
    assert!(!core.auth().has_session().unwrap());
    // The new member's access token works while it lasts; no refresh can bring back the
    // previous member's session.
    assert!(core.auth().cached_access_token().is_some());
    drop(core);
    let core = world.core();
    let err = core.auth().access_token().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotLoggedIn, "{err}");
    let stats = world.provider.stats().await.unwrap();
    assert_eq!(
        stats.token_requests("refresh_token"),
        0,
        "the previous member's grant was never used"
    );
    assert_ne!(
        world.refresh_token(&core).as_deref(),
        Some(previous.as_str())
    );
}

/// Unsynced local changes, as the inventory capability will report them (it registers
/// itself the same way when it lands).
struct UnsyncedInventory {
    changes: AtomicU64,
    erased: AtomicU64,
}

impl MemberData for UnsyncedInventory {
    fn describe(&self) -> &'static str {
        "inventory changes"
    }
    fn unsynced_changes(&self) -> Result<u64, StoreError> {
        Ok(self.changes.load(Ordering::SeqCst))
    }
    fn erase(&self) -> Result<(), StoreError> {
        self.erased.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn export(&self) -> Result<serde_json::Value, StoreError> {
        Ok(serde_json::Value::Null)
    }
}

#[tokio::test]
async fn logout_refuses_while_changes_are_unsynced_unless_forced() {
    let world = World::new().await;
    let core = world.core();
    world.log_in(&core, "member-17").await;
    let inventory = Arc::new(UnsyncedInventory {
        changes: AtomicU64::new(3),
        erased: AtomicU64::new(0),
    });
    core.auth().register_member_data(inventory.clone());

    let err = core.auth().logout(false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsyncedChanges);
    assert!(err.reason().contains("3 local change"), "{err}");
    assert!(err.reason().contains("inventory changes"), "{err}");
    assert!(core.auth().has_session().unwrap(), "nothing was touched");
    assert_eq!(inventory.erased.load(Ordering::SeqCst), 0);

    let outcome = core.auth().logout(true).await.unwrap();
    assert!(outcome.revoked);
    assert!(!core.auth().has_session().unwrap());
    assert_eq!(
        inventory.erased.load(Ordering::SeqCst),
        1,
        "erased on logout"
    );
}

#[tokio::test]
async fn logout_offline_still_forgets_the_session_on_the_device() {
    let world = World::new().await;
    let core = world.core();
    world.log_in(&core, "member-18").await;
    drop(core);
    // The next process is offline: its provider cannot be reached (a closed port).
    let config = lofavor_core::CoreConfig {
        data_dir: world.dir.path().to_path_buf(),
        api_base_url: "http://127.0.0.1:9/".into(),
        oidc_issuer: "http://127.0.0.1:9".into(),
        oidc_client_id: "lofavor-cli".into(),
        redirect_uri: common::REDIRECT.into(),
        locale: lofavor_core::Locale::Nb,
        secure_store: lofavor_core::SecureStoreChoice::ShellProvided,
        trust_anchors: Vec::new(),
    };
    let platform = lofavor_core::platform::Platform {
        secure_store: Some(world.secrets.clone()),
        logger: None,
    };
    let core = lofavor_core::Core::open(config, platform).unwrap();
    assert!(core.auth().has_session().unwrap());
    let outcome = core.auth().logout(false).await.unwrap();
    assert!(!outcome.revoked);
    assert_eq!(outcome.end_session_url, None);
    assert!(!core.auth().has_session().unwrap());
    assert_eq!(core.auth().member().unwrap(), None);
}

/// Every text and blob cell of every table of the core's database.
fn every_cell(core: &lofavor_core::Core) -> Vec<Vec<u8>> {
    core.store()
        .with_conn_for_tests(|c| {
            let tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut cells = Vec::new();
            for table in tables {
                let mut statement = c.prepare(&format!("SELECT * FROM \"{table}\""))?;
                let columns = statement.column_count();
                let mut rows = statement.query([])?;
                while let Some(row) = rows.next()? {
                    for i in 0..columns {
                        match row.get_ref(i)? {
                            rusqlite::types::ValueRef::Text(t) => cells.push(t.to_vec()),
                            rusqlite::types::ValueRef::Blob(b) => cells.push(b.to_vec()),
                            _ => {}
                        }
                    }
                }
            }
            Ok(cells)
        })
        .unwrap()
}

#[tokio::test]
async fn no_token_is_ever_written_to_the_database() {
    let world = short_lived_world().await;
    let core = world.core();
    world.log_in(&core, "member-19").await;
    until_refresh_is_due().await;
    let access = core.auth().access_token().await.unwrap();
    let refresh = world.refresh_token(&core).unwrap();
    // The ID token is not kept at all once the login has read it.
    let id_name = format!("id-token.{}", core.store().installation_id());
    use lofavor_core::platform::SecureStore;
    assert!(world.secrets.get(&id_name).unwrap().is_none());
    let cells = every_cell(&core);
    assert!(!cells.is_empty(), "the member is cached");
    for token in [&access, &refresh] {
        assert!(
            !cells
                .iter()
                .any(|cell| cell.windows(token.len()).any(|w| w == token.as_bytes())),
            "a token is in the database"
        );
    }
}
