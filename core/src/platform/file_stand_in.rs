//! The desktop stand-in for a keystore: secrets in one file only its owner may read.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{SecureStore, SecureStoreError};

/// A file-backed stand-in for machines with no keystore (a headless desktop, CI).
///
/// It is *not* secure against anyone who can read the file: secrets are stored hex-encoded
/// in JSON with mode 0600. It exists so the terminal shell can keep a login across runs on
/// such machines, and is chosen only by
/// [`crate::SecureStoreChoice::InsecureFileStandIn`].
///
/// Every write goes to a new temporary file with a unique name beside the target, created
/// exclusively (so never through a link someone planted) and readable only by its owner,
/// and is then renamed over the target (which replaces a link there rather than writing
/// through it). A process killed mid-write leaves the old file whole, and two processes
/// writing at once never mix their bytes: the last rename wins. A link at the target is
/// refused when reading.
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
        match read_no_follow(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|_| SecureStoreError::Failed("stand-in secrets file is malformed".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(SecureStoreError::Unavailable(format!(
                "stand-in secrets file unreadable ({}; a symbolic link is refused)",
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
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir).map_err(failed)?;
        // O_CREAT | O_EXCL with a random name, mode 0600 (tempfile's defaults on Unix).
        let mut tmp = tempfile::Builder::new()
            .prefix(".stand-in-secrets.")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(failed)?;
        tmp.write_all(&bytes).map_err(failed)?;
        tmp.as_file().sync_all().map_err(failed)?;
        tmp.persist(&self.path).map_err(|e| failed(e.error))?;
        Ok(())
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

/// The bytes of the file at `path`, refusing to follow a symbolic link there.
#[cfg(unix)]
fn read_no_follow(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The bytes of the file at `path`, refusing a symbolic link there.
#[cfg(not(unix))]
fn read_no_follow(path: &Path) -> std::io::Result<Vec<u8>> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("symbolic link"));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
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
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("secrets.json")]);
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

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"precious").unwrap();
        let path = dir.path().join("secrets.json");
        // A link at the old fixed temporary name: writing through it used to clobber the
        // victim with the secrets.
        std::os::unix::fs::symlink(&victim, dir.path().join("secrets.json.tmp")).unwrap();
        let store = InsecureFileStandInStore::new(&path);
        store.put("a", b"1").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(store.get("a").unwrap(), Some(b"1".to_vec()));

        // A link at the target itself is refused on reading, and a write replaces the link
        // instead of writing into the file it points at.
        fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert!(matches!(
            store.get("a"),
            Err(SecureStoreError::Unavailable(_))
        ));
        assert!(
            store.put("a", b"1").is_err(),
            "nothing read, nothing written"
        );
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
    }

    #[test]
    fn many_writers_at_once_leave_a_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let writers: Vec<_> = (0..16)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    // Separate instances: like separate processes, they share no lock.
                    let store = InsecureFileStandInStore::new(&path);
                    for j in 0..20 {
                        store.put(&format!("w{i}"), &[j]).unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        // Last rename wins, but the file always parses.
        let store = InsecureFileStandInStore::new(&path);
        assert!(store.get("w0").is_ok());
    }
}
