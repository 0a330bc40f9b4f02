//! The claim report on a real encrypted store, read back as an insurer would: the PDF parsed
//! (labels in nb and en, Norwegian letters, a page per item, the photos embedded), the CSV's
//! columns, the ZIP's photos byte for byte; and sending it to the reference server's insurer
//! inbox, which receives nothing before the member confirms, exactly one report after, and
//! nothing when the server fails until the member sends again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up should stop the test

use std::io::Read;
use std::sync::Arc;

use lofavor_core::inventory::{ItemFields, PhotoRole, ReportPhotos, ReportRequest};
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};

const DEAD: &str = "http://127.0.0.1:9/";

struct Phone {
    dir: tempfile::TempDir,
    secrets: Arc<MemoryStandInStore>,
}

impl Phone {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            secrets: Arc::new(MemoryStandInStore::new()),
        }
    }

    fn core(&self, issuer: &str, api: &str) -> Core {
        let config = CoreConfig {
            data_dir: self.dir.path().join("core"),
            api_base_url: api.into(),
            oidc_issuer: issuer.into(),
            oidc_client_id: "lofavor-android".into(),
            redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::ShellProvided,
            trust_anchors: Vec::new(),
        };
        let platform = Platform {
            secure_store: Some(self.secrets.clone() as Arc<dyn SecureStore>),
            logger: None,
        };
        Core::open(config, platform).unwrap()
    }
}

fn jpeg(w: u16, h: u16, shade: u8) -> Vec<u8> {
    let pixels: Vec<u8> = (0..u32::from(w) * u32::from(h))
        .flat_map(|i| [shade, (i % 251) as u8, 128])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// A laptop with its photo and receipt, and `n - 1` more items with one photo each.
fn stock(core: &Core, n: usize) -> String {
    let inv = core.inventory();
    let (laptop, _) = inv
        .add_item_with_photos(
            ItemFields {
                name: "Bærbar PC på soverommet".into(),
                room: Some("Soverom".into()),
                category: Some("Elektronikk".into()),
                brand: Some("Lenovo".into()),
                model: Some("ThinkPad X1".into()),
                serial_number: Some("PF-ÆØÅ-4471".into()),
                purchase_date: Some("2024-05-17".into()),
                purchase_place: Some("Elkjøp Tromsø".into()),
                purchase_price: Some(1_234_500),
                replacement_value: Some(1_499_000),
                receipt_number: Some("K-77;12".into()),
                notes: Some("=kjøpt med kort".into()),
                ..ItemFields::default()
            },
            &[jpeg(640, 480, 40)],
        )
        .unwrap();
    inv.add_photo(&laptop, PhotoRole::Receipt, &jpeg(300, 600, 220))
        .unwrap();
    for i in 1..n {
        inv.add_item_with_photos(
            ItemFields {
                name: format!("Stol {i}"),
                room: Some(if i % 2 == 0 { "Stue" } else { "Kjøkken" }.into()),
                purchase_price: Some(100_000),
                ..ItemFields::default()
            },
            &[jpeg(200, 200, (i * 7 % 200) as u8)],
        )
        .unwrap();
    }
    laptop
}

fn pdf_text(pdf: &[u8], page: u32) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.extract_text(&[page]).unwrap().replace('\u{a0}', " ")
}

fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}

/// The JPEG images embedded in `pdf`.
fn jpeg_images(pdf: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
        .filter(|s| s.dict.get(b"Filter").and_then(|f| f.as_name()).ok() == Some(b"DCTDecode"))
        .map(|s| s.content.clone())
        .collect()
}

fn request(locale: Locale) -> ReportRequest {
    ReportRequest {
        locale,
        address: Some("Storgata 1, 9008 Tromsø".into()),
        ..ReportRequest::default()
    }
}

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

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(ServerConfig::loopback(dir.path().join("server")))
        .await
        .unwrap();
    (dir, server)
}

async fn log_in(core: &Core, member: &str) {
    let authorize = core.auth().begin_login().await.unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&authorize, member)
        .await
        .unwrap();
    core.auth().complete_login(&redirect).await.unwrap();
}

fn claims_sent(server: &RunningServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.ends_with("/claim-reports"))
        .count()
}

