//! `lofavor verify --image` with a photo that claims more pixels than a frame may have: refused
//! from the file's header, before the decoder allocates anything for it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::process::Command;

/// A PNG chunk: length, type, data, CRC-32 of type and data.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in kind.iter().chain(data) {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    out.extend_from_slice(&(!crc).to_be_bytes());
    out
}

/// A 60-byte PNG whose header claims a 60000 × 60000 greyscale picture (3.6 GB of pixels).
fn png_claiming_a_huge_picture() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 60_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, no interlace
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0, 0, 0, 1],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn verify_refuses_an_image_claiming_too_many_pixels_from_its_header() {
    let data = tempfile::tempdir().unwrap();
    let png = data.path().join("huge.png");
    std::fs::write(&png, png_claiming_a_huge_picture()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lofavor"))
        .arg("--data-dir")
        .arg(data.path().join("data"))
        .args(["--secure-store", "insecure-file"])
        // Nothing listens on the discard port: the lists stay unrefreshed, as offline.
        .args(["--server", "http://127.0.0.1:9/", "verify", "--image"])
        .arg(&png)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the image is 60000x60000 pixels; at most 40 megapixels are read"),
        "{stderr}"
    );
}
