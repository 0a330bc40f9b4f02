//! The member's privacy rights in the app (GDPR art. 15-22): access to everything the device
//! and the server hold, a machine-readable export, and requests (correction, erasure at the
//! server, restriction, objection, human review, ...) tracked with their statutory deadline.
//!
//! Every capability that keeps the member's data on the device registers it once as
//! [`MemberData`] (the same registration that erases it when a session ends); access and
//! export read every registered part, so a new capability's data is in them by registering.
//!
//! The export archive (`format` = [`EXPORT_FORMAT`]), one JSON document:
//!
//! ```text
//! { "format": "lofavor-export/1", "exported_at": <unix>, "subject": <pseudonymous id>,
//!   "device": { "<part>": <that part's export>, ... },
//!   "consent": { "history": [ { "record": <DecisionRecord>, "made_here": bool,
//!                               "state": "pending"|"synced"|"rejected",
//!                               "server_sequence": n|null, "received_at": n|null,
//!                               "receipt": <base64url COSE_Sign1>|null } ],
//!                "receipt_keys": [ <published key, base64 DER SPKI> ] },
//!   "requests": [ <PrivacyRequest as the server tracks it> ] }
//! ```
//!
//! The export is made from the device alone (it works offline and in bounded time); the
//! server's copy is in the access report, and a portability request asks LOfavør for its
//! own export.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::params;
use serde_json::{Value, json};

use super::catalogue::LocalizedText;
use super::error::ConsentError;
use super::ledger::SyncState;
use super::service::{Consent, new_id};
use super::text::{text, text_with};
use super::wire::{
    PRIVACY_DATA_PATH, PRIVACY_REQUESTS_PATH, PrivacyRequestBody, PrivacyRequestList,
    WirePrivacyRequest,
};
use crate::config::Locale;
use crate::net::{ApiError, ApiRequest, DataCategory, Disclosure, SERVICE_PURPOSE};
use crate::store::MemberData;
use crate::time::now_unix;

/// The export archive's format name.
pub const EXPORT_FORMAT: &str = "lofavor-export/1";

/// The longest text a request may carry.
pub const MAX_REQUEST_TEXT: usize = 2_000;

/// A right the member exercises by a request to LOfavør.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// Access (art. 15): a copy from LOfavør beyond what the app shows.
    Access,
    /// Correction (art. 16).
    Rectification,
    /// Erasure at LOfavør (art. 17).
    Erasure,
    /// Restriction of processing (art. 18).
    Restriction,
    /// Objection (art. 21).
    Objection,
    /// Portability (art. 20).
    Portability,
    /// Human review of an automated decision (art. 22(3)).
    HumanReview,
}

impl RequestKind {
    /// Every kind.
    pub const ALL: [RequestKind; 7] = [
        RequestKind::Access,
        RequestKind::Rectification,
        RequestKind::Erasure,
        RequestKind::Restriction,
        RequestKind::Objection,
        RequestKind::Portability,
        RequestKind::HumanReview,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Rectification => "rectification",
            RequestKind::Erasure => "erasure",
            RequestKind::Restriction => "restriction",
            RequestKind::Objection => "objection",
            RequestKind::Portability => "portability",
            RequestKind::HumanReview => "human_review",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// A request and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyRequest {
    /// Its id.
    pub id: String,
    /// The kind.
    pub kind: RequestKind,
    /// The kind, for people.
    pub kind_label: String,
    /// `queued` (not sent yet), `received`, `in_progress`, `extended`, `completed`, `refused`.
    pub status: String,
    /// The status, for people.
    pub status_label: String,
    /// When LOfavør received it.
    pub received_at: Option<i64>,
    /// The deadline (one month, GDPR art. 12(3)), or the extended one.
    pub due_at: Option<i64>,
    /// "Answer by 3 March 2027".
    pub due_label: Option<String>,
}

/// One readable line of the access report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    /// What it is (a path in the data, such as `certificate.expires_at`).
    pub label: String,
    /// Its value.
    pub value: String,
}

