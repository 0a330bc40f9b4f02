//! Sync and the claim report of Husk Hva Du Har as exported types. Newtypes and conversions
//! only.

use lofavor_core::inventory as core;

use crate::config::AppLocale;
use crate::error::LofavorError;
use crate::inventory::InventoryHandle;

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InventorySync {
    /// Changes the server accepted.
    pub pushed: u32,
    /// Changes from the server applied here.
    pub pulled: u32,
    /// Photo renditions uploaded.
    pub uploaded: u32,
    /// Photos downloaded.
    pub downloaded: u32,
    /// Changes still waiting for the server.
    pub pending: u64,
}

impl From<core::SyncSummary> for InventorySync {
    fn from(s: core::SyncSummary) -> Self {
        Self {
            pushed: s.pushed,
            pulled: s.pulled,
            uploaded: s.uploaded,
            downloaded: s.downloaded,
            pending: s.pending,
        }
    }
}

/// Which rendition of the photos the report's PDF shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReportPhotos {
    /// The large ones while the file stays mailable, else the thumbnails.
    Auto,
    /// The 2048 px ones.
    Large,
    /// The 320 px ones.
    Thumbnail,
}

impl From<ReportPhotos> for core::ReportPhotos {
    fn from(p: ReportPhotos) -> Self {
        match p {
            ReportPhotos::Auto => Self::Auto,
            ReportPhotos::Large => Self::Large,
            ReportPhotos::Thumbnail => Self::Thumbnail,
        }
    }
}

/// What claim report to make.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportRequest {
    /// The labels' language.
    pub language: AppLocale,
    /// The member's name for the cover.
    #[uniffi(default)]
    pub member_name: Option<String>,
    /// The member's number for the cover.
    #[uniffi(default)]
    pub member_number: Option<String>,
    /// The member's address, if they give it.
    #[uniffi(default)]
    pub address: Option<String>,
    /// Which photos the PDF shows.
    pub photos: ReportPhotos,
    /// Make the CSV too.
    #[uniffi(default)]
    pub csv: bool,
    /// Make the ZIP (PDF, CSV and every photo) too.
    #[uniffi(default)]
    pub zip: bool,
}

impl From<ReportRequest> for core::ReportRequest {
    fn from(r: ReportRequest) -> Self {
        Self {
            locale: r.language.into(),
            member_name: r.member_name,
            member_number: r.member_number,
            address: r.address,
            photos: r.photos.into(),
            csv: r.csv,
            zip: r.zip,
        }
    }
}

/// The files of a claim report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportFiles {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The CSV, if asked for.
    pub csv: Option<Vec<u8>>,
    /// The ZIP, if asked for.
    pub zip: Option<Vec<u8>>,
    /// Items in it.
    pub items: u32,
    /// Photos in the PDF.
    pub photos: u32,
    /// Pages of the PDF.
    pub pages: u32,
}

impl From<core::ReportFiles> for ReportFiles {
    fn from(f: core::ReportFiles) -> Self {
        Self {
            pdf: f.pdf,
            csv: f.csv,
            zip: f.zip,
            items: f.items,
            photos: f.photos,
            pages: f.pages,
        }
    }
}

/// One value that would go, for people.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportTransferField {
    /// Its label.
    pub label: String,
    /// The value.
    pub value: String,
}

/// What sending the report to an insurer would send; nothing has been sent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportTransferPreview {
    /// The id to confirm with `send_report`.
    pub id: String,
    /// The partner's id.
    pub partner: String,
    /// "Dette sendes til Fremtind".
    pub heading: String,
    /// The kinds of data, for people.
    pub categories: Vec<String>,
    /// The values and files, for people.
    pub fields: Vec<ReportTransferField>,
    /// The PDF exactly as it would go.
    pub pdf: Vec<u8>,
    /// Its SHA-256 (hex).
    pub pdf_sha256: String,
    /// When the preview can no longer be confirmed (Unix seconds).
    pub expires_at: i64,
    /// The confirm button.
    pub confirm_label: String,
    /// "Nothing is sent before you confirm."
    pub nothing_sent_yet: String,
}

impl From<core::ReportTransferPreview> for ReportTransferPreview {
    fn from(p: core::ReportTransferPreview) -> Self {
        Self {
            id: p.id,
            partner: p.partner,
            heading: p.heading,
            categories: p.categories,
            fields: p
                .fields
                .into_iter()
                .map(|f| ReportTransferField {
                    label: f.label,
                    value: f.value,
                })
                .collect(),
            pdf: p.pdf,
            pdf_sha256: p.pdf_sha256,
            expires_at: p.expires_at,
            confirm_label: p.confirm_label,
            nothing_sent_yet: p.nothing_sent_yet,
        }
    }
}

/// The insurer's receipt of a sent report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportReceipt {
    /// The report's id.
    pub report_id: String,
    /// The partner's id.
    pub partner: String,
    /// `received`.
    pub status: String,
    /// When (Unix seconds).
    pub received_at: i64,
}

impl From<core::ReportReceipt> for ReportReceipt {
    fn from(r: core::ReportReceipt) -> Self {
        Self {
            report_id: r.report_id,
            partner: r.partner,
            status: r.status,
            received_at: r.received_at,
        }
    }
}

#[uniffi::export]
impl InventoryHandle {
    /// Sends what changed here and takes what changed elsewhere; photos upload in resumable
    /// chunks. Offline it fails as `network` and every change stays queued.
    pub async fn sync(&self) -> Result<InventorySync, LofavorError> {
        Ok(self.inner.sync().await?.into())
    }

    /// Changes not yet on the server (logout refuses while there are any).
    pub fn pending_changes(&self) -> Result<u64, LofavorError> {
        Ok(self.inner.unsynced_changes()?)
    }

    /// Makes the claim report.
    pub async fn report(&self, request: ReportRequest) -> Result<ReportFiles, LofavorError> {
        Ok(self.inner.make_report(request.into()).await?.into())
    }

    /// The claim report's PDF in `language`, for the share sheet.
    pub async fn report_pdf(&self, language: AppLocale) -> Result<Vec<u8>, LofavorError> {
        Ok(self.inner.make_report(request(language, false)).await?.pdf)
    }

    /// The claim report's CSV in `language`, for the share sheet.
    pub async fn report_csv(&self, language: AppLocale) -> Result<Vec<u8>, LofavorError> {
        let files = self.inner.make_report(request(language, true)).await?;
        Ok(files.csv.unwrap_or_default())
    }

    /// Prepares sending the report to insurer `partner`: a preview; nothing is sent.
    pub async fn prepare_report_transfer(
        &self,
        partner: String,
        request: ReportRequest,
    ) -> Result<ReportTransferPreview, LofavorError> {
        Ok(self
            .inner
            .prepare_report_transfer(&partner, request.into())
            .await?
            .into())
    }

    /// Sends the report of preview `preview_id`: the member's confirmation of it.
    pub async fn send_report(&self, preview_id: String) -> Result<ReportReceipt, LofavorError> {
        Ok(self.inner.send_report(&preview_id).await?.into())
    }
}

fn request(language: AppLocale, csv: bool) -> core::ReportRequest {
    core::ReportRequest {
        locale: language.into(),
        csv,
        ..core::ReportRequest::default()
    }
}
