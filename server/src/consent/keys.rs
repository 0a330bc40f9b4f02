//! The key that signs consent receipts: one ES256 key in the key file `consent-receipts`
//! (see [`crate::keyfile`]), made on the first start. The catalogue names its public half, so
//! an app that trusts the catalogue's signer trusts the receipts.

use p256::ecdsa::SigningKey;

use super::ConsentError;
use crate::keyfile::KeyDir;

/// The key file name of the receipt key.
pub(crate) const RECEIPT_KEY: &str = crate::CONSENT_RECEIPT_KEY;

/// The receipt key, made and written first if there is none.
pub(crate) fn load_or_create(keys: &KeyDir) -> Result<SigningKey, ConsentError> {
    Ok(keys.load_or_create(RECEIPT_KEY)?)
}

/// The public half of `key` as anchor text (base64 DER SubjectPublicKeyInfo).
pub(crate) fn text(key: &SigningKey) -> Result<String, ConsentError> {
    lofavor_certificate::anchor_to_text(key.verifying_key())
        .map_err(|e| ConsentError::Key(e.to_string()))
}
