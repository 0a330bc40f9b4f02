//! The default secure store: the operating system's keystore through keyring-core.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

use super::{SecureStore, SecureStoreError};

/// The keyring service under which all of the core's secrets are filed.
const SERVICE: &str = "no.lofavor.core";

/// The OS keystore: Apple keychain, Android keystore, Linux keyutils, Windows credential
/// manager, whichever this build targets.
///
/// On Android the keyring store needs the app to hand it a JNI context first; the Android
/// shell passes its own Keystore-backed store instead ([`crate::SecureStoreChoice::ShellProvided`]).
/// On Linux the keyutils store lives in kernel memory and does not survive a reboot; the
/// core then reports a missing database key instead of creating a new database.
pub struct OsKeystore {
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for OsKeystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OsKeystore").finish_non_exhaustive()
    }
}

impl OsKeystore {
    /// Opens this platform's keystore; fails where there is none.
    pub fn open() -> Result<Self, SecureStoreError> {
        let store = native_store().map_err(|e| unavailable(&e))?;
        Ok(Self { store })
    }

    fn entry(&self, name: &str) -> Result<Entry, SecureStoreError> {
        self.store
            .build(SERVICE, name, None)
            .map_err(|e| failed(&e))
    }
}

#[cfg(all(target_os = "linux", not(target_os = "android")))]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = linux_keyutils_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "android")]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = android_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "ios")]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::protected::Store::new()?;
    Ok(store)
}

#[cfg(windows)]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    windows
)))]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "no OS keystore on this platform".into(),
    ))
}

/// keyring-core errors carry platform detail but never the secret; keep only their kind.
fn describe(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::NoStorageAccess(_) => "no access to the keystore".into(),
        keyring_core::Error::PlatformFailure(_) => "the keystore reported a failure".into(),
        keyring_core::Error::NotSupportedByStore(_) => "not supported by this keystore".into(),
        _ => "keystore error".into(),
    }
}

fn unavailable(e: &keyring_core::Error) -> SecureStoreError {
    SecureStoreError::Unavailable(describe(e))
}

fn failed(e: &keyring_core::Error) -> SecureStoreError {
    match e {
        keyring_core::Error::NoStorageAccess(_) => unavailable(e),
        _ => SecureStoreError::Failed(describe(e)),
    }
}

impl SecureStore for OsKeystore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecureStoreError> {
        match self.entry(name)?.get_secret() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(failed(&e)),
        }
    }

    fn put(&self, name: &str, secret: &[u8]) -> Result<(), SecureStoreError> {
        self.entry(name)?.set_secret(secret).map_err(|e| failed(&e))
    }

    fn delete(&self, name: &str) -> Result<(), SecureStoreError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(failed(&e)),
        }
    }
}
