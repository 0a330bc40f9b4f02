//! The consent catalogue: every purpose the member is asked about, with its notice text in
//! nb, nn and en, and the processing information the right of access promises.
//!
//! The member API serves it signed (COSE_Sign1, ES256, content type
//! [`CATALOGUE_CONTENT_TYPE`]) by a trust anchor the app ships with, so neither the network
//! nor a compromised cache can change what the member is asked to agree to. A copy is bundled
//! in the app for a first start without network: it is part of the signed app itself, so it
//! needs no signature of its own. A fetched catalogue replaces the current one only when it
//! verifies, reads, and has a higher `sequence`: a tampered, unsigned or older catalogue is
//! refused and the previous one kept.

use p256::ecdsa::VerifyingKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::ConsentError;
use crate::config::Locale;
use crate::net::{DataCategory, Partner};
use lofavor_certificate::{TrustAnchors, anchor_from_text, open_document};

/// The content type that binds a catalogue's signature to catalogues.
pub const CATALOGUE_CONTENT_TYPE: &str = "application/lofavor-consent-catalogue+json";

/// The most a signed catalogue may weigh.
pub const MAX_CATALOGUE_BYTES: usize = 512 * 1024;

/// The catalogue compiled into the app.
const BUNDLED: &str = include_str!("catalogue/bundled.json");

/// A text in each language of the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    /// Bokmål (the default).
    pub nb: String,
    /// Nynorsk.
    pub nn: String,
    /// English.
    pub en: String,
}

impl LocalizedText {
    /// The text in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Nb => &self.nb,
            Locale::Nn => &self.nn,
            Locale::En => &self.en,
        }
    }
}

/// How a purpose is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurposeKind {
    /// An ordinary consent (GDPR art. 6(1)(a)).
    Consent,
    /// Sharing with a partner: reveals union membership, so an explicit consent (art. 9(2)(a))
    /// with a second confirmation.
    PartnerSharing,
    /// The reservation against direct marketing (art. 21): "given" means reserved.
    Reservation,
}

/// The notice shown for a purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Stable id of the notice.
    pub id: String,
    /// `major.minor`: a major change asks the member again, a minor one does not.
    pub version: String,
    /// The full notice on the web.
    pub url: String,
    /// Short title.
    pub title: LocalizedText,
    /// One or two sentences for the first layer.
    pub summary: LocalizedText,
    /// The exact text the member agrees to; its SHA-256 is in every decision record.
    pub text: LocalizedText,
}

impl Notice {
    /// The major part of the version.
    pub fn major(&self) -> u32 {
        NoticeVersion::parse(&self.version).map_or(0, |v| v.major)
    }

    /// Lowercase hex SHA-256 of the exact text shown in `locale`.
    pub fn text_sha256(&self, locale: Locale) -> String {
        hex::encode(Sha256::digest(self.text.get(locale).as_bytes()))
    }
}

/// A notice version `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct NoticeVersion {
    /// Changes that ask the member again.
    pub major: u32,
    /// Changes that only say "updated".
    pub minor: u32,
}

impl NoticeVersion {
    /// Parses `major.minor`.
    pub fn parse(text: &str) -> Option<Self> {
        let (major, minor) = text.split_once('.')?;
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return None;
        }
        Some(Self {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
        })
    }
}

/// One purpose the member decides on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purpose {
    /// Stable id (`tailored_offers`, `partner_sharing.fremtind`, ...).
    pub id: String,
    /// How it is asked.
    pub kind: PurposeKind,
    /// The partner that receives data, for a partner purpose.
    pub partner: Option<String>,
    /// Whether it is marketing, which a reservation overrides.
    pub marketing: bool,
    /// The legal basis (`consent`, `explicit_consent`, `objection`).
    pub legal_basis: String,
    /// Who is the controller of the processing (a partner becomes the controller of what it
    /// receives; its notice says so).
    pub controller: String,
    /// Whether it touches special-category data (GDPR art. 9).
    pub special_category: bool,
    /// Who receives the data.
    pub recipients: Vec<String>,
    /// What data the purpose uses.
    pub data_categories: Vec<String>,
    /// The notice.
    pub notice: Notice,
    /// How long the data is kept.
    pub retention: LocalizedText,
    /// What changes for the member if they say no.
    pub if_refused: LocalizedText,
}

