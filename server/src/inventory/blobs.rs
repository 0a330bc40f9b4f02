//! Photo blobs on disk, content-addressed per member and encrypted at rest.
//!
//! **Encrypted, and why.** A blob is a photo of a member's home and belongings: what a
//! burglar would want, and personal data. Each is sealed with XChaCha20-Poly1305 under the
//! server's blob key (a key file of its own, never in the database), so a copy of the
//! blob folder shows nothing without that file, which a deployment keeps apart. The key is the server's, not the
//! member's: the server must read blobs back to restore a new phone, which has no key of the
//! old one.
//!
//! **Per member, and unlinkable.** Blobs live in a folder per member named by a keyed hash
//! (HMAC-SHA256) of the member's subject, and each file is named by a keyed hash of the
//! member's subject and the content's SHA-256. Equal photos of two members are two files
//! with unrelated names and ciphertexts, so the disk never shows that two members hold the
//! same picture, and no one can test whether a known photo is stored without the key.
//! Within one member a blob is stored once, whatever the retries.
//!
//! An upload in progress is a `.part` file of sealed chunk records (`u32 length || nonce ||
//! ciphertext`), each appended and synced before it is acknowledged; a torn record at its
//! end (a crash mid-write) is cut off when the file is next read. Whole, the chunks are
//! opened, checked against the hash, and sealed again as one `.blob` written to a temporary
//! name and renamed.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The largest blob a member may store (a 2048 px rendition is well under 2 MB).
pub(crate) const MAX_BLOB: u64 = 16 * 1024 * 1024;

const NONCE: usize = 24;
const TAG: usize = 16;

/// Why a blob operation failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BlobError {
    /// The chunk's offset is not where the upload stands.
    #[error("the upload stands at another offset")]
    Offset(u64),
    /// The whole does not match its hash, or is larger than announced: discarded.
    #[error("the blob does not match its hash")]
    Mismatch,
    /// Too large, or a bad hash or offset.
    #[error("bad request: {0}")]
    Bad(&'static str),
    /// The disk or the key failed.
    #[error("blob storage failed")]
    Io,
}

impl From<std::io::Error> for BlobError {
    fn from(_: std::io::Error) -> Self {
        BlobError::Io
    }
}

/// Where an upload stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Status {
    pub(crate) received: u64,
    pub(crate) complete: bool,
}

/// The blob folder and its key.
pub(crate) struct Blobs {
    dir: PathBuf,
    key: Zeroizing<[u8; 32]>,
    /// One writer at a time: appends to one `.part` file must not interleave.
    lock: Mutex<()>,
}

impl Blobs {
    /// The blobs under `dir`, sealed with `key`.
    pub(crate) fn new(dir: PathBuf, key: Zeroizing<[u8; 32]>) -> Self {
        Self {
            dir,
            key,
            lock: Mutex::new(()),
        }
    }

