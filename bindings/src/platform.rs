//! The platform services as foreign traits, and adapters onto the core's traits.
//!
//! Implementations must not call back into the core from inside a method: the core may
//! hold a lock while it waits (see `lofavor_core::platform`).

use std::sync::Arc;

/// Why the shell's secure store failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum SecureStoreError {
    /// No keystore is reachable (locked device, access denied).
    #[error("unavailable: {reason}")]
    Unavailable {
        /// What the keystore said, without the secret.
        reason: String,
    },
    /// The keystore answered, but the operation failed.
    #[error("failed: {reason}")]
    Failed {
        /// What the keystore said, without the secret.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for SecureStoreError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        // A foreign exception the shell did not declare: keep the kind, not its text,
        // which could quote anything.
        let _ = e;
        Self::Failed {
            reason: "the shell's secure store threw an unexpected exception".into(),
        }
    }
}

impl From<SecureStoreError> for lofavor_core::platform::SecureStoreError {
    fn from(e: SecureStoreError) -> Self {
        match e {
            SecureStoreError::Unavailable { reason } => Self::Unavailable(reason),
            SecureStoreError::Failed { reason } => Self::Failed(reason),
        }
    }
}

/// A keystore the shell implements (iOS Keychain, Android Keystore-backed storage).
#[uniffi::export(foreign)]
pub trait SecureStore: Send + Sync {
    /// The secret stored under `name`, or null.
    fn get(&self, name: String) -> Result<Option<Vec<u8>>, SecureStoreError>;
    /// Stores `secret` under `name`, replacing any earlier one.
    fn put(&self, name: String, secret: Vec<u8>) -> Result<(), SecureStoreError>;
    /// Removes the secret under `name`; a missing one is not an error.
    fn delete(&self, name: String) -> Result<(), SecureStoreError>;
}

/// How serious a log line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something unexpected the core recovered from.
    Warn,
    /// A milestone.
    Info,
    /// Developer detail.
    Debug,
}

impl From<lofavor_core::platform::LogLevel> for LogLevel {
    fn from(l: lofavor_core::platform::LogLevel) -> Self {
        use lofavor_core::platform::LogLevel as Core;
        match l {
            Core::Error => Self::Error,
            Core::Warn => Self::Warn,
            Core::Info => Self::Info,
            Core::Debug => Self::Debug,
        }
    }
}

/// The platform log (Logcat, os_log). Must not throw.
#[uniffi::export(foreign)]
pub trait Logger: Send + Sync {
    /// Writes one line; lines never contain personal data.
    fn log(&self, level: LogLevel, target: String, message: String);
}

/// The shell's secure store seen through the core's trait.
pub(crate) struct ForeignSecureStore(pub(crate) Arc<dyn SecureStore>);

impl lofavor_core::platform::SecureStore for ForeignSecureStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, lofavor_core::platform::SecureStoreError> {
        Ok(self.0.get(name.to_owned())?)
    }

    fn put(
        &self,
        name: &str,
        secret: &[u8],
    ) -> Result<(), lofavor_core::platform::SecureStoreError> {
        Ok(self.0.put(name.to_owned(), secret.to_vec())?)
    }

    fn delete(&self, name: &str) -> Result<(), lofavor_core::platform::SecureStoreError> {
        Ok(self.0.delete(name.to_owned())?)
    }
}

/// The shell's logger seen through the core's trait.
pub(crate) struct ForeignLogger(pub(crate) Arc<dyn Logger>);

impl lofavor_core::platform::Logger for ForeignLogger {
    fn log(&self, level: lofavor_core::platform::LogLevel, target: &str, message: &str) {
        self.0
            .log(level.into(), target.to_owned(), message.to_owned());
    }
}
