//! Private signing keys in files of their own, outside the database.
//!
//! Each key is one P-256 key in one file, `keys/<name>.p8` beside the database: PKCS#8 DER,
//! mode 0600, in a directory of mode 0700. The database is plain SQLite that tools and tests
//! open, copy and dump; a key kept apart from it is not carried along with the member records,
//! and can be moved to another volume (or replaced by an HSM-backed one) on its own.
//!
//! A key file is written once and never changed: through a temporary file of a unique name,
//! created exclusively with mode 0600 (so no other user ever sees a readable file, whatever the
//! umask), flushed, then linked into place only if nothing is there yet. A file that is
//! readable by other users, or a symbolic link, is refused when loaded.
//!
//! [`KeyDir::load_or_create`] is the one call for a key a server needs exactly one of (a trust
//! anchor); rotating keys (the roadside issuer keys) use [`KeyDir::create`] and
//! [`KeyDir::load`] with a name per key.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use p256::ecdsa::SigningKey;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

/// The extension of a key file: PKCS#8, DER.
const EXTENSION: &str = "p8";
/// Longest key file name accepted (without the extension).
const MAX_NAME: usize = 64;
/// Largest key file read: a P-256 PKCS#8 key is under 200 bytes.
const MAX_FILE: u64 = 4096;

/// Why a key file could not be read or written. The texts name the key, never its content.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// The name is not one of lower-case letters, digits and `-` (at most 64).
    #[error("key name {0:?} is not allowed")]
    BadName(String),
    /// A file-system failure.
    #[error("key file {name}: {source}")]
    Io {
        /// The key's name.
        name: String,
        /// What failed.
        source: std::io::Error,
    },
    /// The file does not hold a P-256 private key in PKCS#8 DER.
    #[error("key file {0} is not a P-256 private key (PKCS#8 DER)")]
    Malformed(String),
    /// The file may be read by other users, or is not a regular file.
    #[error(
        "key file {0} is readable by other users or is not a regular file; it must be a file of mode 0600"
    )]
    Exposed(String),
    /// A key of this name exists already (keys are never overwritten).
    #[error("key file {0} exists already")]
    Exists(String),
}

/// The directory of the server's key files, with the keys read so far kept in memory (a key
/// file never changes once written).
pub(crate) struct KeyDir {
    path: PathBuf,
    loaded: Mutex<HashMap<String, SigningKey>>,
}

impl std::fmt::Debug for KeyDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyDir")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A fresh P-256 signing key.
pub(crate) fn generate() -> SigningKey {
    // Random bytes are a valid scalar unless zero or at least the group order, which a
    // uniform draw hits with a probability of about 2^-32; draw again then.
    loop {
        let bytes = Zeroizing::new(rand::random::<[u8; 32]>());
        if let Ok(key) = SigningKey::from_slice(bytes.as_slice()) {
            return key;
        }
    }
}

fn check_name(name: &str) -> Result<(), KeyFileError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(KeyFileError::BadName(name.to_owned()))
    }
}

impl KeyDir {
    /// The key directory at `path`, created with mode 0700 if missing.
    pub(crate) fn open(path: impl Into<PathBuf>) -> Result<Self, KeyFileError> {
        let path = path.into();
        crate::private_fs::create_dir(&path).map_err(|source| KeyFileError::Io {
            name: "directory".into(),
            source,
        })?;
        Ok(Self {
            path,
            loaded: Mutex::new(HashMap::new()),
        })
    }

    fn file(&self, name: &str) -> PathBuf {
        self.path.join(format!("{name}.{EXTENSION}"))
    }

    fn remember(&self, name: &str, key: &SigningKey) {
        // The map only caches files, so one left by a panicking holder is still right.
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        loaded.insert(name.to_owned(), key.clone());
    }

