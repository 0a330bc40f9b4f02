//! Sync of Husk Hva Du Har end to end: cores on their own data directories (real encrypted
//! stores, photos sealed on disk) against the real reference server on loopback, logged in
//! through its development issuer. Two phones of one member merge their edits by the
//! documented rule; a new phone restores everything, photos byte for byte; a server that
//! fails (500, a hang, a connection dropped mid-upload or mid-answer) loses and duplicates
//! nothing, counted on the server's own disk.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use lofavor_core::inventory::ItemFields;
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{Fault, RunningServer, ServerConfig, start};

struct Phone {
    dir: tempfile::TempDir,
    core: Core,
}

fn open(dir: &Path, server: &RunningServer, secrets: Arc<dyn SecureStore>) -> Core {
    let config = CoreConfig {
        data_dir: dir.join("core"),
        api_base_url: server.base_url(),
        oidc_issuer: server.issuer_url().into(),
        oidc_client_id: "lofavor-android".into(),
        redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
        locale: Locale::Nb,
        secure_store: SecureStoreChoice::ShellProvided,
        trust_anchors: vec![server.trust_anchor().into()],
    };
    let platform = Platform {
        secure_store: Some(secrets),
        logger: None,
    };
    Core::open(config, platform).unwrap()
}

/// A fresh phone with `member` logged in.
async fn phone(server: &RunningServer, member: &str) -> Phone {
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), server, Arc::new(MemoryStandInStore::default()));
    let authorize = core.auth().begin_login().await.unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&authorize, member)
        .await
        .unwrap();
    core.auth().complete_login(&redirect).await.unwrap();
    Phone { dir, core }
}

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(ServerConfig::loopback(dir.path().join("server")))
        .await
        .unwrap();
    (dir, server)
}

/// A small PNG, different for each `text` (a QR code drawn by the certificate codec).
fn png(text: &str) -> Vec<u8> {
    lofavor_core::roadside::certificate::QrMatrix::encode(&text.to_uppercase())
        .unwrap()
        .to_png(6)
        .unwrap()
}

fn fields(name: &str, room: &str) -> ItemFields {
    ItemFields {
        name: name.into(),
        room: Some(room.into()),
        quantity: 1,
        ..ItemFields::default()
    }
}

/// The blob files on the server's disk, and the upload parts left.
fn blob_files(server_dir: &Path) -> (usize, usize) {
    let mut whole = 0;
    let mut parts = 0;
    let root = server_dir.join("server/inventory/blobs");
    for member in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(member.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.ends_with(".blob") {
                whole += 1;
            } else if name.ends_with(".part") {
                parts += 1;
            }
        }
    }
    (whole, parts)
}

#[tokio::test]
async fn two_phones_keep_edits_of_different_fields_and_the_later_arrival_of_the_same_field() {
    let (_dir, server) = server().await;
    let a = phone(&server, "kari").await;
    let b = phone(&server, "kari").await;
    let (id, _) = a
        .core
        .inventory()
        .add_item_with_photos(fields("Sykkel", "Bod"), &[png("sykkel")])
        .unwrap();
    assert_eq!(a.core.inventory().unsynced_changes().unwrap(), 2);
    let pushed = a.core.inventory().sync().await.unwrap();
    assert_eq!(pushed.pushed, 2);
    assert_eq!(pushed.uploaded, 2);
    assert_eq!(pushed.pending, 0);
    b.core.inventory().sync().await.unwrap();
    let on_b = b.core.inventory().item(&id).unwrap();
    assert_eq!(on_b.fields.name, "Sykkel");
    assert_eq!(on_b.photos.len(), 1);

    // Offline, A changes the brand and B the price: both stay.
    let mut fa = a.core.inventory().item(&id).unwrap().fields;
    fa.brand = Some("DBS".into());
    a.core.inventory().update_item(&id, fa).unwrap();
    let mut fb = b.core.inventory().item(&id).unwrap().fields;
    fb.purchase_price = Some(1_299_900);
    b.core.inventory().update_item(&id, fb).unwrap();
    a.core.inventory().sync().await.unwrap();
    b.core.inventory().sync().await.unwrap();
    a.core.inventory().sync().await.unwrap();
    for p in [&a, &b] {
        let f = p.core.inventory().item(&id).unwrap().fields;
        assert_eq!(f.brand.as_deref(), Some("DBS"));
        assert_eq!(f.purchase_price, Some(1_299_900));
        assert_eq!(f.name, "Sykkel");
    }

    // Both rename it offline: the rename that reaches the server last wins everywhere.
    let mut fa = a.core.inventory().item(&id).unwrap().fields;
    fa.name = "Sykkel (A)".into();
    a.core.inventory().update_item(&id, fa).unwrap();
    let mut fb = b.core.inventory().item(&id).unwrap().fields;
    fb.name = "Sykkel (B)".into();
    b.core.inventory().update_item(&id, fb).unwrap();
    b.core.inventory().sync().await.unwrap();
    a.core.inventory().sync().await.unwrap();
    b.core.inventory().sync().await.unwrap();
    for p in [&a, &b] {
        assert_eq!(
            p.core.inventory().item(&id).unwrap().fields.name,
            "Sykkel (A)"
        );
        assert_eq!(p.core.inventory().items().unwrap().len(), 1);
        assert_eq!(p.core.inventory().unsynced_changes().unwrap(), 0);
    }
}

