//! What the core tells about itself and about the member API's health.

use crate::config::Locale;

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
