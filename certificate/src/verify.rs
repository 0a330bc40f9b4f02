//! Field verification: what the roadside-assistance worker's app does with a scanned payload,
//! offline, against the cached trust and revocation lists.
//!
//! Order of checks, each answered by one [`Verification`]:
//!
//! 1. prefix, Base45, COSE_Sign1 structure → [`Verification::Malformed`];
//! 2. `kid` in the trust list → else [`Verification::UntrustedIssuer`];
//! 3. signature by that key → else [`Verification::UntrustedIssuer`]. A signature that fails
//!    under a trusted `kid` is a forgery or a tampered token (a QR code either decodes exactly
//!    or not at all, so it is not damage): the worker must treat it as not coming from the
//!    issuer, and a tampered token must not look like a mere reading fault;
//! 4. the claims (decoded only once signed), including `exp - iat` ≤ 30 days →
//!    [`Verification::Malformed`];
//! 5. `iat` within the key's period → else [`Verification::UntrustedIssuer`];
//! 6. revocation list → [`Verification::Revoked`];
//! 7. time: valid from the later of `iat` and the cover's first day, until the earlier of `exp`
//!    and the end of the cover's last day (UTC). A worker's clock up to [`CLOCK_SKEW`] behind is
//!    tolerated at the start, none at the end.

use std::time::{Duration, Instant, SystemTime};

use super::claims::{self, Cover, HolderName, VehicleRegistration};
use super::cose;
use super::locate;
use super::payload;
use super::revocation::RevocationList;
use super::time::checked_from_unix_seconds;
use super::trust::TrustList;

/// How far behind the issuer's clock a worker's clock may be.
pub const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

/// The largest camera frame [`verify_image`] accepts: 40 megapixels.
pub const MAX_FRAME_PIXELS: u64 = 40_000_000;

/// The longest [`decode_qr`] searches a frame before it answers that the code could not be
/// read (optimised builds). A frame up to [`MAX_FRAME_PIXELS`] normally answers in well
/// under this; the deadline is for what the bounds do not foresee.
pub const DECODE_BUDGET: Duration = Duration::from_millis(800);

/// The outcome of checking a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Genuine, not revoked, and valid now.
    Valid {
        /// The member's cover.
        cover: Cover,
        /// The member's short name, to match against a driving licence.
        holder: HolderName,
        /// The car the cover is tied to, if it is.
        vehicle: Option<VehicleRegistration>,
        /// When the certificate (or the cover, if sooner) ends.
        expires_at: SystemTime,
    },
    /// Genuine but no longer valid.
    Expired {
        /// When it stopped being valid.
        expired_at: SystemTime,
    },
    /// Genuine but not valid yet.
    NotYetValid {
        /// When it becomes valid.
        valid_from: SystemTime,
    },
    /// Genuine but withdrawn by the issuer.
    Revoked,
    /// Not signed by a key the verifier trusts (unknown key, forged signature, or signed
    /// outside the key's period).
    UntrustedIssuer,
    /// Not a certificate: wrong format, or claims outside what a certificate holds. A code
    /// was read, so a scanner says "not genuine".
    Malformed {
        /// A short fixed reason; never content of the payload.
        reason: &'static str,
    },
    /// No code could be read from the picture: no QR code, several, an unreadable one, or a
    /// frame of the wrong size. Says nothing about any certificate: scan again. Kept apart
    /// from [`Verification::Malformed`] so a scanner never calls a badly framed genuine
    /// certificate false, and never has to match reason texts to tell the two apart.
    Unreadable {
        /// A short fixed reason ("no QR code found", "several QR codes found", ...).
        reason: &'static str,
    },
}

/// Checks a scanned payload text at time `now`.
pub fn verify(
    payload_text: &str,
    trust: &TrustList,
    revocations: &RevocationList,
    now: SystemTime,
) -> Verification {
    match check(payload_text, trust, revocations, now) {
        Ok(outcome) | Err(outcome) => outcome,
    }
}

fn malformed(reason: &'static str) -> Verification {
    Verification::Malformed { reason }
}

fn check(
    payload_text: &str,
    trust: &TrustList,
    revocations: &RevocationList,
    now: SystemTime,
) -> Result<Verification, Verification> {
    let bytes = payload::decode(payload_text).map_err(malformed)?;
    let parsed = cose::parse(&bytes, None).map_err(malformed)?;
    let key = trust
        .find(&parsed.kid)
        .ok_or(Verification::UntrustedIssuer)?;
    if !parsed.verify(key.verifying_key()) {
        return Err(Verification::UntrustedIssuer);
    }
    let decoded = claims::decode(parsed.payload()).map_err(malformed)?;
    if !key.may_have_signed_at(decoded.issued_at) {
        return Err(Verification::UntrustedIssuer);
    }
    if revocations.is_revoked(&decoded.claims.certificate_id) {
        return Err(Verification::Revoked);
    }
    let cover = &decoded.claims.cover;
    let (Some(issued_at), Some(expires_at), Some(cover_start), Some(cover_end)) = (
        checked_from_unix_seconds(decoded.issued_at),
        checked_from_unix_seconds(decoded.expires_at),
        cover.starts_at(),
        cover.ends_at(),
    ) else {
        return Err(malformed("time out of range"));
    };
    let valid_from = issued_at.max(cover_start);
    let valid_until = expires_at.min(cover_end);
    if now
        .checked_add(CLOCK_SKEW)
        .is_some_and(|late| late < valid_from)
    {
        return Ok(Verification::NotYetValid { valid_from });
    }
    if now >= valid_until {
        return Ok(Verification::Expired {
            expired_at: valid_until,
        });
    }
    let claims = decoded.claims;
    Ok(Verification::Valid {
        cover: claims.cover,
        holder: claims.holder,
        vehicle: claims.vehicle,
        expires_at: valid_until,
    })
}

/// A greyscale camera frame: `width * height` luma bytes, row by row.
#[derive(Debug, Clone, Copy)]
pub struct LumaFrame<'a> {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Luma, one byte a pixel, row-major; 0 is black.
    pub luma: &'a [u8],
}

/// Finds the one QR code in a camera frame and checks its payload like [`verify`].
///
/// No QR code, several, or an unreadable one is [`Verification::Unreadable`]; so is a frame
/// whose byte count is not `width * height` or that is larger than [`MAX_FRAME_PIXELS`].
pub fn verify_image(
    frame: &LumaFrame<'_>,
    trust: &TrustList,
    revocations: &RevocationList,
    now: SystemTime,
) -> Verification {
    match decode_qr(frame) {
        Ok(text) => verify(&text, trust, revocations, now),
        Err(reason) => Verification::Unreadable { reason },
    }
}

/// The text of the one QR code in a frame. The error is a short fixed reason.
pub fn decode_qr(frame: &LumaFrame<'_>) -> Result<String, &'static str> {
    let pixels = u64::from(frame.width) * u64::from(frame.height);
    if pixels == 0 {
        return Err("empty frame");
    }
    if pixels > MAX_FRAME_PIXELS {
        return Err("frame too large");
    }
    if u64::try_from(frame.luma.len()).ok() != Some(pixels) {
        return Err("frame size does not match its pixels");
    }
    // The search is bounded (see `locate`); the deadline is a last guard on top. Unoptimised
    // builds (the test suite) are given more time, since the budget is for the shipped code.
    let budget = if cfg!(debug_assertions) {
        DECODE_BUDGET * 60
    } else {
        DECODE_BUDGET
    };
    locate::find_and_decode(frame, Instant::now() + budget)
}