#[tokio::test]
async fn the_insurer_gets_the_report_only_after_the_member_confirms_and_only_once() {
    let (_dir, server) = server().await;
    let phone = Phone::new();
    let core = phone.core(server.issuer_url(), &server.base_url());
    log_in(&core, "kari").await;
    stock(&core, 2);
    let inv = core.inventory();

    server.clear_requests();
    let preview = inv
        .prepare_report_transfer("fremtind", request(Locale::Nb))
        .await
        .unwrap();
    assert_eq!(preview.heading, "Dette sendes til Fremtind");
    assert!(preview.fields.iter().any(|f| f.value == "Kari Nordmann"));
    assert!(
        preview
            .fields
            .iter()
            .any(|f| f.value == "Storgata 1, 9008 Tromsø")
    );
    assert_eq!(
        preview.categories,
        ["Navn", "Adresse", "Eiendeler, bilder og kvitteringer"]
    );
    assert!(pdf_text(&preview.pdf, 1).contains("Kari Nordmann"));
    // Prepared, shown: nothing has gone anywhere.
    assert_eq!(claims_sent(&server), 0);
    assert!(server.partner_inbox("fremtind").is_empty());

    // Confirmations that are not this preview's send nothing, each with its reason.
    let forged = inv.send_report("0123456789abcdef0123456789abcdef").await;
    assert_eq!(forged.unwrap_err().kind(), ErrorKind::NotFound);
    let unknown = inv
        .prepare_report_transfer("sparebank1", request(Locale::Nb))
        .await;
    assert_eq!(unknown.unwrap_err().kind(), ErrorKind::NotFound);
    let late = inv
        .prepare_report_transfer("fremtind", request(Locale::En))
        .await
        .unwrap();
    let expired = inv.send_report_at(&late.id, late.expires_at + 1).await;
    assert_eq!(expired.unwrap_err().kind(), ErrorKind::Expired);
    assert_eq!(
        inv.send_report(&late.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(claims_sent(&server), 0);
    assert!(server.partner_inbox("fremtind").is_empty());

    let receipt = inv.send_report(&preview.id).await.unwrap();
    assert_eq!(
        (receipt.report_id.as_str(), receipt.status.as_str()),
        (preview.id.as_str(), "received")
    );
    let inbox = server.partner_inbox("fremtind");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "claim_report");
    let fields = &inbox[0]["fields"];
    assert_eq!(fields["pdf_sha256"], preview.pdf_sha256.as_str());
    assert_eq!(fields["pdf_bytes"], preview.pdf.len());
    assert_eq!(
        (fields["items"].as_u64(), fields["pages"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(fields["member_name"], "Kari Nordmann");
    assert_eq!(fields["replacement_value_ore"], 1_499_000 + 100_000);
    // Confirmed again (a double tap, a retry after a lost answer): the same answer, nothing new.
    let again = inv.send_report(&preview.id).await.unwrap();
    assert_eq!(again, receipt);
    assert_eq!(claims_sent(&server), 1);
    assert_eq!(server.partner_inbox("fremtind").len(), 1);
}

#[tokio::test]
async fn logged_out_nothing_goes_and_a_failing_server_leaves_it_to_send_again() {
    let (_dir, server) = server().await;
    let phone = Phone::new();
    {
        // Nobody logged in: a typed refusal, nothing sent.
        let core = phone.core(server.issuer_url(), &server.base_url());
        stock(&core, 1);
        let preview = core
            .inventory()
            .prepare_report_transfer("fremtind", request(Locale::Nb))
            .await
            .unwrap();
        let refused = core.inventory().send_report(&preview.id).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::NotLoggedIn);
        assert_eq!(claims_sent(&server), 0);
        log_in(&core, "ola").await;
    }
    let port = lofavor_e2e::stub_server::answering_server("500 Internal Server Error", Vec::new())
        .unwrap();
    let failing = format!("http://127.0.0.1:{port}/");
    let preview_id = {
        let core = phone.core(server.issuer_url(), &failing);
        let preview = core
            .inventory()
            .prepare_report_transfer("fremtind", request(Locale::Nb))
            .await
            .unwrap();
        let failed = core.inventory().send_report(&preview.id).await.unwrap_err();
        assert_eq!(failed.kind(), ErrorKind::Server);
        preview.id
    };
    assert!(server.partner_inbox("fremtind").is_empty());
    // Back online: the same preview goes, once.
    let core = phone.core(server.issuer_url(), &server.base_url());
    let receipt = core.inventory().send_report(&preview_id).await.unwrap();
    assert_eq!(receipt.report_id, preview_id);
    assert_eq!(server.partner_inbox("fremtind").len(), 1);
    assert_eq!(claims_sent(&server), 1);
}