    /// The key `name`, or `None` if there is no such file.
    pub(crate) fn load(&self, name: &str) -> Result<Option<SigningKey>, KeyFileError> {
        check_name(name)?;
        {
            let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(key) = loaded.get(name) {
                return Ok(Some(key.clone()));
            }
        }
        let io = |source| KeyFileError::Io {
            name: name.to_owned(),
            source,
        };
        let mut file = match open_no_follow(&self.file(name)) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            // A symbolic link in the key's place (ELOOP with O_NOFOLLOW).
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(KeyFileError::Exposed(name.to_owned()));
            }
            Err(e) => return Err(io(e)),
        };
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() || exposed(&meta) {
            return Err(KeyFileError::Exposed(name.to_owned()));
        }
        let mut der = Zeroizing::new(Vec::with_capacity(256));
        (&mut file)
            .take(MAX_FILE)
            .read_to_end(&mut der)
            .map_err(io)?;
        let key = SigningKey::from_pkcs8_der(&der)
            .map_err(|_| KeyFileError::Malformed(name.to_owned()))?;
        self.remember(name, &key);
        Ok(Some(key))
    }

    /// Writes `key` as the key `name`; refuses if that key exists already.
    pub(crate) fn create(&self, name: &str, key: &SigningKey) -> Result<(), KeyFileError> {
        check_name(name)?;
        let io = |source| KeyFileError::Io {
            name: name.to_owned(),
            source,
        };
        let der = key
            .to_pkcs8_der()
            .map_err(|_| KeyFileError::Malformed(name.to_owned()))?;
        // tempfile creates the file with O_EXCL and mode 0600 under a random name.
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(&self.path)
            .map_err(io)?;
        temp.write_all(der.as_bytes()).map_err(io)?;
        temp.as_file().sync_all().map_err(io)?;
        temp.persist_noclobber(self.file(name))
            .map_err(|e| match e.error.kind() {
                ErrorKind::AlreadyExists => KeyFileError::Exists(name.to_owned()),
                _ => io(e.error),
            })?;
        // The new name must survive a crash as well as the content.
        File::open(&self.path)
            .and_then(|dir| dir.sync_all())
            .map_err(io)?;
        self.remember(name, key);
        Ok(())
    }

    /// The key `name`, made and written first if there is none yet. Two callers racing to
    /// make it end with the same key: the second one's write is refused and it reads the first.
    // For keys a server has one of; the roadside keys rotate and name each key instead.
    pub(crate) fn load_or_create(&self, name: &str) -> Result<SigningKey, KeyFileError> {
        if let Some(key) = self.load(name)? {
            return Ok(key);
        }
        let key = generate();
        match self.create(name, &key) {
            Ok(()) => {
                log::info!(target: "lofavor_server", "new signing key {name}");
                Ok(key)
            }
            Err(KeyFileError::Exists(_)) => self
                .load(name)?
                .ok_or_else(|| KeyFileError::Malformed(name.to_owned())),
            Err(e) => Err(e),
        }
    }
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

#[cfg(unix)]
fn exposed(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o077 != 0
}

#[cfg(not(unix))]
fn exposed(_meta: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_key_is_written_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::open(dir.path().join("keys")).unwrap();
        let made = keys.load_or_create("trust-anchor").unwrap();
        // A fresh reader (no cache) finds the same key in the file.
        let again = KeyDir::open(dir.path().join("keys"))
            .unwrap()
            .load_or_create("trust-anchor")
            .unwrap();
        assert_eq!(made.verifying_key(), again.verifying_key());
        assert!(matches!(
            keys.create("trust-anchor", &generate()),
            Err(KeyFileError::Exists(_))
        ));
        // Nothing but the key file is left behind (no temporary files).
        let names: Vec<_> = std::fs::read_dir(dir.path().join("keys"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["trust-anchor.p8"]);
    }

    #[test]
    fn names_that_could_leave_the_directory_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::open(dir.path()).unwrap();
        for name in ["../x", "a/b", "", "A", "x.p8", &"a".repeat(65)] {
            assert!(
                matches!(keys.load_or_create(name), Err(KeyFileError::BadName(_))),
                "{name}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_readable_or_linked_key_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::open(dir.path()).unwrap();
        keys.create("one", &generate()).unwrap();
        let file = dir.path().join("one.p8");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let fresh = KeyDir::open(dir.path()).unwrap();
        assert!(matches!(fresh.load("one"), Err(KeyFileError::Exposed(_))));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::os::unix::fs::symlink(&file, dir.path().join("two.p8")).unwrap();
        assert!(matches!(fresh.load("two"), Err(KeyFileError::Exposed(_))));
        assert!(fresh.load("one").unwrap().is_some());
        std::fs::write(dir.path().join("three.p8"), b"not a key").unwrap();
        std::fs::set_permissions(
            dir.path().join("three.p8"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        assert!(matches!(
            fresh.load("three"),
            Err(KeyFileError::Malformed(_))
        ));
    }
}
