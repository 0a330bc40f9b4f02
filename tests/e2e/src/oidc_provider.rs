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
        if let Some(ttl) = access_token_ttl {
            command.env("OIDC_ACCESS_TOKEN_TTL", ttl.as_secs().to_string());
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

    /// The issuer identifier, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
