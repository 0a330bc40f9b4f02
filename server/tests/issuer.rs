//! The development issuer, spoken to over real HTTP on loopback the way the core's
//! `openidconnect` client and the CLI demo speak to it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use support::*;

async fn jwks(issuer: &str) -> JwkSet {
    reqwest::get(format!("{issuer}/jwks"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Verifies `token` with the published key named in its header.
async fn verify(issuer: &str, token: &str, audience: &str) -> Value {
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.alg, Algorithm::ES256);
    let keys = jwks(issuer).await;
    let jwk = keys
        .find(header.kid.as_deref().unwrap())
        .expect("published kid");
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.leeway = 0;
    jsonwebtoken::decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap()
        .claims
}

#[tokio::test]
async fn discovery_names_the_endpoints_and_what_is_supported() {
    let s = start().await;
    let issuer = s.issuer();
    assert_eq!(issuer, format!("{}oidc", s.base()));
    let doc: Value = reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["issuer"], issuer.as_str());
    for (field, path) in [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("jwks_uri", "/jwks"),
        ("revocation_endpoint", "/revoke"),
        ("end_session_endpoint", "/session/end"),
    ] {
        assert_eq!(doc[field], format!("{issuer}{path}"), "{field}");
    }
    assert_eq!(doc["response_types_supported"], serde_json::json!(["code"]));
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
    assert_eq!(
        doc["token_endpoint_auth_methods_supported"],
        serde_json::json!(["none"])
    );
    assert_eq!(
        doc["scopes_supported"],
        serde_json::json!(["openid", "profile", "offline_access", "membership"])
    );
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    let keys = jwks(&issuer).await;
    assert_eq!(keys.keys.len(), 1);
    let key = serde_json::to_value(&keys.keys[0]).unwrap();
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["crv"], "P-256");
    assert_eq!(key["alg"], "ES256");
    assert_eq!(key["use"], "sig");
    assert!(key["kid"].as_str().is_some_and(|k| !k.is_empty()));
    assert!(key.get("d").is_none(), "private part published");
}

