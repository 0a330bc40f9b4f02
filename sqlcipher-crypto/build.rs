//! Satisfies the `-lcrypto` libsqlite3-sys asks the linker for, with an empty archive.
//!
//! With `bundled-sqlcipher` and no vendored OpenSSL, libsqlite3-sys's build script tells the
//! linker to link the system's libcrypto on every platform but Apple, whichever crypto
//! provider SQLCipher is compiled with. Android has no libcrypto to link, and this workspace
//! needs none: SQLCipher runs on this crate's provider (`SQLCIPHER_CRYPTO_CUSTOM`, set in
//! .cargo/config.toml). So this script puts an empty `libcrypto.a` first on the linker's
//! search path. It defines nothing, so it cannot stand in for a function anything calls: a
//! build that did reference OpenSSL would fail to link, loudly. (The alternative, the
//! vendored-OpenSSL feature, compiled all of OpenSSL on every build, minutes of it, to link
//! none of it.)

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Apple targets: SQLCipher uses CommonCrypto and libsqlite3-sys links no libcrypto.
    if env::var("CARGO_CFG_TARGET_VENDOR").as_deref() == Ok("apple") {
        return;
    }
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    let stub = out_dir.join("empty-libcrypto");
    if let Err(e) =
        fs::create_dir_all(&stub).and_then(|()| fs::write(stub.join("libcrypto.a"), b"!<arch>\n"))
    {
        panic!("cannot write the empty libcrypto.a: {e}");
    }
    println!("cargo:rustc-link-search=native={}", stub.display());
}
