//! Importing many photos at once: off the caller's thread, a refused photo does not stop the
//! rest, progress reaches the observer in step, a cancel stops what has not started, and no
//! interruption leaves an item without its photo or a file without its row.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up should stop the test

mod support;

use std::sync::{Arc, Mutex, mpsc};

use lofavor_core::ErrorKind;
use lofavor_core::inventory::{
    ImportObserver, ImportProgress, ImportTarget, ItemFields, PhotoImport, PhotoSource,
};
use lofavor_core::platform::SecureStore;
use support::{Phone, jpeg};

/// Remembers every progress call and passes it on.
struct Recorder {
    seen: Mutex<Vec<ImportProgress>>,
    tell: Mutex<mpsc::Sender<u32>>,
}

impl Recorder {
    fn new() -> (Arc<Self>, mpsc::Receiver<u32>) {
        let (tell, heard) = mpsc::channel();
        let recorder = Arc::new(Self {
            seen: Mutex::new(Vec::new()),
            tell: Mutex::new(tell),
        });
        (recorder, heard)
    }
}

impl ImportObserver for Recorder {
    fn on_progress(&self, progress: ImportProgress) {
        let done = progress.done;
        self.seen.lock().unwrap().push(progress);
        let _ = self.tell.lock().unwrap().send(done);
    }
}

fn new_item(name: &str, bytes: Vec<u8>) -> PhotoImport {
    PhotoImport {
        source: PhotoSource::Bytes(bytes),
        target: ImportTarget::NewItem(Box::new(ItemFields {
            name: name.into(),
            room: Some("Stue".into()),
            ..ItemFields::default()
        })),
        keep_original: false,
    }
}

/// Every photo row has both its files, and every file a row: nothing half-written.
fn assert_whole(phone: &Phone, core: &lofavor_core::Core) {
    let items = core.inventory().items().unwrap();
    let photos: Vec<String> = items
        .iter()
        .flat_map(|i| i.photos.iter().map(|p| p.id.clone()))
        .collect();
    for item in &items {
        assert_eq!(item.photos.len(), 1, "an item without its photo");
    }
    let mut files = phone.photo_files();
    files.sort();
    let mut expected: Vec<String> = photos
        .iter()
        .flat_map(|id| [format!("{id}.large"), format!("{id}.thumb")])
        .collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn an_import_goes_on_past_bad_photos_and_reports_each_in_step() {
    let phone = Phone::new();
    let core = phone.core();
    let mut photos: Vec<PhotoImport> = (0..8)
        .map(|i| new_item(&format!("ting {i}"), jpeg(64, 48, i * 20)))
        .collect();
    photos.insert(2, new_item("tom", Vec::new()));
    let mut truncated = jpeg(64, 48, 250);
    truncated.truncate(truncated.len() / 2);
    photos.insert(5, new_item("avkuttet", truncated));
    photos.push(new_item("tekst", b"not an image at all".to_vec()));
    let file = phone.dir.path().join("bilde.jpg");
    std::fs::write(&file, jpeg(80, 60, 7)).unwrap();
    photos.push(PhotoImport {
        source: PhotoSource::File(file),
        ..new_item("fra fil", Vec::new())
    });
    photos.push(PhotoImport {
        source: PhotoSource::File(phone.dir.path().join("finnes-ikke.jpg")),
        ..new_item("borte", Vec::new())
    });

    let (recorder, _heard) = Recorder::new();
    let job = core
        .inventory()
        .start_import(photos, recorder.clone())
        .unwrap();
    let summary = futures_lite(job.finish()).unwrap();

    assert_eq!(summary.imported(), 9);
    assert_eq!(summary.refused(), 4);
    assert_eq!(summary.cancelled, 0);
    let indices: Vec<u32> = summary.outcomes.iter().map(|o| o.index).collect();
    assert_eq!(indices, (0..13).collect::<Vec<_>>());
    for bad in [2, 5, 10, 12] {
        let error = summary.outcomes[bad].result.as_ref().unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::InvalidInput | ErrorKind::Storage),
            "photo {bad}: {error:?}"
        );
    }
    let seen = recorder.seen.lock().unwrap();
    let done: Vec<u32> = seen.iter().map(|p| p.done).collect();
    assert_eq!(done, (1..=13).collect::<Vec<_>>(), "progress in step");
    assert!(seen.iter().all(|p| p.total == 13));
    drop(seen);
    assert_eq!(core.inventory().items().unwrap().len(), 9);
    assert_whole(&phone, &core);
    // Awaiting twice is a clear error, not a hang.
    assert!(futures_lite(job.finish()).is_err());
}

