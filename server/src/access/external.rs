//! Access tokens of an external OpenID Provider: its `jwks_uri` found through discovery, its
//! key set fetched and cached, fetched again on an unknown `kid` (key rotation) at most once
//! per configured interval.

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use tokio::sync::Mutex;

use super::{AccessClaims, TokenError, validate};
use crate::ExternalIssuer;

/// How long one discovery or key-set request may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

#[derive(Default)]
struct Cache {
    /// The issuer identifier and key-set URL, once discovered.
    discovered: Option<(String, String)>,
    keys: Option<JwkSet>,
    last_fetch: Option<Instant>,
}

/// Checks access tokens of one external issuer.
pub(crate) struct ExternalVerifier {
    config: ExternalIssuer,
    leeway: Duration,
    http: reqwest::Client,
    cache: Mutex<Cache>,
}

impl ExternalVerifier {
    /// A verifier for `config`; nothing is fetched until the first token arrives, so the
    /// member API starts even while the provider is still starting.
    pub(crate) fn new(config: ExternalIssuer, leeway: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(FETCH_TIMEOUT)
            .build()?;
        Ok(Self {
            config,
            leeway,
            http,
            cache: Mutex::new(Cache::default()),
        })
    }

    /// Checks `token` against the issuer's current keys.
    pub(crate) async fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        // One lock over fetch and check: concurrent requests with a new `kid` wait for one
        // fetch instead of each starting their own.
        let mut cache = self.cache.lock().await;
        let may_fetch = |cache: &Cache| {
            cache
                .last_fetch
                .is_none_or(|t| t.elapsed() >= self.config.jwks_refetch_interval)
        };
        if cache.keys.is_none() {
            // While the provider is down, failed fetches are rate-limited like refetches.
            if !may_fetch(&cache) {
                return Err(TokenError::Unavailable);
            }
            self.fetch(&mut cache).await?;
        }
        let result = self.check(&cache, token);
        let may_refetch = may_fetch(&cache);
        match result {
            Err(TokenError::UnknownKey) if may_refetch => {
                self.fetch(&mut cache).await?;
                self.check(&cache, token)
            }
            other => other,
        }
    }

    fn check(&self, cache: &Cache, token: &str) -> Result<AccessClaims, TokenError> {
        let (Some((issuer, _)), Some(keys)) = (&cache.discovered, &cache.keys) else {
            return Err(TokenError::Unavailable);
        };
        validate::validate(token, keys, issuer, &self.config.audience, self.leeway)
    }

    async fn fetch(&self, cache: &mut Cache) -> Result<(), TokenError> {
        cache.last_fetch = Some(Instant::now());
        if cache.discovered.is_none() {
            let configured = self.config.issuer.trim_end_matches('/');
            let url = format!("{configured}/.well-known/openid-configuration");
            let discovery: Discovery = self.get_json(&url).await?;
            // OpenID Connect Discovery §4.3: the document must name the issuer asked about.
            if discovery.issuer.trim_end_matches('/') != configured {
                log::error!(target: "lofavor_server", "external issuer's discovery names another issuer");
                return Err(TokenError::Unavailable);
            }
            cache.discovered = Some((discovery.issuer, discovery.jwks_uri));
        }
        let Some((_, jwks_uri)) = &cache.discovered else {
            return Err(TokenError::Unavailable);
        };
        let keys: JwkSet = self.get_json(jwks_uri).await?;
        cache.keys = Some(keys);
        Ok(())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, TokenError> {
        let fetched = async {
            self.http
                .get(url)
                .send()
                .await?
                .error_for_status()?
                .json::<T>()
                .await
        };
        fetched.await.map_err(|e| {
            log::warn!(target: "lofavor_server", "external issuer fetch failed: {e}");
            TokenError::Unavailable
        })
    }
}
