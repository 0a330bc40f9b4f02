//! The store header: a small plain file beside the database that holds nothing secret.
//!
//! It names the installation (so secrets of two data directories on one desktop never
//! collide in the OS keystore) and carries the key check value (so a wrong key is told
//! apart from a corrupt file). It is written atomically, before the database is created,
//! so a process killed at any point of a first open leaves something the next open can
//! finish.

use std::fs;
use std::io::Write;
use std::path::Path;

use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::StoreError;

/// The file name of the header inside the data directory.
pub(crate) const HEADER_FILE: &str = "store-header.json";

/// What the header holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoreHeader {
    /// Format of this file.
    pub(crate) format: u32,
    /// Random id of this installation's data directory.
    pub(crate) installation_id: String,
    /// [`super::key::DatabaseKey::check_value`] of the database key.
    pub(crate) key_check: String,
}

impl StoreHeader {
    /// A header for a new installation.
    pub(crate) fn new(key_check: String) -> Self {
        let mut id = [0u8; 16];
        rand::rng().fill_bytes(&mut id);
        Self {
            format: 1,
            installation_id: hex::encode(id),
            key_check,
        }
    }

    /// The secure-store name of this installation's database key.
    pub(crate) fn key_secret_name(&self) -> String {
        format!("db-key.{}", self.installation_id)
    }

    /// Reads the header in `dir`, `None` if there is none.
    pub(crate) fn read(dir: &Path) -> Result<Option<Self>, StoreError> {
        match fs::read(dir.join(HEADER_FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|_| StoreError::HeaderMalformed),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes the header to `dir` atomically: a new temporary file with a unique name,
    /// created exclusively (never through a planted link), fsync, rename.
    pub(crate) fn write(&self, dir: &Path) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|_| StoreError::HeaderMalformed)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".store-header.")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(&bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(dir.join(HEADER_FILE)).map_err(|e| e.error)?;
        Ok(())
    }
}