#[tokio::test]
async fn a_delete_wins_over_an_edit_made_offline_without_knowing_of_it() {
    let (_dir, server) = server().await;
    let a = phone(&server, "ola").await;
    let b = phone(&server, "ola").await;
    let id = a
        .core
        .inventory()
        .add_item(fields("Kaffemaskin", "Kjøkken"))
        .unwrap();
    let kept = a
        .core
        .inventory()
        .add_item(fields("Brødrister", "Kjøkken"))
        .unwrap();
    a.core.inventory().sync().await.unwrap();
    b.core.inventory().sync().await.unwrap();
    assert_eq!(b.core.inventory().items().unwrap().len(), 2);

    a.core.inventory().delete_item(&id).unwrap();
    a.core.inventory().sync().await.unwrap();
    // B has not heard of the delete and edits the item.
    let mut f = b.core.inventory().item(&id).unwrap().fields;
    f.notes = Some("avkalket".into());
    b.core.inventory().update_item(&id, f).unwrap();
    b.core.inventory().sync().await.unwrap();
    a.core.inventory().sync().await.unwrap();
    for p in [&a, &b] {
        let inv = p.core.inventory();
        assert_eq!(inv.item(&id).unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(inv.items().unwrap().len(), 1);
        assert_eq!(inv.item(&kept).unwrap().fields.name, "Brødrister");
        assert_eq!(inv.unsynced_changes().unwrap(), 0);
    }
}

#[tokio::test]
async fn a_new_phone_restores_every_item_and_photo_byte_for_byte_and_logout_waits_for_sync() {
    let (_dir, server) = server().await;
    let old = phone(&server, "kari").await;
    let inv = old.core.inventory();
    let mut ids = Vec::new();
    for n in 0..5 {
        let (id, _) = inv
            .add_item_with_photos(
                fields(
                    &format!("Ting {n}"),
                    if n % 2 == 0 { "Stue" } else { "Bod" },
                ),
                &[png(&format!("ting-{n}-a")), png(&format!("ting-{n}-b"))],
            )
            .unwrap();
        ids.push(id);
    }
    let mut f = inv.item(&ids[0]).unwrap().fields;
    f.serial_number = Some("SN-123".into());
    f.purchase_price = Some(49_900);
    f.tags = vec!["elektronikk".into()];
    inv.update_item(&ids[0], f).unwrap();

    // Logout refuses while changes wait, and is allowed once they are synced.
    let refused = old.core.auth().logout(false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::UnsyncedChanges);
    let summary = inv.sync().await.unwrap();
    assert_eq!(summary.pending, 0);
    assert_eq!(summary.uploaded, 20);
    assert_eq!(inv.unsynced_changes().unwrap(), 0);

    let new = phone(&server, "kari").await;
    let restored = new.core.inventory().sync().await.unwrap();
    assert_eq!(restored.downloaded, 10);
    let before = inv.items().unwrap();
    let after = new.core.inventory().items().unwrap();
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.id, a.id);
        assert_eq!(b.fields, a.fields);
        assert_eq!(b.photos, a.photos);
        for p in &b.photos {
            for thumb in [false, true] {
                assert_eq!(
                    inv.photo_jpeg(&p.id, thumb).unwrap(),
                    new.core.inventory().photo_jpeg(&p.id, thumb).unwrap()
                );
            }
        }
    }
    let mut rooms_before: Vec<String> = inv.rooms().unwrap().into_iter().map(|r| r.name).collect();
    let mut rooms_after: Vec<String> = new
        .core
        .inventory()
        .rooms()
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    rooms_before.sort();
    rooms_after.sort();
    assert_eq!(rooms_before, rooms_after);
    // The new phone sealed the photos under its own key: its files are not the old ones.
    let sealed =
        |dir: &Path, id: &str| std::fs::read(dir.join(format!("core/photos/{id}.large"))).unwrap();
    let photo = &before[0].photos[0].id;
    assert_ne!(sealed(old.dir.path(), photo), sealed(new.dir.path(), photo));
    // A restore queues nothing to send back; logout is allowed.
    assert_eq!(new.core.inventory().unsynced_changes().unwrap(), 0);
    old.core.auth().logout(false).await.unwrap();
}

