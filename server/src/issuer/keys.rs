//! The issuer's signing key: a P-256 key made at start, published as a JWK, used for ES256.
//!
//! It lives in memory only and is never written anywhere: the grants its tokens stand for are
//! in memory too (see `store.rs`), so nothing it signed could be honoured after a restart.

use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use p256::pkcs8::EncodePrivateKey;
use serde::Serialize;

/// Why a key could not be made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key could not be encoded as PKCS#8.
    #[error("signing key encoding failed")]
    Encode,
    /// The JWT library refused the key.
    #[error("signing key rejected: {0}")]
    Jwt(#[from] jsonwebtoken::errors::Error),
}

/// The issuer's ES256 signing key, its key id and its public JWK.
pub(crate) struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Jwk,
}

impl SigningKey {
    /// A fresh key; its `kid` is the RFC 7638 thumbprint of the public key.
    pub(crate) fn generate() -> Result<Self, KeyError> {
        // Random bytes are a valid scalar unless zero or at least the group order, which a
        // uniform draw hits with a probability of about 2^-32; draw again then.
        let secret = loop {
            let bytes: [u8; 32] = rand::random();
            if let Ok(secret) = p256::SecretKey::from_slice(&bytes) {
                break secret;
            }
        };
        let der = secret.to_pkcs8_der().map_err(|_| KeyError::Encode)?;
        let encoding = EncodingKey::from_ec_der(der.as_bytes());
        let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::ES256)?;
        let kid = jwk.thumbprint(ThumbprintHash::SHA256)?;
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let decoding = DecodingKey::from_jwk(&jwk)?;
        Ok(Self {
            kid,
            encoding,
            decoding,
            jwk,
        })
    }

    /// Signs `claims` as a JWT with header `alg: ES256`, this key's `kid` and `typ`.
    pub(crate) fn sign<T: Serialize>(
        &self,
        typ: &str,
        claims: &T,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        header.typ = Some(typ.to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding)
    }

    /// The key that checks this key's signatures.
    pub(crate) fn decoding(&self) -> &DecodingKey {
        &self.decoding
    }

    /// The key id.
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// The published key set.
    pub(crate) fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk.clone()],
        }
    }
}
