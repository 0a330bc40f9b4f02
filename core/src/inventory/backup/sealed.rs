//! The encrypted backup file: a header with the Argon2id parameters and salt, then frames of
//! at most [`FRAME`] bytes, each sealed with XChaCha20-Poly1305 under the key derived from
//! the member's passphrase. Each frame's associated data binds the header, its place in the
//! file and whether it is the last, so a frame moved, dropped, repeated or a file cut short
//! is refused. Both ends stream: memory stays at one frame whatever the number of photos.

use std::io::{Read, Write};

use zeroize::Zeroizing;

use crate::inventory::error::InventoryError;

/// The first bytes of every backup file.
pub(crate) const MAGIC: &[u8; 12] = b"LOFAVORBAK1\n";
/// Plain bytes per frame.
pub(crate) const FRAME: usize = 1 << 20;
/// Argon2id cost this version writes: 64 MiB, 3 passes, one lane (above OWASP's minimum and
/// under a second on a phone).
const WRITE_PARAMS: (u32, u32, u32) = (64 * 1024, 3, 1);
/// The most a file may ask for: a forged header cannot make the phone spend more.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_PASSES: u32 = 10;
/// A sealed frame: the nonce, at most a frame, the tag.
const MAX_SEALED: usize = 24 + FRAME + 16;
const HEADER_LEN: usize = 12 + 12 + 16;

fn refused() -> InventoryError {
    InventoryError::Backup("the passphrase does not open this backup, or it was altered")
}

/// A passphrase a member can remember, but not one a guess finds at once.
pub(crate) fn check_passphrase(passphrase: &str) -> Result<(), InventoryError> {
    if passphrase.chars().count() < 8 {
        return Err(InventoryError::InvalidInput(
            "a backup passphrase needs at least 8 characters",
        ));
    }
    Ok(())
}

