//! # lofavor-server
//!
//! The reference member API: the contract the core speaks (`openapi.yaml`), for
//! development, tests and the demo. Not a production backend.
//!
//! It runs in-process ([`start`], as the terminal shell and the tests do) or as the
//! `lofavor-server` binary, on a loopback address.
//!
//! It also serves a development OpenID Provider at `{base}/oidc` (see [`IssuerChoice`]), and
//! its member API (`GET /v1/me`) accepts access tokens of that issuer or of an external one.
//! The development issuer logs anyone in as any member without a password, so [`start`]
//! refuses an address other machines can reach while it is served, unless
//! [`ServerConfig::allow_remote`] says otherwise (and then it warns).
//!
//! Its data directory (mode 0700 where the server creates it) holds `server.db` and `keys/`,
//! every file of mode 0600; private keys live only in the key files ([`keyfile`]).

mod access;
mod consent;
mod db;
mod inventory;
mod issuer;
mod keyfile;
mod members;
mod private_fs;
mod request_log;
mod roadside;
mod routes;

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use db::DbError;
pub use inventory::faults::Fault;
pub use issuer::KeyError;
pub use keyfile::KeyFileError;

/// The `aud` of access tokens for the member API, as the embedded issuer sets it.
pub const MEMBER_API_AUDIENCE: &str = "urn:lofavor:member-api";

/// The path of the embedded issuer under the base URL (no trailing slash): its issuer
/// identifier is `{base_url}oidc`.
pub const EMBEDDED_ISSUER_PATH: &str = "oidc";

/// The name of the key directory inside the data directory.
pub const KEY_DIR: &str = "keys";

/// The key file name (in [`KEY_DIR`]) of the trust-anchor key, which signs the roadside trust
/// list and nothing else. Its public half is what the apps of a deployment ship with.
pub const TRUST_ANCHOR_KEY: &str = "trust-anchor";

/// The key file name (in [`KEY_DIR`]) of the key that signs consent receipts. The consent
/// catalogue, signed by the trust anchor, names its public half.
pub const CONSENT_RECEIPT_KEY: &str = "consent-receipts";

/// The exit status of the `lofavor-server` and `lofavor serve` programs when they refuse to
/// listen on an address other machines can reach ([`ServerError::Exposed`]).
pub const EXIT_EXPOSED: u8 = 5;

/// What `--allow-remote` prints (and the server logs) when the development issuer is served
/// on an address other machines can reach.
pub const REMOTE_WARNING: &str = "WARNING: the development issuer is reachable from the network. \
Anyone who can reach this address can log in as any member, without a password, and read their \
data. Use this only on a network you trust, never on the internet.";

/// What the server needs to start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where the server keeps its SQLite database; created if missing.
    pub data_dir: PathBuf,
    /// The address to listen on; port 0 picks a free one.
    pub bind: SocketAddr,
    /// Whose access tokens the member API accepts.
    pub issuer: IssuerChoice,
    /// Lifetime of the access tokens the embedded issuer signs (default 300 s).
    pub access_token_ttl: Duration,
    /// Clock skew allowed when checking a token's `exp` (default 30 s).
    pub token_leeway: Duration,
    /// Listen on an address other machines can reach even while the development issuer is
    /// served (it lets anyone log in as any member without a password). Off by default: such
    /// an address is then refused with [`ServerError::Exposed`]; on, the server logs
    /// [`REMOTE_WARNING`].
    pub allow_remote: bool,
}

/// Whose access tokens the member API accepts.
#[derive(Debug, Clone, Default)]
pub enum IssuerChoice {
    /// The development issuer this server serves at `{base_url}oidc`.
    #[default]
    Embedded,
    /// An external OpenID Provider; the embedded issuer is then not served.
    External(ExternalIssuer),
}

/// An external OpenID Provider whose JWT access tokens (RFC 9068) the member API accepts.
#[derive(Debug, Clone)]
pub struct ExternalIssuer {
    /// Its issuer identifier; `{issuer}/.well-known/openid-configuration` names its keys.
    pub issuer: String,
    /// The `aud` its access tokens for this API carry.
    pub audience: String,
    /// Least time between two fetches of its key set when a token names an unknown key id
    /// (default 10 s), so forged key ids cannot make the server hammer the provider.
    pub jwks_refetch_interval: Duration,
}

impl ExternalIssuer {
    /// The provider at `issuer` issuing tokens for `audience`, with the default refetch
    /// interval.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            jwks_refetch_interval: Duration::from_secs(10),
        }
    }
}

impl ServerConfig {
    /// A server on a free loopback port with its data under `data_dir`, trusting its embedded
    /// issuer.
    pub fn loopback(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            issuer: IssuerChoice::Embedded,
            access_token_ttl: Duration::from_secs(300),
            token_leeway: Duration::from_secs(30),
            allow_remote: false,
        }
    }
}

