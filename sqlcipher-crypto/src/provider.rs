//! The provider's functions, as SQLCipher's C code calls them.

#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_int, c_void};

use aes::Aes256;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use hmac::{Hmac, Mac};

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;
const SQLCIPHER_ENCRYPT: c_int = 1;
const HMAC_SHA1: c_int = 0;
const HMAC_SHA256: c_int = 1;
const HMAC_SHA512: c_int = 2;
const KEY_SIZE: c_int = 32;
const BLOCK_SIZE: c_int = 16;

const NAME: &CStr = c"lofavor-rustcrypto";
const CIPHER: &CStr = c"aes-256-cbc";
const VERSION: &CStr = c"1";

/// SQLCipher's `struct sqlcipher_provider` (sqlcipher.h), field for field. Only the setup
/// function writes it; SQLCipher allocates it and owns it.
#[repr(C)]
pub struct SqlcipherProvider {
    init: Option<unsafe extern "C" fn() -> c_int>,
    shutdown: Option<unsafe extern "C" fn()>,
    get_provider_name: Option<unsafe extern "C" fn(*mut c_void) -> *const c_char>,
    add_random: Option<unsafe extern "C" fn(*mut c_void, *const c_void, c_int) -> c_int>,
    random: Option<unsafe extern "C" fn(*mut c_void, *mut c_void, c_int) -> c_int>,
    hmac: Option<
        unsafe extern "C" fn(
            *mut c_void,
            c_int,
            *const u8,
            c_int,
            *const u8,
            c_int,
            *const u8,
            c_int,
            *mut u8,
        ) -> c_int,
    >,
    kdf: Option<
        unsafe extern "C" fn(
            *mut c_void,
            c_int,
            *const u8,
            c_int,
            *const u8,
            c_int,
            c_int,
            c_int,
            *mut u8,
        ) -> c_int,
    >,
    cipher: Option<
        unsafe extern "C" fn(
            *mut c_void,
            c_int,
            *const u8,
            c_int,
            *const u8,
            *const u8,
            c_int,
            *mut u8,
        ) -> c_int,
    >,
    get_cipher: Option<unsafe extern "C" fn(*mut c_void) -> *const c_char>,
    get_key_sz: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_iv_sz: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_block_sz: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_hmac_sz: Option<unsafe extern "C" fn(*mut c_void, c_int) -> c_int>,
    ctx_init: Option<unsafe extern "C" fn(*mut *mut c_void) -> c_int>,
    ctx_free: Option<unsafe extern "C" fn(*mut *mut c_void) -> c_int>,
    fips_status: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    get_provider_version: Option<unsafe extern "C" fn(*mut c_void) -> *const c_char>,
    next: *mut SqlcipherProvider,
}

/// Fills SQLCipher's provider table with this module's functions. SQLCipher calls it once,
/// when SQLite initialises, through `SQLCIPHER_CRYPTO_CUSTOM`.
///
/// # Safety
/// `provider` is null or points to a `sqlcipher_provider` SQLCipher allocated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lofavor_sqlcipher_setup(provider: *mut SqlcipherProvider) -> c_int {
    // SAFETY: SQLCipher passes its freshly allocated provider; null is refused.
    let Some(p) = (unsafe { provider.as_mut() }) else {
        return SQLITE_ERROR;
    };
    p.init = None;
    p.shutdown = None;
    p.get_provider_name = Some(provider_name);
    p.add_random = Some(add_random);
    p.random = Some(random);
    p.hmac = Some(hmac);
    p.kdf = Some(kdf);
    p.cipher = Some(cipher);
    p.get_cipher = Some(cipher_name);
    p.get_key_sz = Some(key_size);
    p.get_iv_sz = Some(block_size);
    p.get_block_sz = Some(block_size);
    p.get_hmac_sz = Some(hmac_size);
    p.ctx_init = Some(ctx_init);
    p.ctx_free = Some(ctx_free);
    p.fips_status = Some(fips_status);
    p.get_provider_version = Some(provider_version);
    SQLITE_OK
}

