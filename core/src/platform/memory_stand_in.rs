//! The test stand-in for a keystore: secrets in memory, gone with the process.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{SecureStore, SecureStoreError};

/// In-memory stand-in for the phone's keystore, for tests and headless CI where no OS
/// keystore exists. Chosen only by [`crate::SecureStoreChoice::MemoryStandIn`], never as a
/// fallback. Clones of the handle share nothing; keep one `Arc` to reopen a core with the
/// same secrets.
#[derive(Debug, Default)]
pub struct MemoryStandInStore {
    secrets: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemoryStandInStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, HashMap<String, Vec<u8>>>, SecureStoreError> {
        self.secrets
            .lock()
            .map_err(|_| SecureStoreError::Failed("memory stand-in lock poisoned".into()))
    }
}

impl SecureStore for MemoryStandInStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecureStoreError> {
        Ok(self.lock()?.get(name).cloned())
    }

    fn put(&self, name: &str, secret: &[u8]) -> Result<(), SecureStoreError> {
        self.lock()?.insert(name.to_owned(), secret.to_vec());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecureStoreError> {
        self.lock()?.remove(name);
        Ok(())
    }
}
