//! `lofavor verify --image` with a photo that claims more pixels than a frame may have: refused
//! from the file's header, before the decoder allocates anything for it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::process::Command;

use lofavor_e2e::images::png_claiming;

#[test]
fn verify_refuses_an_image_claiming_too_many_pixels_from_its_header() {
    let data = tempfile::tempdir().unwrap();
    let png = data.path().join("huge.png");
    std::fs::write(&png, png_claiming(60_000, 60_000)).unwrap();
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
