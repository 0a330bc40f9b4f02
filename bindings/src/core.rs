//! The core handle as a uniffi object.

use std::sync::Arc;

use crate::config::{AppLocale, CoreConfig};
use crate::error::LofavorError;
use crate::platform::{ForeignLogger, ForeignSecureStore, Logger, SecureStore};

/// Facts about the core and its store.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CoreInfo {
    /// Version of the core library.
    pub core_version: String,
    /// Schema version of the local database.
    pub schema_version: i64,
    /// The locale the core speaks.
    pub locale: AppLocale,
    /// Version of SQLCipher.
    pub cipher_version: String,
    /// Whether the database file is encrypted on disk (checked).
    pub database_encrypted: bool,
}

impl From<lofavor_core::CoreInfo> for CoreInfo {
    fn from(i: lofavor_core::CoreInfo) -> Self {
        Self {
            core_version: i.core_version,
            schema_version: i.schema_version,
            locale: i.locale.into(),
            cipher_version: i.cipher_version,
            database_encrypted: i.database_encrypted,
        }
    }
}

/// What the member API said about itself.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServerStatus {
    /// The service's name.
    pub service: String,
    /// The service's version.
    pub version: String,
    /// Whether its database answered.
    pub database_ok: bool,
    /// Time the check took, in milliseconds.
    pub round_trip_ms: u64,
}

impl From<lofavor_core::ServerStatus> for ServerStatus {
    fn from(s: lofavor_core::ServerStatus) -> Self {
        Self {
            service: s.service,
            version: s.version,
            database_ok: s.database_ok,
            round_trip_ms: s.round_trip_ms,
        }
    }
}

/// The open core. Create one per process and keep it; close it when the app ends.
#[derive(Debug, uniffi::Object)]
pub struct LofavorCore {
    pub(crate) inner: lofavor_core::Core,
}

#[uniffi::export]
impl LofavorCore {
    /// Opens the core. `secure_store` is required when the config chooses `ShellProvided`;
    /// `logger` receives the core's log lines.
    #[uniffi::constructor]
    pub fn new(
        config: CoreConfig,
        secure_store: Option<Arc<dyn SecureStore>>,
        logger: Option<Arc<dyn Logger>>,
    ) -> Result<Arc<Self>, LofavorError> {
        let platform = lofavor_core::platform::Platform {
            secure_store: secure_store.map(|s| {
                Arc::new(ForeignSecureStore(s)) as Arc<dyn lofavor_core::platform::SecureStore>
            }),
            logger: logger
                .map(|l| Arc::new(ForeignLogger(l)) as Arc<dyn lofavor_core::platform::Logger>),
        };
        let inner = lofavor_core::Core::open(config.into(), platform)?;
        Ok(Arc::new(Self { inner }))
    }

    /// Facts about the core and its store.
    pub fn info(&self) -> Result<CoreInfo, LofavorError> {
        Ok(self.inner.info()?.into())
    }

    /// Asks the member API whether it is up.
    pub async fn check_server(&self) -> Result<ServerStatus, LofavorError> {
        Ok(self.inner.check_server().await?.into())
    }
}
