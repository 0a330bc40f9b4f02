//! The inventory on a real encrypted store: items, rooms, search as members type, photos
//! sealed on disk, and what a crash or an erasure leaves.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up should stop the test

use lofavor_core::ErrorKind;
use lofavor_core::inventory::{ItemFields, PhotoRole};
use lofavor_core::platform::SecureStore;

mod support;

use support::{Phone, item, jpeg};

#[test]
fn search_finds_what_members_type_with_norwegian_letters_their_own() {
    let phone = Phone::new();
    let core = phone.core();
    let inv = core.inventory();
    let coffee = inv
        .add_item(ItemFields {
            brand: Some("Moccamaster".into()),
            serial_number: Some("SN-4471-ØX".into()),
            tags: vec!["kjøkken".into(), "elektronikk".into()],
            ..item("Kaffemaskin", "Kjøkken")
        })
        .unwrap();
    let silver = inv.add_item(item("Sølvbestikk", "Spisestue")).unwrap();
    inv.add_item(item("Solseng", "Hage")).unwrap();

    let ids = |text: &str| -> Vec<String> {
        inv.search(text)
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect()
    };
    assert_eq!(ids("kaff"), vec![coffee.clone()]);
    assert_eq!(ids("mocca"), vec![coffee.clone()]);
    assert_eq!(ids("4471"), vec![coffee.clone()]);
    assert_eq!(ids("kjøk"), vec![coffee.clone()]);
    assert_eq!(ids("søl"), vec![silver.clone()]);
    // 'o' is not 'ø': "sol" finds the sun lounger, not the silver.
    let sol = ids("sol");
    assert_eq!(sol.len(), 1);
    assert_ne!(sol[0], silver);
    // Upper case, and query syntax, are just text.
    assert_eq!(ids("KAFFEMASKIN"), vec![coffee.clone()]);
    for hostile in ["\"", "NEAR(", "*", "kaff OR sol", "-", "a:b", "\0"] {
        inv.search(hostile).unwrap();
    }
    assert!(ids("").is_empty());

    inv.delete_item(&coffee).unwrap();
    assert!(ids("kaff").is_empty());
    assert_eq!(inv.items().unwrap().len(), 2);
    assert_eq!(inv.item(&coffee).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(inv.rooms().unwrap().len(), 3);
    let bad = inv.add_item(ItemFields::default()).unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
    let bad_date = inv
        .add_item(ItemFields {
            purchase_date: Some("17.05.2024".into()),
            ..item("TV", "Stue")
        })
        .unwrap_err();
    assert_eq!(bad_date.kind(), ErrorKind::InvalidInput);
}

#[test]
fn photos_are_sealed_on_disk_read_back_and_a_duplicate_is_one_photo() {
    let phone = Phone::new();
    let core = phone.core();
    let inv = core.inventory();
    let tv = inv.add_item(item("TV", "Stue")).unwrap();
    let photo = jpeg(900, 600, 40);
    let id = inv.add_photo(&tv, PhotoRole::Item, &photo).unwrap();
    assert_eq!(inv.add_photo(&tv, PhotoRole::Item, &photo).unwrap(), id);
    let receipt = inv
        .add_photo(&tv, PhotoRole::Receipt, &jpeg(300, 500, 200))
        .unwrap();
    let item = inv.item(&tv).unwrap();
    assert_eq!(item.photos.len(), 2);
    assert_eq!(item.photos[1].id, receipt);

    let thumb = inv.photo_jpeg(&id, true).unwrap();
    assert!(thumb.starts_with(&[0xFF, 0xD8]));
    let large = inv.photo_jpeg(&id, false).unwrap();
    assert!(large.len() > thumb.len());
    // On disk: sealed, no JPEG in sight.
    for name in phone.photo_files() {
        let bytes = std::fs::read(phone.dir.path().join("core/photos").join(&name)).unwrap();
        assert!(!bytes.starts_with(&[0xFF, 0xD8]), "{name} is not sealed");
        assert!(
            !bytes.windows(4).any(|w| w == b"JFIF"),
            "{name} is not sealed"
        );
    }
    assert_eq!(phone.photo_files().len(), 4);

    // A hostile photo is refused and writes nothing.
    let mut bomb = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0, 0x11, 8, 0xEA, 0x60, 0xEA, 0x60, 3,
    ];
    bomb.resize(692, 0);
    let refused = inv.add_photo(&tv, PhotoRole::Item, &bomb).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    let refused = inv.add_photo(&tv, PhotoRole::Item, b"").unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    assert_eq!(phone.photo_files().len(), 4);
    assert_eq!(
        inv.add_photo("no-such-item", PhotoRole::Item, &photo)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        inv.photo_jpeg("../../etc/passwd", false)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    // A changed byte on disk is not a photo any more.
    let path = phone.dir.path().join(format!("core/photos/{id}.thumb"));
    let mut sealed = std::fs::read(&path).unwrap();
    let at = sealed.len() / 2;
    sealed[at] ^= 1;
    std::fs::write(&path, sealed).unwrap();
    assert_eq!(
        inv.photo_jpeg(&id, true).unwrap_err().kind(),
        ErrorKind::Tampered
    );
}

#[test]
fn files_a_crash_left_without_a_row_are_swept_at_the_next_start() {
    let phone = Phone::new();
    let core = phone.core();
    let tv = core.inventory().add_item(item("TV", "Stue")).unwrap();
    let id = core
        .inventory()
        .add_photo(&tv, PhotoRole::Item, &jpeg(400, 300, 90))
        .unwrap();
    drop(core);
    let dir = phone.dir.path().join("core/photos");
    std::fs::write(
        dir.join("0123456789abcdef0123456789abcdef.large"),
        b"orphan",
    )
    .unwrap();
    std::fs::write(dir.join(".tmp-half"), b"half a file").unwrap();
    let core = phone.core();
    let mut files = phone.photo_files();
    files.sort();
    assert_eq!(files, vec![format!("{id}.large"), format!("{id}.thumb")]);
    assert!(core.inventory().photo_jpeg(&id, false).is_ok());
}

#[tokio::test]
async fn erasure_takes_the_items_the_photos_and_their_key() {
    let phone = Phone::new();
    let core = phone.core();
    let tv = core.inventory().add_item(item("TV", "Stue")).unwrap();
    core.inventory()
        .add_photo(&tv, PhotoRole::Item, &jpeg(400, 300, 90))
        .unwrap();
    let export: serde_json::Value =
        serde_json::from_slice(&core.consent().export().await.unwrap()).unwrap();
    // The export holds the item with its fields and the photo itself, byte for byte.
    let exported = &export["device"]["inventory"]["items"][0];
    assert_eq!(exported["fields"]["name"], "TV");
    assert_eq!(exported["fields"]["room"], "Stue");
    let photos = exported["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 1);
    use base64::Engine as _;
    let jpeg_in_export = base64::engine::general_purpose::STANDARD
        .decode(photos[0]["jpeg_base64"].as_str().unwrap())
        .unwrap();
    let id = photos[0]["id"].as_str().unwrap();
    assert_eq!(
        jpeg_in_export,
        core.inventory().photo_jpeg(id, false).unwrap()
    );
    assert_eq!(export["device"]["inventory"]["rooms"][0]["name"], "Stue");

    core.erase_device().await.unwrap();
    assert!(core.inventory().items().unwrap().is_empty());
    assert!(phone.photo_files().is_empty());
    let key = format!("photo-key.{}", core.store().installation_id());
    assert!(phone.secrets.get(&key).unwrap().is_none());
}

#[tokio::test]
async fn logout_refuses_while_belongings_exist_only_on_this_phone() {
    let phone = Phone::new();
    let core = phone.core();
    core.inventory().add_item(item("Sykkel", "Bod")).unwrap();
    // Until the server has them, the belongings count as unsynced: only a forced logout (or
    // the member's erasure) may take them.
    let refused = core.auth().logout(false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::UnsyncedChanges);
    assert_eq!(core.inventory().items().unwrap().len(), 1);
}

#[test]
fn totals_add_up_by_room_and_category_against_the_insured_sum() {
    let phone = Phone::new();
    let core = phone.core();
    let inv = core.inventory();
    inv.add_item(ItemFields {
        category: Some("Elektronikk".into()),
        purchase_price: Some(1_200_000),
        replacement_value: Some(900_000),
        ..item("TV", "Stue")
    })
    .unwrap();
    inv.add_item(ItemFields {
        category: Some("Møbler".into()),
        purchase_price: Some(300_000),
        quantity: 4,
        ..item("Stol", "Stue")
    })
    .unwrap();
    let gone = inv
        .add_item(ItemFields {
            purchase_price: Some(99_999_900),
            ..item("Solgt bil", "Garasje")
        })
        .unwrap();
    inv.delete_item(&gone).unwrap();
    inv.add_item(item("Sykkel", "Bod")).unwrap();

    let totals = inv.totals().unwrap();
    assert_eq!(totals.all.items, 6);
    assert_eq!(totals.all.purchase_price, 1_200_000 + 4 * 300_000);
    assert_eq!(totals.all.replacement_value, 900_000 + 4 * 300_000);
    let stue = totals
        .by_room
        .iter()
        .find(|g| g.name.as_deref() == Some("Stue"))
        .unwrap();
    assert_eq!(stue.items, 5);
    assert!(
        totals
            .by_room
            .iter()
            .all(|g| g.name.as_deref() != Some("Garasje"))
    );
    assert_eq!(totals.by_category.len(), 3); // Elektronikk, Møbler and none
    assert_eq!(totals.insured_sum, None);

    inv.set_insured_sum(Some(1_500_000)).unwrap();
    let totals = inv.totals().unwrap();
    assert_eq!(totals.shortfall, Some(600_000));
    inv.set_insured_sum(Some(5_000_000)).unwrap();
    assert_eq!(inv.totals().unwrap().shortfall, Some(0));
}

#[test]
fn values_today_follow_the_category_rule_and_the_members_own_rule() {
    use chrono::Datelike;
    let phone = Phone::new();
    let core = phone.core();
    let inv = core.inventory();
    let three_years_ago = format!("{}-01-01", chrono::Utc::now().year() - 3);
    let tv = inv
        .add_item(ItemFields {
            category: Some("Elektronikk".into()),
            replacement_value: Some(1_000_000),
            purchase_date: Some(three_years_ago.clone()),
            ..item("TV", "Stue")
        })
        .unwrap();
    let ring = inv
        .add_item(ItemFields {
            category: Some("Smykker".into()),
            purchase_price: Some(2_000_000),
            purchase_date: Some(three_years_ago.clone()),
            ..item("Ring", "Soverom")
        })
        .unwrap();
    let undated = inv
        .add_item(ItemFields {
            category: Some("Elektronikk".into()),
            purchase_price: Some(300_000),
            quantity: 2,
            ..item("Høyttaler", "Stue")
        })
        .unwrap();

    let value = |id: &str| inv.valuation(id).unwrap();
    assert_eq!(value(&tv).age_years, Some(3));
    assert_eq!(value(&tv).current, Some(400_000), "20 % a year for 3 years");
    assert_eq!(
        value(&ring).current,
        Some(2_000_000),
        "jewellery keeps its value"
    );
    assert_eq!(value(&undated).age_years, None);
    assert_eq!(
        value(&undated).current,
        Some(600_000),
        "no date: nothing deducted"
    );

    let totals = inv.totals().unwrap();
    assert_eq!(totals.all.current_value, 400_000 + 2_000_000 + 600_000);
    let living_room = totals
        .by_room
        .iter()
        .find(|g| g.name.as_deref() == Some("Stue"))
        .unwrap();
    assert_eq!(living_room.current_value, 1_000_000);

    // The member's own rule for the category, then back to the table's.
    inv.set_depreciation_rule("elektronikk", Some((10, 50)))
        .unwrap();
    assert!(inv.depreciation_rule("Elektronikk").unwrap().member_set);
    assert_eq!(value(&tv).current, Some(700_000));
    assert_eq!(
        inv.set_depreciation_rule("elektronikk", Some((120, 0)))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    inv.set_depreciation_rule("Elektronikk", None).unwrap();
    assert_eq!(value(&tv).current, Some(400_000));
}
