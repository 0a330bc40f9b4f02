//! Login through the core against the real OpenID Provider, with a headless browser in the
//! role of the system browser.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

mod common;

use common::{REDIRECT, World, param, with_param};
use lofavor_core::ErrorKind;
use lofavor_core::platform::SecureStore;
use lofavor_e2e::oidc_provider::{IdTokenTamper, ProviderOptions, StaleJwks};

#[tokio::test]
async fn a_member_logs_in_and_is_remembered_offline() {
    let world = World::new().await;
    let core = world.core();
    let url = core.auth().begin_login().await.unwrap();
    assert_eq!(
        param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(param(&url, "client_id").as_deref(), Some("lofavor-cli"));
    let scope = param(&url, "scope").unwrap();
    for wanted in ["openid", "profile", "membership", "offline_access"] {
        assert!(scope.split(' ').any(|s| s == wanted), "{scope}");
    }
    assert!(param(&url, "state").unwrap().len() >= 16);
    assert!(param(&url, "nonce").unwrap().len() >= 16);

    let back = world
        .browser
        .log_in(&url, "member-42", REDIRECT)
        .await
        .unwrap();
    let member = core.auth().complete_login(&back).await.unwrap();
    assert_eq!(member.subject, "member-42");
    assert_eq!(member.name.as_deref(), Some("Test Member member-42"));
    let membership = member
        .membership
        .clone()
        .expect("membership from the ID token");
    assert_eq!(membership.union, "Fellesforbundet");
    assert!(membership.active);
    // Special-category data never shows in a debug print (and so in a log line).
    assert!(!format!("{member:?}").contains("Fellesforbundet"));
    assert!(!format!("{member:?}").contains("Test Member"));
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
        .with_conn_for_tests(|c| {
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
    assert_eq!(core.auth().member().unwrap(), Some(member));
    assert!(
        core.auth().cached_access_token().is_none(),
        "access token was memory only"
    );
}

#[tokio::test]
async fn the_app_dies_while_the_browser_is_open_and_the_next_process_completes() {
    let world = World::new().await;
    let core = world.core();
    let url = core.auth().begin_login().await.unwrap();
    drop(core); // Android kills the app
    let back = world
        .browser
        .log_in(&url, "member-7", REDIRECT)
        .await
        .unwrap();
    let core = world.core();
    let member = core.auth().complete_login(&back).await.unwrap();
    assert_eq!(member.subject, "member-7");
}

#[tokio::test]
async fn a_wrong_state_is_refused_and_the_real_redirect_still_completes() {
    let world = World::new().await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-1").await;
    let forged = with_param(&back, "state", Some("not-the-state"));
    let err = core.auth().complete_login(&forged).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(!err.reason().contains("not-the-state"), "{err}");
    core.auth().complete_login(&back).await.unwrap();
    // and the same redirect cannot be used twice
    let err = core.auth().complete_login(&back).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
}

#[tokio::test]
async fn a_wrong_or_missing_issuer_is_refused() {
    let world = World::new().await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-2").await;
    let err = core
        .auth()
        .complete_login(&with_param(&back, "iss", Some("https://evil.example")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("another issuer"), "{err}");

    let back = world.redirect_after_login(&core, "member-2").await;
    let err = core
        .auth()
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
    let url = core.auth().begin_login().await.unwrap();
    // What the provider sends when the member declines.
    let cancel = format!(
        "{REDIRECT}?error=access_denied&state={}&iss={}",
        param(&url, "state").unwrap(),
        world.provider.issuer()
    );
    let err = core.auth().complete_login(&cancel).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginCancelled);
    assert!(!core.auth().has_session().unwrap());
}

#[tokio::test]
async fn an_expired_login_is_refused() {
    let world = World::new().await;
    let core = world.core();
    let url = core.auth().begin_login().await.unwrap();
    // Eleven minutes later.
    core.store()
        .with_conn_for_tests(|c| {
            Ok(c.execute("UPDATE auth_pending SET expires_at = expires_at - 660", [])?)
        })
        .unwrap();
    let back = world
        .browser
        .log_in(&url, "member-3", REDIRECT)
        .await
        .unwrap();
    let err = core.auth().complete_login(&back).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("too long"), "{err}");
}

#[tokio::test]
async fn a_code_that_was_tampered_with_is_rejected_by_the_provider() {
    let world = World::new().await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-4").await;
    let err = core
        .auth()
        .complete_login(&with_param(&back, "code", Some("forged-code")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginRejected);
    assert!(err.reason().contains("invalid_grant"), "{err}");
    assert!(!core.auth().has_session().unwrap());
}

/// Logs in through a provider whose ID tokens an attacker damaged; returns the error.
async fn login_with_tampered_id_token(how: IdTokenTamper) -> lofavor_core::Error {
    let world = World::with(ProviderOptions {
        tamper_id_token: Some(how),
        ..Default::default()
    })
    .await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-5").await;
    let err = core.auth().complete_login(&back).await.unwrap_err();
    assert!(!core.auth().has_session().unwrap(), "{how:?}: no session");
    assert_eq!(
        core.auth().member().unwrap(),
        None,
        "{how:?}: nobody cached"
    );
    assert!(
        world.refresh_token(&core).is_none(),
        "{how:?}: no token kept"
    );
    err
}

#[tokio::test]
async fn an_id_token_with_a_forged_subject_is_refused() {
    let err = login_with_tampered_id_token(IdTokenTamper::Signature).await;
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("bad signature"), "{err}");
    assert!(!err.reason().contains("someone-else"), "{err}");
}

#[tokio::test]
async fn an_unsigned_id_token_is_refused() {
    let err = login_with_tampered_id_token(IdTokenTamper::AlgNone).await;
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("algorithm not allowed"), "{err}");
}

#[tokio::test]
async fn an_hmac_id_token_keyed_with_the_public_client_id_is_refused() {
    let err = login_with_tampered_id_token(IdTokenTamper::AlgHs256).await;
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("algorithm not allowed"), "{err}");
}

