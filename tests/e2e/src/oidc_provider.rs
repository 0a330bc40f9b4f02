//! The real OpenID Provider, `tests/oidc/provider.mjs`, as a child process.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};

/// Why the provider did not start.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// `tests/node_modules` is missing: the test command installs it.
    #[error("oidc-provider is not installed; run the test command (tests/run-all.sh) once")]
    NotInstalled,
    /// Node could not be started.
    #[error("cannot start node: {0}")]
    Spawn(std::io::Error),
    /// The provider did not say where it listens.
    #[error("the provider did not start: {0}")]
    NoIssuer(String),
}

/// How an attacker in the middle damages the ID token of every token response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTokenTamper {
    /// Another subject under the original signature.
    Signature,
    /// `alg: none`, no signature.
    AlgNone,
    /// HS256 "signed" with the client id, which everybody knows.
    AlgHs256,
}

impl IdTokenTamper {
    fn as_env(self) -> &'static str {
        match self {
            IdTokenTamper::Signature => "signature",
            IdTokenTamper::AlgNone => "alg-none",
            IdTokenTamper::AlgHs256 => "alg-hs256",
        }
    }
}

/// Whether the published key set lacks the signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleJwks {
    /// In the first answer only: the client's cached set predates a key rotation.
    Once,
    /// Always: the token names a key the provider never publishes.
    Always,
}

impl StaleJwks {
    fn as_env(self) -> &'static str {
        match self {
            StaleJwks::Once => "once",
            StaleJwks::Always => "always",
        }
    }
}

/// How to run the provider (see `tests/oidc/provider.mjs`).
#[derive(Debug, Clone, Default)]
pub struct ProviderOptions {
    /// Access-token lifetime (default five minutes).
    pub access_token_ttl: Option<Duration>,
    /// Issue access tokens as JWTs for the member API (`aud = urn:lofavor:member-api`).
    pub jwt_access_tokens: bool,
    /// Damage every ID token on its way out.
    pub tamper_id_token: Option<IdTokenTamper>,
    /// Leave the signing key out of the published key set.
    pub stale_jwks: Option<StaleJwks>,
    /// State this `expires_in` (seconds) in every token response.
    pub expires_in: Option<u64>,
    /// An issuer identifier that ends in `/`.
    pub issuer_trailing_slash: bool,
}

/// Counts of what the provider served.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProviderStats {
    /// Answers of the JWKS endpoint.
    pub jwks: u64,
    /// Token requests by grant type (`authorization_code`, `refresh_token`).
    pub token: std::collections::HashMap<String, u64>,
}

impl ProviderStats {
    /// Token requests of `grant_type`.
    pub fn token_requests(&self, grant_type: &str) -> u64 {
        self.token.get(grant_type).copied().unwrap_or(0)
    }
}

/// A running provider; killed when dropped.
#[derive(Debug)]
pub struct OidcProvider {
    issuer: String,
    child: Child,
    /// Held open: the provider stops when its standard input closes.
    _stdin: Option<ChildStdin>,
}

impl OidcProvider {
    /// Starts a provider on a free loopback port. `access_token_ttl` shortens access tokens.
    pub async fn start(access_token_ttl: Option<Duration>) -> Result<Self, ProviderError> {
        Self::start_with(ProviderOptions {
            access_token_ttl,
            ..Default::default()
        })
        .await
    }

    /// Starts a provider with `options` on a free loopback port.
    pub async fn start_with(options: ProviderOptions) -> Result<Self, ProviderError> {
        let tests_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        if !tests_dir.join("node_modules/oidc-provider").is_dir() {
            return Err(ProviderError::NotInstalled);
        }
        let mut command = Command::new("node");
        command
            .arg(tests_dir.join("oidc/provider.mjs"))
            .current_dir(tests_dir.join("oidc"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        if let Some(ttl) = options.access_token_ttl {
            command.env("OIDC_ACCESS_TOKEN_TTL", ttl.as_secs().to_string());
        }
        if options.jwt_access_tokens {
            command.env("OIDC_JWT_ACCESS_TOKENS", "1");
        }
        if let Some(how) = options.tamper_id_token {
            command.env("OIDC_TAMPER_ID_TOKEN", how.as_env());
        }
        if let Some(stale) = options.stale_jwks {
            command.env("OIDC_STALE_JWKS", stale.as_env());
        }
        if let Some(seconds) = options.expires_in {
            command.env("OIDC_EXPIRES_IN", seconds.to_string());
        }
        if options.issuer_trailing_slash {
            command.env("OIDC_ISSUER_TRAILING_SLASH", "1");
        }
        let mut child = command.spawn().map_err(ProviderError::Spawn)?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| ProviderError::NoIssuer("no stdout".into()))?;
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .map_err(|_| ProviderError::NoIssuer("timed out".into()))?
            .map_err(|e| ProviderError::NoIssuer(e.to_string()))?
            .ok_or_else(|| ProviderError::NoIssuer("exited".into()))?;
        let issuer = first
            .strip_prefix("issuer ")
            .ok_or_else(|| ProviderError::NoIssuer(format!("unexpected line {first:?}")))?
            .to_owned();
        Ok(Self {
            issuer,
            child,
            _stdin: stdin,
        })
    }

    /// The issuer identifier, `http://127.0.0.1:PORT` (with a trailing slash only when
    /// [`ProviderOptions::issuer_trailing_slash`] asked for one).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Where the provider's endpoint `path` (`token`, `revoke`, ...) is.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}/{path}", self.issuer.trim_end_matches('/'))
    }

    /// What the provider has served so far (its test instrument, `GET /__stats`).
    pub async fn stats(&self) -> Result<ProviderStats, reqwest::Error> {
        reqwest::get(self.endpoint("__stats")).await?.json().await
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
