//! The consent catalogue: what each purpose is, its notice text in nb, nn and en, and the
//! key that signs receipts. The server publishes it signed by the trust-anchor key, which the
//! apps trust; the catalogue in turn vouches for the receipt key.
//!
//! Every notice version ever published is recorded (purpose, notice id, version, language,
//! SHA-256 of the text), so a decision made on an older version is still accepted after a
//! newer catalogue is out, while a version never published is refused.

use lofavor_certificate::sign_document;
use p256::ecdsa::SigningKey;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::{ConsentError, sha256_hex};

/// The content type in the catalogue's protected header.
pub(crate) const CATALOGUE_CONTENT_TYPE: &str = "application/lofavor-consent-catalogue+json";

/// The catalogue the app bundles. The server publishes the very same text as its first
/// catalogue, so a fresh server and a fresh app agree on every notice hash without a fetch.
const BUNDLED: &str = include_str!("../../../core/src/consent/catalogue/bundled.json");

/// The languages every notice has, as the decisions name them.
pub(crate) const LANGUAGES: [&str; 3] = ["nb", "nn", "en"];

/// The kinds of purpose.
const KINDS: [&str; 3] = ["consent", "partner_sharing", "reservation"];

/// The partners a purpose may name.
pub(crate) const PARTNERS: [&str; 4] = ["sparebank1", "fremtind", "help", "norsk_folkehjelp"];

/// Largest catalogue accepted for publishing.
const MAX_CATALOGUE: usize = 512 * 1024;

/// One notice version of a purpose, with the hash of its text per language.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    purpose: String,
    kind: String,
    notice_id: String,
    version: String,
    hashes: Vec<(&'static str, String)>,
}

/// A catalogue that passed the checks, ready to record.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    /// The catalogue as given.
    pub(crate) value: Value,
    /// Its sequence number.
    pub(crate) sequence: i64,
    notices: Vec<Notice>,
}

