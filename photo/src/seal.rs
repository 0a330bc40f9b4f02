//! Photos at rest: XChaCha20-Poly1305 (a random 192-bit nonce per file, so nonces never need
//! counting across devices or restores) under a 256-bit key kept in the SecureStore. The
//! file is `nonce (24 bytes) || ciphertext || tag`; `context` (the photo's id and rendition)
//! is bound as associated data, so one sealed file cannot be passed off as another.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};

use crate::error::PhotoError;

const NONCE_LEN: usize = 24;

/// Seals `plain` under `key`, bound to `context`.
pub fn seal(key: &[u8; 32], context: &[u8], plain: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce: [u8; NONCE_LEN] = rand::random();
    let sealed = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plain,
                aad: context,
            },
        )
        .map_err(|_| PhotoError::Encode("seal"))?;
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens what [`seal`] made; [`PhotoError::Sealed`] for a wrong key, context or a changed byte.
pub fn open(key: &[u8; 32], context: &[u8], sealed: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let (nonce, body) = sealed
        .split_at_checked(NONCE_LEN)
        .ok_or(PhotoError::Sealed)?;
    let nonce = XNonce::try_from(nonce).map_err(|_| PhotoError::Sealed)?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            &nonce,
            Payload {
                msg: body,
                aad: context,
            },
        )
        .map_err(|_| PhotoError::Sealed)
}
