//! The photo pipeline under real inputs and hostile ones: orientation, metadata, sizes, and
//! every refusal a clear error.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up should stop the test

use std::time::{Duration, Instant};

use lofavor_photo::{Limits, PhotoError, import, open, probe, seal, strip_metadata};

const RED: [u8; 3] = [220, 30, 30];
const GREEN: [u8; 3] = [30, 200, 30];
const BLUE: [u8; 3] = [30, 30, 220];
const WHITE: [u8; 3] = [240, 240, 240];

/// A `w`×`h` RGB image in four coloured quadrants: red, green / blue, white.
fn quadrants(w: u32, h: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let c = match (x < w / 2, y < h / 2) {
                (true, true) => RED,
                (false, true) => GREEN,
                (true, false) => BLUE,
                (false, false) => WHITE,
            };
            data.extend_from_slice(&c);
        }
    }
    data
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(
            &quadrants(w, h),
            w as u16,
            h as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

/// A TIFF (EXIF) block with an orientation, a capture time, and optionally a GPS block.
fn exif_block(orientation: u16, gps: bool) -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = Vec::new();
        e.extend_from_slice(&tag.to_le_bytes());
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&value);
        e
    };
    let n0: u32 = if gps { 3 } else { 2 };
    let exif_ifd = 8 + 2 + 12 * n0 + 4;
    let date = exif_ifd + 2 + 12 + 4;
    let gps_ifd = date + 20;
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    t.extend_from_slice(&(n0 as u16).to_le_bytes());
    let o = orientation.to_le_bytes();
    t.extend(entry(0x0112, 3, 1, [o[0], o[1], 0, 0]));
    t.extend(entry(0x8769, 4, 1, exif_ifd.to_le_bytes()));
    if gps {
        t.extend(entry(0x8825, 4, 1, gps_ifd.to_le_bytes()));
    }
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&1u16.to_le_bytes());
    t.extend(entry(0x9003, 2, 20, date.to_le_bytes()));
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(b"2024:05:17 14:03:59\0");
    if gps {
        t.extend_from_slice(&1u16.to_le_bytes());
        t.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
        t.extend_from_slice(&0u32.to_le_bytes());
    }
    t
}

/// `jpeg` with an APP1 EXIF segment holding `tiff` right after its start marker.
fn with_app1(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn pixel(image: &image::RgbImage, x: u32, y: u32) -> [u8; 3] {
    image.get_pixel(x, y).0
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 40)
}

#[test]
fn every_exif_orientation_is_turned_upright() {
    // Stored corners: red top left, green top right, blue bottom left, white bottom right.
    // Displayed corners (TL, TR, BL, BR) for each orientation, from TIFF 6.0.
    let expected: [(u16, [[u8; 3]; 4]); 8] = [
        (1, [RED, GREEN, BLUE, WHITE]),
        (2, [GREEN, RED, WHITE, BLUE]),
        (3, [WHITE, BLUE, GREEN, RED]),
        (4, [BLUE, WHITE, RED, GREEN]),
        (5, [RED, BLUE, GREEN, WHITE]),
        (6, [BLUE, RED, WHITE, GREEN]),
        (7, [WHITE, GREEN, BLUE, RED]),
        (8, [GREEN, WHITE, RED, BLUE]),
    ];
    let plain = jpeg(128, 64);
    for (orientation, corners) in expected {
        let photo = with_app1(&plain, &exif_block(orientation, false));
        let out = import(&photo, &Limits::default()).unwrap();
        assert_eq!(out.exif.orientation as u16, orientation);
        let image = image::load_from_memory(&out.large.jpeg)
            .unwrap()
            .into_rgb8();
        let (w, h) = image.dimensions();
        if orientation >= 5 {
            assert_eq!((w, h), (64, 128), "orientation {orientation}");
        } else {
            assert_eq!((w, h), (128, 64), "orientation {orientation}");
        }
        let seen = [
            pixel(&image, 4, 4),
            pixel(&image, w - 5, 4),
            pixel(&image, 4, h - 5),
            pixel(&image, w - 5, h - 5),
        ];
        for (got, want) in seen.iter().zip(corners) {
            assert!(close(*got, want), "orientation {orientation}: {seen:?}");
        }
        let thumb = image::load_from_memory(&out.thumbnail.jpeg).unwrap();
        assert_eq!(thumb.width(), w.min(320));
    }
}

#[test]
fn no_metadata_survives_and_gps_is_only_noticed() {
    let photo = with_app1(&jpeg(640, 480), &exif_block(6, true));
    let out = import(&photo, &Limits::default()).unwrap();
    assert!(out.exif.had_gps);
    assert_eq!(out.exif.captured_at.as_deref(), Some("2024:05:17 14:03:59"));
    for rendition in [&out.large.jpeg, &out.thumbnail.jpeg] {
        assert!(!rendition.windows(4).any(|w| w == b"Exif"));
        assert!(!rendition.windows(2).any(|w| w == [0xFF, 0xE1]));
        assert!(!rendition.windows(19).any(|w| w == b"2024:05:17 14:03:59"));
    }
    // An original kept by choice loses its EXIF (GPS with it) and still decodes.
    let kept = strip_metadata(&photo).unwrap();
    assert!(!kept.windows(4).any(|w| w == b"Exif"));
    assert_eq!(image::load_from_memory(&kept).unwrap().width(), 640);
    // The same photo twice is one photo; another is not.
    let again = import(&photo, &Limits::default()).unwrap();
    assert_eq!(again.content_hash, out.content_hash);
    assert_ne!(
        import(&jpeg(640, 480), &Limits::default())
            .unwrap()
            .content_hash,
        out.content_hash
    );
}

