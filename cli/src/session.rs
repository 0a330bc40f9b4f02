//! Opening the core the way every command does: data directory, server, secure store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lofavor_core::platform::{Platform, SecureStore, StderrLogger};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};
use lofavor_server::{RunningServer, ServerConfig};

use crate::args::{Args, SecureStoreArg};

/// The redirect the CLI registers (login uses a loopback port; see RFC 8252 §7.3).
const CLI_REDIRECT: &str = "http://127.0.0.1/callback";
/// The CLI's client id at the reference issuer.
const CLI_CLIENT_ID: &str = "lofavor-cli";

/// A member API to talk to: the one given by `--server`, or an embedded one.
pub struct Backend {
    /// Its base URL.
    pub base_url: String,
    /// The embedded server, kept alive as long as this value.
    pub embedded: Option<RunningServer>,
}

impl Backend {
    /// Starts the embedded server unless `--server` was given.
    pub async fn start(args: &Args, data_dir: &Path) -> Result<Backend, String> {
        match &args.server {
            Some(url) => Ok(Backend {
                base_url: url.clone(),
                embedded: None,
            }),
            None => {
                let server = lofavor_server::start(ServerConfig::loopback(data_dir.join("server")))
                    .await
                    .map_err(|e| format!("cannot start the embedded server: {e}"))?;
                Ok(Backend {
                    base_url: server.base_url(),
                    embedded: Some(server),
                })
            }
        }
    }
}

/// The data directory: `--data-dir`, else the user's data directory.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("lofavor");
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/lofavor"),
        None => PathBuf::from("lofavor-data"),
    }
}

/// The core's configuration for this run.
pub fn config(
    args: &Args,
    data_dir: &Path,
    backend: &Backend,
    choice: SecureStoreChoice,
) -> Result<CoreConfig, String> {
    let locale = Locale::from_tag(&args.locale)
        .ok_or_else(|| format!("unknown locale '{}': use nb, nn or en", args.locale))?;
    Ok(CoreConfig {
        data_dir: data_dir.join("core"),
        api_base_url: backend.base_url.clone(),
        oidc_issuer: backend.base_url.clone(),
        oidc_client_id: CLI_CLIENT_ID.into(),
        redirect_uri: CLI_REDIRECT.into(),
        locale,
        secure_store: choice,
    })
}

/// The secure-store choice for `--secure-store`, or `default`.
pub fn secure_store_choice(
    args: &Args,
    data_dir: &Path,
    default: SecureStoreArg,
) -> SecureStoreChoice {
    match args.secure_store.unwrap_or(default) {
        SecureStoreArg::OsKeystore => SecureStoreChoice::OsKeystore,
        SecureStoreArg::Memory => SecureStoreChoice::MemoryStandIn,
        SecureStoreArg::InsecureFile => {
            let mut name = data_dir.file_name().unwrap_or_default().to_os_string();
            name.push(".stand-in-secrets.json");
            SecureStoreChoice::InsecureFileStandIn {
                path: data_dir.with_file_name(name),
            }
        }
    }
}

/// Opens the core, with the CLI's logger on standard error.
pub fn open_core(
    config: CoreConfig,
    secure_store: Option<Arc<dyn SecureStore>>,
) -> Result<Core, String> {
    let choice = config.secure_store.clone();
    Core::open(
        config,
        Platform {
            secure_store,
            logger: Some(Arc::new(StderrLogger)),
        },
    )
    .map_err(|e| match (e.kind(), choice) {
        (lofavor_core::ErrorKind::SecureStoreUnavailable, SecureStoreChoice::OsKeystore) => format!(
            "{e}\nThis machine has no usable OS keystore. Run with --secure-store insecure-file \
             (a stand-in file readable only by you) or --secure-store memory."
        ),
        _ => e.to_string(),
    })
}
