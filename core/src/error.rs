//! The one public error of the core.
//!
//! Each capability has its own detailed error (thiserror) for use inside the crate. At the
//! edge of the crate they all become an [`Error`]: a stable, machine-readable [`ErrorKind`]
//! and a short reason written for a developer. The conversions live here and only here, so
//! what the shells can see is decided in one place.
//!
//! No reason ever carries personal data: names, national identity numbers, tokens,
//! coordinates, or the content of a member's records. Internal errors are written so that
//! their `Display` is safe; reasons built here never format a value that came from a member.

use crate::consent::ConsentError;
use crate::net::{ApiError, NetError};
use crate::platform::SecureStoreError;
use crate::roadside::ServiceError;
use crate::roadside::certificate::{CertificateError, QrError, RevocationError, TrustError};
use crate::roadside::location::LocationError;
use crate::store::StoreError;

/// A result whose error is the core's public [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in a form a shell can switch on. The names are stable: shells and
/// tests match on them, and `as_str` is what the terminal shell prints with `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The configuration handed to the core is unusable (bad URL, empty client id, ...).
    InvalidConfig,
    /// The secure store (keystore) could not be reached or refused the operation.
    SecureStoreUnavailable,
    /// The local database exists but its key is gone from the secure store. The data is
    /// kept untouched; only an explicit reset may remove it.
    DatabaseKeyMissing,
    /// The key in the secure store is not the key the local database was created with.
    DatabaseWrongKey,
    /// The local database file is damaged and cannot be read.
    DatabaseCorrupt,
    /// The local database was written by a newer version of the app.
    DatabaseTooNew,
    /// Another process kept the data directory busy (opening it) for longer than the core
    /// waits; nothing was changed. Try again.
    DataDirectoryBusy,
    /// Any other local storage failure (disk full, permissions, ...).
    Storage,
    /// The server could not be reached, or did not answer in time.
    Network,
    /// The server answered with an error status.
    Server,
    /// The server answered something that does not follow the contract.
    Protocol,
    /// The member cancelled the login at the provider.
    LoginCancelled,
    /// The login's redirect cannot be trusted or is stale: unknown or reused state, expired
    /// login, wrong issuer, invalid ID token. Start the login again.
    LoginInvalid,
    /// The provider refused the login or its code.
    LoginRejected,
    /// Nobody is logged in: log in first.
    NotLoggedIn,
    /// The provider ended the session (revoked, expired, or a replayed refresh token);
    /// the member must log in again. The device has already forgotten the session.
    SessionEnded,
    /// Logging out now would lose local changes not yet synced; sync first or force it.
    UnsyncedChanges,
    /// Input handed to the core is unusable (a location fix out of range, a payload that
    /// is not a certificate, a camera frame of the wrong size).
    InvalidInput,
    /// No roadside certificate to show: none on the device and none could be fetched (offline
    /// on first use, or the member has no current cover).
    CertificateUnavailable,
    /// No trust list cached yet to check certificates against: go online once.
    TrustListMissing,
    /// The member's consents do not allow this transfer of their data; nothing was sent.
    ConsentRequired,
    /// Sharing with a partner reveals union membership: the member's explicit second
    /// confirmation is needed, and nothing was recorded without it.
    ExplicitConfirmationRequired,
    /// No such consent purpose, partner, offer or order preview.
    NotFound,
    /// The server refused a consent decision (a notice version or text it does not know, a
    /// decision id already used); it does not count.
    DecisionRefused,
    /// A signed document (consent catalogue, receipt) does not verify, or the consent history
    /// on the device was altered. The previous catalogue is kept.
    Tampered,
    /// Too late: an order preview expired before the member confirmed it; nothing was sent.
    Expired,
    /// A bug in the core: a panic or a broken invariant. Reported, never hidden.
    Internal,
}

impl ErrorKind {
    /// The stable snake_case name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidConfig => "invalid_config",
            ErrorKind::SecureStoreUnavailable => "secure_store_unavailable",
            ErrorKind::DatabaseKeyMissing => "database_key_missing",
            ErrorKind::DatabaseWrongKey => "database_wrong_key",
            ErrorKind::DatabaseCorrupt => "database_corrupt",
            ErrorKind::DatabaseTooNew => "database_too_new",
            ErrorKind::DataDirectoryBusy => "data_directory_busy",
            ErrorKind::Storage => "storage",
            ErrorKind::Network => "network",
            ErrorKind::Server => "server",
            ErrorKind::Protocol => "protocol",
            ErrorKind::LoginCancelled => "login_cancelled",
            ErrorKind::LoginInvalid => "login_invalid",
            ErrorKind::LoginRejected => "login_rejected",
            ErrorKind::NotLoggedIn => "not_logged_in",
            ErrorKind::SessionEnded => "session_ended",
            ErrorKind::UnsyncedChanges => "unsynced_changes",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::CertificateUnavailable => "certificate_unavailable",
            ErrorKind::TrustListMissing => "trust_list_missing",
            ErrorKind::ConsentRequired => "consent_required",
            ErrorKind::ExplicitConfirmationRequired => "explicit_confirmation_required",
            ErrorKind::NotFound => "not_found",
            ErrorKind::DecisionRefused => "decision_refused",
            ErrorKind::Tampered => "tampered",
            ErrorKind::Expired => "expired",
            ErrorKind::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The core's public error: a kind and a short reason free of personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {reason}")]
pub struct Error {
    kind: ErrorKind,
    reason: String,
}

impl Error {
    /// An error of `kind` with a reason. The reason must not contain personal data.
    pub(crate) fn new(kind: ErrorKind, reason: impl Into<String>) -> Self {
        Self {
            kind,
            reason: reason.into(),
        }
    }