/// A slice from SQLCipher's pointer and length; `None` for a null pointer or a negative
/// length. A zero length gives an empty slice whatever the pointer.
///
/// # Safety
/// A non-null `ptr` points to at least `len` readable bytes for the call's duration.
unsafe fn bytes<'a>(ptr: *const u8, len: c_int) -> Option<&'a [u8]> {
    let len = usize::try_from(len).ok()?;
    if len == 0 {
        return Some(&[]);
    }
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-null, and SQLCipher guarantees `len` bytes behind it.
    Some(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A writable slice from SQLCipher's pointer and length, as [`bytes`].
///
/// # Safety
/// A non-null `ptr` points to at least `len` writable bytes no one else reads meanwhile.
unsafe fn bytes_mut<'a>(ptr: *mut u8, len: usize) -> Option<&'a mut [u8]> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-null, and SQLCipher guarantees `len` writable bytes behind it.
    Some(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

unsafe extern "C" fn provider_name(_ctx: *mut c_void) -> *const c_char {
    NAME.as_ptr()
}

unsafe extern "C" fn provider_version(_ctx: *mut c_void) -> *const c_char {
    VERSION.as_ptr()
}

unsafe extern "C" fn cipher_name(_ctx: *mut c_void) -> *const c_char {
    CIPHER.as_ptr()
}

/// The operating system's generator is the only source; extra entropy SQLCipher offers
/// (`PRAGMA cipher_add_random`) is accepted and not needed.
unsafe extern "C" fn add_random(_ctx: *mut c_void, _buffer: *const c_void, _len: c_int) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn random(_ctx: *mut c_void, buffer: *mut c_void, len: c_int) -> c_int {
    let Ok(len) = usize::try_from(len) else {
        return SQLITE_ERROR;
    };
    // SAFETY: SQLCipher asks for `len` bytes into its buffer.
    let Some(out) = (unsafe { bytes_mut(buffer.cast(), len) }) else {
        return if len == 0 { SQLITE_OK } else { SQLITE_ERROR };
    };
    match getrandom::fill(out) {
        Ok(()) => SQLITE_OK,
        Err(_) => SQLITE_ERROR,
    }
}

/// HMAC of `parts` under `key` into `out`, which has the MAC's size. False if it does not.
fn mac_into<M: Mac + hmac::digest::KeyInit>(key: &[u8], parts: [&[u8]; 2], out: &mut [u8]) -> bool {
    // HMAC takes keys of any length, so this never refuses.
    let Ok(mut mac) = <M as Mac>::new_from_slice(key) else {
        return false;
    };
    for part in parts {
        mac.update(part);
    }
    let tag = mac.finalize().into_bytes();
    if tag.len() != out.len() {
        return false;
    }
    out.copy_from_slice(&tag);
    true
}

#[allow(clippy::too_many_arguments)] // SQLCipher's signature
unsafe extern "C" fn hmac(
    _ctx: *mut c_void,
    algorithm: c_int,
    key: *const u8,
    key_len: c_int,
    in1: *const u8,
    in1_len: c_int,
    in2: *const u8,
    in2_len: c_int,
    out: *mut u8,
) -> c_int {
    if in1.is_null() {
        return SQLITE_ERROR;
    }
    let size = hmac_size(std::ptr::null_mut(), algorithm);
    // SAFETY: the lengths are SQLCipher's for its own buffers; `out` holds the MAC's size.
    let (Some(key), Some(in1), Some(in2), Some(out)) = (unsafe {
        (
            bytes(key, key_len),
            bytes(in1, in1_len),
            if in2.is_null() {
                Some(&[][..])
            } else {
                bytes(in2, in2_len)
            },
            bytes_mut(out, usize::try_from(size).unwrap_or(0)),
        )
    }) else {
        return SQLITE_ERROR;
    };
    let done = match algorithm {
        HMAC_SHA1 => mac_into::<Hmac<sha1::Sha1>>(key, [in1, in2], out),
        HMAC_SHA256 => mac_into::<Hmac<sha2::Sha256>>(key, [in1, in2], out),
        HMAC_SHA512 => mac_into::<Hmac<sha2::Sha512>>(key, [in1, in2], out),
        _ => false,
    };
    if done { SQLITE_OK } else { SQLITE_ERROR }
}

#[allow(clippy::too_many_arguments)] // SQLCipher's signature
unsafe extern "C" fn kdf(
    _ctx: *mut c_void,
    algorithm: c_int,
    pass: *const u8,
    pass_len: c_int,
    salt: *const u8,
    salt_len: c_int,
    iterations: c_int,
    key_len: c_int,
    key: *mut u8,
) -> c_int {
    let (Ok(rounds), Ok(key_len)) = (u32::try_from(iterations), usize::try_from(key_len)) else {
        return SQLITE_ERROR;
    };
    if rounds == 0 {
        return SQLITE_ERROR;
    }
    // SAFETY: the lengths are SQLCipher's for its own buffers.
    let (Some(pass), Some(salt), Some(key)) = (unsafe {
        (
            bytes(pass, pass_len),
            bytes(salt, salt_len),
            bytes_mut(key, key_len),
        )
    }) else {
        return SQLITE_ERROR;
    };
    let derived = match algorithm {
        HMAC_SHA1 => pbkdf2::pbkdf2::<Hmac<sha1::Sha1>>(pass, salt, rounds, key),
        HMAC_SHA256 => pbkdf2::pbkdf2::<Hmac<sha2::Sha256>>(pass, salt, rounds, key),
        HMAC_SHA512 => pbkdf2::pbkdf2::<Hmac<sha2::Sha512>>(pass, salt, rounds, key),
        _ => return SQLITE_ERROR,
    };
    match derived {
        Ok(()) => SQLITE_OK,
        Err(_) => SQLITE_ERROR,
    }
}

#[allow(clippy::too_many_arguments)] // SQLCipher's signature
unsafe extern "C" fn cipher(
    _ctx: *mut c_void,
    mode: c_int,
    key: *const u8,
    key_len: c_int,
    iv: *const u8,
    input: *const u8,
    len: c_int,
    out: *mut u8,
) -> c_int {
    if key_len != KEY_SIZE || len % BLOCK_SIZE != 0 {
        return SQLITE_ERROR;
    }
    let Ok(size) = usize::try_from(len) else {
        return SQLITE_ERROR;
    };
    // SAFETY: SQLCipher passes a 32-byte key, a 16-byte IV and two page-sized buffers.
    let (Some(key), Some(iv), Some(input), Some(out)) = (unsafe {
        (
            bytes(key, KEY_SIZE),
            bytes(iv, BLOCK_SIZE),
            bytes(input, len),
            bytes_mut(out, size),
        )
    }) else {
        return SQLITE_ERROR;
    };
    let done = if mode == SQLCIPHER_ENCRYPT {
        cbc::Encryptor::<Aes256>::new_from_slices(key, iv)
            .ok()
            .and_then(|c| c.encrypt_padded_b2b_mut::<NoPadding>(input, out).ok())
            .is_some()
    } else {
        cbc::Decryptor::<Aes256>::new_from_slices(key, iv)
            .ok()
            .and_then(|c| c.decrypt_padded_b2b_mut::<NoPadding>(input, out).ok())
            .is_some()
    };
    if done { SQLITE_OK } else { SQLITE_ERROR }
}

unsafe extern "C" fn key_size(_ctx: *mut c_void) -> c_int {
    KEY_SIZE
}

unsafe extern "C" fn block_size(_ctx: *mut c_void) -> c_int {
    BLOCK_SIZE
}

extern "C" fn hmac_size(_ctx: *mut c_void, algorithm: c_int) -> c_int {
    match algorithm {
        HMAC_SHA1 => 20,
        HMAC_SHA256 => 32,
        HMAC_SHA512 => 64,
        _ => 0,
    }
}

/// No per-database state: every call is self-contained.
unsafe extern "C" fn ctx_init(_ctx: *mut *mut c_void) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn ctx_free(_ctx: *mut *mut c_void) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn fips_status(_ctx: *mut c_void) -> c_int {
    0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use rusqlite::Connection;

    fn keep_linked() {
        crate::keep_linked();
    }

    /// The raw key `testdata/make_openssl_fixture.py` wrote its database with.
    const OPENSSL_FIXTURE_KEY: &str =
        "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe";
    const OPENSSL_FIXTURE: &[u8] = include_bytes!("../testdata/sqlcipher4-openssl.db");

    fn open(path: &std::path::Path, key_pragma: &str) -> rusqlite::Result<Connection> {
        keep_linked();
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.execute_batch(key_pragma)?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(conn)
    }

    fn raw_key(hex: &str) -> String {
        format!("PRAGMA key = \"x'{hex}'\";")
    }

    #[test]
    fn sqlcipher_runs_on_the_cores_provider_not_openssl() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("a.db"), &raw_key(OPENSSL_FIXTURE_KEY)).unwrap();
        let provider: String = conn
            .query_row("PRAGMA cipher_provider", [], |r| r.get(0))
            .unwrap();
        assert_eq!(provider, "lofavor-rustcrypto");
    }

    #[test]
    fn a_database_sqlcipher_wrote_with_openssl_opens_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("openssl.db");
        std::fs::write(&path, OPENSSL_FIXTURE).unwrap();
        let conn = open(&path, &raw_key(OPENSSL_FIXTURE_KEY)).unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM fixture", [], |r| r.get(0))
            .unwrap();
        let first: String = conn
            .query_row("SELECT text FROM fixture WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 201);
        assert_eq!(first, "æøå written by SQLCipher with OpenSSL");
        // And it stays readable by SQLCipher after this provider wrote to it.
        conn.execute("INSERT INTO fixture (text) VALUES ('more')", [])
            .unwrap();
        drop(conn);
        let conn = open(&path, &raw_key(OPENSSL_FIXTURE_KEY)).unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM fixture", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 202);
    }

    #[test]
    fn a_wrong_key_or_a_flipped_byte_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("openssl.db");
        std::fs::write(&path, OPENSSL_FIXTURE).unwrap();
        let wrong = OPENSSL_FIXTURE_KEY.replace('2', "3");
        assert!(open(&path, &raw_key(&wrong)).is_err());

        // One bit of page 1's ciphertext changed: the page's HMAC no longer verifies.
        let mut damaged = OPENSSL_FIXTURE.to_vec();
        damaged[100] ^= 0x01;
        std::fs::write(&path, damaged).unwrap();
        assert!(open(&path, &raw_key(OPENSSL_FIXTURE_KEY)).is_err());
    }

    #[test]
    fn every_hmac_and_kdf_sqlcipher_offers_round_trips_with_a_passphrase() {
        for (hmac, kdf) in [
            ("HMAC_SHA1", "PBKDF2_HMAC_SHA1"),
            ("HMAC_SHA256", "PBKDF2_HMAC_SHA256"),
            ("HMAC_SHA512", "PBKDF2_HMAC_SHA512"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("p.db");
            // Few KDF rounds: the derivation is the same code at any count.
            let settings = format!(
                "PRAGMA key = 'correct horse'; PRAGMA kdf_iter = 1000; \
                 PRAGMA cipher_hmac_algorithm = {hmac}; PRAGMA cipher_kdf_algorithm = {kdf};"
            );
            let conn = open(&path, &settings).unwrap();
            conn.execute_batch("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('secret-marker');")
                .unwrap();
            drop(conn);
            let bytes = std::fs::read(&path).unwrap();
            assert!(!bytes.windows(13).any(|w| w == b"secret-marker"), "{hmac}");
            let conn = open(&path, &settings).unwrap();
            let x: String = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
            assert_eq!(x, "secret-marker", "{hmac}");
            drop(conn);
            let wrong = settings.replace("correct horse", "correct horsf");
            assert!(open(&path, &wrong).is_err(), "{hmac}");
        }
    }

    #[test]
    fn bad_arguments_from_c_are_refused_not_trusted() {
        let mut out = [0u8; 64];
        // SAFETY (test): null and negative inputs must be refused before any read.
        unsafe {
            assert_eq!(
                super::hmac(
                    std::ptr::null_mut(),
                    2,
                    [1u8; 4].as_ptr(),
                    4,
                    std::ptr::null(),
                    10,
                    std::ptr::null(),
                    0,
                    out.as_mut_ptr()
                ),
                super::SQLITE_ERROR
            );
            assert_eq!(
                super::hmac(
                    std::ptr::null_mut(),
                    9,
                    [1u8; 4].as_ptr(),
                    4,
                    [1u8; 4].as_ptr(),
                    4,
                    std::ptr::null(),
                    0,
                    out.as_mut_ptr()
                ),
                super::SQLITE_ERROR
            );
            assert_eq!(
                super::cipher(
                    std::ptr::null_mut(),
                    1,
                    [0u8; 32].as_ptr(),
                    32,
                    [0u8; 16].as_ptr(),
                    [0u8; 15].as_ptr(),
                    15,
                    out.as_mut_ptr()
                ),
                super::SQLITE_ERROR,
                "not a whole number of blocks"
            );
            assert_eq!(
                super::kdf(
                    std::ptr::null_mut(),
                    2,
                    [1u8; 4].as_ptr(),
                    -1,
                    [1u8; 4].as_ptr(),
                    4,
                    1,
                    32,
                    out.as_mut_ptr()
                ),
                super::SQLITE_ERROR
            );
            assert_eq!(
                super::lofavor_sqlcipher_setup(std::ptr::null_mut()),
                super::SQLITE_ERROR
            );
        }
    }
}
