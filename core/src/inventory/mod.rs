//! "Husk Hva Du Har": the member's belongings room by room, with photos encrypted at rest and
//! a search that finds what the member types. This first step keeps everything on the device
//! (items, rooms, photos through the `lofavor-photo` pipeline, FTS5 search); sync, the claim
//! report and the backup build on it.
//!
//! `InventoryHandle` = `core.inventory()` is what the shells call.

mod backup;
mod depreciation;
mod error;
mod export;
mod handle;
mod import;
mod items;
pub mod model;
pub mod photos;
pub mod report;
pub(crate) mod schema;
mod sync;
mod totals;

pub use backup::RestoreSummary;
pub use depreciation::{DepreciationRule, Valuation};
pub use error::InventoryError;
pub use handle::InventoryHandle;
pub use import::{
    ImportJob, ImportObserver, ImportOutcome, ImportProgress, ImportSummary, ImportTarget,
    ImportedPhoto, PhotoImport, PhotoSource,
};
pub use model::{Item, ItemFields, Photo, PhotoRole, Room};
pub use report::{
    ReportFiles, ReportPhotos, ReportReceipt, ReportRequest, ReportTransferField,
    ReportTransferPreview,
};
pub use sync::SyncSummary;
pub use totals::{GroupTotal, Totals};

/// The limits every photo is held to before it is decoded (sides, pixels, bytes): for a shell
/// that decodes a format the core does not (HEIC on a desktop) to check the same way.
pub fn photo_limits() -> lofavor_photo::Limits {
    lofavor_photo::Limits::default()
}
