//! Sending the report to an insurer: nothing goes before the member confirms what goes.
//!
//! [`prepare`] makes the report and keeps it, exactly as it will be sent, in memory for
//! [`PREVIEW_LIFETIME_SECS`], with a preview naming the recipient, the kinds of data
//! and every value on the cover; nothing is sent. [`send`] sends that stored report with a
//! [`Disclosure::Transfer`] for the order purpose naming the preview, which the consent gate
//! lets through only while the member's confirmation of it is being sent (the member's own
//! request to their insurer is the basis, their confirmation the trigger, as for a partner
//! order). A second send of a sent preview returns the first answer and sends nothing; the
//! server also keys the report on the preview's id, so a retry after a lost answer is one
//! report. A failure leaves the preview as it was, to send again until it expires.
//!
//! The stored report is the member's data: it is deleted when it expires, once sent (only the
//! answer is kept), and with the rest of the inventory when a session ends.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::preview::{ReportTransferPreview, preview_of};
use super::{ReportFiles, ReportRequest};
use crate::error::{Error, ErrorKind, Result};
use crate::inventory::items::new_id;
use crate::net::{
    ApiRequest, DataCategory, Disclosure, ORDER_PURPOSE, Partner, Recipient, Transfer,
};
use crate::store::Store;
use crate::time::now_unix;

/// How long a preview may be confirmed.
pub const PREVIEW_LIFETIME_SECS: i64 = 10 * 60;

/// Unsent previews kept per installation; preparing another drops the oldest.
const MAX_UNSENT: usize = 4;

/// The most a report may weigh to be sent (PDF and CSV): what a phone uploads within the
/// request timeout on a fair mobile link. A bigger one is refused before anything is kept,
/// and the member can send the thumbnails' version.
pub const MAX_SEND_BYTES: usize = 32 * 1024 * 1024;

/// The partners that take claim reports: the insurers of home contents.
pub const INSURERS: [Partner; 1] = [Partner::Fremtind];

/// `POST` a claim report to `partner`.
pub(crate) fn claims_path(partner: Partner) -> String {
    format!("v1/partners/{}/claim-reports", partner.id())
}

/// What the insurer's side answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportReceipt {
    /// The report's id (the preview's).
    pub report_id: String,
    /// The partner's id.
    pub partner: String,
    /// `received`.
    pub status: String,
    /// When it was received (Unix seconds).
    pub received_at: i64,
}

/// The body of `POST v1/partners/{partner}/claim-reports`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ClaimReportBody {
    pub(crate) id: String,
    pub(crate) language: String,
    pub(crate) member_name: Option<String>,
    pub(crate) member_number: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) items: u32,
    pub(crate) photos: u32,
    pub(crate) pages: u32,
    pub(crate) purchase_price_ore: u64,
    pub(crate) replacement_value_ore: u64,
    pub(crate) pdf: String,
    pub(crate) pdf_sha256: String,
    pub(crate) csv: String,
    pub(crate) csv_sha256: String,
}

impl ClaimReportBody {
    pub(crate) fn categories(&self) -> Vec<DataCategory> {
        let mut categories = Vec::new();
        if self.member_name.is_some() || self.member_number.is_some() {
            categories.push(DataCategory::Identity);
        }
        if self.address.is_some() {
            categories.push(DataCategory::Contact);
        }
        categories.push(DataCategory::Inventory);
        categories
    }
}

fn not_found() -> Error {
    Error::new(ErrorKind::NotFound, "no such report preview")
}

/// The partner with id `partner` if it takes claim reports.
pub(crate) fn insurer(partner: &str) -> Result<Partner> {
    Partner::from_id(partner)
        .filter(|p| INSURERS.contains(p))
        .ok_or_else(|| Error::new(ErrorKind::NotFound, "this partner takes no claim reports"))
}

/// A prepared report: exactly what goes, or once sent, the answer.
struct Stored {
    /// The store (installation) whose member prepared it.
    installation: String,
    partner: Partner,
    body: Option<ClaimReportBody>,
    expires_at: i64,
    answer: Option<ReportReceipt>,
}

/// The prepared reports of this process, by preview id. In memory, not in the database: a
/// preview holds the whole report (every photo shown) for ten minutes, and writing a second
/// copy of the member's photos to disk to survive a restart buys nothing, since nothing was
/// sent and preparing again is cheap. Each entry names the installation that made it, so one
/// core never sends another's; erasure empties its entries ([`forget_all`]).
static PREPARED: Mutex<BTreeMap<String, Stored>> = Mutex::new(BTreeMap::new());

fn prepared() -> std::sync::MutexGuard<'static, BTreeMap<String, Stored>> {
    // Entries are inserted and removed whole, so a map left by a panicking holder is whole.
    PREPARED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Forgets every prepared report of `store`'s installation (a session ended).
pub(crate) fn forget_all(store: &Store) {
    let installation = store.installation_id();
    prepared().retain(|_, s| s.installation != installation);
}

