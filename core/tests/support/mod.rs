//! What the inventory tests share: a phone (a data directory and the keystore stand-in) and
//! generated photos.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses a part

use std::sync::Arc;

use lofavor_core::inventory::ItemFields;
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::{Core, CoreConfig, Locale, SecureStoreChoice};

/// A phone: its data directory and its keystore (the in-memory stand-in).
pub struct Phone {
    pub dir: tempfile::TempDir,
    pub secrets: Arc<MemoryStandInStore>,
}

impl Phone {
    /// A new phone with nothing on it.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            secrets: Arc::new(MemoryStandInStore::new()),
        }
    }

    /// Opens the core on this phone.
    pub fn core(&self) -> Core {
        let config = CoreConfig {
            data_dir: self.dir.path().join("core"),
            api_base_url: "http://127.0.0.1:9/".into(),
            oidc_issuer: "http://127.0.0.1:9/".into(),
            oidc_client_id: "test".into(),
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

    /// The names of the files in the photo folder.
    pub fn photo_files(&self) -> Vec<String> {
        match std::fs::read_dir(self.dir.path().join("core/photos")) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// An item named `name` in `room`.
pub fn item(name: &str, room: &str) -> ItemFields {
    ItemFields {
        name: name.into(),
        room: Some(room.into()),
        ..ItemFields::default()
    }
}

/// A `w`×`h` JPEG; `shade` makes photos differ.
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
