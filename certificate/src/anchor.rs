//! Trust anchors: the keys that sign trust lists. They ship with the app (configured per
//! deployment), never come from the network, and are the root of the verifier's trust.
//!
//! An anchor is a P-256 public key written as text: the base64 of its DER
//! SubjectPublicKeyInfo (what `openssl ec -pubout -outform DER | base64` prints), with or
//! without the PEM armour (`-----BEGIN PUBLIC KEY-----`). One line, so it fits a
//! configuration value on every platform.
//!
//! The anchor key is not an issuer key: the issuer keys (in the trust list) sign
//! certificates and revocation lists and rotate yearly; the anchor signs only trust lists and
//! can be kept offline.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use p256::ecdsa::VerifyingKey;
use p256::pkcs8::{DecodePublicKey, EncodePublicKey};

use super::cose::{KEY_ID_LEN, key_id};
use super::error::TrustError;

/// The most anchors a configuration may hold: a deployment needs one, two while it rotates.
pub const MAX_ANCHORS: usize = 8;

/// The longest anchor text accepted (a P-256 SPKI is 91 bytes, 124 base64 characters).
const MAX_ANCHOR_TEXT: usize = 1024;

/// The keys that may sign a trust list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustAnchors {
    keys: Vec<VerifyingKey>,
}

impl TrustAnchors {
    /// The anchors `keys`; at most [`MAX_ANCHORS`], no key twice.
    pub fn new(keys: Vec<VerifyingKey>) -> Result<Self, TrustError> {
        if keys.len() > MAX_ANCHORS {
            return Err(TrustError::BadAnchor("too many trust anchors"));
        }
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].contains(key) {
                return Err(TrustError::BadAnchor("a trust anchor is listed twice"));
            }
        }
        Ok(Self { keys })
    }

    /// Parses each text as in [`anchor_from_text`].
    pub fn from_texts<S: AsRef<str>>(texts: &[S]) -> Result<Self, TrustError> {
        if texts.len() > MAX_ANCHORS {
            return Err(TrustError::BadAnchor("too many trust anchors"));
        }
        let keys = texts
            .iter()
            .map(|t| anchor_from_text(t.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(keys)
    }

    /// The anchor keys.
    pub fn keys(&self) -> &[VerifyingKey] {
        &self.keys
    }

    /// Whether there is no anchor (then no trust list is accepted).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The anchor with key id `kid`.
    pub(crate) fn find(&self, kid: &[u8; KEY_ID_LEN]) -> Option<&VerifyingKey> {
        self.keys.iter().find(|key| &key_id(key) == kid)
    }
}

/// Reads an anchor: the base64 of a P-256 DER SubjectPublicKeyInfo, PEM armour and
/// whitespace allowed. The error names no part of the text.
pub fn anchor_from_text(text: &str) -> Result<VerifyingKey, TrustError> {
    if text.len() > MAX_ANCHOR_TEXT {
        return Err(TrustError::BadAnchor("trust anchor text too long"));
    }
    let body: String = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect();
    if body.is_empty() {
        return Err(TrustError::BadAnchor("trust anchor is empty"));
    }
    let der = STANDARD
        .decode(body.as_bytes())
        .map_err(|_| TrustError::BadAnchor("trust anchor is not base64"))?;
    VerifyingKey::from_public_key_der(&der)
        .map_err(|_| TrustError::BadAnchor("trust anchor is not a P-256 public key"))
}

/// The text form of an anchor key: one line of base64 DER SubjectPublicKeyInfo.
pub fn anchor_to_text(key: &VerifyingKey) -> Result<String, TrustError> {
    let der = key
        .to_public_key_der()
        .map_err(|_| TrustError::BadAnchor("trust anchor encoding failed"))?;
    Ok(STANDARD.encode(der.as_bytes()))
}
