//! "Husk Hva Du Har": the member's belongings room by room, with photos encrypted at rest and
//! a search that finds what the member types. This first step keeps everything on the device
//! (items, rooms, photos through the `lofavor-photo` pipeline, FTS5 search); sync, the claim
//! report and the backup build on it.
//!
//! `InventoryHandle` = `core.inventory()` is what the shells call.

mod error;
mod handle;
mod items;
pub mod model;
pub mod photos;
pub mod report;
pub(crate) mod schema;
mod totals;

pub use error::InventoryError;
pub use handle::InventoryHandle;
pub use model::{Item, ItemFields, Photo, PhotoRole, Room};
pub use report::{
    ReportFiles, ReportPhotos, ReportReceipt, ReportRequest, ReportTransferField,
    ReportTransferPreview,
};
pub use totals::{GroupTotal, Totals};
