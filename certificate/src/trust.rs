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
//! The trust list is the root of trust and is not signed itself: it ships with the app or
//! comes over the authenticated member API, and is cached as the CBOR of [`TrustList::to_cbor`]:
//!
//! ```text
//! { 1: 1 (version), 2: [ { 1: kid (bstr 8), 2: SEC1 uncompressed point (bstr 65),
//!                          3: not_before (Unix seconds), 4: not_after (Unix seconds) }, ... ] }
//! ```

use std::time::SystemTime;

use coset::cbor::value::Value;
use p256::ecdsa::VerifyingKey;

use super::cose::{KEY_ID_LEN, key_id};
use super::error::TrustError;
use super::time::{checked_unix_seconds, from_unix_seconds};

const VERSION: u8 = 1;
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

/// The issuer keys a verifier trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustList {
    keys: Vec<TrustedKey>,
}

impl TrustList {
    /// A trust list of `keys`; two keys with one key id are refused.
    pub fn new(keys: Vec<TrustedKey>) -> Result<Self, TrustError> {
        if keys.len() > MAX_KEYS {
            return Err(TrustError::Malformed("too many keys"));
        }
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].iter().any(|other| other.kid == key.kid) {
                return Err(TrustError::DuplicateKeyId);
            }
        }
        Ok(Self { keys })
    }

    /// The keys, in list order.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The key with id `kid`.
    pub fn find(&self, kid: &[u8; KEY_ID_LEN]) -> Option<&TrustedKey> {
        self.keys.iter().find(|key| &key.kid == kid)
    }

    /// The list as CBOR, for the cache.
    pub fn to_cbor(&self) -> Result<Vec<u8>, TrustError> {
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
            (Value::from(2), Value::Array(keys)),
        ]);
        let mut bytes = Vec::new();
        coset::cbor::ser::into_writer(&list, &mut bytes)
            .map_err(|_| TrustError::Malformed("encoding failed"))?;
        Ok(bytes)
    }

    /// Reads a list written by [`TrustList::to_cbor`]. Each key id must be the one computed
    /// from its key.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, TrustError> {
        if bytes.len() > MAX_BYTES {
            return Err(TrustError::Malformed("too large"));
        }
        let mut rest = bytes;
        let value: Value = coset::cbor::de::from_reader(&mut rest)
            .map_err(|_| TrustError::Malformed("not CBOR"))?;
        if !rest.is_empty() {
            return Err(TrustError::Malformed("bytes after the list"));
        }
        let Value::Map(entries) = value else {
            return Err(TrustError::Malformed("not a map"));
        };
        let [(k1, version), (k2, Value::Array(items))] = entries.as_slice() else {
            return Err(TrustError::Malformed("unexpected fields"));
        };
        if *k1 != Value::from(1) || *k2 != Value::from(2) {
            return Err(TrustError::Malformed("unexpected fields"));
        }
        if *version != Value::from(VERSION) {
            return Err(TrustError::Malformed("unknown version"));
        }
        let keys = items
            .iter()
            .map(decode_key)
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(keys)
    }
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
    if [k1, k2, k3, k4]
        != [
            &Value::from(1),
            &Value::from(2),
            &Value::from(3),
            &Value::from(4),
        ]
    {
        return Err(TrustError::Malformed("unexpected key fields"));
    }
    let seconds = |v: &Value| {
        v.as_integer()
            .and_then(|i| i64::try_from(i).ok())
            .filter(|s| *s >= 0)
            .ok_or(TrustError::Malformed("key period is not Unix seconds"))
    };
    let key = VerifyingKey::from_sec1_bytes(point)
        .map_err(|_| TrustError::Malformed("not a P-256 public key"))?;
    let trusted = TrustedKey::from_parts(key, seconds(nb)?, seconds(na)?)?;
    if trusted.kid.as_slice() != kid.as_slice() {
        return Err(TrustError::KeyIdMismatch);
    }
    Ok(trusted)
}