/// Whether `addr` can be reached from this machine only: `127.0.0.0/8`, `::1`, or an
/// IPv4-mapped loopback address. The unspecified addresses (`0.0.0.0`, `::`) listen on every
/// interface and are not.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().to_canonical().is_loopback()
}

/// Reads a listening address from the command line: `IP:PORT` (`[::1]:8080` for IPv6) or
/// `HOST:PORT` such as `localhost:8080`. A host name is resolved once; of its addresses the
/// first IPv4 one is taken (else the first), and [`start`] then judges that address.
pub fn parse_bind(text: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let addrs: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|e| format!("not an address to listen on ({e}); use HOST:PORT or IP:PORT"))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| addrs.first())
        .copied()
        .ok_or_else(|| format!("{text} names no address"))
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address is reachable from other machines while the development issuer, which lets
    /// anyone log in as any member without a password, would be served there.
    #[error(
        "refusing to listen on {0}: other machines can reach it, and the development login \
         page (no password, every member listed) would be served there. Listen on a loopback \
         address (127.0.0.1, ::1, localhost), trust an external issuer instead of the \
         development one, or accept the risk explicitly (--allow-remote)"
    )]
    Exposed(SocketAddr),
    /// The database could not be opened.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A key file could not be read or written.
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    /// A roadside issuer key the database lists is missing or damaged.
    #[error("roadside issuer keys: {0}")]
    RoadsideKeys(String),
    /// The address could not be bound.
    #[error("cannot listen: {0}")]
    Bind(std::io::Error),
    /// The embedded issuer's signing key could not be made.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The HTTP client for the external issuer could not be built.
    #[error("external issuer client: {0}")]
    Http(#[from] reqwest::Error),
    /// The consent service could not start, or a catalogue to publish was refused.
    #[error("consent: {0}")]
    Consent(String),
}

impl From<consent::ConsentError> for ServerError {
    fn from(e: consent::ConsentError) -> Self {
        Self::Consent(e.to_string())
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) db: Arc<db::Db>,
    pub(crate) keys: Arc<keyfile::KeyDir>,
    /// Signs the roadside trust list; not an issuer key.
    pub(crate) trust_anchor: Arc<p256::ecdsa::SigningKey>,
    pub(crate) verifier: Arc<access::Verifier>,
    /// The consent catalogue, ledger and governed transfers.
    pub(crate) consent: Arc<consent::Consent>,
    /// The members' inventories: records and photo blobs.
    pub(crate) inventory: Arc<inventory::Inventory>,
}

