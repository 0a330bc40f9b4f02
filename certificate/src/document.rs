//! Signed documents other than certificates: a payload of any format in a COSE_Sign1 with
//! ES256, its kind fixed by a content type in the protected header. The consent catalogue
//! and the consent receipts use it, so the app and the reference server share one
//! definition of how a document is signed and checked, as they do for the certificate.
//!
//! The content type binds a signature to one kind of document: a receipt can never pass as a
//! catalogue, nor either as a trust or revocation list, even under the same key.

use p256::ecdsa::{SigningKey, VerifyingKey};

use crate::cose::{self, KEY_ID_LEN, key_id};

/// Why a signed document was refused. Fixed texts: never a part of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Larger than the caller allows.
    #[error("signed document too large")]
    TooLarge,
    /// Not a COSE_Sign1 of the expected form and content type.
    #[error("not a signed document of this kind: {0}")]
    Malformed(&'static str),
    /// Signed by a key the caller does not trust.
    #[error("signed by an unknown key")]
    UnknownKey,
    /// The signature does not verify: a forgery or a changed document.
    #[error("the signature does not verify")]
    BadSignature,
    /// The document could not be encoded.
    #[error("the document could not be encoded")]
    Encoding,
}

/// Signs `payload` as a tagged COSE_Sign1 with ES256 under `key`, of kind `content_type`.
pub fn sign_document(
    payload: Vec<u8>,
    key: &SigningKey,
    content_type: &str,
) -> Result<Vec<u8>, DocumentError> {
    cose::sign(payload, key, Some(content_type)).map_err(|_| DocumentError::Encoding)
}

/// A signed document that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedDocument {
    /// The signed payload.
    pub payload: Vec<u8>,
    /// The id of the key that signed it.
    pub kid: [u8; KEY_ID_LEN],
}

/// Checks `bytes` (at most `max_bytes`) as a document of kind `content_type` signed by one
/// of `keys`, and returns its payload.
pub fn open_document(
    bytes: &[u8],
    content_type: &str,
    keys: &[VerifyingKey],
    max_bytes: usize,
) -> Result<OpenedDocument, DocumentError> {
    if bytes.len() > max_bytes {
        return Err(DocumentError::TooLarge);
    }
    let parsed = cose::parse(bytes, Some(content_type)).map_err(DocumentError::Malformed)?;
    let key = keys
        .iter()
        .find(|k| key_id(k) == parsed.kid)
        .ok_or(DocumentError::UnknownKey)?;
    if !parsed.verify(key) {
        return Err(DocumentError::BadSignature);
    }
    Ok(OpenedDocument {
        payload: parsed.payload().to_vec(),
        kid: parsed.kid,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn key(seed: u8) -> SigningKey {
        use sha2::Digest;
        SigningKey::from_slice(&sha2::Sha256::digest([seed, 0xd0])).unwrap()
    }

    #[test]
    fn a_document_opens_under_its_key_and_kind_only() {
        let signer = key(1);
        let other = key(2);
        let signed = sign_document(b"{\"a\":1}".to_vec(), &signer, "application/x-a").unwrap();
        let keys = [*other.verifying_key(), *signer.verifying_key()];
        let opened = open_document(&signed, "application/x-a", &keys, 1024).unwrap();
        assert_eq!(opened.payload, b"{\"a\":1}");
        assert_eq!(opened.kid, key_id(signer.verifying_key()));

        assert!(matches!(
            open_document(&signed, "application/x-b", &keys, 1024),
            Err(DocumentError::Malformed(_))
        ));
        assert_eq!(
            open_document(&signed, "application/x-a", &[*other.verifying_key()], 1024),
            Err(DocumentError::UnknownKey)
        );
        assert_eq!(
            open_document(&signed, "application/x-a", &keys, 10),
            Err(DocumentError::TooLarge)
        );
    }

    #[test]
    fn a_changed_payload_byte_breaks_the_signature() {
        let signer = key(3);
        let signed = sign_document(b"{\"decision\":\"given\"}".to_vec(), &signer, "t/x").unwrap();
        let at = signed.windows(5).position(|w| w == b"given").unwrap();
        let mut forged = signed.clone();
        forged[at] = b'G';
        assert_eq!(
            open_document(&forged, "t/x", &[*signer.verifying_key()], 1024),
            Err(DocumentError::BadSignature)
        );
        assert!(open_document(b"noise", "t/x", &[*signer.verifying_key()], 1024).is_err());
    }
}