#[test]
fn a_cancelled_import_stops_what_has_not_started_and_leaves_only_whole_items() {
    let phone = Phone::new();
    let core = phone.core();
    let photos: Vec<PhotoImport> = (0..60u8)
        .map(|i| new_item(&format!("ting {i}"), jpeg(640, 480, i.wrapping_mul(4))))
        .collect();
    let (recorder, heard) = Recorder::new();
    let job = core
        .inventory()
        .start_import(photos, recorder.clone())
        .unwrap();
    heard.recv().unwrap();
    job.cancel();
    let summary = futures_lite(job.finish()).unwrap();

    assert!(summary.cancelled > 0, "nothing was cancelled");
    assert_eq!(
        summary.imported() + summary.refused() + summary.cancelled,
        60
    );
    assert_eq!(summary.refused(), 0);
    assert_eq!(
        core.inventory().items().unwrap().len() as u32,
        summary.imported()
    );
    assert_whole(&phone, &core);
}

#[test]
fn two_imports_of_the_same_photos_at_once_store_each_photo_once() {
    let phone = Phone::new();
    let core = phone.core();
    let batch = || -> Vec<PhotoImport> {
        (0..12u8)
            .map(|i| new_item(&format!("ting {i}"), jpeg(96, 64, i * 9)))
            .collect()
    };
    let (first, _a) = Recorder::new();
    let (second, _b) = Recorder::new();
    let one = core.inventory().start_import(batch(), first).unwrap();
    let two = core.inventory().start_import(batch(), second).unwrap();
    let one = futures_lite(one.finish()).unwrap();
    let two = futures_lite(two.finish()).unwrap();

    assert_eq!(one.imported() + two.imported(), 24);
    let duplicates = one
        .outcomes
        .iter()
        .chain(&two.outcomes)
        .filter(|o| o.result.as_ref().unwrap().duplicate)
        .count();
    assert_eq!(duplicates, 12, "each photo stored exactly once");
    assert_eq!(core.inventory().items().unwrap().len(), 12);
    assert_whole(&phone, &core);
}

#[test]
fn a_kept_original_has_no_metadata_and_a_room_overview_belongs_to_its_room() {
    let phone = Phone::new();
    let core = phone.core();
    // A JPEG with an EXIF block that carries a marker where GPS would be.
    let plain = jpeg(120, 90, 40);
    let tiff: Vec<u8> = [
        b"II*\0".as_slice(),
        &8u32.to_le_bytes(),
        &0u16.to_le_bytes(),
        &0u32.to_le_bytes(),
        b"GPS 59.9139N 10.7522E",
    ]
    .concat();
    let mut with_exif = plain[..2].to_vec();
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&u16::try_from(tiff.len() + 8).unwrap().to_be_bytes());
    with_exif.extend_from_slice(b"Exif\0\0");
    with_exif.extend_from_slice(&tiff);
    with_exif.extend_from_slice(&plain[2..]);

    let (recorder, _heard) = Recorder::new();
    let photos = vec![
        PhotoImport {
            keep_original: true,
            ..new_item("kamera", with_exif)
        },
        PhotoImport {
            source: PhotoSource::Bytes(jpeg(200, 100, 90)),
            target: ImportTarget::Room("Kjøkken".into()),
            keep_original: false,
        },
    ];
    let job = core.inventory().start_import(photos, recorder).unwrap();
    let summary = futures_lite(job.finish()).unwrap();
    let kept = summary.outcomes[0].result.as_ref().unwrap();
    let original = core
        .inventory()
        .photo_original(&kept.photo_id)
        .unwrap()
        .expect("the original was kept");
    assert!(original.starts_with(&[0xFF, 0xD8]));
    assert!(!original.windows(3).any(|w| w == b"GPS"));
    assert!(!original.windows(4).any(|w| w == b"Exif"));
    assert_eq!(original, lofavor_photo::strip_metadata(&plain).unwrap());

    let overview = summary.outcomes[1].result.as_ref().unwrap();
    assert_eq!(overview.item_id, None);
    let rooms = core.inventory().rooms().unwrap();
    assert!(rooms.iter().any(|r| r.name == "Kjøkken"));
    let room_photos = core.inventory().room_photos("Kjøkken").unwrap();
    assert_eq!(room_photos.len(), 1);
    assert_eq!(room_photos[0].id, overview.photo_id);
    assert!(
        core.inventory()
            .photo_original(&overview.photo_id)
            .unwrap()
            .is_none()
    );
}

