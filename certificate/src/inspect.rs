//! Reading a certificate without checking its signature: for the member's own app, which got
//! the payload from its own server over an authenticated connection and only shows it, and
//! for the online status lookup, which needs the id. Never a substitute for [`super::verify`].

use std::time::SystemTime;

use super::claims::{self, CertificateClaims};
use super::cose;
use super::payload;
use super::time::checked_from_unix_seconds;

/// A certificate's claims and validity times, as read (not verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// The claims.
    pub claims: CertificateClaims,
    /// `iat`.
    pub issued_at: SystemTime,
    /// `exp`.
    pub expires_at: SystemTime,
}

/// Reads `payload_text`; the error is a short fixed reason.
pub fn inspect(payload_text: &str) -> Result<Inspected, &'static str> {
    let bytes = payload::decode(payload_text)?;
    let parsed = cose::parse(&bytes, None)?;
    let decoded = claims::decode(parsed.payload())?;
    let (Some(issued_at), Some(expires_at)) = (
        checked_from_unix_seconds(decoded.issued_at),
        checked_from_unix_seconds(decoded.expires_at),
    ) else {
        return Err("time out of range");
    };
    Ok(Inspected {
        claims: decoded.claims,
        issued_at,
        expires_at,
    })
}
