//! The trust list: the issuer keys a verifier accepts, each with a key id and the period in
//! which it may sign.
//!
//! Key rotation: a certificate is checked against the key its `kid` names, and is accepted when
//! its `iat` lies within that key's `[not_before, not_after]`. So when the issuer moves to a new
//! key, certificates signed with the previous key stay valid until they expire (at most 30 days)
//! while the previous key stays in the list, and anything that key signs after its `not_after`
//! is refused. Remove a key from the list only once its last certificate has expired, or at
//! once when it is compromised.
//!
//! The trust list is signed, as a COSE_Sign1 with the content type [`TRUST_LIST_CONTENT_TYPE`],
//! by a trust anchor ([`TrustAnchors`]): a key that ships with the app and signs nothing
//! else. A verifier accepts a list only when an anchor signed it ([`TrustList::from_signed`]),
//! and replaces its cached list only with one whose sequence number is higher
//! ([`TrustList::check_replaces`]), so neither the network nor a replayed older response can
//! add an issuer key or bring back a withdrawn one. The cache keeps the signed bytes and
//! checks them again on load. The signed payload:
//!
//! ```text
//! { 1: 2 (version), 2: sequence (uint), 3: issued_at (Unix seconds),
//!   4: [ { 1: kid (bstr 8), 2: SEC1 uncompressed point (bstr 65),
//!          3: not_before (Unix seconds), 4: not_after (Unix seconds) }, ... ] }
//! ```
//!
//! A plain CBOR list (the unsigned form of earlier versions) is refused as
//! [`TrustError::Unsigned`].

use std::time::SystemTime;

use coset::cbor::value::Value;
use p256::ecdsa::{SigningKey, VerifyingKey};

use super::anchor::TrustAnchors;
use super::cose;

use super::cose::{KEY_ID_LEN, key_id};
use super::error::TrustError;
use super::time::{checked_unix_seconds, from_unix_seconds};

/// The content type in the protected header of a signed trust list.
pub const TRUST_LIST_CONTENT_TYPE: &str = "application/vnd.lofavor.vh-trust-list+cbor";

const VERSION: u8 = 2;
/// The most keys a trust list may hold: rotation needs two or three.
const MAX_KEYS: usize = 64;
const MAX_BYTES: usize = 64 * 1024;

/// One issuer key and the period in which it may sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    kid: [u8; KEY_ID_LEN],
    key: VerifyingKey,
    not_before: i64,
    not_after: i64,
}

impl TrustedKey {
    /// A key that may sign from `not_before` to `not_after`, inclusive.
    pub fn new(
        key: VerifyingKey,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Self, TrustError> {
        let not_before = checked_unix_seconds(not_before).ok_or(TrustError::TimeOutOfRange)?;
        let not_after = checked_unix_seconds(not_after).ok_or(TrustError::TimeOutOfRange)?;
        Self::from_parts(key, not_before, not_after)
    }

    fn from_parts(key: VerifyingKey, not_before: i64, not_after: i64) -> Result<Self, TrustError> {
        if not_after <= not_before {
            return Err(TrustError::EmptyValidity);
        }
        Ok(Self {
            kid: key_id(&key),
            key,
            not_before,
            not_after,
        })
    }

    /// The key id, as in [`key_id`].
    pub fn key_id(&self) -> [u8; KEY_ID_LEN] {
        self.kid
    }

    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The first moment the key may sign.
    pub fn not_before(&self) -> SystemTime {
        from_unix_seconds(self.not_before)
    }

    /// The last moment the key may sign.
    pub fn not_after(&self) -> SystemTime {
        from_unix_seconds(self.not_after)
    }

    /// Whether a document issued at `issued_at` (Unix seconds) lies in the key's period.
    pub(crate) fn may_have_signed_at(&self, issued_at: i64) -> bool {
        (self.not_before..=self.not_after).contains(&issued_at)
    }
}

/// The issuer keys a verifier trusts, with the list's sequence number and issue time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustList {
    sequence: u64,
    issued_at: i64,
    keys: Vec<TrustedKey>,
    /// The signed bytes it was loaded from; empty for a list built here.
    signed: Vec<u8>,
}

