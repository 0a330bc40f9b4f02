//! Imports one photo as the app will: both renditions, sealed with XChaCha20-Poly1305, each
//! written to a temporary name and renamed. For the benchmark script
//! (`tests/bench/photo.sh`), which sets it beside `vipsthumbnail` and Pillow.
//!
//! `cargo run --release -p lofavor-photo --example import -- PHOTO OUT_DIR`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark tool: a failure should stop it loudly

use std::io::Write;

use lofavor_photo::{Limits, import, seal};

fn write_atomically(dir: &std::path::Path, name: &str, bytes: &[u8]) {
    let mut file = tempfile::NamedTempFile::new_in(dir).unwrap();
    file.write_all(bytes).unwrap();
    file.as_file().sync_all().unwrap();
    file.persist(dir.join(name)).unwrap();
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (photo, out) = (args.next().expect("PHOTO"), args.next().expect("OUT_DIR"));
    let out = std::path::Path::new(&out);
    std::fs::create_dir_all(out).unwrap();
    let bytes = std::fs::read(&photo).unwrap();
    let renditions = import(&bytes, &Limits::default()).unwrap();
    drop(bytes);
    let key = [0x5au8; 32];
    let id = hex(&renditions.content_hash[..16]);
    for (name, rendition) in [
        ("large", &renditions.large),
        ("thumbnail", &renditions.thumbnail),
    ] {
        let context = format!("{id}/{name}");
        let sealed = seal(&key, context.as_bytes(), &rendition.jpeg).unwrap();
        write_atomically(out, &format!("{id}.{name}"), &sealed);
    }
    #[allow(clippy::print_stdout)]
    {
        println!(
            "{}x{} -> {}x{} ({} bytes) and {}x{} ({} bytes), orientation {}",
            renditions.source.width,
            renditions.source.height,
            renditions.large.width,
            renditions.large.height,
            renditions.large.jpeg.len(),
            renditions.thumbnail.width,
            renditions.thumbnail.height,
            renditions.thumbnail.jpeg.len(),
            renditions.exif.orientation
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
