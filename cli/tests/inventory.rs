//! `lofavor inventory` on the device: add with a photo, list, search, show, and the photo back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

mod support;

use support::{document, run};

/// A small PNG (a QR code drawn by the certificate codec: a real image from the crate graph).
fn png() -> Vec<u8> {
    lofavor_core::roadside::certificate::QrMatrix::encode("VH1:TEST")
        .unwrap()
        .to_png(8)
        .unwrap()
}

#[test]
fn an_item_with_a_photo_is_listed_found_and_its_photo_read_back() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path();
    let photo = path.join("sykkel.png");
    std::fs::write(&photo, png()).unwrap();
    let added = document(&run(
        path,
        &[
            "inventory",
            "add",
            "--name",
            "Sykkel",
            "--room",
            "Bod",
            "--price",
            "12 999,50",
            "--photo",
            photo.to_str().unwrap(),
        ],
    ));
    let id = added["id"].as_str().unwrap().to_owned();
    let photo_id = added["photos"][0].as_str().unwrap().to_owned();

    let listed = document(&run(path, &["inventory", "list"]));
    assert_eq!(listed["items"][0]["purchase_price_ore"], 1_299_950);
    assert_eq!(listed["totals"]["purchase_price_ore"], 1_299_950);
    assert_eq!(listed["items"][0]["photos"][0]["id"], photo_id.as_str());
    let found = document(&run(path, &["inventory", "search", "syk"]));
    assert_eq!(found["items"][0]["id"], id.as_str());
    let none = document(&run(path, &["inventory", "search", "bil"]));
    assert!(none["items"].as_array().unwrap().is_empty());
    let shown = document(&run(path, &["inventory", "show", &id]));
    assert_eq!(shown["room"], "Bod");

    let out = path.join("thumb.jpg");
    document(&run(
        path,
        &[
            "inventory",
            "photo",
            &photo_id,
            "--out",
            out.to_str().unwrap(),
            "--thumbnail",
        ],
    ));
    assert!(std::fs::read(&out).unwrap().starts_with(&[0xFF, 0xD8]));

    // A file that is not an image is refused with a clear error, and no item is half made.
    let junk = path.join("notes.txt");
    std::fs::write(&junk, "not a photo").unwrap();
    let refused = run(
        path,
        &[
            "inventory",
            "add",
            "--name",
            "Junk",
            "--photo",
            junk.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a JPEG or PNG"));
    let bad_price = run(
        path,
        &["inventory", "add", "--name", "TV", "--price", "mye"],
    );
    assert!(!bad_price.status.success());
    let listed = document(&run(path, &["inventory", "list"]));
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[test]
fn a_folder_imports_its_good_photos_and_says_why_the_others_were_refused() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path();
    let folder = path.join("bilder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("qr-kode.png"), png()).unwrap();
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(64, 48, image::Rgb([200, 40, 40]))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    std::fs::write(folder.join("Sofa.JPG"), &jpeg).unwrap();
    std::fs::write(folder.join("ødelagt.jpg"), b"not a photo at all").unwrap();
    std::fs::write(folder.join("tom.png"), b"").unwrap();
    std::fs::write(
        folder.join("ferie.heic"),
        b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
    )
    .unwrap();
    std::fs::write(folder.join("notater.txt"), b"ignored").unwrap();

    let report = document(&run(
        path,
        &[
            "inventory",
            "import",
            folder.to_str().unwrap(),
            "--room",
            "Stue",
        ],
    ));
    let imported = report["imported"].as_array().unwrap();
    let refused = report["refused"].as_array().unwrap();
    assert_eq!(imported.len(), 2, "{report}");
    assert_eq!(refused.len(), 3, "{report}");
    let reason = |file: &str| {
        refused
            .iter()
            .find(|r| r["file"] == file)
            .map(|r| r["reason"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert!(
        reason("ferie.heic").contains("HEIC"),
        "{}",
        reason("ferie.heic")
    );
    assert!(reason("tom.png").contains("empty"));
    assert!(
        reason("ødelagt.jpg").contains("damaged") || reason("ødelagt.jpg").contains("not a JPEG")
    );

    let listed = document(&run(path, &["inventory", "list"]));
    let mut names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec!["Sofa", "qr-kode"]);
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["room"] == "Stue")
    );
}