    /// The machine-readable kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// A short explanation for a developer; safe to log.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Self {
        Error::new(ErrorKind::InvalidConfig, e.to_string())
    }
}

impl From<SecureStoreError> for Error {
    fn from(e: SecureStoreError) -> Self {
        Error::new(ErrorKind::SecureStoreUnavailable, e.to_string())
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        let reason = e.to_string();
        Error::from_store(&e, reason)
    }
}

impl Error {
    /// The kind of a store failure, with `reason`.
    fn from_store(e: &StoreError, reason: String) -> Self {
        let kind = match e {
            StoreError::KeyMissing => ErrorKind::DatabaseKeyMissing,
            StoreError::WrongKey => ErrorKind::DatabaseWrongKey,
            StoreError::Corrupt
            | StoreError::KeyMalformed
            | StoreError::HeaderMissing
            | StoreError::HeaderMalformed => ErrorKind::DatabaseCorrupt,
            StoreError::TooNew { .. } => ErrorKind::DatabaseTooNew,
            StoreError::Busy => ErrorKind::DataDirectoryBusy,
            StoreError::SecureStore(_) => ErrorKind::SecureStoreUnavailable,
            StoreError::Io(_) | StoreError::Sqlite(_) | StoreError::Migration { .. } => {
                ErrorKind::Storage
            }
            StoreError::Poisoned | StoreError::NoRandomness | StoreError::SchemaGap { .. } => {
                ErrorKind::Internal
            }
        };
        Error::new(kind, reason)
    }
}

