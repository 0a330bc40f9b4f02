//! Opening the core the way every command does: data directory, server, secure store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lofavor_core::platform::{Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};
use lofavor_server::{RunningServer, ServerConfig};
use serde::{Deserialize, Serialize};

use crate::args::{Args, SecureStoreArg};
use crate::error::{CliError, ShellKind};
use crate::secure_store;

/// The redirect the CLI registers (login uses a loopback port; see RFC 8252 §7.3).
const CLI_REDIRECT: &str = "http://127.0.0.1/callback";
/// The CLI's client id at the reference issuer.
const CLI_CLIENT_ID: &str = "lofavor-cli";

/// A member API to talk to: the one given by `--server`, or an embedded one.
pub struct Backend {
    /// Its base URL.
    pub base_url: String,
    /// The trust anchors to verify its trust list with: `--trust-anchor`, and the embedded
    /// server's own anchor (taken from the running server, never over the network).
    pub trust_anchors: Vec<String>,
    /// The embedded server, kept alive as long as this value.
    pub embedded: Option<RunningServer>,
}

impl Backend {
    /// Starts the embedded server unless `--server` was given.
    pub async fn start(args: &Args, data_dir: &Path) -> Result<Backend, CliError> {
        match &args.server {
            Some(url) => Ok(Backend {
                base_url: url.clone(),
                trust_anchors: server_anchors(args, data_dir)?,
                embedded: None,
            }),
            None => {
                let server = lofavor_server::start(ServerConfig::loopback(data_dir.join("server")))
                    .await
                    .map_err(|e| {
                        CliError::shell(
                            ShellKind::ServerStart,
                            format!("cannot start the embedded server: {e}"),
                        )
                    })?;
                let mut trust_anchors = vec![server.trust_anchor().to_owned()];
                trust_anchors.extend(args.trust_anchors.iter().cloned());
                Ok(Backend {
                    base_url: server.base_url(),
                    trust_anchors,
                    embedded: Some(server),
                })
            }
        }
    }
}

/// The trust anchors for `--server`: those `--trust-anchor` names, or else the anchor of the
/// reference server kept in this data directory (`<data-dir>/server`, what the embedded
/// server and `lofavor serve` use), read from its key file on this machine, never fetched.
fn server_anchors(args: &Args, data_dir: &Path) -> Result<Vec<String>, CliError> {
    if !args.trust_anchors.is_empty() {
        return Ok(args.trust_anchors.clone());
    }
    let local = lofavor_server::trust_anchor_in(&data_dir.join("server")).map_err(|e| {
        CliError::shell(
            ShellKind::ServerStart,
            format!("cannot read the local server's trust anchor: {e}"),
        )
    })?;
    Ok(local.into_iter().collect())
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
    pub fn remember(&self, data_dir: &Path) -> Result<(), CliError> {
        let failed = |e: std::io::Error| {
            CliError::shell(ShellKind::DataDir, format!("cannot write settings: {e}"))
        };
        std::fs::create_dir_all(data_dir).map_err(failed)?;
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(Self::file(data_dir), text).map_err(failed)
    }
}

/// The core's configuration for this run, with the remembered login settings (or the
/// backend's issuer).
pub fn config(
    args: &Args,
    data_dir: &Path,
    backend: &Backend,
    choice: SecureStoreChoice,
) -> Result<CoreConfig, CliError> {
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
) -> Result<CoreConfig, CliError> {
    Ok(CoreConfig {
        data_dir: secure_store::core_dir(data_dir),
        api_base_url: backend.base_url.clone(),
        oidc_issuer: login.issuer.clone(),
        oidc_client_id: login.client_id.clone(),
        redirect_uri: CLI_REDIRECT.into(),
        locale: locale(args)?,
        secure_store: choice,
        trust_anchors: backend.trust_anchors.clone(),
    })
}

/// The locale `--locale` names.
pub fn locale(args: &Args) -> Result<Locale, CliError> {
    Locale::from_tag(&args.locale).ok_or_else(|| {
        CliError::usage(format!(
            "unknown locale '{}': use nb, nn or en",
            args.locale
        ))
    })
}

/// The secure store to open `data_dir` with: `--secure-store`, else the one the directory
/// remembers, else `default` (see [`secure_store`]).
pub fn secure_store_for(
    args: &Args,
    data_dir: &Path,
    default: SecureStoreArg,
) -> Result<SecureStoreArg, CliError> {
    secure_store::resolve(args.secure_store, data_dir, default)
}

/// Opens the core of `data_dir` with its key in `store` (`config` says how to reach it;
/// `shared` is a store the shell hands over itself). Log lines go to the logger the shell
/// installed at start. Once it opened, the directory remembers `store`.
pub fn open_core(
    data_dir: &Path,
    store: SecureStoreArg,
    config: CoreConfig,
    shared: Option<Arc<dyn SecureStore>>,
) -> Result<Core, CliError> {
    let platform = Platform {
        secure_store: shared,
        logger: None,
    };
    match Core::open(config, platform) {
        Ok(core) => {
            // Not remembering only costs the next command its default; say so and go on.
            if let Err(e) = secure_store::remember(data_dir, store) {
                log::warn!(target: "lofavor", "{e}");
            }
            Ok(core)
        }
        Err(e) => {
            let hint = secure_store::hint_for(e.kind(), store);
            let error = CliError::from(e);
            Err(match hint {
                Some(hint) => error.with_hint(hint),
                None => error,
            })
        }
    }
}

/// The core as most commands open it: the data directory (`--data-dir` or the user's), the
/// member API (`--server` or an embedded one, kept alive in the returned [`Backend`]), the
/// remembered login settings, and the secure store `--secure-store` names, else the one the
/// directory remembers, else the OS keystore.
pub async fn open_for_command(args: &Args) -> Result<(Core, Backend), CliError> {
    let data_dir = args.data_dir.clone().unwrap_or_else(default_data_dir);
    let store = secure_store_for(args, &data_dir, SecureStoreArg::OsKeystore)?;
    let backend = Backend::start(args, &data_dir).await?;
    let choice = secure_store::choice(store, &data_dir);
    let core = open_core(
        &data_dir,
        store,
        config(args, &data_dir, &backend, choice)?,
        None,
    )?;
    Ok((core, backend))
}
