//! Wire types of the roadside endpoints of the member API, as `server/openapi.yaml` describes
//! them.

use serde::Deserialize;

/// The API path that issues the member's certificate (`POST`).
pub(crate) const CERTIFICATE_PATH: &str = "v1/roadside/certificate";
/// The API path of the trust list (`GET`, CBOR).
pub(crate) const TRUST_LIST_PATH: &str = "v1/roadside/trust-list";
/// The API path of the signed revocation list (`GET`, COSE).
pub(crate) const REVOCATIONS_PATH: &str = "v1/roadside/revocations";

/// The status lookup path of certificate `id_hex`.
pub(crate) fn status_path(id_hex: &str) -> String {
    format!("v1/roadside/certificates/{id_hex}/status")
}

/// `POST /v1/roadside/certificate`. The cover is also inside the payload, which is what the
/// app reads; only the payload, the id and the expiry are kept.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct IssuedCertificate {
    /// The QR code's text.
    pub(crate) payload: String,
    /// The certificate id, 16 hex digits.
    pub(crate) certificate_id: String,
    /// Unix seconds.
    pub(crate) expires_at: i64,
}

impl std::fmt::Debug for IssuedCertificate {
    // The payload holds the member's name: not for a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCertificate").finish_non_exhaustive()
    }
}

/// `GET /v1/roadside/certificates/{id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct StatusResponse {
    /// `valid`, `revoked` or `unknown`.
    pub(crate) status: String,
}
