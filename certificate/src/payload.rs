//! The payload text in the QR code: the prefix [`PREFIX`] and the Base45 (RFC 9285) encoding
//! of the COSE_Sign1 bytes.
//!
//! Base45's 45 characters are exactly the QR alphanumeric set, which packs 11 bits per two
//! characters, so the QR code stays small (the EU Digital COVID Certificate does the same with
//! its `HC1:` prefix).
//!
//! No compression: the DCC compresses with zlib, but a certificate here is small and about
//! half of it is an ECDSA signature and random ids, which do not compress. Measured on a
//! realistic certificate (see `tests.rs`, `zlib_does_not_shrink_the_certificate`): 152 bytes of
//! COSE become 163 bytes with zlib at the best level, so compression would only cost. The
//! payload text of that certificate is 232 characters, a version 11 QR code (version 10 without
//! a vehicle).

/// The prefix of every payload, with its version: "VeiHjelp", version 1.
pub const PREFIX: &str = "VH1:";

/// The longest payload text accepted for decoding: far above what a version 11 QR code holds,
/// small enough that decoding garbage costs nothing.
pub const MAX_PAYLOAD_CHARS: usize = 1024;

/// The payload text for COSE bytes.
pub(crate) fn encode(cose: &[u8]) -> String {
    let mut text = String::from(PREFIX);
    text.push_str(&base45::encode(cose));
    text
}

/// The COSE bytes in a payload text. The error is a short fixed reason.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, &'static str> {
    if text.len() > MAX_PAYLOAD_CHARS {
        return Err("payload too long");
    }
    let body = text.strip_prefix(PREFIX).ok_or("unknown payload prefix")?;
    if body.is_empty() {
        return Err("empty payload");
    }
    base45::decode(body).map_err(|_| "payload is not Base45")
}