/// A group of the access report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessSection {
    /// Stable key (`profile`, `roadside certificate`, `processors`, ...).
    pub key: String,
    /// What the group is, for people.
    pub title: String,
    /// Its lines.
    pub entries: Vec<AccessEntry>,
}

/// Everything the member may know (GDPR art. 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessReport {
    /// What this device holds, grouped.
    pub device: Vec<AccessSection>,
    /// What the server holds, grouped; empty when offline.
    pub server: Vec<AccessSection>,
    /// Whether the server could be asked.
    pub server_reached: bool,
    /// The kinds of data processed, sources, processors, storage, security measures.
    pub processing: Vec<AccessSection>,
}

fn request_view(wire: &WirePrivacyRequest, locale: Locale) -> Option<PrivacyRequest> {
    let kind = RequestKind::parse(&wire.kind)?;
    let due = wire.extended_due_at.unwrap_or(wire.due_at);
    Some(PrivacyRequest {
        id: wire.id.clone(),
        kind,
        kind_label: text(locale, &format!("request-{}", kind.as_str())),
        status: wire.status.clone(),
        status_label: text(locale, &format!("status-{}", wire.status)),
        received_at: Some(wire.received_at),
        due_at: Some(due),
        due_label: Some(text_with(
            locale,
            "due",
            &[("date", &date_text(due, locale))],
        )),
    })
}

/// A date for people, in the member's language.
fn date_text(unix: i64, locale: Locale) -> String {
    let Some(date) = chrono::DateTime::from_timestamp(unix, 0) else {
        return String::new();
    };
    let date = date.date_naive();
    use chrono::Datelike;
    let months_nb = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    let months_en = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = date.month0() as usize;
    match locale {
        Locale::Nb | Locale::Nn => format!("{}. {} {}", date.day(), months_nb[m], date.year()),
        Locale::En => format!("{} {} {}", date.day(), months_en[m], date.year()),
    }
}

/// Sends a request of `kind` (with an optional `text` ≤ [`MAX_REQUEST_TEXT`] characters).
/// Offline it is kept and sent by the next [`send_queued`].
pub(crate) async fn request(
    consent: &Consent,
    kind: RequestKind,
    text: Option<String>,
) -> Result<PrivacyRequest, ConsentError> {
    if let Some(t) = &text {
        if t.chars().count() > MAX_REQUEST_TEXT {
            return Err(ConsentError::InvalidInput(
                "a request's text is at most 2000 characters",
            ));
        }
        if t.chars().any(|c| c.is_control() && c != '\n') {
            return Err(ConsentError::InvalidInput(
                "a request's text has control characters",
            ));
        }
    }
    consent.subject()?;
    let id = new_id();
    let now = now_unix();
    consent.db(|c| {
        c.execute(
            "INSERT INTO consent_privacy_request (id, kind, text, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, kind.as_str(), text, now],
        )?;
        Ok(())
    })?;
    match send_one(consent, &id, kind, text).await {
        Ok(view) => Ok(view),
        Err(e) if e.is_offline() => Ok(queued_view(&id, kind, consent.locale)),
        Err(e) => Err(e),
    }
}

fn queued_view(id: &str, kind: RequestKind, locale: Locale) -> PrivacyRequest {
    PrivacyRequest {
        id: id.to_owned(),
        kind,
        kind_label: text(locale, &format!("request-{}", kind.as_str())),
        status: "queued".to_owned(),
        status_label: text(locale, "status-queued"),
        received_at: None,
        due_at: None,
        due_label: None,
    }
}

async fn send_one(
    consent: &Consent,
    id: &str,
    kind: RequestKind,
    text: Option<String>,
) -> Result<PrivacyRequest, ConsentError> {
    let body = PrivacyRequestBody {
        id: id.to_owned(),
        kind: kind.as_str().to_owned(),
        text,
    };
    // The text is the member's own words to LOfavør: a service request, never to a partner.
    let disclosure = Disclosure::to_lofavor(
        SERVICE_PURPOSE,
        &[DataCategory::Identity, DataCategory::Contact],
    );
    let request =
        ApiRequest::post_json(PRIVACY_REQUESTS_PATH, &body, disclosure).map_err(ApiError::from)?;
    let answer: WirePrivacyRequest = consent.api.send(request).await?;
    store_answer(consent, &answer)?;
    request_view(&answer, consent.locale).ok_or(ConsentError::Protocol("unknown request kind"))
}

