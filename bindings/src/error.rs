//! The one exported error: a variant per stable kind, each with a short reason.

use lofavor_core::ErrorKind;

/// Every failure of a core call. The variant is the stable, machine-readable kind; the
/// reason is for developers and never carries personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum LofavorError {
    /// The configuration is unusable.
    #[error("invalid config: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },
    /// The secure store could not be reached or refused.
    #[error("secure store unavailable: {reason}")]
    SecureStoreUnavailable {
        /// What is wrong.
        reason: String,
    },
    /// The database exists but its key is gone; the data was left untouched.
    #[error("database key missing: {reason}")]
    DatabaseKeyMissing {
        /// What is wrong.
        reason: String,
    },
    /// The key does not open the database.
    #[error("database wrong key: {reason}")]
    DatabaseWrongKey {
        /// What is wrong.
        reason: String,
    },
    /// The database file is damaged.
    #[error("database corrupt: {reason}")]
    DatabaseCorrupt {
        /// What is wrong.
        reason: String,
    },
    /// The database was written by a newer app.
    #[error("database too new: {reason}")]
    DatabaseTooNew {
        /// What is wrong.
        reason: String,
    },
    /// Another process kept the data directory busy; nothing was changed. Try again.
    #[error("data directory busy: {reason}")]
    DataDirectoryBusy {
        /// What is wrong.
        reason: String,
    },
    /// Another local storage failure.
    #[error("storage: {reason}")]
    Storage {
        /// What is wrong.
        reason: String,
    },
    /// The server could not be reached in time.
    #[error("network: {reason}")]
    Network {
        /// What is wrong.
        reason: String,
    },
    /// The server answered with an error.
    #[error("server: {reason}")]
    Server {
        /// What is wrong.
        reason: String,
    },
    /// The server's answer does not follow the contract.
    #[error("protocol: {reason}")]
    Protocol {
        /// What is wrong.
        reason: String,
    },
    /// The member cancelled the login.
    #[error("login cancelled: {reason}")]
    LoginCancelled {
        /// What happened.
        reason: String,
    },
    /// The login's redirect cannot be trusted or is stale; start again.
    #[error("login invalid: {reason}")]
    LoginInvalid {
        /// What is wrong.
        reason: String,
    },
    /// The provider refused the login.
    #[error("login rejected: {reason}")]
    LoginRejected {
        /// What the provider said (an OAuth error code).
        reason: String,
    },
    /// Nobody is logged in.
    #[error("not logged in: {reason}")]
    NotLoggedIn {
        /// What is wrong.
        reason: String,
    },
    /// The provider ended the session; log in again.
    #[error("session ended: {reason}")]
    SessionEnded {
        /// What happened.
        reason: String,
    },
    /// Logout would lose changes not yet synced; sync first or force it.
    #[error("unsynced changes: {reason}")]
    UnsyncedChanges {
        /// What is at stake.
        reason: String,
    },
    /// Input handed to the core is unusable (a location fix out of range, a text that is
    /// not a certificate payload).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What is wrong.
        reason: String,
    },
    /// No roadside certificate to show: none on the device and none could be fetched.
    #[error("certificate unavailable: {reason}")]
    CertificateUnavailable {
        /// What is wrong.
        reason: String,
    },
    /// No trust list cached yet to check certificates against: go online once.
    #[error("trust list missing: {reason}")]
    TrustListMissing {
        /// What is wrong.
        reason: String,
    },
    /// The member's consents do not allow this transfer of their data; nothing was sent.
    #[error("consent required: {reason}")]
    ConsentRequired {
        /// What is wrong.
        reason: String,
    },
    /// Sharing with a partner needs the member's explicit second confirmation; nothing was
    /// recorded.
    #[error("explicit confirmation required: {reason}")]
    ExplicitConfirmationRequired {
        /// What is wrong.
        reason: String,
    },
    /// No such purpose, partner, offer or order preview.
    #[error("not found: {reason}")]
    NotFound {
        /// What is wrong.
        reason: String,
    },
    /// The server refused a consent decision; it does not count.
    #[error("decision refused: {reason}")]
    DecisionRefused {
        /// What is wrong.
        reason: String,
    },
    /// A consent catalogue or receipt does not verify, or the consent history was altered.
    #[error("tampered: {reason}")]
    Tampered {
        /// What is wrong.
        reason: String,
    },
    /// An order preview expired before it was confirmed; nothing was sent.
    #[error("expired: {reason}")]
    Expired {
        /// What is wrong.
        reason: String,
    },
    /// A bug in the core.
    #[error("internal: {reason}")]
    Internal {
        /// What is wrong.
        reason: String,
    },
}

impl From<lofavor_core::Error> for LofavorError {
    fn from(e: lofavor_core::Error) -> Self {
        let reason = e.reason().to_owned();
        match e.kind() {
            ErrorKind::InvalidConfig => Self::InvalidConfig { reason },
            ErrorKind::SecureStoreUnavailable => Self::SecureStoreUnavailable { reason },
            ErrorKind::DatabaseKeyMissing => Self::DatabaseKeyMissing { reason },
            ErrorKind::DatabaseWrongKey => Self::DatabaseWrongKey { reason },
            ErrorKind::DatabaseCorrupt => Self::DatabaseCorrupt { reason },
            ErrorKind::DatabaseTooNew => Self::DatabaseTooNew { reason },
            ErrorKind::DataDirectoryBusy => Self::DataDirectoryBusy { reason },
            ErrorKind::Storage => Self::Storage { reason },
            ErrorKind::Network => Self::Network { reason },
            ErrorKind::Server => Self::Server { reason },
            ErrorKind::Protocol => Self::Protocol { reason },
            ErrorKind::LoginCancelled => Self::LoginCancelled { reason },
            ErrorKind::LoginInvalid => Self::LoginInvalid { reason },
            ErrorKind::LoginRejected => Self::LoginRejected { reason },
            ErrorKind::NotLoggedIn => Self::NotLoggedIn { reason },
            ErrorKind::SessionEnded => Self::SessionEnded { reason },
            ErrorKind::UnsyncedChanges => Self::UnsyncedChanges { reason },
            ErrorKind::InvalidInput => Self::InvalidInput { reason },
            ErrorKind::CertificateUnavailable => Self::CertificateUnavailable { reason },
            ErrorKind::TrustListMissing => Self::TrustListMissing { reason },
            ErrorKind::ConsentRequired => Self::ConsentRequired { reason },
            ErrorKind::ExplicitConfirmationRequired => {
                Self::ExplicitConfirmationRequired { reason }
            }
            ErrorKind::NotFound => Self::NotFound { reason },
            ErrorKind::DecisionRefused => Self::DecisionRefused { reason },
            ErrorKind::Tampered => Self::Tampered { reason },
            ErrorKind::Expired => Self::Expired { reason },
            ErrorKind::Internal => Self::Internal { reason },
        }
    }
}
