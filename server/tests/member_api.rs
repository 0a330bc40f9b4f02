//! `GET /v1/me` and the bearer-token check in front of the member API, with the embedded
//! issuer and with an external one (a second server instance standing in for the provider).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lofavor_server::{ExternalIssuer, IssuerChoice, MEMBER_API_AUDIENCE};
use p256::pkcs8::EncodePrivateKey;
use serde_json::{Value, json};
use support::*;

/// Asserts a 401 with the RFC 6750 challenge; `invalid` says whether a token was given.
async fn assert_unauthorized(response: reqwest::Response, invalid: bool) -> Value {
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.starts_with("Bearer realm=\"lofavor\""),
        "{challenge}"
    );
    assert_eq!(
        challenge.contains("error=\"invalid_token\""),
        invalid,
        "{challenge}"
    );
    assert_eq!(
        challenge.contains("error_description=\""),
        invalid,
        "{challenge}"
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn me_answers_from_the_member_record() {
    let s = start().await;
    let tokens = login(&s.issuer(), "kari").await;
    let response = me(&s.base(), tokens["access_token"].as_str()).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "subject": "kari",
            "name": "Kari Nordmann",
            "membership": {"union": "Fellesforbundet", "active": true},
            "email": "kari.nordmann@example.org",
            "phone": "+47 00 00 00 01",
            "birth_date": "1985-04-12",
            "member_number": "LO-100001"
        })
    );
    // Without the membership scope the special-category data stays out.
    let tokens = login_with_scope(&s.issuer(), "ola", "openid profile").await;
    let body: Value = me(&s.base(), tokens["access_token"].as_str())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["subject"], "ola");
    assert_eq!(body["membership"], Value::Null);
}

#[tokio::test]
async fn no_token_or_a_bad_one_is_401_with_a_challenge() {
    let s = start().await;
    let body = assert_unauthorized(me(&s.base(), None).await, false).await;
    assert_eq!(body["error"], "unauthorized");
    assert_unauthorized(me(&s.base(), Some("not-a-jwt")).await, true).await;
    // An ID token is not an access token (audience and typ both differ).
    let tokens = login(&s.issuer(), "kari").await;
    assert_unauthorized(me(&s.base(), tokens["id_token"].as_str()).await, true).await;
    // Basic credentials are not a bearer token.
    let basic = http()
        .get(format!("{}v1/me", s.base()))
        .basic_auth("kari", Some("pw"))
        .send()
        .await
        .unwrap();
    assert_unauthorized(basic, false).await;
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let s = start_with(|c| {
        c.access_token_ttl = Duration::from_secs(1);
        c.token_leeway = Duration::ZERO;
    })
    .await;
    let tokens = login(&s.issuer(), "kari").await;
    assert_eq!(tokens["expires_in"], 1);
    let access = tokens["access_token"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let body = assert_unauthorized(me(&s.base(), Some(access)).await, true).await;
    assert_eq!(body["message"], "token expired");
}

/// A token with the right issuer, audience and `kid`, signed by a key the issuer never had.
fn forged(iss: &str, kid: &str, aud: &str) -> String {
    let secret = loop {
        if let Ok(k) = p256::SecretKey::from_slice(&rand::random::<[u8; 32]>()) {
            break k;
        }
    };
    let key = EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes());
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(kid.to_owned());
    header.typ = Some("at+jwt".to_owned());
    let now = lofavor_certificate::time::now_unix();
    let claims = json!({
        "iss": iss, "sub": "kari", "aud": aud, "exp": now + 300, "iat": now,
        "jti": "forged", "client_id": CLIENT, "scope": SCOPE
    });
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

#[tokio::test]
async fn a_token_signed_by_another_key_is_refused() {
    let s = start().await;
    let tokens = login(&s.issuer(), "kari").await;
    let real = tokens["access_token"].as_str().unwrap();
    let kid = jsonwebtoken::decode_header(real).unwrap().kid.unwrap();
    let fake = forged(&s.issuer(), &kid, MEMBER_API_AUDIENCE);
    let body = assert_unauthorized(me(&s.base(), Some(&fake)).await, true).await;
    assert_eq!(body["message"], "bad signature");
    // The `none` algorithm, with the real token's claims.
    let claims = real.split('.').nth(1).unwrap();
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.{claims}.");
    assert_unauthorized(me(&s.base(), Some(&unsigned)).await, true).await;
    // Another server's issuer and key.
    let other = start().await;
    let foreign = login(&other.issuer(), "kari").await;
    assert_unauthorized(me(&s.base(), foreign["access_token"].as_str()).await, true).await;
}

/// A server trusting `provider` as its external issuer.
async fn api_trusting(provider: &Server, audience: &str, refetch: Duration) -> Server {
    let issuer = provider.issuer();
    let audience = audience.to_owned();
    start_with(move |c| {
        let mut external = ExternalIssuer::new(issuer, audience);
        external.jwks_refetch_interval = refetch;
        c.issuer = IssuerChoice::External(external);
    })
    .await
}

#[tokio::test]
async fn an_external_issuers_tokens_are_accepted_with_the_right_audience() {
    let provider = start().await;
    let api = api_trusting(&provider, MEMBER_API_AUDIENCE, Duration::from_secs(10)).await;
    assert_eq!(api.issuer(), provider.issuer());
    // The API serves no issuer of its own then.
    let own = reqwest::get(format!(
        "{}oidc/.well-known/openid-configuration",
        api.base()
    ))
    .await
    .unwrap();
    assert_eq!(own.status(), 404);

    let tokens = login(&provider.issuer(), "member-42").await;
    let access = tokens["access_token"].as_str().unwrap();
    let response = me(&api.base(), Some(access)).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["subject"], "member-42");
    assert_eq!(body["name"], "Test Member member-42");

    // A valid token of a subject this API has no record of.
    rusqlite::Connection::open(api.dir.path().join("server.db"))
        .unwrap()
        .execute("DELETE FROM member WHERE id = 'ola'", [])
        .unwrap();
    let ola = login(&provider.issuer(), "ola").await;
    let missing = me(&api.base(), ola["access_token"].as_str()).await;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "unknown_member");
    assert!(!body.to_string().contains("ola"), "no subject in the error");

    // A token of the embedded issuer's own kind but another API's audience.
    let elsewhere = api_trusting(&provider, "urn:someone-else", Duration::from_secs(10)).await;
    let body = assert_unauthorized(me(&elsewhere.base(), Some(access)).await, true).await;
    assert_eq!(body["message"], "wrong audience");
}