#[tokio::test]
async fn the_code_flow_yields_tokens_signed_by_the_published_key() {
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    let request = AuthRequest::new();
    let back = pick(&http, &issuer, &request, "kari").await;
    assert_eq!(back.as_str().split('?').next().unwrap(), REDIRECT);
    assert_eq!(query(&back, "state").as_deref(), Some("state-123"));
    assert_eq!(query(&back, "iss").as_deref(), Some(issuer.as_str()));
    let code = query(&back, "code").unwrap();
    let response = redeem(&http, &issuer, &code, &request.verifier).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let tokens: Value = response.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 300);
    assert_eq!(tokens["scope"], SCOPE);
    assert!(tokens["refresh_token"].is_string());

    let id = verify(&issuer, tokens["id_token"].as_str().unwrap(), CLIENT).await;
    assert_eq!(id["sub"], "kari");
    assert_eq!(id["nonce"], "nonce-456");
    assert_eq!(id["name"], "Kari Nordmann");
    assert_eq!(
        id["lofavor_membership"],
        serde_json::json!({"union": "Fellesforbundet", "active": true})
    );

    let access = tokens["access_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(access).unwrap();
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    let at = verify(&issuer, access, "urn:lofavor:member-api").await;
    assert_eq!(at["sub"], "kari");
    assert_eq!(at["client_id"], CLIENT);
    assert_eq!(at["scope"], SCOPE);
    assert!(at["jti"].is_string());
    assert_eq!(
        at["exp"].as_u64().unwrap() - at["iat"].as_u64().unwrap(),
        300
    );

    let info: Value = http
        .get(format!("{issuer}/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["sub"], "kari");
    assert_eq!(info["name"], "Kari Nordmann");
    assert_eq!(info["lofavor_membership"]["union"], "Fellesforbundet");
}

#[tokio::test]
async fn scopes_decide_which_claims_are_released() {
    let s = start().await;
    let issuer = s.issuer();
    let tokens = login_with_scope(&issuer, "ola", "openid").await;
    assert!(
        tokens.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
    let id = verify(&issuer, tokens["id_token"].as_str().unwrap(), CLIENT).await;
    assert_eq!(id["sub"], "ola");
    assert!(id.get("name").is_none());
    assert!(id.get("lofavor_membership").is_none());
    let info: Value = http()
        .post(format!("{issuer}/userinfo"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info, serde_json::json!({"sub": "ola"}));
}

#[tokio::test]
async fn a_wrong_verifier_is_refused_and_spends_the_code() {
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    let request = AuthRequest::new();
    let code = query(&pick(&http, &issuer, &request, "kari").await, "code").unwrap();
    let (other_verifier, _) = pkce();
    let response = redeem(&http, &issuer, &code, &other_verifier).await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    let retry = redeem(&http, &issuer, &code, &request.verifier).await;
    assert_eq!(retry.status(), 400);

    let request = AuthRequest::new();
    let code = query(&pick(&http, &issuer, &request, "kari").await, "code").unwrap();
    let missing = token(
        &http,
        &issuer,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", CLIENT),
        ],
    )
    .await;
    assert_eq!(missing.status(), 400);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn pkce_is_required_and_only_s256() {
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    for request in [
        AuthRequest::new()
            .set("code_challenge", None)
            .set("code_challenge_method", None),
        AuthRequest::new().set("code_challenge_method", None),
        AuthRequest::new().set("code_challenge_method", Some("plain")),
    ] {
        let response = request.send(&http, &issuer).await;
        let back = location(&response);
        assert_eq!(query(&back, "error").as_deref(), Some("invalid_request"));
        assert_eq!(query(&back, "state").as_deref(), Some("state-123"));
        assert_eq!(query(&back, "iss").as_deref(), Some(issuer.as_str()));
        assert!(query(&back, "code").is_none());
    }
    let no_openid = AuthRequest::new().set("scope", Some("profile"));
    let back = location(&no_openid.send(&http, &issuer).await);
    assert_eq!(query(&back, "error").as_deref(), Some("invalid_scope"));
    let token_flow = AuthRequest::new().set("response_type", Some("token"));
    let back = location(&token_flow.send(&http, &issuer).await);
    assert_eq!(
        query(&back, "error").as_deref(),
        Some("unsupported_response_type")
    );
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_revokes_what_it_gave() {
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    let request = AuthRequest::new();
    let code = query(&pick(&http, &issuer, &request, "kari").await, "code").unwrap();
    let first: Value = redeem(&http, &issuer, &code, &request.verifier)
        .await
        .json()
        .await
        .unwrap();
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(me(&s.base(), Some(access)).await.status(), 200);

    let replay = redeem(&http, &issuer, &code, &request.verifier).await;
    assert_eq!(replay.status(), 400);
    assert_eq!(
        replay.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    assert_eq!(me(&s.base(), Some(access)).await.status(), 401);
    let refresh = token(
        &http,
        &issuer,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
            ("client_id", CLIENT),
        ],
    )
    .await;
    assert_eq!(
        refresh.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
}

#[tokio::test]
async fn the_redirect_uri_must_match_and_be_registered() {
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    let request = AuthRequest::new();
    let code = query(&pick(&http, &issuer, &request, "kari").await, "code").unwrap();
    let other_port = token(
        &http,
        &issuer,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/callback"),
            ("code_verifier", &request.verifier),
            ("client_id", CLIENT),
        ],
    )
    .await;
    assert_eq!(other_port.status(), 400);
    assert_eq!(
        other_port.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );

    // Never a redirect to an unregistered URI or for an unknown client: an error page here.
    for request in [
        AuthRequest::new().set("redirect_uri", Some("http://evil.example/callback")),
        AuthRequest::new().set("redirect_uri", Some("http://localhost:53123/callback")),
        AuthRequest::new().set("redirect_uri", None),
        AuthRequest::new().set("client_id", Some("someone-else")),
    ] {
        let response = request.send(&http, &issuer).await;
        assert_eq!(response.status(), 400);
        assert!(response.headers().get("location").is_none());
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"error\""));
        assert!(!html.contains("evil.example"));
    }
    // The app's own scheme and another loopback port are fine.
    for uri in [
        "no.lofavor.app:/oauth2redirect",
        "http://127.0.0.1:1/callback",
    ] {
        let response = AuthRequest::new()
            .set("client_id", Some("lofavor-android"))
            .set("redirect_uri", Some(uri))
            .send(&http, &issuer)
            .await;
        assert_eq!(response.status(), 200, "{uri}");
    }
}

#[tokio::test]
async fn cancelling_returns_access_denied_with_state_and_iss() {
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    let request = AuthRequest::new().set("state", Some("st<ate>&\"x"));
    let html = request.send(&http, &issuer).await.text().await.unwrap();
    assert!(!html.contains("st<ate>"), "nothing unescaped");
    let id = hidden_input(&html, "name=\"cancel\"", "request").unwrap();
    let response = http
        .post(format!("{issuer}/authorize/decision"))
        .form(&[("request", id.as_str()), ("cancel", "1")])
        .send()
        .await
        .unwrap();
    let back = location(&response);
    assert_eq!(query(&back, "error").as_deref(), Some("access_denied"));
    assert_eq!(query(&back, "state").as_deref(), Some("st<ate>&\"x"));
    assert_eq!(query(&back, "iss").as_deref(), Some(issuer.as_str()));
    assert!(query(&back, "code").is_none());
    // A request is decided once.
    let again = http
        .post(format!("{issuer}/authorize/decision"))
        .form(&[("request", id.as_str()), ("member", "kari")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 400);
    assert!(again.headers().get("location").is_none());
}

async fn refresh(issuer: &str, refresh_token: &str) -> reqwest::Response {
    token(
        &http(),
        issuer,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT),
        ],
    )
    .await
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replay_kills_the_grant() {
    let s = start().await;
    let issuer = s.issuer();
    let first = login(&issuer, "kari").await;
    let rt1 = first["refresh_token"].as_str().unwrap().to_owned();

    let second: Value = refresh(&issuer, &rt1).await.json().await.unwrap();
    let rt2 = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rt1, rt2, "rotated");
    let id = verify(&issuer, second["id_token"].as_str().unwrap(), CLIENT).await;
    assert_eq!(id["sub"], "kari");
    let access2 = second["access_token"].as_str().unwrap().to_owned();
    assert_eq!(me(&s.base(), Some(&access2)).await.status(), 200);

    let third: Value = refresh(&issuer, &rt2).await.json().await.unwrap();
    let rt3 = third["refresh_token"].as_str().unwrap().to_owned();

    // rt1 was rotated out two uses ago: replaying it revokes the whole grant.
    let replay = refresh(&issuer, &rt1).await;
    assert_eq!(replay.status(), 400);
    assert_eq!(replay.headers()["cache-control"], "no-store");
    assert_eq!(
        replay.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    let newest = refresh(&issuer, &rt3).await;
    assert_eq!(
        newest.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    assert_eq!(me(&s.base(), Some(&access2)).await.status(), 401);

    // Another client cannot use a client's refresh token.
    let fresh = login(&issuer, "ola").await;
    let stolen = token(
        &http(),
        &issuer,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", fresh["refresh_token"].as_str().unwrap()),
            ("client_id", "lofavor-ios"),
        ],
    )
    .await;
    assert_eq!(
        stolen.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    assert_eq!(
        refresh(&issuer, fresh["refresh_token"].as_str().unwrap())
            .await
            .status(),
        200,
        "the rightful client's token still works"
    );
}

/// A form body as name/value pairs.
type Form<'a> = &'a [(&'a str, &'a str)];

#[tokio::test]
async fn token_endpoint_errors_are_rfc_6749_json() {
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    let cases: [(Form<'_>, u16, &str); 5] = [
        (
            &[("grant_type", "password"), ("client_id", CLIENT)],
            400,
            "unsupported_grant_type",
        ),
        (
            &[
                ("grant_type", "authorization_code"),
                ("client_id", "nobody"),
            ],
            401,
            "invalid_client",
        ),
        (
            &[("grant_type", "authorization_code")],
            401,
            "invalid_client",
        ),
        (&[("client_id", CLIENT)], 400, "invalid_request"),
        (
            &[
                ("grant_type", "authorization_code"),
                ("client_id", CLIENT),
                ("code", "nope"),
                ("redirect_uri", REDIRECT),
                ("code_verifier", "x".repeat(43).leak()),
            ],
            400,
            "invalid_grant",
        ),
    ];
    for (form, status, error) in cases {
        let response = token(&http, &issuer, form).await;
        assert_eq!(response.status(), status, "{error}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], error);
        assert!(body["error_description"].is_string());
    }
    let repeated = http
        .post(format!("{issuer}/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=refresh_token&grant_type=refresh_token&client_id=lofavor-cli")
        .send()
        .await
        .unwrap();
    assert_eq!(
        repeated.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
}

async fn revoke(issuer: &str, form: &[(&str, &str)]) -> reqwest::Response {
    http()
        .post(format!("{issuer}/revoke"))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn revocation_kills_refresh_and_access_tokens() {
    let s = start().await;
    let issuer = s.issuer();
    let tokens = login(&issuer, "kari").await;
    let rt = tokens["refresh_token"].as_str().unwrap();
    let at = tokens["access_token"].as_str().unwrap();

    // An access token alone.
    let response = revoke(
        &issuer,
        &[
            ("token", at),
            ("token_type_hint", "access_token"),
            ("client_id", CLIENT),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(me(&s.base(), Some(at)).await.status(), 401);
    let rotated: Value = refresh(&issuer, rt).await.json().await.unwrap();
    let at2 = rotated["access_token"].as_str().unwrap();
    let rt2 = rotated["refresh_token"].as_str().unwrap();
    assert_eq!(me(&s.base(), Some(at2)).await.status(), 200);

    // A refresh token takes its grant with it.
    assert_eq!(
        revoke(&issuer, &[("token", rt2), ("client_id", CLIENT)])
            .await
            .status(),
        200
    );
    assert_eq!(
        refresh(&issuer, rt2).await.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    assert_eq!(me(&s.base(), Some(at2)).await.status(), 401);

    // Unknown tokens: 200 all the same; unknown clients: invalid_client.
    assert_eq!(
        revoke(
            &issuer,
            &[("token", "no-such-token"), ("client_id", CLIENT)]
        )
        .await
        .status(),
        200
    );
    let stranger = revoke(&issuer, &[("token", "x"), ("client_id", "nobody")]).await;
    assert_eq!(stranger.status(), 401);
    assert_eq!(
        stranger.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
}

#[tokio::test]
async fn end_session_redirects_only_to_registered_uris() {
    let s = start().await;
    let issuer = s.issuer();
    let tokens = login(&issuer, "kari").await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let http = http();
    let end = |params: Vec<(&'static str, String)>| {
        let http = http.clone();
        let url = format!("{issuer}/session/end");
        async move { http.get(url).query(&params).send().await.unwrap() }
    };

    let back = end(vec![
        ("id_token_hint", id_token.to_owned()),
        (
            "post_logout_redirect_uri",
            "http://127.0.0.1:4711/logged-out".to_owned(),
        ),
        ("state", "bye".to_owned()),
    ])
    .await;
    let url = location(&back);
    assert_eq!(url.path(), "/logged-out");
    assert_eq!(query(&url, "state").as_deref(), Some("bye"));

    let app = end(vec![
        ("client_id", "lofavor-ios".to_owned()),
        (
            "post_logout_redirect_uri",
            "no.lofavor.app:/logged-out".to_owned(),
        ),
    ])
    .await;
    assert_eq!(location(&app).as_str(), "no.lofavor.app:/logged-out");

    for params in [
        vec![
            ("client_id", CLIENT.to_owned()),
            (
                "post_logout_redirect_uri",
                "http://evil.example/logged-out".to_owned(),
            ),
        ],
        // No client named: the URI cannot be checked.
        vec![(
            "post_logout_redirect_uri",
            "http://127.0.0.1:4711/logged-out".to_owned(),
        )],
        vec![("id_token_hint", "not.a.token".to_owned())],
        vec![
            ("id_token_hint", id_token.to_owned()),
            ("client_id", "lofavor-ios".to_owned()),
        ],
    ] {
        let response = end(params).await;
        assert_eq!(response.status(), 400);
        assert!(response.headers().get("location").is_none());
    }

    let page = end(vec![]).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("logged out"));
}

#[tokio::test]
async fn the_picker_offers_the_seeded_members() {
    let s = start().await;
    let html = AuthRequest::new()
        .send(&http(), &s.issuer())
        .await
        .text()
        .await
        .unwrap();
    for (id, name) in [
        ("kari", "Kari Nordmann"),
        ("ola", "Ola Nordmann"),
        ("member-42", "Test Member member-42"),
    ] {
        assert!(
            html.contains(&format!("name=\"member\" value=\"{id}\"")),
            "{id}"
        );
        assert!(html.contains(name));
    }
    assert!(html.contains("action=\"/oidc/authorize/decision\""));
    assert!(
        !html.contains("Fellesforbundet"),
        "membership is not shown on the picker"
    );
}

#[tokio::test]
async fn a_code_belongs_to_its_client_and_basic_auth_with_no_secret_names_it() {
    use base64::Engine;
    let s = start().await;
    let issuer = s.issuer();
    let http = http();
    let form = |code: &str, verifier: &str, client: Option<&str>| {
        let mut form = vec![
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("code".to_owned(), code.to_owned()),
            ("redirect_uri".to_owned(), REDIRECT.to_owned()),
            ("code_verifier".to_owned(), verifier.to_owned()),
        ];
        if let Some(client) = client {
            form.push(("client_id".to_owned(), client.to_owned()));
        }
        form
    };

    let request = AuthRequest::new();
    let code = query(&pick(&http, &issuer, &request, "kari").await, "code").unwrap();
    let other_client = http
        .post(format!("{issuer}/token"))
        .form(&form(&code, &request.verifier, Some("lofavor-ios")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other_client.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );

    let basic = |id: &str, secret: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
        )
    };
    let request = AuthRequest::new();
    let code = query(&pick(&http, &issuer, &request, "kari").await, "code").unwrap();
    let with_secret = http
        .post(format!("{issuer}/token"))
        .header("authorization", basic(CLIENT, "guess"))
        .form(&form(&code, &request.verifier, None))
        .send()
        .await
        .unwrap();
    assert_eq!(with_secret.status(), 401);
    assert!(with_secret.headers().contains_key("www-authenticate"));
    let request = AuthRequest::new();
    let code = query(&pick(&http, &issuer, &request, "kari").await, "code").unwrap();
    let without = http
        .post(format!("{issuer}/token"))
        .header("authorization", basic(CLIENT, ""))
        .form(&form(&code, &request.verifier, None))
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), 200);
}
