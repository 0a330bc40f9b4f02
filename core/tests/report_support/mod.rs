//! What the claim report tests share: a phone (data directory and keystore), photos, a
//! stocked inventory and the PDF read back.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses a part

use std::sync::Arc;

use lofavor_core::inventory::{ItemFields, PhotoRole, ReportRequest};
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};

pub const DEAD: &str = "http://127.0.0.1:9/";

pub struct Phone {
    pub dir: tempfile::TempDir,
    pub secrets: Arc<MemoryStandInStore>,
}

impl Phone {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            secrets: Arc::new(MemoryStandInStore::new()),
        }
    }

    pub fn core(&self, issuer: &str, api: &str) -> Core {
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

pub fn jpeg(w: u16, h: u16, shade: u8) -> Vec<u8> {
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
pub fn stock(core: &Core, n: usize) -> String {
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

pub fn pdf_text(pdf: &[u8], page: u32) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.extract_text(&[page]).unwrap().replace('\u{a0}', " ")
}

pub fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}

/// The JPEG images embedded in `pdf`.
pub fn jpeg_images(pdf: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
        .filter(|s| s.dict.get(b"Filter").and_then(|f| f.as_name()).ok() == Some(b"DCTDecode"))
        .map(|s| s.content.clone())
        .collect()
}

pub fn request(locale: Locale) -> ReportRequest {
    ReportRequest {
        locale,
        member_name: Some("Åse Ødegård".into()),
        address: Some("Storgata 1, 9008 Tromsø".into()),
        ..ReportRequest::default()
    }
}
