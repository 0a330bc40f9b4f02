//! What the member sees before a report goes to an insurer: the recipient, the kinds of
//! data, the cover's values and the files, with the PDF exactly as it will go.

use super::format;
use super::text::{label, label_with};
use super::transfer::ClaimReportBody;
use crate::config::Locale;
use crate::net::Partner;

/// One line of what goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTransferField {
    /// For people ("Medlem").
    pub label: String,
    /// The value that goes.
    pub value: String,
}

/// What sending the report would send, to whom; nothing has been sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTransferPreview {
    /// The preview's id, to confirm it.
    pub id: String,
    /// The partner's id.
    pub partner: String,
    /// "Dette sendes til Fremtind".
    pub heading: String,
    /// The kinds of data, for people.
    pub categories: Vec<String>,
    /// The cover's values and the files, for people.
    pub fields: Vec<ReportTransferField>,
    /// The PDF exactly as it will go, to show.
    pub pdf: Vec<u8>,
    /// Its SHA-256, hex: the receipt names the same.
    pub pdf_sha256: String,
    /// When the preview stops being confirmable (Unix seconds).
    pub expires_at: i64,
    /// The confirm button.
    pub confirm_label: String,
    /// "Nothing is sent before you confirm."
    pub nothing_sent_yet: String,
}

pub(crate) fn preview_of(
    body: &ClaimReportBody,
    partner: Partner,
    locale: Locale,
    pdf: Vec<u8>,
    expires_at: i64,
) -> ReportTransferPreview {
    let name = partner.display_name();
    let field = |id: &str, value: String| ReportTransferField {
        label: label(locale, id),
        value,
    };
    let money = |ore| format::money(locale, ore, "NOK");
    let mut fields = Vec::new();
    if let Some(member) = &body.member_name {
        fields.push(field("report-member", member.clone()));
    }
    if let Some(number) = &body.member_number {
        fields.push(field("report-member-number", number.clone()));
    }
    if let Some(address) = &body.address {
        fields.push(field("report-address", address.clone()));
    }
    fields.push(field("report-items-count", body.items.to_string()));
    fields.push(field("field-photos", body.photos.to_string()));
    fields.push(field(
        "report-purchase-total",
        money(body.purchase_price_ore),
    ));
    fields.push(field(
        "report-replacement-total",
        money(body.replacement_value_ore),
    ));
    let size = format::size(locale, pdf.len());
    let files = format!(
        "{}; {}",
        label_with(locale, "transfer-pdf", &[("size", &size)]),
        label(locale, "transfer-csv")
    );
    fields.push(field("transfer-files", files));
    ReportTransferPreview {
        id: body.id.clone(),
        partner: partner.id().to_owned(),
        heading: label_with(locale, "transfer-heading", &[("partner", name)]),
        categories: body
            .categories()
            .iter()
            .map(|c| label(locale, &format!("category-{}", c.id())))
            .collect(),
        fields,
        pdf,
        pdf_sha256: body.pdf_sha256.clone(),
        expires_at,
        confirm_label: label_with(locale, "transfer-confirm", &[("partner", name)]),
        nothing_sent_yet: label(locale, "transfer-nothing-sent"),
    }
}
