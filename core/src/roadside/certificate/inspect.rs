//! Reading a certificate without checking its signature: for the member's own app, which got
//! the payload from its own server over an authenticated connection and only shows it, and
//! for the online status lookup, which needs the id. Never a substitute for [`super::verify`].

use std::time::SystemTime;

use super::claims::{self, CertificateClaims, from_unix};
use super::cose;
use super::payload;

/// A certificate's claims and validity times, as read (not verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inspected {
    /// The claims.
    pub(crate) claims: CertificateClaims,
    /// `iat`.
    pub(crate) issued_at: SystemTime,
    /// `exp`.
    pub(crate) expires_at: SystemTime,
}

/// Reads `payload_text`; the error is a short fixed reason.
pub(crate) fn inspect(payload_text: &str) -> Result<Inspected, &'static str> {
    let bytes = payload::decode(payload_text)?;
    let parsed = cose::parse(&bytes, None)?;
    let decoded = claims::decode(parsed.payload())?;
    let (Some(issued_at), Some(expires_at)) =
        (from_unix(decoded.issued_at), from_unix(decoded.expires_at))
    else {
        return Err("time out of range");
    };
    Ok(Inspected {
        claims: decoded.claims,
        issued_at,
        expires_at,
    })
}