#[tokio::test]
async fn an_unreachable_external_issuer_is_503_not_401() {
    let provider = start().await;
    let api = api_trusting(&provider, MEMBER_API_AUDIENCE, Duration::from_secs(10)).await;
    let tokens = login(&provider.issuer(), "kari").await;
    provider.server.stop().await;
    let response = me(&api.base(), tokens["access_token"].as_str()).await;
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_its_kid_shows_up() {
    let provider = start().await;
    let addr = provider.server.addr();
    let eager = api_trusting(&provider, MEMBER_API_AUDIENCE, Duration::ZERO).await;
    let patient = api_trusting(&provider, MEMBER_API_AUDIENCE, Duration::from_secs(600)).await;
    let before = login(&provider.issuer(), "kari").await;
    for api in [&eager, &patient] {
        assert_eq!(
            me(&api.base(), before["access_token"].as_str())
                .await
                .status(),
            200
        );
    }

    // The provider restarts on the same address with a new signing key.
    let Server { server, dir } = provider;
    server.stop().await;
    let restarted = lofavor_server::start(lofavor_server::ServerConfig {
        bind: addr,
        ..lofavor_server::ServerConfig::loopback(dir.path())
    })
    .await
    .unwrap();
    let provider = Server {
        server: restarted,
        dir,
    };
    let after = login(&provider.issuer(), "kari").await;
    let old_kid = jsonwebtoken::decode_header(before["access_token"].as_str().unwrap())
        .unwrap()
        .kid;
    let new_kid = jsonwebtoken::decode_header(after["access_token"].as_str().unwrap())
        .unwrap()
        .kid;
    assert_ne!(old_kid, new_kid);

    assert_eq!(
        me(&eager.base(), after["access_token"].as_str())
            .await
            .status(),
        200
    );
    // Within its refetch interval the other keeps its cached keys and refuses the new kid.
    let body = assert_unauthorized(
        me(&patient.base(), after["access_token"].as_str()).await,
        true,
    )
    .await;
    assert_eq!(body["message"], "unknown signing key");
}