    fn keyed(&self, parts: &[&str]) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(self.key.as_slice()) else {
            return String::new();
        };
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p.as_bytes());
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// The paths of blob `sha` of `member`: the whole blob and the upload in progress.
    fn paths(&self, member: &str, sha: &str) -> Result<(PathBuf, PathBuf, String), BlobError> {
        if sha.len() != 64 || !sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(BlobError::Bad("the hash is not 64 lowercase hex digits"));
        }
        let folder = self.dir.join(&self.keyed(&["member", member])[..32]);
        let name = self.keyed(&["blob", member, sha]);
        Ok((
            folder.join(format!("{name}.blob")),
            folder.join(format!("{name}.part")),
            name,
        ))
    }

    fn seal(&self, aad: &str, plain: &[u8]) -> Result<Vec<u8>, BlobError> {
        let nonce: [u8; NONCE] = rand::random();
        let sealed = XChaCha20Poly1305::new((&*self.key).into())
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| BlobError::Io)?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    fn open(&self, aad: &str, sealed: &[u8]) -> Result<Vec<u8>, BlobError> {
        let (nonce, body) = sealed.split_at_checked(NONCE).ok_or(BlobError::Io)?;
        let nonce = XNonce::try_from(nonce).map_err(|_| BlobError::Io)?;
        XChaCha20Poly1305::new((&*self.key).into())
            .decrypt(
                &nonce,
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| BlobError::Io)
    }

    /// The plaintext chunks of an upload in progress; a torn last record is cut off.
    fn chunks(&self, part: &Path, name: &str) -> Result<Vec<Vec<u8>>, BlobError> {
        let mut raw = Vec::new();
        match File::open(part) {
            Ok(mut f) => f.read_to_end(&mut raw)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut chunks = Vec::new();
        let mut at = 0usize;
        while let Some(len) = raw.get(at..at + 4) {
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            let Some(sealed) = raw.get(at + 4..at + 4 + NONCE + len + TAG) else {
                break;
            };
            chunks.push(self.open(name, sealed)?);
            at += 4 + NONCE + len + TAG;
        }
        if at < raw.len() {
            OpenOptions::new()
                .write(true)
                .open(part)?
                .set_len(at as u64)?;
        }
        Ok(chunks)
    }

    /// Where the upload of `sha` stands.
    pub(crate) fn status(&self, member: &str, sha: &str) -> Result<Status, BlobError> {
        let _one = self.lock.lock().map_err(|_| BlobError::Io)?;
        let (whole, part, name) = self.paths(member, sha)?;
        if whole.exists() {
            let size = std::fs::metadata(&whole)?.len();
            return Ok(Status {
                received: size.saturating_sub((NONCE + TAG) as u64),
                complete: true,
            });
        }
        let received = self
            .chunks(&part, &name)?
            .iter()
            .map(|c| c.len() as u64)
            .sum();
        Ok(Status {
            received,
            complete: false,
        })
    }

    /// Appends `chunk` at `offset` of the `total` bytes of blob `sha`; where it stands now.
    /// The last chunk completes it: checked against `sha`, stored once, or discarded.
    pub(crate) fn append(
        &self,
        member: &str,
        sha: &str,
        offset: u64,
        total: u64,
        chunk: &[u8],
    ) -> Result<Status, BlobError> {
        if total == 0 || total > MAX_BLOB {
            return Err(BlobError::Bad("the size is out of bounds"));
        }
        let _one = self.lock.lock().map_err(|_| BlobError::Io)?;
        let (whole, part, name) = self.paths(member, sha)?;
        if whole.exists() {
            return Ok(Status {
                received: total,
                complete: true,
            });
        }
        let chunks = self.chunks(&part, &name)?;
        let received: u64 = chunks.iter().map(|c| c.len() as u64).sum();
        if offset != received {
            return Err(BlobError::Offset(received));
        }
        if chunk.is_empty() || received + chunk.len() as u64 > total {
            let _ = std::fs::remove_file(&part);
            return Err(BlobError::Mismatch);
        }
        if let Some(folder) = part.parent() {
            crate::private_fs::create_dir(folder)?;
        }
        let sealed = self.seal(&name, chunk)?;
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Private like every file of the server, and never through a planted link.
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let mut file = options.open(&part)?;
        file.write_all(&(chunk.len() as u32).to_le_bytes())?;
        file.write_all(&sealed)?;
        file.sync_all()?;
        let received = received + chunk.len() as u64;
        if received < total {
            return Ok(Status {
                received,
                complete: false,
            });
        }
        let mut all = chunks.concat();
        all.extend_from_slice(chunk);
        let _ = std::fs::remove_file(&part);
        if hex::encode(Sha256::digest(&all)) != sha {
            return Err(BlobError::Mismatch);
        }
        let sealed = self.seal(&name, &all)?;
        let folder = whole.parent().ok_or(BlobError::Io)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(folder)?;
        tmp.write_all(&sealed)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&whole).map_err(|_| BlobError::Io)?;
        Ok(Status {
            received,
            complete: true,
        })
    }

    /// The bytes of whole blob `sha` of `member`, if stored.
    pub(crate) fn read(&self, member: &str, sha: &str) -> Result<Option<Vec<u8>>, BlobError> {
        let (whole, _, name) = self.paths(member, sha)?;
        match std::fs::read(&whole) {
            Ok(sealed) => Ok(Some(self.open(&name, &sealed)?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether blob `sha` of `member` is whole.
    pub(crate) fn complete(&self, member: &str, sha: &str) -> bool {
        self.paths(member, sha)
            .is_ok_and(|(whole, _, _)| whole.exists())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn blobs(dir: &Path) -> Blobs {
        Blobs::new(dir.join("blobs"), Zeroizing::new([7u8; 32]))
    }

    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for member in std::fs::read_dir(dir.join("blobs")).unwrap().flatten() {
            for f in std::fs::read_dir(member.path()).unwrap().flatten() {
                out.push(f.path());
            }
        }
        out
    }

    #[test]
    fn equal_photos_of_two_members_are_sealed_apart_and_a_torn_chunk_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let b = blobs(dir.path());
        let photo = b"a photo of a living room, as plain bytes".repeat(50);
        let sha = hex::encode(Sha256::digest(&photo));
        for member in ["kari", "ola"] {
            let st = b
                .append(member, &sha, 0, photo.len() as u64, &photo)
                .unwrap();
            assert!(st.complete);
        }
        let stored = files(dir.path());
        assert_eq!(stored.len(), 2);
        let names: Vec<_> = stored.iter().map(|p| p.file_name().unwrap()).collect();
        assert_ne!(names[0], names[1]);
        assert_ne!(stored[0].parent(), stored[1].parent());
        for path in &stored {
            let raw = std::fs::read(path).unwrap();
            assert!(
                !raw.windows(20).any(|w| w == &photo[..20]),
                "plaintext on disk"
            );
            assert!(
                !path.to_string_lossy().contains(&sha),
                "the hash names a file"
            );
        }
        assert_eq!(b.read("kari", &sha).unwrap().unwrap(), photo);

        // A crash mid-append leaves a torn record: it is cut off, the upload resumes.
        let other = b"another photo".repeat(100);
        let sha2 = hex::encode(Sha256::digest(&other));
        let total = other.len() as u64;
        b.append("kari", &sha2, 0, total, &other[..500]).unwrap();
        let part = files(dir.path())
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "part"))
            .unwrap();
        let mut f = OpenOptions::new().append(true).open(&part).unwrap();
        f.write_all(&[200, 0, 0, 0, 1, 2, 3]).unwrap();
        assert_eq!(b.status("kari", &sha2).unwrap().received, 500);
        let st = b.append("kari", &sha2, 500, total, &other[500..]).unwrap();
        assert!(st.complete);
        assert_eq!(b.read("kari", &sha2).unwrap().unwrap(), other);
        assert!(!part.exists());
    }
}
