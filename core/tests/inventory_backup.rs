//! The encrypted backup: everything comes back on another phone without the server, photos
//! byte for byte; the wrong passphrase, an altered, cut or padded file, noise, and a forged
//! header that asks for a costly key are each refused and leave the phone as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up should stop the test

mod support;

use lofavor_core::ErrorKind;
use lofavor_core::inventory::{ImportTarget, ItemFields, PhotoImport, PhotoRole, PhotoSource};
use support::{Phone, item, jpeg};

const PASSPHRASE: &str = "korrekt hest batteri stift";

fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

struct Quiet;
impl lofavor_core::inventory::ImportObserver for Quiet {
    fn on_progress(&self, _: lofavor_core::inventory::ImportProgress) {}
}

/// A phone with two items (one with an item photo and a receipt, one without photos), a
/// room overview with its original kept, and an insured sum.
fn filled_phone() -> (Phone, lofavor_core::Core) {
    let phone = Phone::new();
    let core = phone.core();
    let inv = core.inventory();
    let tv = inv
        .add_item(ItemFields {
            brand: Some("Søny".into()),
            serial_number: Some("SN-ÆØÅ-1".into()),
            purchase_price: Some(1_299_900),
            tags: vec!["stue".into(), "elektronikk".into()],
            ..item("TV", "Stue")
        })
        .unwrap();
    inv.add_item(item("Sofa", "Stue")).unwrap();
    inv.add_photo(&tv, PhotoRole::Item, &jpeg(300, 200, 10))
        .unwrap();
    inv.add_photo(&tv, PhotoRole::Receipt, &jpeg(200, 300, 99))
        .unwrap();
    let job = inv
        .start_import(
            vec![PhotoImport {
                source: PhotoSource::Bytes(jpeg(400, 300, 150)),
                target: ImportTarget::Room("Kjøkken".into()),
                keep_original: true,
            }],
            std::sync::Arc::new(Quiet),
        )
        .unwrap();
    assert_eq!(run(job.finish()).unwrap().imported(), 1);
    inv.set_insured_sum(Some(50_000_000)).unwrap();
    (phone, core)
}

#[test]
fn a_backup_restores_everything_on_another_phone_and_twice_adds_nothing() {
    let (phone, core) = filled_phone();
    let file = phone.dir.path().join("husk.lofavorbackup");
    assert_eq!(
        run(core.inventory().backup(file.clone(), PASSPHRASE.into())).unwrap(),
        2
    );
    let leftovers: Vec<_> = std::fs::read_dir(phone.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".backup-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let bytes = std::fs::read(&file).unwrap();
    for secret in [&b"SN-\xc3\x86"[..], b"Sofa", b"\xff\xd8\xff"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "plain text in the backup"
        );
    }

    let other = Phone::new();
    let restored_core = other.core();
    let summary = run(restored_core
        .inventory()
        .restore(file.clone(), PASSPHRASE.into()))
    .unwrap();
    assert_eq!(
        (summary.items, summary.photos, summary.already_here),
        (2, 3, 0)
    );

    let before = core.inventory().items().unwrap();
    let after = restored_core.inventory().items().unwrap();
    assert_eq!(before.len(), after.len());
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.fields, b.fields);
        assert_eq!(a.photos, b.photos);
        for photo in &a.photos {
            for thumbnail in [false, true] {
                assert_eq!(
                    core.inventory().photo_jpeg(&photo.id, thumbnail).unwrap(),
                    restored_core
                        .inventory()
                        .photo_jpeg(&photo.id, thumbnail)
                        .unwrap()
                );
            }
        }
    }
    let room = core.inventory().room_photos("Kjøkken").unwrap();
    assert_eq!(
        restored_core.inventory().room_photos("Kjøkken").unwrap(),
        room
    );
    assert_eq!(
        restored_core
            .inventory()
            .photo_original(&room[0].id)
            .unwrap(),
        core.inventory().photo_original(&room[0].id).unwrap()
    );
    assert_eq!(
        restored_core.inventory().totals().unwrap(),
        core.inventory().totals().unwrap()
    );
    assert_eq!(restored_core.inventory().search("søn").unwrap().len(), 1);

    let again = run(restored_core
        .inventory()
        .restore(file.clone(), PASSPHRASE.into()))
    .unwrap();
    assert_eq!((again.items, again.photos), (0, 0));
    assert_eq!(again.already_here, 5);
    assert_eq!(restored_core.inventory().items().unwrap().len(), 2);
}

/// Restoring `bytes` fails with `kind` and leaves the phone empty: no item, no file.
fn refused(bytes: &[u8], passphrase: &str, kind: ErrorKind) {
    let phone = Phone::new();
    let core = phone.core();
    let file = phone.dir.path().join("bad.lofavorbackup");
    std::fs::write(&file, bytes).unwrap();
    let started = std::time::Instant::now();
    let error = run(core.inventory().restore(file.clone(), passphrase.into())).unwrap_err();
    assert_eq!(error.kind(), kind, "{error:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(core.inventory().items().unwrap().is_empty());
    assert!(phone.photo_files().is_empty(), "{:?}", phone.photo_files());
    assert!(!error.reason().contains("Søny"));
}

#[test]
fn a_wrong_passphrase_an_altered_cut_or_padded_file_and_noise_are_refused() {
    let (phone, core) = filled_phone();
    let file = phone.dir.path().join("husk.lofavorbackup");
    run(core.inventory().backup(file.clone(), PASSPHRASE.into())).unwrap();
    let good = std::fs::read(&file).unwrap();

    refused(&good, "feil passord her", ErrorKind::Tampered);
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    refused(&flipped, PASSPHRASE, ErrorKind::Tampered);
    refused(&good[..good.len() - 40], PASSPHRASE, ErrorKind::Tampered);
    let mut padded = good.clone();
    padded.extend_from_slice(b"extra");
    refused(&padded, PASSPHRASE, ErrorKind::Tampered);
    let noise: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    refused(&noise, PASSPHRASE, ErrorKind::Tampered);
    refused(&[], PASSPHRASE, ErrorKind::Tampered);

    // A forged header asking for 4 GiB of Argon2 memory is refused before any is spent.
    let mut costly = good.clone();
    costly[12..16].copy_from_slice(&(4u32 * 1024 * 1024).to_le_bytes());
    refused(&costly, PASSPHRASE, ErrorKind::Tampered);
}

#[test]
fn a_short_passphrase_is_refused_and_writes_nothing() {
    let (phone, core) = filled_phone();
    let file = phone.dir.path().join("husk.lofavorbackup");
    let error = run(core.inventory().backup(file.clone(), "kort".into())).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(!file.exists());
}
