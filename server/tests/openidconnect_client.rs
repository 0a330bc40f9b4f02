//! The issuer as the core's OpenID Connect library sees it: discovery, the authorization URL,
//! the code exchange with PKCE, ID-token verification (ES256 against the published JWKS),
//! userinfo and refresh, all through `openidconnect`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use openidconnect::core::{
    CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use support::*;

#[tokio::test]
async fn the_core_library_logs_in_verifies_and_refreshes() {
    let s = start().await;
    let http = http();
    let meta = CoreProviderMetadata::discover_async(IssuerUrl::new(s.issuer()).unwrap(), &http)
        .await
        .expect("discovery");
    let client = CoreClient::from_provider_metadata(meta, ClientId::new(CLIENT.into()), None)
        .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge)
        .add_prompt(CoreAuthPrompt::Consent);
    for scope in ["profile", "offline_access", "membership"] {
        request = request.add_scope(Scope::new(scope.into()));
    }
    let (url, state, nonce) = request.url();

    // The browser's part: the picker page, then the pick.
    let page = http.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let request_id = hidden_input(&html, "value=\"kari\"", "request").unwrap();
    let back = location(
        &http
            .post(format!("{}/authorize/decision", s.issuer()))
            .form(&[("request", request_id.as_str()), ("member", "kari")])
            .send()
            .await
            .unwrap(),
    );
    assert_eq!(
        query(&back, "state").as_deref(),
        Some(state.secret().as_str())
    );
    assert_eq!(query(&back, "iss"), Some(s.issuer()));

    let tokens = client
        .exchange_code(AuthorizationCode::new(query(&back, "code").unwrap()))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_verifier = client
        .id_token_verifier()
        .set_allowed_algs([CoreJwsSigningAlgorithm::EcdsaP256Sha256]);
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&id_verifier, &nonce)
        .expect("a valid ID token");
    assert_eq!(claims.subject().as_str(), "kari");
    assert_eq!(
        claims.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
        Some("Kari Nordmann")
    );
    // A wrong nonce is caught by the library, so the check above means something.
    assert!(
        tokens
            .id_token()
            .unwrap()
            .claims(&id_verifier, &Nonce::new("other".into()))
            .is_err()
    );

    let info: CoreUserInfoClaims = client
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&http)
        .await
        .expect("userinfo");
    assert_eq!(info.subject().as_str(), "kari");

    let refreshed = client
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&http)
        .await
        .expect("refresh");
    assert_ne!(
        refreshed.refresh_token().unwrap().secret(),
        tokens.refresh_token().unwrap().secret()
    );
    // The client used its new token: the old one is dead now (within the rotation grace,
    // an old token whose successor was never used is forgiven once: a lost answer).
    let newest = client
        .exchange_refresh_token(refreshed.refresh_token().unwrap())
        .unwrap()
        .request_async(&http)
        .await
        .expect("refresh with the new token");
    let again = client
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&http)
        .await;
    assert!(again.is_err(), "a rotated refresh token is dead");
    assert_eq!(
        me(&s.base(), Some(newest.access_token().secret()))
            .await
            .status(),
        401,
        "the replay revoked the grant"
    );
}