#[test]
fn renditions_have_their_sizes_and_small_photos_are_never_enlarged() {
    let out = import(&jpeg(2400, 1800), &Limits::default()).unwrap();
    assert_eq!((out.large.width, out.large.height), (2048, 1536));
    assert_eq!((out.thumbnail.width, out.thumbnail.height), (320, 240));
    let small = import(&jpeg(1000, 800), &Limits::default()).unwrap();
    assert_eq!((small.large.width, small.large.height), (1000, 800));
    // A PNG (a screenshot of a receipt) too.
    let mut png = Vec::new();
    image::RgbImage::from_raw(300, 500, quadrants(300, 500))
        .unwrap()
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let out = import(&png, &Limits::default()).unwrap();
    assert_eq!((out.large.width, out.large.height), (300, 500));
    assert_eq!((out.thumbnail.width, out.thumbnail.height), (192, 320));
}

/// A JPEG of `len` bytes whose frame header claims `w`×`h`.
fn claiming(w: u16, h: u16, len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.resize(len - 2, 0);
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

#[test]
fn hostile_inputs_are_refused_at_once_with_a_clear_error() {
    let limits = Limits::default();
    let started = Instant::now();
    let bomb = claiming(60_000, 60_000, 692);
    assert_eq!(bomb.len(), 692);
    assert!(matches!(
        import(&bomb, &limits),
        Err(PhotoError::SideTooLong { .. })
    ));
    assert!(matches!(
        import(&claiming(16_000, 14_000, 692), &limits),
        Err(PhotoError::TooManyPixels { .. })
    ));
    // Refused from the header: nothing near 3.6 gigapixels was decoded or allocated.
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );

    assert_eq!(import(&[], &limits), Err(PhotoError::Empty));
    assert_eq!(
        import(b"%PDF-1.7 not a photo", &limits),
        Err(PhotoError::NotAnImage)
    );
    assert_eq!(
        import(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", &limits),
        Err(PhotoError::Heic)
    );
    let tight = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        import(&jpeg(200, 200), &tight),
        Err(PhotoError::TooManyBytes { .. })
    ));

    // Cut off: in the headers, and in the image data.
    let good = jpeg(400, 300);
    assert!(matches!(
        import(&good[..100], &limits),
        Err(PhotoError::Corrupt(_))
    ));
    match import(&good[..good.len() / 2], &limits) {
        Err(e) => assert!(matches!(e, PhotoError::Corrupt(_)), "{e:?}"),
        // A decoder may fill a cut-off scan with grey; it must still be a whole rendition.
        Ok(out) => assert_eq!((out.large.width, out.large.height), (400, 300)),
    }
    // A claimed frame with no data behind it.
    assert!(import(&claiming(800, 600, 692), &limits).is_err());

    // A PNG whose header claims more than a phone can hold decoded (a bomb).
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&16_000u32.to_be_bytes());
    png.extend_from_slice(&12_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    assert!(matches!(
        import(&png, &limits),
        Err(PhotoError::TooManyPixels { .. })
    ));
    assert!(
        probe(&png, &limits).is_ok(),
        "the header itself is within the limits"
    );
}

#[test]
fn a_hostile_exif_block_is_ignored_not_followed() {
    // An IFD that claims 65 535 entries and whose next-IFD pointer points at itself.
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&0xFFFFu16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 0xFF, 0xFF, 0xFF, 0x7F, 8, 0, 0, 0]);
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let photo = with_app1(&jpeg(320, 240), &tiff);
    let started = Instant::now();
    let out = import(&photo, &Limits::default()).unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(out.exif.orientation, 1);
    assert!(!out.exif.had_gps);
}

#[test]
fn a_sealed_photo_opens_only_with_its_key_and_context() {
    let key = [7u8; 32];
    let sealed = seal(&key, b"photo-1/large", b"jpeg bytes").unwrap();
    assert_eq!(
        open(&key, b"photo-1/large", &sealed).unwrap(),
        b"jpeg bytes"
    );
    assert_eq!(
        open(&[8u8; 32], b"photo-1/large", &sealed),
        Err(PhotoError::Sealed)
    );
    assert_eq!(
        open(&key, b"photo-2/large", &sealed),
        Err(PhotoError::Sealed)
    );
    let mut changed = sealed.clone();
    *changed.last_mut().unwrap() ^= 1;
    assert_eq!(
        open(&key, b"photo-1/large", &changed),
        Err(PhotoError::Sealed)
    );
    assert_eq!(
        open(&key, b"photo-1/large", &sealed[..10]),
        Err(PhotoError::Sealed)
    );
    assert_ne!(
        seal(&key, b"c", b"same").unwrap(),
        seal(&key, b"c", b"same").unwrap()
    );
}