fn derive(
    passphrase: &str,
    salt: &[u8],
    (memory, passes, lanes): (u32, u32, u32),
) -> Result<Zeroizing<[u8; 32]>, InventoryError> {
    if memory > MAX_MEMORY_KIB || passes > MAX_PASSES || lanes != 1 {
        return Err(InventoryError::Backup(
            "the backup asks for too costly a key",
        ));
    }
    let params = argon2::Params::new(memory, passes, lanes, Some(32))
        .map_err(|_| InventoryError::Backup("the backup's key parameters are invalid"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut_slice())
        .map_err(|_| InventoryError::Backup("the backup key cannot be derived"))?;
    Ok(key)
}

fn aad(header: &[u8], index: u64, last: bool) -> Vec<u8> {
    [header, &index.to_le_bytes(), &[u8::from(last)]].concat()
}

/// Writes a backup file: plain bytes in, sealed frames out. Call [`SealingWriter::finish`].
pub(crate) struct SealingWriter<W: Write> {
    out: W,
    key: Zeroizing<[u8; 32]>,
    header: Vec<u8>,
    buffer: Zeroizing<Vec<u8>>,
    index: u64,
}

impl<W: Write> SealingWriter<W> {
    /// Derives the key from `passphrase` with a new salt and writes the header.
    pub(crate) fn new(mut out: W, passphrase: &str) -> Result<Self, InventoryError> {
        let salt: [u8; 16] = rand::random();
        let key = derive(passphrase, &salt, WRITE_PARAMS)?;
        let (m, t, p) = WRITE_PARAMS;
        let header = [
            MAGIC.as_slice(),
            &m.to_le_bytes(),
            &t.to_le_bytes(),
            &p.to_le_bytes(),
            &salt,
        ]
        .concat();
        out.write_all(&header)?;
        Ok(Self {
            out,
            key,
            header,
            buffer: Zeroizing::new(Vec::with_capacity(FRAME)),
            index: 0,
        })
    }

    fn frame(&mut self, last: bool) -> Result<(), InventoryError> {
        let sealed = lofavor_photo::seal(
            &self.key,
            &aad(&self.header, self.index, last),
            &self.buffer,
        )?;
        self.out.write_all(&[u8::from(last)])?;
        self.out.write_all(
            &u32::try_from(sealed.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        )?;
        self.out.write_all(&sealed)?;
        self.buffer.clear();
        self.index += 1;
        Ok(())
    }

    /// Appends `bytes`.
    pub(crate) fn put(&mut self, mut bytes: &[u8]) -> Result<(), InventoryError> {
        while !bytes.is_empty() {
            let room = FRAME - self.buffer.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.buffer.extend_from_slice(now);
            bytes = later;
            if self.buffer.len() == FRAME {
                self.frame(false)?;
            }
        }
        Ok(())
    }

    /// Seals the last frame and flushes.
    pub(crate) fn finish(mut self) -> Result<W, InventoryError> {
        self.frame(true)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Reads a backup file: sealed frames in, plain bytes out, each frame checked before use.
pub(crate) struct OpeningReader<R: Read> {
    input: R,
    key: Zeroizing<[u8; 32]>,
    header: Vec<u8>,
    plain: Zeroizing<Vec<u8>>,
    at: usize,
    index: u64,
    ended: bool,
}

impl<R: Read> OpeningReader<R> {
    /// Reads the header and derives the key from `passphrase`.
    pub(crate) fn new(mut input: R, passphrase: &str) -> Result<Self, InventoryError> {
        let mut header = vec![0u8; HEADER_LEN];
        input
            .read_exact(&mut header)
            .map_err(|_| InventoryError::Backup("this is not a backup file"))?;
        if &header[..12] != MAGIC {
            return Err(InventoryError::Backup("this is not a backup file"));
        }
        let word = |at: usize| {
            u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
        };
        let params = (word(12), word(16), word(20));
        let key = derive(passphrase, &header[24..40], params)?;
        Ok(Self {
            input,
            key,
            header,
            plain: Zeroizing::new(Vec::new()),
            at: 0,
            index: 0,
            ended: false,
        })
    }

    /// Opens the next frame; false at the end of the file.
    fn next_frame(&mut self) -> Result<bool, InventoryError> {
        if self.ended {
            return Ok(false);
        }
        let mut head = [0u8; 5];
        self.input.read_exact(&mut head).map_err(|_| refused())?;
        let last = match head[0] {
            0 => false,
            1 => true,
            _ => return Err(refused()),
        };
        let len = usize::try_from(u32::from_le_bytes([head[1], head[2], head[3], head[4]]))
            .unwrap_or(usize::MAX);
        if len > MAX_SEALED {
            return Err(refused());
        }
        let mut sealed = vec![0u8; len];
        self.input.read_exact(&mut sealed).map_err(|_| refused())?;
        let plain = lofavor_photo::open(&self.key, &aad(&self.header, self.index, last), &sealed)
            .map_err(|_| refused())?;
        self.plain = Zeroizing::new(plain);
        self.at = 0;
        self.index += 1;
        self.ended = last;
        Ok(true)
    }

    /// Fills `out` exactly; an error when the file ends first.
    pub(crate) fn take(&mut self, out: &mut [u8]) -> Result<(), InventoryError> {
        let mut filled = 0;
        while filled < out.len() {
            if self.at == self.plain.len() && !self.next_frame()? {
                return Err(refused());
            }
            let n = (self.plain.len() - self.at).min(out.len() - filled);
            out[filled..filled + n].copy_from_slice(&self.plain[self.at..self.at + n]);
            self.at += n;
            filled += n;
        }
        Ok(())
    }

    /// Whether every byte was read and the last frame seen (nothing was cut off or added).
    pub(crate) fn at_end(&mut self) -> Result<bool, InventoryError> {
        while self.at == self.plain.len() {
            if !self.next_frame()? {
                let mut extra = [0u8; 1];
                return Ok(self.input.read(&mut extra)? == 0);
            }
        }
        Ok(false)
    }
}
