//! Issuing a certificate: what the member API server does with its signing key.

use std::time::SystemTime;

use p256::ecdsa::SigningKey;

use super::claims::{self, CertificateClaims};
use super::cose;
use super::error::CertificateError;
use super::payload;
use super::qr::MAX_QR_PAYLOAD_CHARS;
use super::time::checked_unix_seconds;

/// Signs `claims` valid from `issued_at` to `expires_at` and returns the payload text for the
/// QR code (`VH1:` + Base45).
///
/// Refuses a validity longer than [`claims::MAX_VALIDITY`] (30 days), an empty one, and one
/// that ends after the cover does, and a certificate too large for a version 11 QR code
/// ([`CertificateError::TooLarge`]). Times are truncated to whole seconds.
pub fn issue(
    claims: &CertificateClaims,
    key: &SigningKey,
    issued_at: SystemTime,
    expires_at: SystemTime,
) -> Result<String, CertificateError> {
    let iat = checked_unix_seconds(issued_at).ok_or(CertificateError::TimeOutOfRange)?;
    let exp = checked_unix_seconds(expires_at).ok_or(CertificateError::TimeOutOfRange)?;
    let cover_end = claims
        .cover
        .ends_at()
        .and_then(checked_unix_seconds)
        .ok_or(CertificateError::TimeOutOfRange)?;
    if exp > cover_end {
        return Err(CertificateError::InvalidValidity(
            "certificate outlives the cover",
        ));
    }
    let cwt = claims::encode(claims, iat, exp)?;
    let cose = cose::sign(cwt, key, None).map_err(|_| CertificateError::Encoding)?;
    let text = payload::encode(&cose);
    if text.len() > MAX_QR_PAYLOAD_CHARS {
        return Err(CertificateError::TooLarge);
    }
    Ok(text)
}
