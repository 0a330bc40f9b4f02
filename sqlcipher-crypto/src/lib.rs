//! SQLCipher's crypto provider, written on the RustCrypto crates, so the mobile library does
//! not carry OpenSSL beside the crypto it already has.
//!
//! SQLCipher needs four primitives: AES-256-CBC without padding for each page, HMAC
//! (SHA-1, SHA-256 or SHA-512) over each page, PBKDF2-HMAC for the keys, and random bytes for
//! the salt and IVs. OpenSSL's default provider pulled in every algorithm it knows (3 MB of
//! the library for these four). SQLCipher lets a build name its own provider with
//! `-DSQLCIPHER_CRYPTO_CUSTOM=<setup function>` (the workspace's `.cargo/config.toml` sets it
//! through `LIBSQLITE3_FLAGS`); this crate is that setup function. The file format is
//! SQLCipher 4's, unchanged: a test opens a database written by SQLCipher with OpenSSL, and
//! the test command checks the release library has no OpenSSL left in it.
//!
//! Apple platforms keep CommonCrypto, which SQLCipher's build selects there before a custom
//! provider, so the provider is not compiled for them.
//!
//! Every crate that opens SQLite calls [`keep_linked`] once, before its first connection.

// The C ABI SQLCipher calls. Every pointer is checked for null and every length for sign
// before a slice is made from it; nothing here can unwind into C (no panicking call).
#![allow(unsafe_code)]

#[cfg(not(target_vendor = "apple"))]
mod provider;
#[cfg(not(target_vendor = "apple"))]
pub use provider::lofavor_sqlcipher_setup;

/// Keeps the setup function in every link: SQLite's C code is its only caller, and a linker
/// that meets the caller's objects first would otherwise leave it out. Call it before the
/// first SQLite connection. A no-op on Apple platforms (CommonCrypto).
pub fn keep_linked() {
    #[cfg(not(target_vendor = "apple"))]
    std::hint::black_box(lofavor_sqlcipher_setup as *const ());
}
