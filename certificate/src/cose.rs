//! COSE_Sign1 (RFC 9052) with ES256: signing, strict decoding and verification, and key ids.
//!
//! The protected header holds exactly `alg` = ES256 (-7) and `kid`, plus a content type for
//! documents that are not certificates (the revocation list), so a signature over one kind of
//! document can never pass as the other. The unprotected header must be empty.
//!
//! Tags: signing emits the COSE_Sign1 tag (18), as the EU Digital COVID Certificate does.
//! Decoding accepts a tagged or untagged COSE_Sign1, optionally wrapped in the CWT tag (61);
//! any other tag, or bytes after the object, is refused.

use coset::cbor::value::Value;
use coset::iana::Algorithm;
use coset::{
    AsCborValue, CoseSign1, CoseSign1Builder, HeaderBuilder, RegisteredLabelWithPrivate,
    TaggedCborSerializable, iana,
};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The length of a key id.
pub const KEY_ID_LEN: usize = 8;

const CWT_TAG: u64 = 61;

/// The key id of a public key: the first 8 bytes of SHA-256 over the key's SEC1 uncompressed
/// point (`0x04 || X || Y`, 65 bytes).
///
/// The EU Digital COVID Certificate hashes the signer's X.509 certificate instead; we have no
/// certificates, and the uncompressed point is the one canonical encoding of a P-256 key.
pub fn key_id(key: &VerifyingKey) -> [u8; KEY_ID_LEN] {
    let point = key.to_sec1_point(false);
    let digest = Sha256::digest(point.as_bytes());
    let mut id = [0u8; KEY_ID_LEN];
    id.copy_from_slice(&digest[..KEY_ID_LEN]);
    id
}

/// Signs `payload` as a tagged COSE_Sign1 with ES256 (deterministic ECDSA, RFC 6979).
pub(crate) fn sign(
    payload: Vec<u8>,
    key: &SigningKey,
    content_type: Option<&str>,
) -> Result<Vec<u8>, coset::CoseError> {
    let mut protected = HeaderBuilder::new()
        .algorithm(Algorithm::ES256)
        .key_id(key_id(key.verifying_key()).to_vec());
    if let Some(content_type) = content_type {
        protected = protected.content_type(content_type.to_owned());
    }
    CoseSign1Builder::new()
        .protected(protected.build())
        .payload(payload)
        .create_signature(b"", |data| {
            let signature: Signature = key.sign(data);
            signature.to_vec()
        })
        .build()
        .to_tagged_vec()
}

/// A COSE_Sign1 that passed the structural checks; not yet verified.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub sign1: CoseSign1,
    pub kid: [u8; KEY_ID_LEN],
}

impl Parsed {
    /// The payload: present, by the structural checks.
    pub fn payload(&self) -> &[u8] {
        self.sign1.payload.as_deref().unwrap_or_default()
    }

    /// Whether `key` signed this object.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        self.sign1
            .verify_signature(b"", |signature, data| {
                let signature = Signature::from_slice(signature)?;
                key.verify(data, &signature)
            })
            .is_ok()
    }
}

/// Decodes and checks the structure of a COSE_Sign1. The error is a short fixed reason.
pub(crate) fn parse(bytes: &[u8], content_type: Option<&str>) -> Result<Parsed, &'static str> {
    let mut rest = bytes;
    let value: Value = coset::cbor::de::from_reader(&mut rest).map_err(|_| "not CBOR")?;
    if !rest.is_empty() {
        return Err("bytes after the signed object");
    }
    let value = match value {
        Value::Tag(CWT_TAG, inner) => *inner,
        other => other,
    };
    let value = match value {
        Value::Tag(CoseSign1::TAG, inner) => *inner,
        Value::Tag(..) => return Err("unexpected CBOR tag"),
        other => other,
    };
    let sign1 = CoseSign1::from_cbor_value(value).map_err(|_| "not a COSE_Sign1")?;

    let header = &sign1.protected.header;
    if header.alg != Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256)) {
        return Err("algorithm is not ES256");
    }
    if !header.crit.is_empty()
        || !header.iv.is_empty()
        || !header.partial_iv.is_empty()
        || !header.counter_signatures.is_empty()
        || !header.rest.is_empty()
    {
        return Err("unexpected protected header");
    }
    let expected_type = content_type.map(|t| coset::ContentType::Text(t.to_owned()));
    if header.content_type != expected_type {
        return Err("unexpected content type");
    }
    if !sign1.unprotected.is_empty() {
        return Err("unexpected unprotected header");
    }
    let kid: [u8; KEY_ID_LEN] = header
        .key_id
        .as_slice()
        .try_into()
        .map_err(|_| "missing or invalid key id")?;
    if sign1.payload.is_none() {
        return Err("missing payload");
    }
    if sign1.signature.len() != 64 {
        return Err("signature length");
    }
    Ok(Parsed { sign1, kid })
}
