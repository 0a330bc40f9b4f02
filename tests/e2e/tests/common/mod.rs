//! What the login and session tests share: a provider, a data directory, a SecureStore
//! stand-in that outlives core restarts, and a browser.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test binary uses a part

use std::sync::{Arc, Mutex};

use lofavor_core::auth::{SessionEvent, SessionListener};
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_e2e::oidc_provider::{OidcProvider, ProviderOptions};
use url::Url;

/// The loopback redirect the tests log in with (RFC 8252 §7.3: any port is accepted).
pub const REDIRECT: &str = "http://127.0.0.1:53123/callback";

/// One device and its provider.
pub struct World {
    pub provider: OidcProvider,
    pub dir: tempfile::TempDir,
    pub secrets: Arc<MemoryStandInStore>,
    pub browser: HeadlessBrowser,
}

impl World {
    /// A device with a provider run with default options.
    pub async fn new() -> Self {
        Self::with(ProviderOptions::default()).await
    }

    /// A device with a provider run with `options`.
    pub async fn with(options: ProviderOptions) -> Self {
        Self {
            provider: OidcProvider::start_with(options).await.unwrap(),
            dir: tempfile::tempdir().unwrap(),
            secrets: Arc::new(MemoryStandInStore::new()),
            browser: HeadlessBrowser::new(),
        }
    }

    /// Opens the app (again) on this device.
    pub fn core(&self) -> Core {
        self.core_with_api("http://127.0.0.1:9/")
    }

    /// Opens the app with the member API at `api`.
    pub fn core_with_api(&self, api: &str) -> Core {
        let config = CoreConfig {
            data_dir: self.dir.path().to_path_buf(),
            api_base_url: api.into(),
            oidc_issuer: self.provider.issuer().into(),
            oidc_client_id: "lofavor-cli".into(),
            redirect_uri: REDIRECT.into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::ShellProvided,
            trust_anchors: Vec::new(),
        };
        let platform = Platform {
            secure_store: Some(self.secrets.clone() as Arc<dyn SecureStore>),
            logger: None,
        };
        Core::open(config, platform).unwrap()
    }

    /// Starts a login and lets the member log in; returns the redirect the browser got.
    pub async fn redirect_after_login(&self, core: &Core, account: &str) -> String {
        let url = core.auth().begin_login().await.unwrap();
        self.browser.log_in(&url, account, REDIRECT).await.unwrap()
    }

    /// A complete login of `account`.
    pub async fn log_in(&self, core: &Core, account: &str) {
        let back = self.redirect_after_login(core, account).await;
        core.auth().complete_login(&back).await.unwrap();
    }

    /// The refresh token the SecureStore holds for `core`, if any.
    pub fn refresh_token(&self, core: &Core) -> Option<String> {
        let name = format!("refresh-token.{}", core.store().installation_id());
        self.secrets
            .get(&name)
            .unwrap()
            .map(|raw| String::from_utf8(raw).unwrap())
    }
}

/// `url` with query parameter `name` set to `value` (or removed, for `None`).
pub fn with_param(url: &str, name: &str, value: Option<&str>) -> String {
    let mut url = Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| k != name)
        .collect();
    let mut query = url.query_pairs_mut();
    query.clear();
    for (k, v) in &pairs {
        query.append_pair(k, v);
    }
    if let Some(value) = value {
        query.append_pair(name, value);
    }
    drop(query);
    url.into()
}

/// Query parameter `name` of `url`.
pub fn param(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A session listener that keeps what it hears.
#[derive(Default)]
pub struct Recorder {
    pub events: Mutex<Vec<SessionEvent>>,
}

impl SessionListener for Recorder {
    fn on_session_event(&self, event: SessionEvent) {
        self.events.lock().unwrap().push(event);
    }
}

impl Recorder {
    /// Waits (up to five seconds) until `count` events have arrived; returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<SessionEvent> {
        for _ in 0..500 {
            if self.events.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        self.events.lock().unwrap().clone()
    }
}

/// Every text and blob cell of every table of the encrypted database in `data_dir`, read
/// with its key from `secrets` through a connection of its own (as anyone holding the key
/// could read the file).
pub fn decrypted_cells(data_dir: &std::path::Path, secrets: &dyn SecureStore) -> Vec<Vec<u8>> {
    let header: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data_dir.join("store-header.json")).unwrap())
            .unwrap();
    let installation = header["installation_id"].as_str().unwrap();
    let key = secrets
        .get(&format!("db-key.{installation}"))
        .unwrap()
        .expect("the database key");
    let key: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let conn = rusqlite::Connection::open_with_flags(
        data_dir.join("lofavor.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
        .unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!tables.is_empty(), "the key opened the database");
    let mut cells = Vec::new();
    for table in tables {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => cells.push(t.to_vec()),
                    rusqlite::types::ValueRef::Blob(b) => cells.push(b.to_vec()),
                    _ => {}
                }
            }
        }
    }
    cells
}

/// Whether any of `cells` contains `needle`.
pub fn any_cell_contains(cells: &[Vec<u8>], needle: &str) -> bool {
    cells
        .iter()
        .any(|cell| cell.windows(needle.len()).any(|w| w == needle.as_bytes()))
}
