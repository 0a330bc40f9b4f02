//! The claim report on a real encrypted store, read back as an insurer would: the PDF parsed
//! (labels in nb and en, Norwegian letters, a page per item, the photos embedded), the CSV's
//! columns, the ZIP's photos byte for byte. Sending it: `inventory_report_send.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up should stop the test

mod report_support;

use std::io::Read;

use lofavor_core::Locale;
use lofavor_core::inventory::{ReportPhotos, ReportRequest};
use report_support::*;

#[test]
fn the_pdf_reads_in_norwegian_or_english_with_a_page_per_item_and_its_photos() {
    let phone = Phone::new();
    let core = phone.core(DEAD, DEAD);
    let laptop = stock(&core, 3);
    let inv = core.inventory();

    let nb = inv.report(&request(Locale::Nb)).unwrap();
    assert_eq!((nb.items, nb.pages), (3, 5));
    assert_eq!(page_count(&nb.pdf), 5);
    let cover = pdf_text(&nb.pdf, 1);
    for label in [
        "Skaderapport",
        "Medlem",
        "Åse Ødegård",
        "Adresse",
        "Storgata 1, 9008 Tromsø",
        "Sum kjøpspris",
    ] {
        assert!(cover.contains(label), "{label} not on the cover: {cover}");
    }
    // 12 345,00 + 2 × 1 000,00 paid; 14 990,00 + 2 000,00 to replace.
    assert!(cover.contains("kr 14 345,00"), "{cover}");
    assert!(cover.contains("kr 16 990,00"), "{cover}");
    let rooms = pdf_text(&nb.pdf, 2);
    for room in ["Sammendrag per rom", "Kjøkken", "Soverom", "Stue", "Sum"] {
        assert!(rooms.contains(room), "{room} not in the summary: {rooms}");
    }
    // Items go by room, then name: Kjøkken's chair, the laptop in Soverom, Stue's chair.
    let item = pdf_text(&nb.pdf, 4);
    for text in [
        "Bærbar PC på soverommet",
        "Serienummer",
        "PF-ÆØÅ-4471",
        "Kjøpt hos",
        "Elkjøp Tromsø",
        "17. mai 2024",
        "kr 12 345,00",
        "Gjenanskaffelsesverdi",
        "Kvittering",
        "Side 4 av 5",
    ] {
        assert!(item.contains(text), "{text} not on the item's page: {item}");
    }
    // Every photo shown is the stored 2048 px rendition, embedded as it is.
    let laptop_photos = inv.item(&laptop).unwrap().photos;
    let images = jpeg_images(&nb.pdf);
    assert_eq!(images.len(), 4);
    assert_eq!(nb.photos, 4);
    for photo in &laptop_photos {
        let stored = inv.photo_jpeg(&photo.id, false).unwrap();
        assert!(images.contains(&stored));
    }

    let en = inv.report(&request(Locale::En)).unwrap();
    let cover = pdf_text(&en.pdf, 1);
    assert!(cover.contains("Claim report") && cover.contains("Total replacement value"));
    assert!(cover.contains("NOK 16,990.00"), "{cover}");
    let item = pdf_text(&en.pdf, 4);
    assert!(
        item.contains("Serial number") && item.contains("17 May 2024"),
        "{item}"
    );
    assert!(item.contains("Bærbar PC på soverommet"));

    // One more item, one more page; thumbnails make a smaller file.
    stock(&core, 2);
    let more = inv.report(&request(Locale::Nb)).unwrap();
    assert_eq!(page_count(&more.pdf), 5 + 2);
    let small = inv
        .report(&ReportRequest {
            photos: ReportPhotos::Thumbnail,
            ..request(Locale::Nb)
        })
        .unwrap();
    assert!(small.pdf.len() < more.pdf.len());
    assert_eq!(page_count(&small.pdf), 7);
}

#[test]
fn the_csv_has_every_field_for_excel_and_the_zip_the_photos_byte_for_byte() {
    let phone = Phone::new();
    let core = phone.core(DEAD, DEAD);
    let laptop = stock(&core, 2);
    let inv = core.inventory();
    let files = inv
        .report(&ReportRequest {
            csv: true,
            zip: true,
            ..request(Locale::Nb)
        })
        .unwrap();
    let csv = files.csv.unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()), "no byte-order mark");
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3);
    let header: Vec<&str> = lines[0].split(';').collect();
    assert_eq!(header.len(), 19);
    assert_eq!(&header[..3], ["Id", "Navn", "Rom"]);
    assert!(header.contains(&"Serienummer") && header.contains(&"Gjenanskaffelsesverdi"));
    let laptop_row = lines.iter().find(|l| l.starts_with(&laptop)).unwrap();
    assert!(laptop_row.contains(";Bærbar PC på soverommet;Soverom;"));
    assert!(laptop_row.contains(";12345,00;NOK;14990,00;"));
    assert!(
        laptop_row.contains("\"K-77;12\""),
        "a ; inside a field is quoted"
    );
    assert!(
        laptop_row.contains(";'=kjøpt med kort;"),
        "a formula is defused"
    );

    let zip = files.zip.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "items.csv",
            "photos/001-stol-1/item-1.jpg",
            "photos/002-bærbar-pc-på-soverommet/item-1.jpg",
            "photos/002-bærbar-pc-på-soverommet/receipt-1.jpg",
            "report.pdf",
        ]
    );
    assert!(laptop_row.contains("photos/002-bærbar-pc-på-soverommet/receipt-1.jpg"));
    let item = inv.item(&laptop).unwrap();
    for (photo, name) in item.photos.iter().zip(["item-1.jpg", "receipt-1.jpg"]) {
        let mut inside = Vec::new();
        archive
            .by_name(&format!("photos/002-bærbar-pc-på-soverommet/{name}"))
            .unwrap()
            .read_to_end(&mut inside)
            .unwrap();
        assert_eq!(inside, inv.photo_jpeg(&photo.id, false).unwrap());
    }
    let mut pdf = Vec::new();
    archive
        .by_name("report.pdf")
        .unwrap()
        .read_to_end(&mut pdf)
        .unwrap();
    assert_eq!(page_count(&pdf), 4);
}

#[test]
fn many_rooms_carry_the_summary_over_and_an_item_without_photos_says_so() {
    let phone = Phone::new();
    let core = phone.core(DEAD, DEAD);
    let inv = core.inventory();
    for i in 0..40 {
        inv.add_item(lofavor_core::inventory::ItemFields {
            name: format!("Ting {i:02}"),
            room: Some(format!("Rom {i:02}")),
            replacement_value: Some(100),
            description: Some("Lang tekst. ".repeat(200)),
            ..Default::default()
        })
        .unwrap();
    }
    let files = inv.report(&request(Locale::Nb)).unwrap();
    assert_eq!(files.pages, 1 + 2 + 40);
    assert_eq!(page_count(&files.pdf), 43);
    let first = pdf_text(&files.pdf, 2);
    let second = pdf_text(&files.pdf, 3);
    assert!(first.contains("Rom 00") && !first.contains("Rom 39"));
    assert!(second.contains("Rom 39") && second.contains("Sum"));
    let item = pdf_text(&files.pdf, 4);
    assert!(item.contains("Ingen bilder"));
    assert!(
        item.contains('…'),
        "a long description is cut, not run off the page"
    );
}
