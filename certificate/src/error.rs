//! The certificate's own errors. Their `Display` texts are fixed: they never carry a name, a
//! registration, a certificate id or any part of a payload.

use thiserror::Error;

/// Why a certificate could not be issued or encoded (the issuing side).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CertificateError {
    /// A claim is outside what the certificate allows (empty or too long text, digits in a
    /// name, a registration that is not letters and digits, a cover period that ends first).
    #[error("invalid certificate claim: {0}")]
    InvalidClaim(&'static str),
    /// The validity period asked for is empty or longer than the certificate allows.
    #[error("invalid certificate validity: {0}")]
    InvalidValidity(&'static str),
    /// A time before 1970 or too far in the future to encode.
    #[error("time out of range")]
    TimeOutOfRange,
    /// The certificate would need a QR code larger than version 11.
    #[error("certificate too large for its QR code")]
    TooLarge,
    /// CBOR or COSE encoding failed.
    #[error("encoding failed")]
    Encoding,
}

/// Why a trust list could not be loaded or built.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TrustError {
    /// The bytes are not a trust list in the expected CBOR form.
    #[error("trust list is malformed: {0}")]
    Malformed(&'static str),
    /// A key's id is not the id computed from its public key.
    #[error("trust list key id does not match its key")]
    KeyIdMismatch,
    /// Two keys share one key id.
    #[error("trust list has a duplicate key id")]
    DuplicateKeyId,
    /// A key's validity period is empty.
    #[error("trust list key validity period is empty")]
    EmptyValidity,
    /// A time before 1970 or too far in the future to encode.
    #[error("time out of range")]
    TimeOutOfRange,
    /// The list is plain CBOR, not signed by a trust anchor.
    #[error("trust list is not signed")]
    Unsigned,
    /// The list is signed by a key that is not one of the configured trust anchors.
    #[error("trust list is signed by a key that is not a trust anchor")]
    UnknownAnchor,
    /// The signature does not verify under the trust anchor it names: forged or tampered.
    #[error("trust list signature does not verify")]
    BadSignature,
    /// The list is older (a lower sequence number) than the one already cached.
    #[error("trust list is older than the cached one (sequence {offered} < {cached})")]
    Rollback {
        /// The cached list's sequence number.
        cached: u64,
        /// The offered list's sequence number.
        offered: u64,
    },
    /// The list has the cached list's sequence number but other content.
    #[error("trust list reuses the cached list's sequence number with other content")]
    SequenceReused,
    /// A configured trust anchor is not usable.
    #[error("invalid trust anchor: {0}")]
    BadAnchor(&'static str),
}

/// Why a revocation list could not be loaded or signed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RevocationError {
    /// The bytes are not a signed revocation list in the expected form.
    #[error("revocation list is malformed: {0}")]
    Malformed(&'static str),
    /// The list is not signed by a key of the trust list, or its signature does not verify.
    #[error("revocation list signature is not trusted")]
    Untrusted,
    /// The list's `next_update` is not after its `issued_at`.
    #[error("revocation list period is empty")]
    EmptyPeriod,
    /// A time before 1970 or too far in the future to encode.
    #[error("time out of range")]
    TimeOutOfRange,
    /// The list was issued before the one already cached, which stays.
    #[error("revocation list is older than the cached one")]
    Rollback,
}

/// Why a payload could not be rendered as a QR code.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum QrError {
    /// The payload needs a larger QR code than a phone screen shows reliably (version 11).
    #[error("payload too long for a QR code of at most version {max_version}")]
    TooLong {
        /// The largest QR version allowed.
        max_version: i16,
    },
    /// The payload has a character outside the QR alphanumeric set.
    #[error("payload is not QR alphanumeric")]
    NotAlphanumeric,
    /// The scale asked for is zero or makes an image too large.
    #[error("invalid QR image scale")]
    InvalidScale,
    /// PNG encoding failed.
    #[error("PNG encoding failed")]
    Png,
}