impl TrustList {
    /// A trust list of `keys`, sequence 0, issued at the epoch (see
    /// [`TrustList::with_sequence`]); two keys with one key id are refused.
    pub fn new(keys: Vec<TrustedKey>) -> Result<Self, TrustError> {
        if keys.len() > MAX_KEYS {
            return Err(TrustError::Malformed("too many keys"));
        }
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].iter().any(|other| other.kid == key.kid) {
                return Err(TrustError::DuplicateKeyId);
            }
        }
        Ok(Self {
            keys,
            ..Self::default()
        })
    }

    /// The same keys as the list numbered `sequence`, issued at `issued_at`. The issuer
    /// raises the sequence whenever the keys change.
    pub fn with_sequence(self, sequence: u64, issued_at: SystemTime) -> Result<Self, TrustError> {
        let issued_at = checked_unix_seconds(issued_at).ok_or(TrustError::TimeOutOfRange)?;
        Ok(Self {
            sequence,
            issued_at,
            signed: Vec::new(),
            ..self
        })
    }

    /// The keys, in list order.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The key with id `kid`.
    pub fn find(&self, kid: &[u8; KEY_ID_LEN]) -> Option<&TrustedKey> {
        self.keys.iter().find(|key| &key.kid == kid)
    }

    /// The sequence number: a later list of the same issuer has a higher one.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// When the list was issued.
    pub fn issued_at(&self) -> SystemTime {
        from_unix_seconds(self.issued_at)
    }

    /// Signs the list with the trust-anchor key `anchor` (the issuing side).
    pub fn sign(&self, anchor: &SigningKey) -> Result<Vec<u8>, TrustError> {
        cose::sign(self.body_cbor()?, anchor, Some(TRUST_LIST_CONTENT_TYPE))
            .map_err(|_| TrustError::Malformed("encoding failed"))
    }

    /// Loads a signed list and checks it against `anchors`.
    ///
    /// Refused: a plain CBOR list ([`TrustError::Unsigned`]); one whose key id names no
    /// anchor ([`TrustError::UnknownAnchor`]); one whose signature does not verify under the
    /// anchor it names, a forgery or a tampered list ([`TrustError::BadSignature`]); anything
    /// else not in the form above ([`TrustError::Malformed`] and the key errors).
    pub fn from_signed(bytes: &[u8], anchors: &TrustAnchors) -> Result<Self, TrustError> {
        if bytes.len() > MAX_BYTES {
            return Err(TrustError::Malformed("too large"));
        }
        if is_plain_map(bytes) {
            return Err(TrustError::Unsigned);
        }
        let parsed =
            cose::parse(bytes, Some(TRUST_LIST_CONTENT_TYPE)).map_err(TrustError::Malformed)?;
        let anchor = anchors.find(&parsed.kid).ok_or(TrustError::UnknownAnchor)?;
        if !parsed.verify(anchor) {
            return Err(TrustError::BadSignature);
        }
        let mut list = Self::from_body(parsed.payload())?;
        list.signed = bytes.to_vec();
        Ok(list)
    }

    /// The signed bytes as loaded, for the cache; empty for a list built here.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }

    /// Whether `offered` may replace this (cached) list: its sequence must be higher, or the
    /// same with the same keys (the same list fetched again). Otherwise an older list is
    /// being replayed ([`TrustError::Rollback`]) or the issuer reused a number
    /// ([`TrustError::SequenceReused`]); the cached list stays.
    pub fn check_replaces(&self, offered: &TrustList) -> Result<(), TrustError> {
        if offered.sequence < self.sequence {
            return Err(TrustError::Rollback {
                cached: self.sequence,
                offered: offered.sequence,
            });
        }
        if offered.sequence == self.sequence
            && (offered.keys != self.keys || offered.issued_at != self.issued_at)
        {
            return Err(TrustError::SequenceReused);
        }
        Ok(())
    }

    /// The signed payload.
    fn body_cbor(&self) -> Result<Vec<u8>, TrustError> {
        let keys = self
            .keys
            .iter()
            .map(|key| {
                Value::Map(vec![
                    (Value::from(1), Value::Bytes(key.kid.to_vec())),
                    (
                        Value::from(2),
                        Value::Bytes(key.key.to_sec1_point(false).as_bytes().to_vec()),
                    ),
                    (Value::from(3), Value::from(key.not_before)),
                    (Value::from(4), Value::from(key.not_after)),
                ])
            })
            .collect();
        let list = Value::Map(vec![
            (Value::from(1), Value::from(VERSION)),
            (Value::from(2), Value::from(self.sequence)),
            (Value::from(3), Value::from(self.issued_at)),
            (Value::from(4), Value::Array(keys)),
        ]);
        let mut bytes = Vec::new();
        coset::cbor::ser::into_writer(&list, &mut bytes)
            .map_err(|_| TrustError::Malformed("encoding failed"))?;
        Ok(bytes)
    }

    /// Reads the signed payload. Each key id must be the one computed from its key.
    fn from_body(bytes: &[u8]) -> Result<Self, TrustError> {
        let mut rest = bytes;
        let value: Value = coset::cbor::de::from_reader(&mut rest)
            .map_err(|_| TrustError::Malformed("not CBOR"))?;
        if !rest.is_empty() {
            return Err(TrustError::Malformed("bytes after the list"));
        }
        let Value::Map(entries) = value else {
            return Err(TrustError::Malformed("not a map"));
        };
        let [
            (k1, version),
            (k2, sequence),
            (k3, issued_at),
            (k4, Value::Array(items)),
        ] = entries.as_slice()
        else {
            return Err(TrustError::Malformed("unexpected fields"));
        };
        if !labelled_one_to_four([k1, k2, k3, k4]) {
            return Err(TrustError::Malformed("unexpected fields"));
        }
        if *version != Value::from(VERSION) {
            return Err(TrustError::Malformed("unknown version"));
        }
        let sequence = sequence
            .as_integer()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or(TrustError::Malformed("sequence is not an unsigned integer"))?;
        let issued_at = unix_seconds(issued_at)
            .ok_or(TrustError::Malformed("issued_at is not Unix seconds"))?;
        let keys = items
            .iter()
            .map(decode_key)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            sequence,
            issued_at,
            ..Self::new(keys)?
        })
    }
}