/// A server running on the current tokio runtime. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    issuer_url: String,
    trust_anchor: String,
    consent: Arc<consent::Consent>,
    requests: Arc<request_log::RequestLog>,
    faults: Arc<inventory::faults::Faults>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL, ending in `/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The issuer whose access tokens the member API accepts: `{base_url}oidc` for the
    /// embedded issuer (what the core's `oidc_issuer` is set to), else the configured one.
    pub fn issuer_url(&self) -> &str {
        &self.issuer_url
    }

    /// The public half of its trust-anchor key as text (base64 DER SubjectPublicKeyInfo), to
    /// configure the apps with: a verifier accepts the roadside trust list only when one of
    /// its configured anchors signed it. Deliberately not served over HTTP, where a client
    /// could be led to trust whatever answers.
    pub fn trust_anchor(&self) -> &str {
        &self.trust_anchor
    }

    /// Publishes `catalogue` as the new consent catalogue (for tests): it must pass the
    /// checks the bundled one does, and its `sequence` must be higher than the one published
    /// now. Its notice versions are remembered beside every earlier one, so decisions on an
    /// older published version are still accepted; a published version's text cannot change.
    pub fn publish_catalogue(&self, catalogue: serde_json::Value) -> Result<(), ServerError> {
        Ok(self.consent.publish(catalogue)?)
    }

    /// What `partner`'s inbox (the stand-in for the partner's own endpoint) received, oldest
    /// first: `{"kind": "order"|"share"|"claim_report", "at", "subject" (the pseudonym),
    /// "fields"}` each.
    /// Empty for an unknown partner, or if the database fails (then logged).
    pub fn partner_inbox(&self, partner: &str) -> Vec<serde_json::Value> {
        let Some(partner) = consent::partners::known(partner) else {
            return Vec::new();
        };
        self.consent
            .db
            .with_conn_try(|c| consent::partners::inbox(c, partner))
            .unwrap_or_else(|e| {
                log::error!(target: "lofavor_server", "partner inbox: {e}");
                Vec::new()
            })
    }

    /// `METHOD /path` of every request received since the start or the last
    /// [`Self::clear_requests`], oldest first (no query, no body; the newest 10 000 at most).
    pub fn requests(&self) -> Vec<String> {
        self.requests.entries()
    }

    /// Fails the next `count` requests whose `METHOD /path` starts with `prefix` (such as
    /// `"PUT /v1/inventory/blobs/"`) in the way `fault` says. For tests of clients facing a
    /// failing server; nothing is injected unless asked.
    pub fn inject_faults(&self, prefix: &str, fault: Fault, count: u32) {
        self.faults.add(prefix, fault, count);
    }

    /// How many injected faults have not yet met a request.
    pub fn faults_left(&self) -> u32 {
        self.faults.left()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.requests.clear();
    }

    /// Sets the status of privacy-rights request `id` (for tests standing in for the people
    /// who handle it): `received`, `in_progress`, `extended` (then due three months after it
    /// was received), `completed` or `refused`. Whether it was set: `false` for an unknown id
    /// or status, or if the database fails (then logged).
    pub fn set_privacy_request_status(&self, id: &str, status: &str) -> bool {
        self.consent
            .db
            .with_conn_try(|c| consent::privacy::set_status(c, id, status))
            .unwrap_or_else(|e| {
                log::error!(target: "lofavor_server", "privacy request status: {e}");
                false
            })
    }

    /// Stops accepting, finishes requests in flight, and waits for the server to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The trust anchor (as [`RunningServer::trust_anchor`] gives it) of the server whose data
/// directory is `data_dir`, if that server has made one; reads its key file and creates
/// nothing. For a client on the same machine and account as the server (the terminal shell
/// with `--server` and the server's data directory), never for one across a network.
pub fn trust_anchor_in(data_dir: &std::path::Path) -> Result<Option<String>, ServerError> {
    let dir = data_dir.join(KEY_DIR);
    if !dir.is_dir() {
        return Ok(None);
    }
    let Some(key) = keyfile::KeyDir::open(dir)?.load(TRUST_ANCHOR_KEY)? else {
        return Ok(None);
    };
    lofavor_certificate::anchor_to_text(key.verifying_key())
        .map(Some)
        .map_err(|e| ServerError::RoadsideKeys(e.to_string()))
}

/// Checks the address, opens the database and the key files, binds the address and serves in
/// a task on the current runtime.
pub async fn start(config: ServerConfig) -> Result<RunningServer, ServerError> {
    if !is_loopback(&config.bind) && matches!(config.issuer, IssuerChoice::Embedded) {
        if !config.allow_remote {
            return Err(ServerError::Exposed(config.bind));
        }
        log::warn!(target: "lofavor_server", "{REMOTE_WARNING}");
    }
    private_fs::create_dir(&config.data_dir).map_err(DbError::Io)?;
    let keys = keyfile::KeyDir::open(config.data_dir.join(KEY_DIR))?;
    let db = db::Db::open(&config.data_dir, &keys)?;
    roadside::keys::check_all(&db, &keys).map_err(|e| ServerError::RoadsideKeys(e.to_string()))?;
    let trust_anchor = keys.load_or_create(TRUST_ANCHOR_KEY)?;
    let trust_anchor_text = lofavor_certificate::anchor_to_text(trust_anchor.verifying_key())
        .map_err(|e| ServerError::RoadsideKeys(e.to_string()))?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(ServerError::Bind)?;
    let addr = listener.local_addr().map_err(ServerError::Bind)?;
    let db = Arc::new(db);
    let (verifier, embedded, issuer_url) = match config.issuer {
        IssuerChoice::Embedded => {
            let url = format!("http://{addr}/{EMBEDDED_ISSUER_PATH}");
            let issuer = Arc::new(issuer::Issuer::new(
                url.clone(),
                config.access_token_ttl,
                config.token_leeway,
                db.clone(),
            )?);
            (
                access::Verifier::Embedded(issuer.clone()),
                Some(issuer),
                url,
            )
        }
        IssuerChoice::External(external) => {
            let url = external.issuer.clone();
            let verifier = access::external::ExternalVerifier::new(external, config.token_leeway)?;
            (access::Verifier::External(Box::new(verifier)), None, url)
        }
    };
    let trust_anchor = Arc::new(trust_anchor);
    let consent = Arc::new(consent::Consent::open(
        db.clone(),
        &keys,
        trust_anchor.clone(),
    )?);
    let requests = Arc::new(request_log::RequestLog::default());
    let inventory = Arc::new(inventory::Inventory::open(&config.data_dir)?);
    let faults = Arc::new(inventory::faults::Faults::default());
    let state = AppState {
        db,
        keys: Arc::new(keys),
        trust_anchor,
        verifier: Arc::new(verifier),
        consent: consent.clone(),
        inventory,
    };
    let app = routes::router(state, embedded, requests.clone()).layer(
        axum::middleware::from_fn_with_state(faults.clone(), inventory::faults::inject),
    );
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            log::error!(target: "lofavor_server", "server stopped: {e}");
        }
    });
    log::info!(target: "lofavor_server", "listening on {addr}");
    Ok(RunningServer {
        addr,
        issuer_url,
        trust_anchor: trust_anchor_text,
        consent,
        requests,
        faults,
        shutdown: Some(tx),
        task: Some(task),
    })
}