fn store_answer(consent: &Consent, answer: &WirePrivacyRequest) -> Result<(), ConsentError> {
    let json = serde_json::to_string(answer).map_err(|_| ConsentError::Protocol("request"))?;
    consent.db(|c| {
        c.execute(
            "UPDATE consent_privacy_request SET answer_json = ?2 WHERE id = ?1",
            params![answer.id, json],
        )?;
        Ok(())
    })
}

/// Sends the requests made offline; returns how many went.
pub(crate) async fn send_queued(consent: &Consent) -> Result<u32, ConsentError> {
    let queued: Vec<(String, String, Option<String>)> = consent.db(|c| {
        let mut stmt = c.prepare(
            "SELECT id, kind, text FROM consent_privacy_request WHERE answer_json IS NULL ORDER BY created_at",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })?;
    let mut sent = 0;
    for (id, kind, text) in queued {
        let Some(kind) = RequestKind::parse(&kind) else {
            continue;
        };
        send_one(consent, &id, kind, text).await?;
        sent += 1;
    }
    Ok(sent)
}

/// Every request, newest first: the server's list when online (kept for offline), and
/// those still waiting to be sent.
pub(crate) async fn requests(consent: &Consent) -> Result<Vec<PrivacyRequest>, ConsentError> {
    let listed = consent
        .api
        .send::<PrivacyRequestList>(ApiRequest::get(PRIVACY_REQUESTS_PATH, Disclosure::Nothing))
        .await;
    match listed {
        Ok(list) => {
            for answer in &list.requests {
                store_answer(consent, answer)?;
            }
        }
        Err(e) if e.is_offline() => {}
        Err(e) => return Err(e.into()),
    }
    let rows: Vec<(String, String, Option<String>)> = consent.db(|c| {
        let mut stmt = c.prepare(
            "SELECT id, kind, answer_json FROM consent_privacy_request ORDER BY created_at DESC, id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, answer)| match answer {
            Some(json) => serde_json::from_str::<WirePrivacyRequest>(&json)
                .ok()
                .and_then(|w| request_view(&w, consent.locale)),
            None => RequestKind::parse(&kind).map(|k| queued_view(&id, k, consent.locale)),
        })
        .collect())
}

/// Flattens a JSON value into readable lines (`a.b[0].c = value`).
fn flatten(prefix: &str, value: &Value, out: &mut Vec<AccessEntry>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let label = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&label, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        Value::Null => {}
        Value::String(s) => out.push(AccessEntry {
            label: prefix.to_owned(),
            value: s.clone(),
        }),
        other => out.push(AccessEntry {
            label: prefix.to_owned(),
            value: other.to_string(),
        }),
    }
}

/// The title of the section `key` (a part's `describe()` or a processing topic) in
/// `locale`; the key itself for a part the texts do not know yet.
pub(crate) fn section_title(locale: Locale, key: &str) -> String {
    let id = format!("section-{}", key.replace(' ', "-"));
    let title = text(locale, &id);
    if title == id { key.to_owned() } else { title }
}

/// A section `key` of the access report from one part's JSON, titled in `locale`.
pub(crate) fn section(locale: Locale, key: &str, value: &Value) -> AccessSection {
    let mut entries = Vec::new();
    flatten("", value, &mut entries);
    AccessSection {
        key: key.to_owned(),
        title: section_title(locale, key),
        entries,
    }
}

fn local_exports(
    parts: &[Arc<dyn MemberData>],
) -> Result<Vec<(&'static str, Value)>, ConsentError> {
    parts
        .iter()
        .map(|p| Ok((p.describe(), p.export()?)))
        .collect()
}

