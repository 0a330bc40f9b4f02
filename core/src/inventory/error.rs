//! What can go wrong in the inventory. Converted to the public error in `crate::error` only.
//! Texts never carry an item's name, notes, a serial number or a photo's content.

use crate::platform::SecureStoreError;
use crate::store::StoreError;

/// Why an inventory operation failed.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    /// No item, room or photo with this id.
    #[error("no such item, room or photo")]
    NotFound,
    /// Input that cannot be used.
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    /// The photo was refused (too large, not an image, damaged, ...).
    #[error(transparent)]
    Photo(#[from] lofavor_photo::PhotoError),
    /// Reading or writing a photo file failed.
    #[error("photo file: {0}")]
    File(String),
    /// A backup file that cannot be restored: not a backup, the wrong passphrase, altered,
    /// cut short, or from a newer app.
    #[error("backup: {0}")]
    Backup(&'static str),
    /// The member's data was erased (the session ended) while this work ran; it stopped
    /// without writing.
    #[error("the session ended while this ran")]
    SessionEnded,
    /// The photo key is unavailable.
    #[error(transparent)]
    SecureStore(#[from] SecureStoreError),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for InventoryError {
    fn from(e: rusqlite::Error) -> Self {
        InventoryError::Store(StoreError::from(e))
    }
}

impl From<std::io::Error> for InventoryError {
    fn from(e: std::io::Error) -> Self {
        // The kind only: an io::Error's text may hold a path with a member's words in it.
        InventoryError::File(format!("{:?}", e.kind()))
    }
}
