//! What the core tells about itself and about the member API's health.

use crate::config::Locale;
use crate::error::{Error, ErrorKind, Result};

/// What the core says about itself (for an about screen, the demo, and support).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreInfo {
    /// Version of the core library.
    pub core_version: String,
    /// Schema version of the local database.
    pub schema_version: i64,
    /// The locale the core speaks.
    pub locale: Locale,
    /// Version of SQLCipher behind the store.
    pub cipher_version: String,
    /// Whether the database file on disk is encrypted (checked, not assumed).
    pub database_encrypted: bool,
}

/// What the member API said when asked how it is.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Facts and health checks of the open core, beside its handle (which stays small).
impl crate::Core {
    /// Facts about this core and its store.
    pub fn info(&self) -> Result<CoreInfo> {
        Ok(CoreInfo {
            core_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version: self.store.schema_version(),
            locale: self.config.raw.locale,
            cipher_version: self.store.cipher_version()?,
            database_encrypted: self.store.is_encrypted_on_disk()?,
        })
    }

    /// Asks the member API whether it is up (`GET /health`).
    pub async fn check_server(&self) -> Result<ServerStatus> {
        let api = self.api.clone();
        self.runtime
            .run(async move {
                let (health, took) = api.health().await?;
                if health.status != "ok" {
                    return Err(Error::new(
                        ErrorKind::Server,
                        "the server reports it is not ok",
                    ));
                }
                Ok(ServerStatus {
                    service: health.service,
                    version: health.version,
                    database_ok: health.database,
                    round_trip_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
                })
            })
            .await
    }

    /// Panics on purpose, so the shells' tests can prove a panic reaches them as an
    /// exception and not as a crash. Only with the `test-hooks` feature.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn trigger_panic_for_tests(&self) {
        panic!("deliberate panic for the FFI tests");
    }

    /// Like [`Core::trigger_panic_for_tests`], inside a task on the core's runtime.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub async fn trigger_async_panic_for_tests(&self) -> Result<()> {
        self.runtime
            .run(async {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                panic!("deliberate panic in a core task for the FFI tests")
            })
            .await
    }
}
