//! `lofavor inventory import` of HEIC photos (with the `heic` feature, or a refusal that says
//! how to get it), an import run twice, and `backup` / `restore` between two data
//! directories with a passphrase file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

mod support;

use std::path::Path;

use support::{document, run};

fn heic() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/quadrants.heic")
}

fn jpeg(shade: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_fn(96, 64, |x, y| {
        image::Rgb([shade, (x * 2) as u8, (y * 3) as u8])
    })
    .write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    out
}

#[cfg(feature = "heic")]
#[test]
fn a_heic_photo_is_converted_and_imported_upright_with_its_colours() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("bilder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(heic(), folder.join("Kaffetrakter.HEIC")).unwrap();
    let report = document(&run(
        data.path(),
        &["inventory", "import", folder.to_str().unwrap()],
    ));
    assert_eq!(report["imported"].as_array().unwrap().len(), 1, "{report}");
    let listed = document(&run(data.path(), &["inventory", "list"]));
    let item = &listed["items"][0];
    assert_eq!(item["name"], "Kaffetrakter");
    let photo = item["photos"][0]["id"].as_str().unwrap();
    let out = data.path().join("ut.jpg");
    document(&run(
        data.path(),
        &["inventory", "photo", photo, "--out", out.to_str().unwrap()],
    ));
    let image = image::open(&out).unwrap().to_rgb8();
    assert_eq!((image.width(), image.height()), (320, 240));
    let close =
        |p: &image::Rgb<u8>, want: [u8; 3]| p.0.iter().zip(want).all(|(a, b)| a.abs_diff(b) < 50);
    assert!(
        close(image.get_pixel(40, 30), [220, 30, 30]),
        "top left is red"
    );
    assert!(
        close(image.get_pixel(280, 30), [30, 200, 30]),
        "top right is green"
    );
    assert!(
        close(image.get_pixel(40, 210), [30, 30, 220]),
        "bottom left is blue"
    );
}

#[cfg(not(feature = "heic"))]
#[test]
fn without_the_heic_feature_a_heic_photo_is_refused_with_how_to_get_it() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("bilder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(heic(), folder.join("ferie.heic")).unwrap();
    let report = document(&run(
        data.path(),
        &["inventory", "import", folder.to_str().unwrap()],
    ));
    let reason = report["refused"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("--features heic"), "{reason}");
}

#[test]
fn an_import_run_twice_adds_nothing_and_a_backup_restores_in_another_directory() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("bilder");
    std::fs::create_dir(&folder).unwrap();
    for (i, name) in ["Lampe", "Stol", "Bord"].iter().enumerate() {
        std::fs::write(folder.join(format!("{name}.jpg")), jpeg(40 * i as u8)).unwrap();
    }
    let phone = data.path().join("telefon");
    let first = document(&run(
        &phone,
        &[
            "inventory",
            "import",
            folder.to_str().unwrap(),
            "--room",
            "Stue",
        ],
    ));
    assert_eq!(first["imported"].as_array().unwrap().len(), 3);
    let again = document(&run(
        &phone,
        &[
            "inventory",
            "import",
            folder.to_str().unwrap(),
            "--room",
            "Stue",
        ],
    ));
    assert!(
        again["imported"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["duplicate"] == true),
        "{again}"
    );
    let before = document(&run(&phone, &["inventory", "list"]));
    assert_eq!(before["items"].as_array().unwrap().len(), 3);

    let secret = data.path().join("passord.txt");
    std::fs::write(&secret, "blåbærsyltetøy er godt\n").unwrap();
    let backup = data.path().join("husk.backup");
    let written = document(&run(
        &phone,
        &[
            "inventory",
            "backup",
            "--out",
            backup.to_str().unwrap(),
            "--passphrase-file",
            secret.to_str().unwrap(),
        ],
    ));
    assert_eq!(written["items"], 3);

    let wrong = data.path().join("feil.txt");
    std::fs::write(&wrong, "ikke dette passordet\n").unwrap();
    let other = data.path().join("ny-telefon");
    let refused = run(
        &other,
        &[
            "inventory",
            "restore",
            backup.to_str().unwrap(),
            "--passphrase-file",
            wrong.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tampered"));

    let restored = document(&run(
        &other,
        &[
            "inventory",
            "restore",
            backup.to_str().unwrap(),
            "--passphrase-file",
            secret.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        (restored["items"].clone(), restored["photos"].clone()),
        (3.into(), 3.into())
    );
    let after = document(&run(&other, &["inventory", "list"]));
    assert_eq!(before["items"], after["items"]);
}
