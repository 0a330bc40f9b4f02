//! Services only the platform can give, as traits the shells implement.
//!
//! A shell registers its implementations once, when it opens the [`crate::Core`]. The mobile
//! shells implement these in Kotlin and Swift through the bindings (uniffi foreign traits);
//! the terminal shell uses the defaults here.
//!
//! **Re-entrancy.** The core may call a platform service while it holds internal locks
//! (for example, the database lock while it reads the database key). An implementation
//! must therefore never call back into the core from inside one of these methods; doing so
//! can deadlock. Do the work and return.

mod file_stand_in;
mod logging;
mod memory_stand_in;
mod os_keystore;

use std::sync::Arc;

pub use file_stand_in::InsecureFileStandInStore;
pub use logging::{LogLevel, Logger, StderrLogger, install_logger};
pub use memory_stand_in::MemoryStandInStore;
pub use os_keystore::OsKeystore;

/// Why a secure-store operation failed. Messages never contain a secret or its name's
/// owner; they say what the keystore did.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecureStoreError {
    /// No keystore is reachable here (none on this machine, locked, access denied).
    #[error("secure store unavailable: {0}")]
    Unavailable(String),
    /// The keystore answered, but the operation failed.
    #[error("secure store failed: {0}")]
    Failed(String),
}

/// A keystore for small secrets (keys, tokens), addressed by name.
///
/// Implementations must be safe to call from any thread, and must not call back into the
/// core (see the module documentation).
pub trait SecureStore: Send + Sync {
    /// The secret stored under `name`, or `None` if there is none.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecureStoreError>;
    /// Stores `secret` under `name`, replacing any earlier one.
    fn put(&self, name: &str, secret: &[u8]) -> Result<(), SecureStoreError>;
    /// Removes the secret under `name`; removing a missing secret is not an error.
    fn delete(&self, name: &str) -> Result<(), SecureStoreError>;
}

/// The platform services a shell hands to the core.
#[derive(Clone, Default)]
pub struct Platform {
    /// The shell's own secure store; required when the configuration says
    /// [`crate::SecureStoreChoice::ShellProvided`], refused otherwise.
    pub secure_store: Option<Arc<dyn SecureStore>>,
    /// Where the core's log lines go; `None` keeps whatever logger is installed (the
    /// desktop default writes to standard error).
    pub logger: Option<Arc<dyn Logger>>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform")
            .field("secure_store", &self.secure_store.is_some())
            .field("logger", &self.logger.is_some())
            .finish()
    }
}

/// Picks the secure store the configuration names; never falls back on its own.
pub(crate) fn choose_secure_store(
    choice: &crate::config::SecureStoreChoice,
    supplied: Option<Arc<dyn SecureStore>>,
) -> crate::Result<Arc<dyn SecureStore>> {
    use crate::config::ConfigError::SecureStoreMismatch;
    use crate::config::SecureStoreChoice;
    match (choice, supplied) {
        (SecureStoreChoice::ShellProvided, Some(store)) => Ok(store),
        (SecureStoreChoice::ShellProvided, None) => Err(SecureStoreMismatch(
            "the configuration expects a shell-provided secure store, but none was given",
        )
        .into()),
        (_, Some(_)) => Err(SecureStoreMismatch(
            "a secure store was given, but the configuration chose another; choose ShellProvided",
        )
        .into()),
        (SecureStoreChoice::OsKeystore, None) => Ok(Arc::new(OsKeystore::open()?)),
        (SecureStoreChoice::InsecureFileStandIn { path }, None) => {
            log::warn!(target: "lofavor_core", "using the insecure file stand-in for the keystore");
            Ok(Arc::new(InsecureFileStandInStore::new(path.clone())))
        }
        (SecureStoreChoice::MemoryStandIn, None) => Ok(Arc::new(MemoryStandInStore::new())),
    }
}
