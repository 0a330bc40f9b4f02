#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly
//! The claim report of 200 items, each with a photo of the item (1600 × 1200) and of its
//! receipt (900 × 1600): the PDF with the 2048 px renditions, with the thumbnails, and the PDF
//! with the CSV and the ZIP of every photo. The sizes are printed at set-up (and for the
//! default, `Auto`, which takes the thumbnails for so many photos).

mod support;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use lofavor_core::Locale;
use lofavor_core::inventory::{ItemFields, PhotoRole, ReportPhotos, ReportRequest};

const ITEMS: usize = 200;
const ROOMS: &[&str] = &["Stue", "Kjøkken", "Soverom", "Bod", "Garasje", "Kontor"];

/// A photo-like JPEG: smooth gradients with some texture, so it compresses like a photo.
fn photo(w: u16, h: u16, seed: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..u32::from(h))
        .flat_map(|y| {
            (0..u32::from(w)).flat_map(move |x| {
                let noise = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ seed) % 24;
                [
                    ((x * 255 / u32::from(w)) + noise) as u8,
                    ((y * 255 / u32::from(h)) + noise) as u8,
                    ((seed * 37 + noise) % 256) as u8,
                ]
            })
        })
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

fn report(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let core = support::open(dir.path());
    let inv = core.inventory();
    let started = Instant::now();
    for i in 0..ITEMS {
        let seed = u32::try_from(i).unwrap();
        let (id, _) = inv
            .add_item_with_photos(
                ItemFields {
                    name: format!("Gjenstand {i} – kjøpt på Ålesund Elektro"),
                    room: Some(ROOMS[i % ROOMS.len()].into()),
                    brand: Some(format!("Merke {}", i % 17)),
                    serial_number: Some(format!("SN-ØÆÅ-{i:06}")),
                    purchase_date: Some("2024-05-17".into()),
                    purchase_price: Some((i as u64 % 50 + 1) * 99_900),
                    replacement_value: Some((i as u64 % 50 + 1) * 119_900),
                    notes: Some("Kjøpt med kvittering, garanti i fem år.".into()),
                    ..ItemFields::default()
                },
                &[photo(1600, 1200, seed)],
            )
            .unwrap();
        inv.add_photo(&id, PhotoRole::Receipt, &photo(900, 1600, seed + 1_000))
            .unwrap();
    }
    eprintln!(
        "report: set-up of {ITEMS} items with 2 photos each: {:?}",
        started.elapsed()
    );
    let request = |photos, zip| ReportRequest {
        member_name: Some("Åse Ødegård".into()),
        member_number: None,
        locale: Locale::Nb,
        address: Some("Storgata 1, 9008 Tromsø".into()),
        photos,
        csv: zip,
        zip,
    };
    for (name, photos, zip) in [
        ("large", ReportPhotos::Large, false),
        ("thumbnail", ReportPhotos::Thumbnail, false),
        ("auto", ReportPhotos::Auto, false),
        ("large + zip", ReportPhotos::Large, true),
    ] {
        let started = Instant::now();
        let files = inv.report(&request(photos, zip)).unwrap();
        eprintln!(
            "report: {name}: {:?}, PDF {} pages {} bytes, ZIP {} bytes",
            started.elapsed(),
            files.pages,
            files.pdf.len(),
            files.zip.as_ref().map_or(0, Vec::len)
        );
    }

    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("pdf_200_items_large_photos", |b| {
        b.iter(|| inv.report(&request(ReportPhotos::Large, false)).unwrap())
    });
    group.bench_function("pdf_200_items_thumbnails", |b| {
        b.iter(|| {
            inv.report(&request(ReportPhotos::Thumbnail, false))
                .unwrap()
        })
    });
    group.bench_function("pdf_csv_zip_200_items", |b| {
        b.iter(|| inv.report(&request(ReportPhotos::Large, true)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