#[tokio::test]
async fn a_key_rotated_after_discovery_is_fetched_once_and_the_login_completes() {
    let world = World::with(ProviderOptions {
        stale_jwks: Some(StaleJwks::Once),
        ..Default::default()
    })
    .await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-6").await;
    assert_eq!(world.provider.stats().await.unwrap().jwks, 1, "discovery");
    let member = core.auth().complete_login(&back).await.unwrap();
    assert_eq!(member.subject, "member-6");
    assert_eq!(world.provider.stats().await.unwrap().jwks, 2, "one refetch");
}

#[tokio::test]
async fn a_key_the_provider_never_publishes_is_refused_after_one_refetch() {
    let world = World::with(ProviderOptions {
        stale_jwks: Some(StaleJwks::Always),
        ..Default::default()
    })
    .await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-8").await;
    let err = core.auth().complete_login(&back).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginInvalid);
    assert!(err.reason().contains("does not publish"), "{err}");
    assert_eq!(
        world.provider.stats().await.unwrap().jwks,
        2,
        "discovery and exactly one refetch, no loop"
    );
}

#[tokio::test]
async fn unknown_keys_refetch_the_key_set_at_most_once_a_minute() {
    let world = World::with(ProviderOptions {
        stale_jwks: Some(StaleJwks::Always),
        ..Default::default()
    })
    .await;
    let core = world.core();
    for attempt in 0..4 {
        let back = world
            .redirect_after_login(&core, &format!("member-5{attempt}"))
            .await;
        let err = core.auth().complete_login(&back).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::LoginInvalid);
        assert!(err.reason().contains("does not publish"), "{err}");
    }
    assert_eq!(
        world.provider.stats().await.unwrap().jwks,
        2,
        "discovery and one refetch for four tokens naming an unknown key"
    );
}

#[tokio::test]
async fn an_issuer_whose_identifier_ends_in_a_slash_is_used_exactly_as_it_is() {
    let world = World::with(ProviderOptions {
        issuer_trailing_slash: true,
        ..Default::default()
    })
    .await;
    assert!(world.provider.issuer().ends_with('/'));
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-60").await;
    assert_eq!(
        param(&back, "iss").as_deref(),
        Some(world.provider.issuer())
    );
    let member = core.auth().complete_login(&back).await.unwrap();
    assert_eq!(member.subject, "member-60");
    drop(core);
    // Refresh and logout find the provider's endpoints through the same discovery.
    let core = world.core();
    core.auth().access_token().await.unwrap();
    assert!(core.auth().logout(false).await.unwrap().revoked);
}

#[tokio::test]
async fn a_token_response_with_a_lifetime_past_the_end_of_the_clock_is_refused_whole() {
    let world = World::with(ProviderOptions {
        expires_in: Some(10_000_000_000_000_000_000),
        ..Default::default()
    })
    .await;
    let core = world.core();
    let back = world.redirect_after_login(&core, "member-61").await;
    let err = core.auth().complete_login(&back).await.unwrap_err();
    // Refused, not a panic in the core (which would be `internal`).
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    assert!(err.reason().contains("lifetime"), "{err}");
    assert!(!core.auth().has_session().unwrap(), "no token kept");
    assert!(world.refresh_token(&core).is_none());
    assert_eq!(core.auth().member().unwrap(), None, "nobody cached");
    assert!(core.auth().cached_access_token().is_none());
}

#[tokio::test]
async fn an_error_in_the_redirect_shows_only_a_standard_code() {
    let world = World::new().await;
    let core = world.core();
    let redirect_with_error = |url: &str, error: &str| {
        let back = format!(
            "{REDIRECT}?state={}&iss={}",
            param(url, "state").unwrap(),
            world.provider.issuer()
        );
        with_param(&back, "error", Some(error))
    };

    // Anyone can put anything there: a name, a union, a lot of it.
    let url = core.auth().begin_login().await.unwrap();
    let crafted = "Kari Nordmann, Fellesforbundet, 01017012345 ".repeat(200);
    let err = core
        .auth()
        .complete_login(&redirect_with_error(&url, &crafted))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginRejected);
    for leaked in ["Kari", "Fellesforbundet", "01017012345"] {
        assert!(!err.reason().contains(leaked), "{err}");
    }
    assert!(err.reason().len() < 120, "{err}");

    // A standard code is shown as it is.
    let url = core.auth().begin_login().await.unwrap();
    let err = core
        .auth()
        .complete_login(&redirect_with_error(&url, "temporarily_unavailable"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginRejected);
    assert!(err.reason().contains("temporarily_unavailable"), "{err}");
    assert!(!core.auth().has_session().unwrap());
}
