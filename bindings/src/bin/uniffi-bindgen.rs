//! The workspace's own uniffi-bindgen, pinned with the uniffi the library is built with.
//! Generate bindings in library mode from the built library, e.g.
//! `cargo run -p lofavor-ffi --features bindgen --bin uniffi-bindgen -- generate
//!  --language kotlin --out-dir OUT target/debug/liblofavor_ffi.so`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