/// Waits for `future` on a small runtime of the test's own (the import runs on the core's).
fn futures_lite<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

#[test]
fn a_photo_can_be_imported_again_after_its_item_was_deleted() {
    let phone = Phone::new();
    let core = phone.core();
    let bytes = jpeg(320, 240, 77);
    let import = |name: &str| {
        let (recorder, _heard) = Recorder::new();
        let job = core
            .inventory()
            .start_import(vec![new_item(name, bytes.clone())], recorder)
            .unwrap();
        futures_lite(job.finish()).unwrap()
    };
    let first = import("Sofa");
    let first = first.outcomes[0].result.as_ref().unwrap().clone();
    core.inventory()
        .delete_item(first.item_id.as_deref().unwrap())
        .unwrap();
    assert!(
        phone.photo_files().is_empty(),
        "a deleted item's photos leave the disk"
    );
    let again = import("Sofa igjen");
    let again = again.outcomes[0].result.as_ref().unwrap();
    assert!(!again.duplicate, "the deleted photo is not this one");
    assert_ne!(again.photo_id, first.photo_id);
    let items = core.inventory().items().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].fields.name, "Sofa igjen");
    assert_eq!(items[0].photos.len(), 1);
}

#[test]
fn an_import_running_when_the_session_ends_writes_nothing_of_the_member_afterwards() {
    let phone = Phone::new();
    let core = phone.core();
    let photos: Vec<PhotoImport> = (0..40u8)
        .map(|i| new_item(&format!("ting {i}"), jpeg(640, 480, i.wrapping_mul(5))))
        .collect();
    let (recorder, heard) = Recorder::new();
    let job = core.inventory().start_import(photos, recorder).unwrap();
    heard.recv().unwrap();
    futures_lite(core.erase_device()).unwrap();
    let summary = futures_lite(job.finish()).unwrap();

    assert!(summary.imported() < 40, "the import stopped");
    assert!(
        core.inventory().items().unwrap().is_empty(),
        "nothing written after the erasure"
    );
    assert!(phone.photo_files().is_empty(), "{:?}", phone.photo_files());
    let key = format!("photo-key.{}", core.store().installation_id());
    assert!(
        phone.secrets.get(&key).unwrap().is_none(),
        "no new photo key for a member who is gone"
    );
}

#[test]
fn the_same_picture_twice_in_one_item_is_one_photo_and_absurd_amounts_are_refused() {
    let phone = Phone::new();
    let core = phone.core();
    let bytes = jpeg(200, 150, 33);
    let (id, photos) = core
        .inventory()
        .add_item_with_photos(support::item("Lampe", "Stue"), &[bytes.clone(), bytes])
        .unwrap();
    assert_eq!(photos[0], photos[1]);
    assert_eq!(core.inventory().item(&id).unwrap().photos.len(), 1);
    let absurd = ItemFields {
        purchase_price: Some(u64::MAX / 2),
        ..support::item("Gull", "Stue")
    };
    assert_eq!(
        core.inventory().add_item(absurd).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}
