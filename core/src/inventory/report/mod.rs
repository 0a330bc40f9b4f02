//! The claim report of Husk Hva Du Har: a PDF an insurer can read (a cover with the member,
//! the address when given, the date and the totals; a summary by room; then every item with
//! its photo, serial number, purchase data, receipt photo and values), a CSV of every field,
//! and a ZIP with both and every photo. Labels in nb, nn or en from Fluent files.
//!
//! Sending it to an insurer is a transfer of personal data: [`transfer`] keeps a preview of
//! exactly what goes, and only the member's confirmation of that preview opens the consent
//! gate for it (the partner-order basis: the member's own request under their contract).

pub mod archive;
mod csv;
mod data;
mod font;
mod format;
mod handle;
mod pages;
mod pdf;
mod preview;
mod text;
pub(crate) mod transfer;

pub use preview::{ReportTransferField, ReportTransferPreview};
pub use transfer::ReportReceipt;

use crate::config::Locale;

/// Which rendition of the photos the PDF shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportPhotos {
    /// The 2048 px renditions while the photos shown come to about
    /// [`AUTO_LARGE_BUDGET_BYTES`], else the thumbnails: a claim of a few items keeps
    /// readable receipts, a whole home's inventory stays a file that can be mailed and sent.
    #[default]
    Auto,
    /// The 2048 px rendition, scaled onto the page: receipts stay readable when zoomed (a
    /// 2048 px photo is some 0.5 to 1 MB, so 200 items with two photos make 200 MB or more).
    Large,
    /// The 320 px thumbnail: a small file for a whole home's inventory.
    Thumbnail,
}

/// The estimated size of the large photos up to which [`ReportPhotos::Auto`] shows them.
pub const AUTO_LARGE_BUDGET_BYTES: u64 = 20 * 1024 * 1024;

/// What report to make.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportRequest {
    /// The labels' language.
    pub locale: Locale,
    /// The member's name for the cover (the shell knows it from the session; sending fills
    /// it from the member API).
    pub member_name: Option<String>,
    /// The member's number for the cover, likewise.
    pub member_number: Option<String>,
    /// The member's address for the cover, if they give it (the member API has none).
    pub address: Option<String>,
    /// The rendition of the photos in the PDF.
    pub photos: ReportPhotos,
    /// Make the CSV.
    pub csv: bool,
    /// Make the ZIP (PDF, CSV and every photo).
    pub zip: bool,
}

/// The files of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The CSV, if asked for.
    pub csv: Option<Vec<u8>>,
    /// The ZIP, if asked for.
    pub zip: Option<Vec<u8>>,
    /// Items in the report.
    pub items: u32,
    /// Photos shown in the PDF.
    pub photos: u32,
    /// Pages of the PDF.
    pub pages: u32,
}
