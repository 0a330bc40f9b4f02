//! Roadside assistance: the issuer of the roadside-assistance certificate.
//!
//! - [`keys`]: the ES256 issuer keys, kept in key files of their own (listed in the database)
//!   so certificates survive a restart, rotated before they run out; the previous keys stay in
//!   the trust list while certificates they signed may still be valid.
//! - [`records`]: each member's cover and the certificates issued (for the status lookup and
//!   revocation).
//!
//! The certificate itself is built and signed with the certificate codec the mobile core
//! verifies with (`lofavor_certificate`), so issuer and verifier share one definition.
//! Union membership is never read here: the certificate has no field for it.

pub(crate) mod keys;
pub(crate) mod records;

use crate::db::DbError;
use crate::keyfile::KeyFileError;

/// Why a roadside request failed on the server. The texts never carry personal data.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RoadsideError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A stored issuer key is damaged, or its key file holds another key than the database
    /// lists.
    #[error("a stored roadside issuer key is damaged")]
    BadKey,
    /// The key file of a key the database lists is missing.
    #[error("the key file of a roadside issuer key is missing")]
    KeyMissing,
    /// A key file could not be read or written.
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    /// The trust list could not be built.
    #[error("trust list: {0}")]
    Trust(#[from] lofavor_certificate::TrustError),
    /// The revocation list could not be signed.
    #[error("revocation list: {0}")]
    Revocation(#[from] lofavor_certificate::RevocationError),
    /// The certificate could not be issued from the stored cover.
    #[error("certificate: {0}")]
    Certificate(#[from] lofavor_certificate::CertificateError),
    /// A stored cover row is not usable (unknown product, bad date).
    #[error("a stored cover record is malformed")]
    BadCover,
    /// A time outside what the certificate encodes.
    #[error("time out of range")]
    Time,
}

impl From<rusqlite::Error> for RoadsideError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(DbError::Sqlite(e))
    }
}
