//! The login tests stand on a real OpenID Provider and a headless browser. This proves the
//! harness does what those tests rely on, speaking the protocol by hand: discovery, the code
//! flow with PKCE through the provider's login and consent pages, the RFC 9207 `iss`
//! parameter, refresh-token rotation, and a replayed refresh token revoking the grant.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_e2e::oidc_provider::OidcProvider;
use rand::RngCore;
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

async fn token_request(endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(endpoint)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_provider_runs_a_full_native_login_with_rotation_and_replay_detection() {
    let provider = OidcProvider::start(None).await.unwrap();
    let issuer = provider.issuer().to_owned();
    let discovery: Value = reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["issuer"], issuer.as_str());
    assert!(
        discovery["code_challenge_methods_supported"]
            .as_array()
            .unwrap()
            .contains(&Value::from("S256"))
    );
    assert_eq!(
        discovery["authorization_response_iss_parameter_supported"],
        true
    );
    for endpoint in [
        "revocation_endpoint",
        "end_session_endpoint",
        "jwks_uri",
        "token_endpoint",
    ] {
        assert!(discovery[endpoint].is_string(), "{endpoint}");
    }

    // The loopback redirect of RFC 8252 §7.3: any port is accepted for a native client.
    let redirect = "http://127.0.0.1:53123/callback";
    let verifier = random_token();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let state = random_token();
    let mut auth = Url::parse(discovery["authorization_endpoint"].as_str().unwrap()).unwrap();
    auth.query_pairs_mut()
        .append_pair("client_id", "lofavor-cli")
        .append_pair("response_type", "code")
        .append_pair("scope", "openid profile offline_access")
        .append_pair("redirect_uri", redirect)
        .append_pair("state", &state)
        .append_pair("nonce", &random_token())
        .append_pair("prompt", "consent")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");

    let browser = HeadlessBrowser::new();
    let back = browser
        .log_in(auth.as_str(), "member-17", redirect)
        .await
        .unwrap();
    let back = Url::parse(&back).unwrap();
    let params: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
    assert_eq!(params.get("state"), Some(&state));
    assert_eq!(params.get("iss"), Some(&issuer), "RFC 9207 iss parameter");
    let code = params.get("code").expect("a code");

    let token_endpoint = discovery["token_endpoint"].as_str().unwrap();
    // Without the verifier the code is refused (PKCE enforced).
    let (status, body) = token_request(
        token_endpoint,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("client_id", "lofavor-cli"),
            ("code_verifier", &random_token()),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // A second login, since a failed redemption consumes the code.
    let back = browser
        .log_in(auth.as_str(), "member-17", redirect)
        .await
        .unwrap();
    let code = Url::parse(&back)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let (status, tokens) = token_request(
        token_endpoint,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("client_id", "lofavor-cli"),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["id_token"].as_str().unwrap().split('.').count(), 3);
    let first_refresh = tokens["refresh_token"]
        .as_str()
        .expect("offline_access gives a refresh token")
        .to_owned();

    let refresh = |token: String| async move {
        token_request(
            token_endpoint,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &token),
                ("client_id", "lofavor-cli"),
            ],
        )
        .await
    };
    let (status, rotated) = refresh(first_refresh.clone()).await;
    assert_eq!(status, 200, "{rotated}");
    let second_refresh = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh, "refresh tokens rotate");

    // Replaying the old token is refused, and revokes the grant: the new one dies too.
    let (status, body) = refresh(first_refresh).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body) = refresh(second_refresh).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn an_unknown_client_is_refused_on_the_providers_own_page() {
    let provider = OidcProvider::start(None).await.unwrap();
    let issuer = provider.issuer();
    // An unknown client is refused on the provider's own page, never redirected.
    let browser = HeadlessBrowser::new();
    let url = format!(
        "{issuer}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback"
    );
    assert_eq!(browser.follow_once(&url).await.unwrap(), None);
}