fn text<'a>(value: &'a Value, key: &str, what: &'static str) -> Result<&'a str, ConsentError> {
    value[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or(ConsentError::Catalogue(what))
}

/// Whether `version` is `major.minor`, both decimal numbers without a sign.
pub(crate) fn is_version(version: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    version
        .split_once('.')
        .is_some_and(|(major, minor)| digits(major) && digits(minor))
}

impl Parsed {
    /// Checks `value` as a catalogue: format 1, a positive sequence, and purposes each with a
    /// known kind, a partner where it shares with one, and a notice of id, `major.minor`
    /// version and text in every language.
    pub(crate) fn from_value(value: Value) -> Result<Self, ConsentError> {
        let size = serde_json::to_vec(&value)
            .map_err(|_| ConsentError::Catalogue("not encodable"))?
            .len();
        if size > MAX_CATALOGUE {
            return Err(ConsentError::Catalogue("too large"));
        }
        if value["format"].as_i64() != Some(1) {
            return Err(ConsentError::Catalogue("format is not 1"));
        }
        let sequence = value["sequence"]
            .as_i64()
            .filter(|s| *s > 0)
            .ok_or(ConsentError::Catalogue("no positive sequence"))?;
        let purposes = value["purposes"]
            .as_array()
            .filter(|p| !p.is_empty())
            .ok_or(ConsentError::Catalogue("no purposes"))?;
        let mut notices = Vec::with_capacity(purposes.len());
        for purpose in purposes {
            let id = text(purpose, "id", "a purpose has no id")?;
            if notices.iter().any(|n: &Notice| n.purpose == id) {
                return Err(ConsentError::Catalogue("a purpose is listed twice"));
            }
            let kind = text(purpose, "kind", "a purpose has no kind")?;
            if !KINDS.contains(&kind) {
                return Err(ConsentError::Catalogue("a purpose has an unknown kind"));
            }
            let partner = &purpose["partner"];
            let partner_ok = match partner.as_str() {
                Some(p) => PARTNERS.contains(&p),
                None => partner.is_null() && kind != "partner_sharing",
            };
            if !partner_ok {
                return Err(ConsentError::Catalogue(
                    "a purpose names no or an unknown partner",
                ));
            }
            let notice = &purpose["notice"];
            let notice_id = text(notice, "id", "a notice has no id")?;
            let version = text(notice, "version", "a notice has no version")?;
            if !is_version(version) {
                return Err(ConsentError::Catalogue(
                    "a notice version is not major.minor",
                ));
            }
            let mut hashes = Vec::with_capacity(LANGUAGES.len());
            for language in LANGUAGES {
                let body = notice["text"][language]
                    .as_str()
                    .filter(|t| !t.is_empty())
                    .ok_or(ConsentError::Catalogue("a notice lacks a language"))?;
                hashes.push((language, sha256_hex(body.as_bytes())));
            }
            notices.push(Notice {
                purpose: id.to_owned(),
                kind: kind.to_owned(),
                notice_id: notice_id.to_owned(),
                version: version.to_owned(),
                hashes,
            });
        }
        Ok(Self {
            value,
            sequence,
            notices,
        })
    }
}

/// The bundled catalogue, checked.
pub(crate) fn bundled() -> Result<Parsed, ConsentError> {
    let value: Value =
        serde_json::from_str(BUNDLED).map_err(|_| ConsentError::Catalogue("bundled: not JSON"))?;
    Parsed::from_value(value)
}

/// Records `parsed` and its notice versions. A notice version published before must have the
/// same texts now: a published text never changes under the same version.
pub(crate) fn record(c: &Connection, parsed: &Parsed) -> Result<(), ConsentError> {
    let body = serde_json::to_string(&parsed.value)
        .map_err(|_| ConsentError::Catalogue("not encodable"))?;
    c.execute(
        "INSERT INTO consent_catalogue (sequence, published_at, body) VALUES (?1, ?2, ?3)",
        params![parsed.sequence, lofavor_certificate::time::now_unix(), body],
    )?;
    for notice in &parsed.notices {
        for (language, sha256) in &notice.hashes {
            let known: Option<String> = c
                .query_row(
                    "SELECT sha256 FROM consent_notice
                     WHERE purpose = ?1 AND notice_id = ?2 AND version = ?3 AND language = ?4",
                    params![notice.purpose, notice.notice_id, notice.version, language],
                    |r| r.get(0),
                )
                .optional()?;
            match known {
                Some(known) if &known == sha256 => {}
                Some(_) => {
                    return Err(ConsentError::Catalogue(
                        "a published notice version's text changed",
                    ));
                }
                None => {
                    c.execute(
                        "INSERT INTO consent_notice
                         (purpose, kind, notice_id, version, language, sha256)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![
                            notice.purpose,
                            notice.kind,
                            notice.notice_id,
                            notice.version,
                            language,
                            sha256
                        ],
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// The highest sequence published, 0 if none.
fn highest(c: &Connection) -> Result<i64, ConsentError> {
    Ok(c.query_row(
        "SELECT COALESCE(MAX(sequence), 0) FROM consent_catalogue",
        [],
        |r| r.get(0),
    )?)
}

/// Publishes `parsed` if nothing as new is published yet (the bundled one on a fresh server,
/// or a newer bundled one after an upgrade).
pub(crate) fn publish_if_newer(c: &Connection, parsed: &Parsed) -> Result<(), ConsentError> {
    if highest(c)? < parsed.sequence {
        let tx = c.unchecked_transaction()?;
        record(&tx, parsed)?;
        tx.commit()?;
    }
    Ok(())
}

/// The newest catalogue published.
pub(crate) fn newest(c: &Connection) -> Result<Value, ConsentError> {
    let body: String = c.query_row(
        "SELECT body FROM consent_catalogue ORDER BY sequence DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    serde_json::from_str(&body).map_err(|_| ConsentError::Stored)
}

/// What the server knows of one notice version in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoticeLookup {
    /// No catalogue named the purpose.
    UnknownPurpose,
    /// The purpose is known, this notice id and version are not.
    UnknownVersion,
    /// Published: the purpose's kind and the text's hash in that language.
    Published {
        /// The purpose's kind in that version.
        kind: String,
        /// SHA-256 of the text, lowercase hex.
        sha256: String,
    },
}

/// Looks a notice version up among everything ever published.
pub(crate) fn lookup(
    c: &Connection,
    purpose: &str,
    notice_id: &str,
    version: &str,
    language: &str,
) -> Result<NoticeLookup, ConsentError> {
    let known: bool = c.query_row(
        "SELECT EXISTS (SELECT 1 FROM consent_notice WHERE purpose = ?1)",
        [purpose],
        |r| r.get(0),
    )?;
    if !known {
        return Ok(NoticeLookup::UnknownPurpose);
    }
    let row: Option<(String, String)> = c
        .query_row(
            "SELECT kind, sha256 FROM consent_notice
             WHERE purpose = ?1 AND notice_id = ?2 AND version = ?3 AND language = ?4",
            params![purpose, notice_id, version, language],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        Some((kind, sha256)) => NoticeLookup::Published { kind, sha256 },
        None => NoticeLookup::UnknownVersion,
    })
}

/// The catalogue now published, signed.
#[derive(Debug, Clone)]
pub(crate) struct Published {
    /// Its sequence number.
    pub(crate) sequence: i64,
    /// The COSE_Sign1 served at `GET /v1/consent/catalogue`.
    pub(crate) signed: Vec<u8>,
}

impl Published {
    /// Signs `catalogue` with the trust anchor, its `receipt_keys` set to the receipt key.
    pub(crate) fn sign(
        mut catalogue: Value,
        trust_anchor: &SigningKey,
        receipt_key: &str,
    ) -> Result<Self, ConsentError> {
        let sequence = catalogue["sequence"].as_i64().ok_or(ConsentError::Stored)?;
        let object = catalogue.as_object_mut().ok_or(ConsentError::Stored)?;
        object.insert(
            "receipt_keys".to_owned(),
            Value::from(vec![receipt_key.to_owned()]),
        );
        let payload = serde_json::to_vec(&catalogue).map_err(|_| ConsentError::Stored)?;
        let signed = sign_document(payload, trust_anchor, CATALOGUE_CONTENT_TYPE)?;
        Ok(Self { sequence, signed })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_bundled_catalogue_passes_its_own_checks() {
        let parsed = bundled().unwrap();
        assert!(parsed.sequence >= 1);
        assert!(parsed.notices.iter().any(|n| n.kind == "partner_sharing"));
        assert!(parsed.notices.iter().all(|n| n.hashes.len() == 3));
    }

    #[test]
    fn versions_are_major_dot_minor() {
        for good in ["1.0", "10.22", "0.1"] {
            assert!(is_version(good), "{good}");
        }
        for bad in [
            "1", "1.", ".1", "1.0.0", "a.b", "-1.0", "+1.0", " 1.0", "1.0 ",
        ] {
            assert!(!is_version(bad), "{bad}");
        }
    }

    #[test]
    fn malformed_catalogues_are_refused() {
        let good = bundled().unwrap().value;
        let mut cases = Vec::new();
        let mut c = good.clone();
        c["format"] = Value::from(2);
        cases.push(c);
        let mut c = good.clone();
        c["sequence"] = Value::from(0);
        cases.push(c);
        let mut c = good.clone();
        c["purposes"][0]["kind"] = Value::from("whatever");
        cases.push(c);
        let mut c = good.clone();
        c["purposes"][1]["partner"] = Value::Null;
        cases.push(c);
        let mut c = good.clone();
        c["purposes"][0]["notice"]["text"]
            .as_object_mut()
            .unwrap()
            .remove("nn");
        cases.push(c);
        let mut c = good.clone();
        c["purposes"][0]["notice"]["version"] = Value::from("1");
        cases.push(c);
        let mut c = good.clone();
        let first = c["purposes"][0].clone();
        c["purposes"].as_array_mut().unwrap().push(first);
        cases.push(c);
        for case in cases {
            assert!(Parsed::from_value(case).is_err());
        }
        assert!(Parsed::from_value(good).is_ok());
    }
}