impl From<crate::auth::AuthError> for Error {
    fn from(e: crate::auth::AuthError) -> Self {
        use crate::auth::AuthError as A;
        let kind = match &e {
            A::Cancelled => ErrorKind::LoginCancelled,
            A::UnknownState
            | A::Expired
            | A::IssuerMismatch
            | A::MalformedRedirect(_)
            | A::IdTokenInvalid(_) => ErrorKind::LoginInvalid,
            A::ProviderRefused { .. } | A::CodeRefused { .. } | A::RefreshRefused { .. } => {
                ErrorKind::LoginRejected
            }
            A::NotLoggedIn => ErrorKind::NotLoggedIn,
            A::SessionEnded => ErrorKind::SessionEnded,
            A::UnsyncedChanges { .. } => ErrorKind::UnsyncedChanges,
            A::Unreachable => ErrorKind::Network,
            A::BadMetadata | A::ProfileMismatch | A::TokenResponseInvalid(_) => ErrorKind::Protocol,
            A::Store(inner) => return Error::from_store(inner, e.to_string()),
            A::SecureStore(_) => ErrorKind::SecureStoreUnavailable,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<NetError> for Error {
    fn from(e: NetError) -> Self {
        let kind = match &e {
            NetError::Unreachable(_) | NetError::Timeout => ErrorKind::Network,
            NetError::Status { .. } => ErrorKind::Server,
            NetError::Decode(_) | NetError::BadUrl(_) => ErrorKind::Protocol,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        match e {
            // Already classified by the login capability.
            ApiError::NoToken(e) => e,
            ApiError::Net(e) => e.into(),
            ApiError::NotPermitted(_) => Error::new(ErrorKind::ConsentRequired, e.to_string()),
        }
    }
}

impl From<CertificateError> for Error {
    fn from(e: CertificateError) -> Self {
        let kind = match e {
            CertificateError::Encoding => ErrorKind::Internal,
            _ => ErrorKind::InvalidInput,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<TrustError> for Error {
    fn from(e: TrustError) -> Self {
        // A trust list comes from the member API: one that does not load breaks the contract.
        Error::new(ErrorKind::Protocol, e.to_string())
    }
}

impl From<RevocationError> for Error {
    fn from(e: RevocationError) -> Self {
        Error::new(ErrorKind::Protocol, e.to_string())
    }
}

impl From<QrError> for Error {
    fn from(e: QrError) -> Self {
        let kind = match e {
            QrError::Png => ErrorKind::Internal,
            _ => ErrorKind::InvalidInput,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<LocationError> for Error {
    fn from(e: LocationError) -> Self {
        Error::new(ErrorKind::InvalidInput, e.to_string())
    }
}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        let kind = match e {
            ServiceError::NoCertificateOffline | ServiceError::NoCover => {
                ErrorKind::CertificateUnavailable
            }
            ServiceError::NoTrustList => ErrorKind::TrustListMissing,
            ServiceError::NotAPayload(_) => ErrorKind::InvalidInput,
            ServiceError::BadCertificate(_) | ServiceError::BadStatus => ErrorKind::Protocol,
            ServiceError::Trust(e) => return e.into(),
            ServiceError::Revocation(e) => return e.into(),
            ServiceError::Qr(e) => return e.into(),
            ServiceError::Store(e) => return e.into(),
            ServiceError::Net(e) => return e.into(),
            ServiceError::Api(e) => return e.into(),
        };
        Error::new(kind, e.to_string())
    }
}

impl From<ConsentError> for Error {
    fn from(e: ConsentError) -> Self {
        let kind = match &e {
            ConsentError::BadCatalogue(_)
            | ConsentError::BadReceipt(_)
            | ConsentError::LedgerBroken => ErrorKind::Tampered,
            ConsentError::UnknownPurpose
            | ConsentError::UnknownOffer
            | ConsentError::UnknownPreview => ErrorKind::NotFound,
            ConsentError::ExplicitConfirmationRequired => ErrorKind::ExplicitConfirmationRequired,
            ConsentError::InvalidDecision | ConsentError::InvalidInput(_) => {
                ErrorKind::InvalidInput
            }
            ConsentError::DecisionRefused(_) => ErrorKind::DecisionRefused,
            ConsentError::NoMember => ErrorKind::NotLoggedIn,
            ConsentError::PreviewExpired => ErrorKind::Expired,
            ConsentError::MissingField | ConsentError::Protocol(_) => ErrorKind::Protocol,
            ConsentError::Store(inner) => return Error::from_store(inner, e.to_string()),
            ConsentError::Api(_) => match e {
                ConsentError::Api(api) => return api.into(),
                _ => ErrorKind::Internal,
            },
        };
        Error::new(kind, e.to_string())
    }
}

impl From<crate::inventory::InventoryError> for Error {
    fn from(e: crate::inventory::InventoryError) -> Self {
        use crate::inventory::InventoryError as I;
        use lofavor_photo::PhotoError as P;
        let kind = match &e {
            I::NotFound => ErrorKind::NotFound,
            I::InvalidInput(_) => ErrorKind::InvalidInput,
            I::Photo(P::Sealed) => ErrorKind::Tampered,
            I::Photo(P::Encode(_)) => ErrorKind::Internal,
            I::Photo(_) => ErrorKind::InvalidInput,
            I::File(_) => ErrorKind::Storage,
            // Wrong passphrase and altered file are one answer: the cipher cannot tell them
            // apart, and saying which would help a guesser.
            I::Backup(_) => ErrorKind::Tampered,
            I::SessionEnded => ErrorKind::SessionEnded,
            I::SecureStore(_) => ErrorKind::SecureStoreUnavailable,
            I::Store(inner) => return Error::from_store(inner, e.to_string()),
        };
        Error::new(kind, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_stable_snake_case() {
        for kind in [
            ErrorKind::InvalidConfig,
            ErrorKind::DatabaseWrongKey,
            ErrorKind::Network,
            ErrorKind::Internal,
        ] {
            let name = kind.as_str();
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
        assert_eq!(ErrorKind::DatabaseWrongKey.as_str(), "database_wrong_key");
    }

    #[test]
    fn store_errors_keep_their_meaning_at_the_edge() {
        assert_eq!(
            Error::from(StoreError::WrongKey).kind(),
            ErrorKind::DatabaseWrongKey
        );
        assert_eq!(
            Error::from(StoreError::Corrupt).kind(),
            ErrorKind::DatabaseCorrupt
        );
        assert_eq!(
            Error::from(StoreError::KeyMissing).kind(),
            ErrorKind::DatabaseKeyMissing
        );
        assert_eq!(
            Error::from(StoreError::Busy).kind(),
            ErrorKind::DataDirectoryBusy
        );
        assert_eq!(ErrorKind::DataDirectoryBusy.as_str(), "data_directory_busy");
        assert_eq!(Error::from(NetError::Timeout).kind(), ErrorKind::Network);
        assert_eq!(
            Error::from(NetError::Status { status: 503 }).kind(),
            ErrorKind::Server
        );
    }

    #[test]
    fn roadside_errors_have_their_kinds() {
        assert_eq!(
            Error::from(ServiceError::NoTrustList).kind(),
            ErrorKind::TrustListMissing
        );
        assert_eq!(
            Error::from(ServiceError::NoCertificateOffline).kind(),
            ErrorKind::CertificateUnavailable
        );
        assert_eq!(
            Error::from(ServiceError::Net(NetError::Timeout)).kind(),
            ErrorKind::Network
        );
        assert_eq!(
            Error::from(LocationError::LatitudeOutOfRange).kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            Error::from(RevocationError::Untrusted).kind(),
            ErrorKind::Protocol
        );
        assert_eq!(
            Error::from(QrError::NotAlphanumeric).kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(ErrorKind::TrustListMissing.as_str(), "trust_list_missing");
    }
}