/// Whether `bytes` are one CBOR map: the unsigned list of earlier versions, not a COSE_Sign1
/// (an array, or a tag).
fn is_plain_map(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    matches!(
        coset::cbor::de::from_reader::<Value, _>(&mut rest),
        Ok(Value::Map(_))
    )
}

/// Whether the map's labels are 1, 2, 3 and 4, in that order (the canonical form this list is
/// signed in).
fn labelled_one_to_four(labels: [&Value; 4]) -> bool {
    labels
        .iter()
        .zip(1..)
        .all(|(label, expected)| **label == Value::from(expected))
}

/// A non-negative integer that fits Unix seconds.
fn unix_seconds(value: &Value) -> Option<i64> {
    value
        .as_integer()
        .and_then(|i| i64::try_from(i).ok())
        .filter(|s| *s >= 0)
}

fn decode_key(item: &Value) -> Result<TrustedKey, TrustError> {
    let Value::Map(fields) = item else {
        return Err(TrustError::Malformed("key is not a map"));
    };
    let [
        (k1, Value::Bytes(kid)),
        (k2, Value::Bytes(point)),
        (k3, nb),
        (k4, na),
    ] = fields.as_slice()
    else {
        return Err(TrustError::Malformed("unexpected key fields"));
    };
    if !labelled_one_to_four([k1, k2, k3, k4]) {
        return Err(TrustError::Malformed("unexpected key fields"));
    }
    let seconds =
        |v: &Value| unix_seconds(v).ok_or(TrustError::Malformed("key period is not Unix seconds"));
    let key = VerifyingKey::from_sec1_bytes(point)
        .map_err(|_| TrustError::Malformed("not a P-256 public key"))?;
    let trusted = TrustedKey::from_parts(key, seconds(nb)?, seconds(na)?)?;
    if trusted.kid.as_slice() != kid.as_slice() {
        return Err(TrustError::KeyIdMismatch);
    }
    Ok(trusted)
}
