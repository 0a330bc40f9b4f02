//! Access tokens of an external OpenID Provider: its `jwks_uri` found through discovery, its
//! key set fetched and cached, fetched again on an unknown `kid` (key rotation) at most once
//! per configured interval.
//!
//! No lock is held across a request to the provider. The cached keys sit behind a short
//! synchronous lock that is taken only to copy or swap them, so a request whose token names a
//! known key is answered at once even while the provider hangs. Fetches are single-flight: a
//! request that needs one waits for the fetch in progress (bounded by [`FETCH_TIMEOUT`]) and
//! then uses its result instead of starting another.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;

use super::{AccessClaims, TokenError, validate};
use crate::ExternalIssuer;

/// How long one discovery or key-set request may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

/// What discovery and the last good key-set fetch found.
struct Keys {
    /// The issuer identifier the discovery document names.
    issuer: String,
    jwks_uri: String,
    jwks: JwkSet,
}

#[derive(Default)]
struct Cache {
    keys: Option<Arc<Keys>>,
    /// When the last fetch started, good or not.
    last_fetch: Option<Instant>,
    /// Counts finished fetches, so a request that waited for one can tell it happened.
    fetches: u64,
    /// Whether the last fetch failed.
    failed: bool,
}

/// What a request that needs newer keys gets.
enum Refresh {
    /// Keys fetched by this request or by the fetch it waited for.
    Fetched(Arc<Keys>),
    /// The last fetch was too recent to fetch again (the refetch interval also rate-limits
    /// failures while the provider is down).
    TooSoon,
    /// The fetch failed.
    Failed,
}

/// Checks access tokens of one external issuer.
pub(crate) struct ExternalVerifier {
    config: ExternalIssuer,
    leeway: Duration,
    http: reqwest::Client,
    /// Held only to read or swap its fields, never across an `await`.
    cache: Mutex<Cache>,
    /// Held by the one fetch in progress.
    fetching: tokio::sync::Mutex<()>,
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
            fetching: tokio::sync::Mutex::new(()),
        })
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        // Every change is one assignment, so a cache left by a panicking holder is whole.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Checks `token` against the issuer's current keys.
    pub(crate) async fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let (keys, seen) = {
            let cache = self.cache();
            (cache.keys.clone(), cache.fetches)
        };
        if let Some(keys) = &keys {
            match self.check(keys, token) {
                Err(TokenError::UnknownKey) => {}
                other => return other,
            }
        }
        // No keys yet, or the token names a key not among them (a rotation, or a forgery).
        match self.refresh(seen).await {
            Refresh::Fetched(keys) => self.check(&keys, token),
            Refresh::TooSoon if keys.is_some() => Err(TokenError::UnknownKey),
            Refresh::TooSoon | Refresh::Failed => Err(TokenError::Unavailable),
        }
    }

    fn check(&self, keys: &Keys, token: &str) -> Result<AccessClaims, TokenError> {
        validate::validate(
            token,
            &keys.jwks,
            &keys.issuer,
            &self.config.audience,
            self.leeway,
        )
    }

    /// Newer keys than the ones seen when fetch count `seen` was read: fetched now, or by the
    /// fetch this call waited for.
    async fn refresh(&self, seen: u64) -> Refresh {
        let _flight = self.fetching.lock().await;
        let known = {
            let mut cache = self.cache();
            if cache.fetches != seen {
                // A fetch finished while this request waited: use what it found.
                return match (&cache.keys, cache.failed) {
                    (Some(keys), false) => Refresh::Fetched(keys.clone()),
                    _ => Refresh::Failed,
                };
            }
            let may_fetch = cache
                .last_fetch
                .is_none_or(|t| t.elapsed() >= self.config.jwks_refetch_interval);
            if !may_fetch {
                return Refresh::TooSoon;
            }
            cache.last_fetch = Some(Instant::now());
            cache.keys.clone()
        };
        let fetched = self.fetch(known.as_deref()).await.map(Arc::new);
        let mut cache = self.cache();
        cache.fetches = cache.fetches.wrapping_add(1);
        cache.failed = fetched.is_err();
        match fetched {
            Ok(keys) => {
                cache.keys = Some(keys.clone());
                Refresh::Fetched(keys)
            }
            Err(()) => Refresh::Failed,
        }
    }

    /// Discovery (unless `known` already holds its result), then the key set.
    async fn fetch(&self, known: Option<&Keys>) -> Result<Keys, ()> {
        let (issuer, jwks_uri) = match known {
            Some(keys) => (keys.issuer.clone(), keys.jwks_uri.clone()),
            None => {
                let configured = self.config.issuer.trim_end_matches('/');
                let url = format!("{configured}/.well-known/openid-configuration");
                let discovery: Discovery = self.get_json(&url).await?;
                // OpenID Connect Discovery §4.3: the document must name the issuer asked about.
                if discovery.issuer.trim_end_matches('/') != configured {
                    log::error!(target: "lofavor_server", "external issuer's discovery names another issuer");
                    return Err(());
                }
                (discovery.issuer, discovery.jwks_uri)
            }
        };
        let jwks: JwkSet = self.get_json(&jwks_uri).await?;
        Ok(Keys {
            issuer,
            jwks_uri,
            jwks,
        })
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, ()> {
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
        })
    }
}
