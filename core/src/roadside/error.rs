//! What can go wrong between the roadside certificate and the app: fetching and keeping the
//! member's certificate, and the field worker's cached trust material. Converted to the
//! public error in `crate::error` only. The texts never carry a name, a registration, a
//! certificate id or any part of a payload.

use crate::net::{ApiError, NetError};
use crate::store::StoreError;

use super::certificate::{QrError, RevocationError, TrustError};

/// Why a roadside operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No certificate on this device, and the server could not be reached to fetch one.
    #[error("no certificate on this device yet; go online once to fetch it")]
    NoCertificateOffline,
    /// The member API says the member has no current roadside cover.
    #[error("the member has no current roadside cover")]
    NoCover,
    /// No trust list cached yet: the worker's app has never been online.
    #[error("no trust list yet; go online once")]
    NoTrustList,
    /// The text handed in is not a certificate payload.
    #[error("not a certificate payload: {0}")]
    NotAPayload(&'static str),
    /// The server sent a certificate that does not read as one, or whose id differs from
    /// the one it named.
    #[error("the server sent an unusable certificate: {0}")]
    BadCertificate(&'static str),
    /// The server answered a status the contract does not name.
    #[error("the server sent an unknown certificate status")]
    BadStatus,
    /// The trust list from the server does not load.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// The revocation list from the server does not load or is not signed by a trusted key.
    #[error(transparent)]
    Revocation(#[from] RevocationError),
    /// The payload does not fit a QR code.
    #[error(transparent)]
    Qr(#[from] QrError),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The member API failed (the worker's anonymous requests).
    #[error(transparent)]
    Net(#[from] NetError),
    /// A request on the member's behalf failed (no access token, the gate, the member API).
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl ServiceError {
    /// Whether the failure is "no network" (the server or the provider unreachable).
    pub(crate) fn is_offline(&self) -> bool {
        match self {
            ServiceError::Net(e) => matches!(e, NetError::Unreachable(_) | NetError::Timeout),
            ServiceError::Api(e) => e.is_offline(),
            _ => false,
        }
    }
}
