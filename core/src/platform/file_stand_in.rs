//! The desktop stand-in for a keystore: secrets in one file only its owner may read.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{SecureStore, SecureStoreError};

/// A file-backed stand-in for machines with no keystore (a headless desktop, CI).
///
/// It is *not* secure against anyone who can read the file: secrets are stored hex-encoded
/// in JSON with mode 0600. It exists so the terminal shell can keep a login across runs on
/// such machines, and is chosen only by
/// [`crate::SecureStoreChoice::InsecureFileStandIn`]. Writes are atomic (temporary file,
/// then rename), so a process killed mid-write leaves the old file whole.
#[derive(Debug)]
pub struct InsecureFileStandInStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl InsecureFileStandInStore {
    /// A store kept in `path`; the file is created on the first `put`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    fn read(&self) -> Result<BTreeMap<String, String>, SecureStoreError> {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|_| SecureStoreError::Failed("stand-in secrets file is malformed".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(SecureStoreError::Unavailable(format!(
                "stand-in secrets file unreadable ({})",
                e.kind()
            ))),
        }
    }

    fn write(&self, secrets: &BTreeMap<String, String>) -> Result<(), SecureStoreError> {
        let failed = |e: std::io::Error| {
            SecureStoreError::Failed(format!("stand-in secrets file ({})", e.kind()))
        };
        let bytes = serde_json::to_vec_pretty(secrets)
            .map_err(|_| SecureStoreError::Failed("cannot encode stand-in secrets".into()))?;
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(failed)?;
        }
        let tmp = tmp_path(&self.path);
        {
            let mut file = open_private(&tmp).map_err(failed)?;
            file.write_all(&bytes).map_err(failed)?;
            file.sync_all().map_err(failed)?;
        }
        fs::rename(&tmp, &self.path).map_err(failed)
    }

    fn with_lock<T>(
        &self,
        f: impl FnOnce() -> Result<T, SecureStoreError>,
    ) -> Result<T, SecureStoreError> {
        let _guard = self
            .lock
            .lock()
            .map_err(|_| SecureStoreError::Failed("stand-in lock poisoned".into()))?;
        f()
    }
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    fs::File::create(path)
}

impl SecureStore for InsecureFileStandInStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecureStoreError> {
        self.with_lock(|| {
            let secrets = self.read()?;
            match secrets.get(name) {
                None => Ok(None),
                Some(text) => hex::decode(text).map(Some).map_err(|_| {
                    SecureStoreError::Failed("stand-in secret is not valid hex".into())
                }),
            }
        })
    }

    fn put(&self, name: &str, secret: &[u8]) -> Result<(), SecureStoreError> {
        self.with_lock(|| {
            let mut secrets = self.read()?;
            secrets.insert(name.to_owned(), hex::encode(secret));
            self.write(&secrets)
        })
    }

    fn delete(&self, name: &str) -> Result<(), SecureStoreError> {
        self.with_lock(|| {
            let mut secrets = self.read()?;
            if secrets.remove(name).is_some() {
                self.write(&secrets)?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_a_new_instance_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let store = InsecureFileStandInStore::new(&path);
        assert_eq!(store.get("a").unwrap(), None);
        store.put("a", &[1, 2, 3]).unwrap();
        store.put("b", b"xyz").unwrap();
        let again = InsecureFileStandInStore::new(&path);
        assert_eq!(again.get("a").unwrap(), Some(vec![1, 2, 3]));
        again.delete("a").unwrap();
        again.delete("missing").unwrap();
        assert_eq!(store.get("a").unwrap(), None);
        assert_eq!(store.get("b").unwrap(), Some(b"xyz".to_vec()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn malformed_file_is_an_error_not_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        fs::write(&path, b"{not json").unwrap();
        let store = InsecureFileStandInStore::new(&path);
        assert!(matches!(store.get("a"), Err(SecureStoreError::Failed(_))));
        // and a put does not overwrite what it could not read
        assert!(store.put("a", b"1").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"{not json");
    }
}