async fn server_copy(consent: &Consent) -> Result<Option<Value>, ConsentError> {
    match consent
        .api
        .send::<Value>(ApiRequest::get(PRIVACY_DATA_PATH, Disclosure::Nothing))
        .await
    {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_offline() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The access report.
pub(crate) async fn access(
    consent: &Consent,
    parts: &[Arc<dyn MemberData>],
) -> Result<AccessReport, ConsentError> {
    let locale = consent.locale;
    let device = local_exports(parts)?
        .iter()
        .map(|(name, value)| section(locale, name, value))
        .collect();
    let server = server_copy(consent).await?;
    let server_reached = server.is_some();
    let server = match server {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| section(locale, k, v)).collect(),
        _ => Vec::new(),
    };
    let catalogue = consent.catalogue();
    let info = &catalogue.processing;
    let lines = |items: &[LocalizedText]| -> Vec<AccessEntry> {
        items
            .iter()
            .enumerate()
            .map(|(i, t)| AccessEntry {
                label: format!("{}", i + 1),
                value: t.get(locale).to_owned(),
            })
            .collect()
    };
    let processing = vec![
        AccessSection {
            key: "categories".into(),
            title: section_title(locale, "categories"),
            entries: info
                .categories
                .iter()
                .map(|c| AccessEntry {
                    label: text(locale, &format!("category-{}", c.category)),
                    value: c.text.get(locale).to_owned(),
                })
                .collect(),
        },
        AccessSection {
            key: "sources".into(),
            title: section_title(locale, "sources"),
            entries: lines(&info.sources),
        },
        AccessSection {
            key: "processors".into(),
            title: section_title(locale, "processors"),
            entries: info
                .processors
                .iter()
                .map(|p| AccessEntry {
                    label: p.name.clone(),
                    value: format!("{} ({})", p.role.get(locale), p.location),
                })
                .collect(),
        },
        AccessSection {
            key: "storage".into(),
            title: section_title(locale, "storage"),
            entries: lines(std::slice::from_ref(&info.storage_location)),
        },
        AccessSection {
            key: "security".into(),
            title: section_title(locale, "security"),
            entries: lines(&info.security),
        },
        AccessSection {
            key: "response_time".into(),
            title: section_title(locale, "response_time"),
            entries: lines(std::slice::from_ref(&info.response_time)),
        },
    ];
    Ok(AccessReport {
        device,
        server,
        server_reached,
        processing,
    })
}

/// The consent history with receipts, as the export holds it.
pub(crate) fn consent_export(consent: &Consent) -> Result<Value, ConsentError> {
    let history: Vec<Value> = consent
        .history()?
        .into_iter()
        .map(|e| {
            json!({
                "record": e.record,
                "made_here": e.made_here,
                "state": match e.state {
                    SyncState::Pending => "pending",
                    SyncState::Synced => "synced",
                    SyncState::Rejected => "rejected",
                },
                "server_sequence": e.server_sequence,
                "received_at": e.received_at,
                "receipt": e.receipt.map(|r| URL_SAFE_NO_PAD.encode(r)),
            })
        })
        .collect();
    Ok(json!({
        "history": history,
        "receipt_keys": consent.catalogue().receipt_keys,
    }))
}

/// The export archive (see the module documentation), as JSON bytes.
pub(crate) fn export(
    consent: &Consent,
    parts: &[Arc<dyn MemberData>],
) -> Result<Vec<u8>, ConsentError> {
    // Null after an erasure or a session's end: the archive then holds only what is left.
    let subject = consent.subject().ok();
    let device: serde_json::Map<String, Value> = local_exports(parts)?
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    let requests: Vec<Value> = consent.db(|c| {
        let mut stmt = c.prepare(
            "SELECT id, kind, created_at, answer_json FROM consent_privacy_request ORDER BY created_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, created_at, answer) = row?;
            out.push(match answer.and_then(|a| serde_json::from_str::<Value>(&a).ok()) {
                Some(answer) => answer,
                None => json!({"id": id, "kind": kind, "status": "queued", "created_at": created_at}),
            });
        }
        Ok(out)
    })?;
    let archive = json!({
        "format": EXPORT_FORMAT,
        "exported_at": now_unix(),
        "subject": subject,
        "device": device,
        "consent": consent_export(consent)?,
        "requests": requests,
    });
    serde_json::to_vec_pretty(&archive).map_err(|_| ConsentError::Protocol("export"))
}