impl Purpose {
    /// The partner of a partner purpose.
    pub fn partner(&self) -> Option<Partner> {
        self.partner.as_deref().and_then(Partner::from_id)
    }

    /// The categories, as the core knows them.
    pub fn categories(&self) -> Vec<DataCategory> {
        self.data_categories
            .iter()
            .filter_map(|c| DataCategory::from_id(c))
            .collect()
    }

    /// Whether giving it needs the member's explicit second confirmation.
    pub fn needs_explicit(&self) -> bool {
        self.kind == PurposeKind::PartnerSharing || self.special_category
    }
}

/// Processing on legitimate interest, which needs no consent (shown on the first layer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegitimateInterest {
    /// Stable id.
    pub id: String,
    /// Whether it is marketing, which a reservation stops.
    pub marketing: bool,
    /// What data it uses.
    pub data_categories: Vec<String>,
    /// What it is.
    pub text: LocalizedText,
}

/// The controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controller {
    /// Name.
    pub name: String,
    /// Where to reach the privacy contact.
    pub contact: String,
    /// Postal address.
    pub address: String,
}

/// A category of data processed, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryText {
    /// The category id.
    pub category: String,
    /// What it holds.
    pub text: LocalizedText,
}

/// A processor acting for LOfavør.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Processor {
    /// Who.
    pub name: String,
    /// What they do.
    pub role: LocalizedText,
    /// Where the data is (EU/EEA).
    pub location: String,
}

/// What the right of access promises besides the data itself (GDPR art. 15(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessingInfo {
    /// The kinds of data processed.
    pub categories: Vec<CategoryText>,
    /// Where the data comes from.
    pub sources: Vec<LocalizedText>,
    /// Processors and where they keep data.
    pub processors: Vec<Processor>,
    /// Where data is stored.
    pub storage_location: LocalizedText,
    /// Security measures.
    pub security: Vec<LocalizedText>,
    /// How soon requests are answered.
    pub response_time: LocalizedText,
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Format version of this document (1).
    pub format: u32,
    /// Increases with every published catalogue; an older one never replaces a newer.
    pub sequence: u64,
    /// When it was published (Unix seconds).
    pub issued_at: i64,
    /// The controller.
    pub controller: Controller,
    /// The purposes, in the order the screens show them.
    pub purposes: Vec<Purpose>,
    /// Processing without consent.
    pub legitimate_interests: Vec<LegitimateInterest>,
    /// The processing information.
    pub processing: ProcessingInfo,
    /// The keys the server signs receipts with (trust-anchor text form); empty in the
    /// bundled copy.
    #[serde(default)]
    pub receipt_keys: Vec<String>,
}

impl Catalogue {
    /// The copy compiled into the app.
    pub fn bundled() -> Result<Self, ConsentError> {
        Self::from_json(BUNDLED.as_bytes())
    }