/// Keeps `files` (made for `request`) as a preview of a report to `partner`.
pub(crate) fn prepare(
    store: &Store,
    partner: Partner,
    request: &ReportRequest,
    files: ReportFiles,
    totals: (u64, u64),
) -> Result<ReportTransferPreview> {
    let locale = request.locale;
    let csv = files.csv.unwrap_or_default();
    if files.pdf.len() + csv.len() > MAX_SEND_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "the report is too large to send; send the one with thumbnails",
        ));
    }
    let body = ClaimReportBody {
        id: new_id(),
        language: locale.tag().to_owned(),
        member_name: request.member_name.clone(),
        member_number: request.member_number.clone(),
        address: request.address.clone().filter(|a| !a.trim().is_empty()),
        items: files.items,
        photos: files.photos,
        pages: files.pages,
        purchase_price_ore: totals.0,
        replacement_value_ore: totals.1,
        pdf: STANDARD.encode(&files.pdf),
        pdf_sha256: hex::encode(Sha256::digest(&files.pdf)),
        csv: STANDARD.encode(&csv),
        csv_sha256: hex::encode(Sha256::digest(&csv)),
    };
    let now = now_unix();
    let expires_at = now + PREVIEW_LIFETIME_SECS;
    let preview = preview_of(&body, partner, locale, files.pdf, expires_at);
    let mut all = prepared();
    // Stale previews go as new ones are made: they hold the member's data (and megabytes of
    // photos), so only the newest few unsent ones of an installation are kept.
    all.retain(|_, s| s.answer.is_some() || s.expires_at >= now);
    let mut unsent: Vec<(i64, String)> = all
        .iter()
        .filter(|(_, s)| s.installation == store.installation_id() && s.answer.is_none())
        .map(|(id, s)| (s.expires_at, id.clone()))
        .collect();
    unsent.sort();
    let over = unsent.len().saturating_sub(MAX_UNSENT - 1);
    for (_, id) in unsent.into_iter().take(over) {
        all.remove(&id);
    }
    all.insert(
        body.id.clone(),
        Stored {
            installation: store.installation_id().to_owned(),
            partner,
            body: Some(body),
            expires_at,
            answer: None,
        },
    );
    Ok(preview)
}

/// The report of preview `id` to send at `now`, or the answer it got before. Expired:
/// deleted, and `expired`; unknown, or another installation's: `not_found`.
fn load(
    store: &Store,
    id: &str,
    now: i64,
) -> Result<std::result::Result<(Partner, ClaimReportBody), ReportReceipt>> {
    let mut all = prepared();
    let stored = all
        .get(id)
        .filter(|s| s.installation == store.installation_id())
        .ok_or_else(not_found)?;
    if let Some(answer) = &stored.answer {
        return Ok(Err(answer.clone()));
    }
    if now > stored.expires_at {
        all.remove(id);
        return Err(Error::new(
            ErrorKind::Expired,
            "the report preview has expired",
        ));
    }
    let body = stored.body.clone().ok_or_else(not_found)?;
    Ok(Ok((stored.partner, body)))
}

/// What sending `body` to `partner` as preview `id` discloses: the order purpose, which the
/// gate lets through only while the member's confirmation of `id` is being sent.
fn disclosure(partner: Partner, body: &ClaimReportBody, id: &str) -> Disclosure {
    Disclosure::Transfer(Transfer {
        purpose: ORDER_PURPOSE.to_owned(),
        recipient: Recipient::Partner(partner),
        categories: body.categories(),
        confirmation: Some(id.to_owned()),
    })
}

/// Sends the stored report of preview `id` as the member confirmed it, as if at `now`.
pub(crate) async fn send(
    store: &Store,
    api: &crate::net::MemberApi,
    id: &str,
    now: i64,
) -> Result<ReportReceipt> {
    let (partner, body) = match load(store, id, now)? {
        Ok(found) => found,
        Err(earlier) => return Ok(earlier),
    };
    let disclosure = disclosure(partner, &body, id);
    let path = claims_path(partner);
    let request = ApiRequest::post_json(&path, &body, disclosure)?;
    drop(body);
    let receipt: ReportReceipt = api.send_confirmed(request, id).await?;
    if receipt.report_id != id || receipt.partner != partner.id() {
        return Err(Error::new(
            ErrorKind::Protocol,
            "the answer is about another report",
        ));
    }
    // Sent: the report itself is no longer kept, only the answer (for a repeated confirm).
    if let Some(stored) = prepared().get_mut(id) {
        stored.body = None;
        stored.answer = Some(receipt.clone());
    }
    Ok(receipt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_discloses_the_order_purpose_naming_its_own_preview() {
        // The consent gate lets the order purpose through only for a confirmed preview id
        // (its own tests show that); this is what makes a report one.
        let body = ClaimReportBody {
            id: "p1".into(),
            language: "nb".into(),
            member_name: Some("Kari".into()),
            member_number: None,
            address: None,
            items: 1,
            photos: 0,
            pages: 3,
            purchase_price_ore: 0,
            replacement_value_ore: 0,
            pdf: String::new(),
            pdf_sha256: String::new(),
            csv: String::new(),
            csv_sha256: String::new(),
        };
        let expected = Disclosure::Transfer(Transfer {
            purpose: ORDER_PURPOSE.into(),
            recipient: Recipient::Partner(Partner::Fremtind),
            categories: vec![DataCategory::Identity, DataCategory::Inventory],
            confirmation: Some("p1".into()),
        });
        assert_eq!(disclosure(Partner::Fremtind, &body, "p1"), expected);
        assert_eq!(insurer("fremtind").ok(), Some(Partner::Fremtind));
        assert!(insurer("sparebank1").is_err());
        assert!(insurer("nobody").is_err());
    }
}
