//! The member API trusting an external provider whose key-set endpoint hangs: a request whose
//! token names a key already fetched is answered at once, not held behind the fetch.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lofavor_server::{ExternalIssuer, IssuerChoice, MEMBER_API_AUDIENCE};
use p256::pkcs8::EncodePrivateKey;
use serde_json::{Value, json};
use support::*;
use tokio::sync::Notify;

/// A provider in the test: discovery and a key set, whose key-set endpoint hangs on demand.
struct Provider {
    issuer: String,
    known: EncodingKey,
    stranger: EncodingKey,
    hang: Arc<AtomicBool>,
    hanging: Arc<Notify>,
}

#[derive(Clone)]
struct ProviderState {
    issuer: String,
    jwks: Value,
    hang: Arc<AtomicBool>,
    hanging: Arc<Notify>,
}

fn p256_key() -> EncodingKey {
    let secret = p256::SecretKey::from_slice(&rand::random::<[u8; 32]>()).unwrap();
    EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes())
}

async fn discovery(State(s): State<ProviderState>) -> Json<Value> {
    Json(json!({ "issuer": s.issuer, "jwks_uri": format!("{}/jwks", s.issuer) }))
}

async fn jwks(State(s): State<ProviderState>) -> Json<Value> {
    if s.hang.load(Ordering::SeqCst) {
        s.hanging.notify_one();
        std::future::pending::<()>().await;
    }
    Json(s.jwks)
}

impl Provider {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let known = p256_key();
        let mut jwk = Jwk::from_encoding_key(&known, Algorithm::ES256).unwrap();
        jwk.common.key_id = Some("known".into());
        let (hang, hanging) = (Arc::new(AtomicBool::new(false)), Arc::new(Notify::new()));
        let state = ProviderState {
            issuer: issuer.clone(),
            jwks: serde_json::to_value(JwkSet { keys: vec![jwk] }).unwrap(),
            hang: hang.clone(),
            hanging: hanging.clone(),
        };
        let app = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            issuer,
            known,
            stranger: p256_key(),
            hang,
            hanging,
        }
    }

    /// An access token for member-42 signed by `key` under key id `kid`.
    fn token(&self, key: &EncodingKey, kid: &str) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.into());
        header.typ = Some("at+jwt".into());
        let now = unix_now();
        let claims = json!({
            "iss": self.issuer,
            "aud": MEMBER_API_AUDIENCE,
            "sub": "member-42",
            "iat": now,
            "exp": now + 300,
            "jti": format!("{}", rand::random::<u64>()),
            "scope": "openid profile",
        });
        jsonwebtoken::encode(&header, &claims, key).unwrap()
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn a_known_key_is_served_while_the_providers_key_set_hangs() {
    let provider = Provider::start().await;
    let api = start_with(|c| {
        c.issuer = IssuerChoice::External(ExternalIssuer {
            // Every unknown key id may send the server to the provider.
            jwks_refetch_interval: Duration::ZERO,
            ..ExternalIssuer::new(provider.issuer.clone(), MEMBER_API_AUDIENCE)
        });
    })
    .await;
    let known = provider.token(&provider.known, "known");
    assert_eq!(me(&api.base(), Some(&known)).await.status(), 200);

    // A token naming a key the provider never published sends the server to fetch the key
    // set again, and that fetch hangs.
    provider.hang.store(true, Ordering::SeqCst);
    let stranger = provider.token(&provider.stranger, "rotated");
    let base = api.base();
    let pending = tokio::spawn(async move { me(&base, Some(&stranger)).await.status() });
    tokio::time::timeout(Duration::from_secs(5), provider.hanging.notified())
        .await
        .expect("the server asks for the key set again");

    // Meanwhile a token with the known key is answered at once.
    let started = Instant::now();
    let answered = tokio::time::timeout(Duration::from_secs(2), me(&api.base(), Some(&known)))
        .await
        .expect("answered while the provider hangs");
    assert_eq!(answered.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    // The hanging fetch is still under way (bounded by the server's fetch timeout).
    assert!(!pending.is_finished());
    pending.abort();
}
