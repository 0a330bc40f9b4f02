//! The revocation list: the ids of certificates withdrawn before they expire (a cover
//! cancelled, a phone lost), signed by an issuer key so a verifier can cache it and trust it
//! offline.
//!
//! Form: a tagged COSE_Sign1 whose protected header carries, besides `alg` and `kid`, the
//! content type [`REVOCATION_CONTENT_TYPE`] (a certificate has none, so neither can pass as the
//! other), over the CBOR map
//!
//! ```text
//! { 1: issued_at (Unix seconds), 2: next_update (Unix seconds), 3: [ certificate id (bstr 8), ... ] }
//! ```
//!
//! A list is trusted when its `kid` is in the trust list, the signature verifies with that
//! key, and `issued_at` lies within that key's period. The cache keeps the signed bytes
//! ([`RevocationList::to_cbor`]) and checks them again on load.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use coset::cbor::value::Value;
use p256::ecdsa::SigningKey;

use super::claims::CertificateId;
use super::cose;
use super::error::RevocationError;
use super::time::{checked_from_unix_seconds, checked_unix_seconds};
use super::trust::TrustList;

/// The content type in the protected header of a revocation list.
pub const REVOCATION_CONTENT_TYPE: &str = "application/vnd.lofavor.vh-revocations+cbor";

/// The largest signed list accepted: about 400 000 ids.
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// A verified revocation list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevocationList {
    revoked: BTreeSet<CertificateId>,
    issued_at: Option<i64>,
    next_update: Option<i64>,
    signed: Vec<u8>,
}

impl RevocationList {
    /// No list yet: nothing is revoked. A verifier that has never been online uses this.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Loads and verifies a signed list against `trust`.
    pub fn from_cbor(bytes: &[u8], trust: &TrustList) -> Result<Self, RevocationError> {
        if bytes.len() > MAX_BYTES {
            return Err(RevocationError::Malformed("too large"));
        }
        let parsed = cose::parse(bytes, Some(REVOCATION_CONTENT_TYPE))
            .map_err(RevocationError::Malformed)?;
        let key = trust.find(&parsed.kid).ok_or(RevocationError::Untrusted)?;
        if !parsed.verify(key.verifying_key()) {
            return Err(RevocationError::Untrusted);
        }
        let (issued_at, next_update, revoked) = decode_body(parsed.payload())?;
        if !key.may_have_signed_at(issued_at) {
            return Err(RevocationError::Untrusted);
        }
        Ok(Self {
            revoked,
            issued_at: Some(issued_at),
            next_update: Some(next_update),
            signed: bytes.to_vec(),
        })
    }

    /// The signed bytes as loaded, for the cache; empty for [`RevocationList::empty`].
    pub fn to_cbor(&self) -> Vec<u8> {
        self.signed.clone()
    }

    /// Whether the certificate `id` is revoked.
    pub fn is_revoked(&self, id: &CertificateId) -> bool {
        self.revoked.contains(id)
    }

    /// How many certificates the list revokes.
    pub fn len(&self) -> usize {
        self.revoked.len()
    }

    /// Whether the list revokes nothing.
    pub fn is_empty(&self) -> bool {
        self.revoked.is_empty()
    }

    /// When the list was issued; `None` for the empty list.
    pub fn issued_at(&self) -> Option<SystemTime> {
        self.issued_at.and_then(checked_from_unix_seconds)
    }

    /// When the issuer will publish the next list; `None` for the empty list.
    pub fn next_update(&self) -> Option<SystemTime> {
        self.next_update.and_then(checked_from_unix_seconds)
    }

    /// Whether a newer list should exist by `now` (always for the empty list). A stale list is
    /// still used: it is the best the verifier has offline.
    pub fn is_stale(&self, now: SystemTime) -> bool {
        match self.next_update() {
            Some(next) => now >= next,
            None => true,
        }
    }