    /// Reads and checks a catalogue's JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ConsentError> {
        let catalogue: Catalogue = serde_json::from_slice(bytes)
            .map_err(|_| ConsentError::BadCatalogue("not a consent catalogue"))?;
        catalogue.check()?;
        Ok(catalogue)
    }

    /// Opens a signed catalogue from the member API: signed by one of `anchors` as a
    /// catalogue, readable, and well formed.
    pub fn from_signed(bytes: &[u8], anchors: &TrustAnchors) -> Result<Self, ConsentError> {
        if anchors.is_empty() {
            return Err(ConsentError::BadCatalogue(
                "no trust anchor configured to check the catalogue",
            ));
        }
        let opened = open_document(
            bytes,
            CATALOGUE_CONTENT_TYPE,
            anchors.keys(),
            MAX_CATALOGUE_BYTES,
        )
        .map_err(|_| ConsentError::BadCatalogue("the catalogue's signature does not verify"))?;
        Self::from_json(&opened.payload)
    }

    fn check(&self) -> Result<(), ConsentError> {
        let bad = ConsentError::BadCatalogue;
        if self.format != 1 {
            return Err(bad("unknown catalogue format"));
        }
        let mut seen = std::collections::HashSet::new();
        let mut reservations = 0;
        for purpose in &self.purposes {
            if !seen.insert(purpose.id.as_str()) || !valid_id(&purpose.id) {
                return Err(bad("a purpose id is repeated or malformed"));
            }
            if purpose.controller.trim().is_empty() {
                return Err(bad("a purpose names no controller"));
            }
            if NoticeVersion::parse(&purpose.notice.version).is_none() {
                return Err(bad("a notice version is not major.minor"));
            }
            if purpose
                .data_categories
                .iter()
                .any(|c| DataCategory::from_id(c).is_none())
            {
                return Err(bad("a purpose names an unknown data category"));
            }
            match purpose.kind {
                PurposeKind::PartnerSharing if purpose.partner().is_none() => {
                    return Err(bad("a partner purpose names no known partner"));
                }
                PurposeKind::Reservation => reservations += 1,
                _ => {}
            }
            let special = purpose.categories().iter().any(|c| c.is_special_category());
            if special && !purpose.needs_explicit() {
                return Err(bad("special-category data without explicit consent"));
            }
        }
        if reservations != 1 {
            return Err(bad("the catalogue must have exactly one reservation"));
        }
        Ok(())
    }

    /// The purpose `id`.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// The reservation against direct marketing.
    pub fn reservation(&self) -> Option<&Purpose> {
        self.purposes
            .iter()
            .find(|p| p.kind == PurposeKind::Reservation)
    }

    /// The purposes the member consents to (everything but the reservation).
    pub fn consent_purposes(&self) -> impl Iterator<Item = &Purpose> {
        self.purposes
            .iter()
            .filter(|p| p.kind != PurposeKind::Reservation)
    }

    /// The keys receipts are signed with.
    pub fn receipt_keys(&self) -> Vec<VerifyingKey> {
        self.receipt_keys
            .iter()
            .filter_map(|text| anchor_from_text(text).ok())
            .collect()
    }

    /// Whether `offered` may replace this catalogue: only a newer one.
    pub fn check_replaced_by(&self, offered: &Catalogue) -> Result<(), ConsentError> {
        if offered.sequence < self.sequence {
            return Err(ConsentError::BadCatalogue(
                "the catalogue offered is older than the one on the device",
            ));
        }
        Ok(())
    }
}

/// A purpose id: lowercase ASCII letters, digits, `_` and `.`, at most 64 bytes.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_bundled_catalogue_reads_and_names_every_partner() {
        let catalogue = Catalogue::bundled().unwrap();
        for partner in Partner::ALL {
            let id = format!("partner_sharing.{}", partner.id());
            let purpose = catalogue.purpose(&id).unwrap();
            assert!(purpose.needs_explicit());
            assert!(purpose.special_category);
            assert_eq!(purpose.partner(), Some(partner));
        }
        for id in ["tailored_offers", "newsletter", "analytics"] {
            assert!(!catalogue.purpose(id).unwrap().needs_explicit(), "{id}");
        }
        assert!(catalogue.reservation().is_some());
        let notice = &catalogue.purpose("analytics").unwrap().notice;
        assert_ne!(
            notice.text_sha256(Locale::Nb),
            notice.text_sha256(Locale::En)
        );
        assert_eq!(notice.text_sha256(Locale::Nn).len(), 64);
    }

    #[test]
    fn versions_parse_strictly() {
        assert_eq!(
            NoticeVersion::parse("2.10"),
            Some(NoticeVersion {
                major: 2,
                minor: 10
            })
        );
        for bad in ["2", "2.", ".1", "a.b", "1.2.3", "-1.0", "1.+2"] {
            assert_eq!(NoticeVersion::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_catalogue_that_hides_union_data_behind_a_plain_consent_is_refused() {
        let mut value: serde_json::Value = serde_json::from_str(BUNDLED).unwrap();
        value["purposes"][0]["data_categories"] = serde_json::json!(["union_membership"]);
        let bytes = serde_json::to_vec(&value).unwrap();
        assert!(Catalogue::from_json(&bytes).is_err());
        assert!(Catalogue::from_json(b"{}").is_err());
        assert!(Catalogue::from_json(b"\xff").is_err());
    }
}
