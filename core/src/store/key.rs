//! The database key: 32 random bytes, kept only in the secure store.

use rand::TryRngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::StoreError;

/// The SQLCipher key of the local database. Zeroed when dropped.
pub(crate) struct DatabaseKey(Zeroizing<Vec<u8>>);

/// Length of the key in bytes (a raw 256-bit SQLCipher key: no passphrase derivation).
const KEY_LEN: usize = 32;

impl DatabaseKey {
    /// A fresh random key straight from the operating system's generator.
    pub(crate) fn generate() -> Result<Self, StoreError> {
        let mut bytes = Zeroizing::new(vec![0u8; KEY_LEN]);
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|_| StoreError::NoRandomness)?;
        Ok(Self(bytes))
    }

    /// A key read back from the secure store.
    pub(crate) fn from_secret(bytes: Vec<u8>) -> Result<Self, StoreError> {
        let bytes = Zeroizing::new(bytes);
        if bytes.len() != KEY_LEN {
            return Err(StoreError::KeyMalformed);
        }
        Ok(Self(bytes))
    }

    /// The bytes, for handing to the secure store.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The statement that hands the raw key to SQLCipher (`x'..'` skips its passphrase
    /// derivation, which a random key does not need and which would cost ~100 ms per open).
    pub(crate) fn pragma_statement(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex::encode(&*self.0)))
    }

    /// A one-way check value kept beside the database: it tells a wrong key apart from a
    /// corrupt file without revealing anything about the key.
    pub(crate) fn check_value(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"lofavor-db-keycheck-v1\0");
        hasher.update(&*self.0);
        hex::encode(&hasher.finalize()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_checked_by_length() {
        let a = DatabaseKey::generate().unwrap();
        let b = DatabaseKey::generate().unwrap();
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert_ne!(a.check_value(), b.check_value());
        assert!(matches!(
            DatabaseKey::from_secret(vec![1; 16]),
            Err(StoreError::KeyMalformed)
        ));
        let again = DatabaseKey::from_secret(a.as_bytes().to_vec()).unwrap();
        assert_eq!(again.check_value(), a.check_value());
        assert!(!a.check_value().contains(&hex::encode(&a.as_bytes()[..4])));
    }
}