/// Every kind of failure on the upload path, then a sync that completes: every item once,
/// every blob once on the server's disk, no upload part left.
#[tokio::test]
async fn a_failing_server_loses_and_duplicates_nothing() {
    let (dir, server) = server().await;
    let a = phone(&server, "kari").await;
    let inv = a.core.inventory();
    inv.set_sync_timeout(Duration::from_millis(700));
    let faults: [(&str, Fault, u32); 6] = [
        ("PUT /v1/inventory/blobs/", Fault::Status500, 4),
        ("PUT /v1/inventory/blobs/", Fault::Hang, 3),
        ("PUT /v1/inventory/blobs/", Fault::DropMidBody, 3),
        ("PUT /v1/inventory/blobs/", Fault::DropAnswer, 3),
        ("POST /v1/inventory/changes", Fault::DropAnswer, 3),
        ("GET /v1/inventory/changes", Fault::Status500, 3),
    ];
    let mut n = 0;
    for (prefix, fault, count) in faults {
        // Two new items with photos before each kind of failure.
        for _ in 0..2 {
            inv.add_item_with_photos(
                fields(&format!("Ting {n}"), "Stue"),
                &[png(&format!("f-{n}"))],
            )
            .unwrap();
            n += 1;
        }
        server.inject_faults(prefix, fault, count);
        // The first sync meets the faults (three attempts each, then it gives up or gets
        // through); whatever it did stays done.
        let first = inv.sync().await;
        if let Err(e) = &first {
            assert!(
                matches!(e.kind(), ErrorKind::Network | ErrorKind::Server),
                "{fault:?}: {e}"
            );
        }
        let mut done = inv.sync().await;
        for _ in 0..3 {
            if done.is_ok() {
                break;
            }
            done = inv.sync().await;
        }
        assert_eq!(done.unwrap().pending, 0, "{fault:?}");
        assert_eq!(server.faults_left(), 0, "{fault:?} never met a request");
        assert_eq!(inv.items().unwrap().len(), n, "{fault:?}");
        assert_eq!(blob_files(dir.path()), (2 * n, 0), "{fault:?}");
    }
    // Another phone sees every item once, with its photo.
    let b = phone(&server, "kari").await;
    b.core.inventory().sync().await.unwrap();
    let items = b.core.inventory().items().unwrap();
    assert_eq!(items.len(), n);
    assert!(items.iter().all(|i| i.photos.len() == 1));
    let mut names: Vec<_> = items.iter().map(|i| i.fields.name.clone()).collect();
    names.dedup();
    assert_eq!(names.len(), n);
}

#[tokio::test]
async fn offline_a_sync_fails_as_network_and_every_change_stays_queued() {
    let (_dir, server) = server().await;
    let a = phone(&server, "ola").await;
    let inv = a.core.inventory();
    inv.add_item_with_photos(fields("Gitar", "Stue"), &[png("gitar")])
        .unwrap();
    let id = inv.add_item(fields("Forsterker", "Stue")).unwrap();
    inv.delete_item(&id).unwrap();
    assert_eq!(inv.unsynced_changes().unwrap(), 3);
    server.stop().await;
    let offline = inv.sync().await.unwrap_err();
    assert_eq!(offline.kind(), ErrorKind::Network);
    assert_eq!(inv.unsynced_changes().unwrap(), 3);
    assert_eq!(inv.items().unwrap().len(), 1);
    let refused = a.core.auth().logout(false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::UnsyncedChanges);
}

/// Ignores progress.
struct Quiet;

impl lofavor_core::inventory::ImportObserver for Quiet {
    fn on_progress(&self, _: lofavor_core::inventory::ImportProgress) {}
}

#[tokio::test]
async fn a_room_overview_comes_back_to_its_room_on_a_new_phone() {
    use lofavor_core::inventory::{ImportTarget, PhotoImport, PhotoSource};
    let (_dir, server) = server().await;
    let old = phone(&server, "kari").await;
    let job = old
        .core
        .inventory()
        .start_import(
            vec![PhotoImport {
                source: PhotoSource::Bytes(png("kitchen from the door")),
                target: ImportTarget::Room("Kjøkken".into()),
                keep_original: false,
            }],
            Arc::new(Quiet),
        )
        .unwrap();
    assert_eq!(job.finish().await.unwrap().imported(), 1);
    let overview = old.core.inventory().room_photos("Kjøkken").unwrap();
    assert_eq!(old.core.inventory().sync().await.unwrap().pending, 0);

    let new = phone(&server, "kari").await;
    new.core.inventory().sync().await.unwrap();
    let restored = new.core.inventory().room_photos("Kjøkken").unwrap();
    assert_eq!(restored, overview);
    assert_eq!(
        new.core
            .inventory()
            .photo_jpeg(&restored[0].id, false)
            .unwrap(),
        old.core
            .inventory()
            .photo_jpeg(&overview[0].id, false)
            .unwrap()
    );
}