    /// Whether `other` was issued after this list: a cache replaces its list only with a
    /// newer one, so an old list cannot be replayed to un-revoke a certificate.
    pub fn is_older_than(&self, other: &RevocationList) -> bool {
        self.issued_at < other.issued_at
    }

    /// Whether `offered` may replace this (cached) list: it must not have been issued
    /// earlier, so an old list cannot be replayed to un-revoke a certificate
    /// ([`RevocationError::Rollback`]).
    pub fn check_replaces(&self, offered: &RevocationList) -> Result<(), RevocationError> {
        if offered.is_older_than(self) {
            return Err(RevocationError::Rollback);
        }
        Ok(())
    }

    /// How old the list is at `now` (zero if issued after `now`); `None` for the empty list.
    pub fn age(&self, now: SystemTime) -> Option<Duration> {
        let issued_at = self.issued_at()?;
        Some(now.duration_since(issued_at).unwrap_or(Duration::ZERO))
    }
}

/// Signs a revocation list (the issuing side).
pub fn sign_revocation_list(
    revoked: &[CertificateId],
    issued_at: SystemTime,
    next_update: SystemTime,
    key: &SigningKey,
) -> Result<Vec<u8>, RevocationError> {
    let issued_at = checked_unix_seconds(issued_at).ok_or(RevocationError::TimeOutOfRange)?;
    let next_update = checked_unix_seconds(next_update).ok_or(RevocationError::TimeOutOfRange)?;
    if next_update <= issued_at {
        return Err(RevocationError::EmptyPeriod);
    }
    let ids: BTreeSet<_> = revoked.iter().collect();
    let body = Value::Map(vec![
        (Value::from(1), Value::from(issued_at)),
        (Value::from(2), Value::from(next_update)),
        (
            Value::from(3),
            Value::Array(
                ids.into_iter()
                    .map(|id| Value::Bytes(id.as_bytes().to_vec()))
                    .collect(),
            ),
        ),
    ]);
    let mut payload = Vec::new();
    coset::cbor::ser::into_writer(&body, &mut payload)
        .map_err(|_| RevocationError::Malformed("encoding failed"))?;
    cose::sign(payload, key, Some(REVOCATION_CONTENT_TYPE))
        .map_err(|_| RevocationError::Malformed("encoding failed"))
}

type Body = (i64, i64, BTreeSet<CertificateId>);

fn decode_body(bytes: &[u8]) -> Result<Body, RevocationError> {
    let mut rest = bytes;
    let value: Value = coset::cbor::de::from_reader(&mut rest)
        .map_err(|_| RevocationError::Malformed("body is not CBOR"))?;
    if !rest.is_empty() {
        return Err(RevocationError::Malformed("bytes after the body"));
    }
    let Value::Map(fields) = value else {
        return Err(RevocationError::Malformed("body is not a map"));
    };
    let [(k1, issued), (k2, next), (k3, Value::Array(ids))] = fields.as_slice() else {
        return Err(RevocationError::Malformed("unexpected body fields"));
    };
    if [k1, k2, k3] != [&Value::from(1), &Value::from(2), &Value::from(3)] {
        return Err(RevocationError::Malformed("unexpected body fields"));
    }
    let seconds = |v: &Value| {
        v.as_integer()
            .and_then(|i| i64::try_from(i).ok())
            .filter(|s| *s >= 0)
            .ok_or(RevocationError::Malformed("time is not Unix seconds"))
    };
    let (issued_at, next_update) = (seconds(issued)?, seconds(next)?);
    if next_update <= issued_at {
        return Err(RevocationError::EmptyPeriod);
    }
    let revoked = ids
        .iter()
        .map(|id| {
            id.as_bytes()
                .and_then(|b| CertificateId::from_slice(b))
                .ok_or(RevocationError::Malformed("not a certificate id"))
        })
        .collect::<Result<BTreeSet<_>, _>>()?;
    Ok((issued_at, next_update, revoked))
}
