//! Opening the core the way every command does: data directory, server, secure store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lofavor_core::platform::{Platform, SecureStore, StderrLogger};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};
use lofavor_server::{RunningServer, ServerConfig};
use serde::{Deserialize, Serialize};

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

/// Which issuer and client the CLI logs in with, remembered from the last `login` so that
/// `whoami` and `logout` speak to the same issuer. Not secret, not personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginSettings {
    /// The OpenID issuer.
    pub issuer: String,
    /// This app's client id there.
    pub client_id: String,
}

impl LoginSettings {
    /// The file they are remembered in.
    fn file(data_dir: &Path) -> PathBuf {
        data_dir.join("login.json")
    }

    /// The member API's own development issuer (`<server>/oidc`).
    pub fn of_backend(backend: &Backend) -> Self {
        Self {
            issuer: format!("{}oidc", backend.base_url),
            client_id: CLI_CLIENT_ID.into(),
        }
    }

    /// The settings of the last login in `data_dir`, if any.
    pub fn remembered(data_dir: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(Self::file(data_dir)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Remembers these settings in `data_dir`.
    pub fn remember(&self, data_dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(data_dir).map_err(|e| format!("cannot write settings: {e}"))?;
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(Self::file(data_dir), text)
            .map_err(|e| format!("cannot write settings: {e}"))
    }
}

/// The core's configuration for this run, with the remembered login settings (or the
/// backend's issuer).
pub fn config(
    args: &Args,
    data_dir: &Path,
    backend: &Backend,
    choice: SecureStoreChoice,
) -> Result<CoreConfig, String> {
    let login =
        LoginSettings::remembered(data_dir).unwrap_or_else(|| LoginSettings::of_backend(backend));
    config_for_login(args, data_dir, backend, choice, &login)
}

/// The core's configuration for this run, logging in with `login`.
pub fn config_for_login(
    args: &Args,
    data_dir: &Path,
    backend: &Backend,
    choice: SecureStoreChoice,
    login: &LoginSettings,
) -> Result<CoreConfig, String> {
    let locale = Locale::from_tag(&args.locale)
        .ok_or_else(|| format!("unknown locale '{}': use nb, nn or en", args.locale))?;
    Ok(CoreConfig {
        data_dir: data_dir.join("core"),
        api_base_url: backend.base_url.clone(),
        oidc_issuer: login.issuer.clone(),
        oidc_client_id: login.client_id.clone(),
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

/// The core as most commands open it: the data directory (`--data-dir` or the user's), the
/// member API (`--server` or an embedded one, kept alive in the returned [`Backend`]), the
/// remembered login settings and the OS keystore unless `--secure-store` says otherwise.
pub async fn open_for_command(args: &Args) -> Result<(Core, Backend), String> {
    let data_dir = args.data_dir.clone().unwrap_or_else(default_data_dir);
    let backend = Backend::start(args, &data_dir).await?;
    let choice = secure_store_choice(args, &data_dir, SecureStoreArg::OsKeystore);
    let core = open_core(config(args, &data_dir, &backend, choice)?, None)?;
    Ok((core, backend))
}
