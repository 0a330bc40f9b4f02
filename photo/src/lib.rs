//! The photo pipeline of "Husk Hva Du Har": what happens to a photo of a member's belongings
//! between the camera (or the photo picker) and the encrypted store.
//!
//! - [`probe`]: the header, checked before anything is decoded (at most 16 384 px a side,
//!   200 megapixels, 64 MiB of input), so a hostile header costs microseconds.
//! - [`import`]: the two renditions (2048 px at quality 85, 320 px at quality 80) from a JPEG
//!   decoded at a DCT scale or a PNG decoded within a memory budget, resized with
//!   `fast_image_resize`, turned upright by the EXIF orientation, encoded without any metadata.
//!   EXIF gives the capture time (kept as evidence) and nothing else; GPS is never kept.
//! - [`strip_metadata`]: an original the member chooses to keep, without its EXIF (GPS
//!   included) and other application segments.
//! - [`seal`] / [`open`]: XChaCha20-Poly1305 for every stored file.
//!
//! A codec only: no storage, no network, no threads (the app bounds concurrency).

mod error;
pub mod exif;
pub mod orient;
mod pipeline;
mod probe;
mod seal;
mod strip;

pub use error::PhotoError;
pub use exif::ExifFacts;
pub use pipeline::{
    DECODE_AT_LEAST, LARGE_QUALITY, LARGE_SIDE, PNG_DECODE_BUDGET, Rendition, Renditions,
    THUMBNAIL_QUALITY, THUMBNAIL_SIDE, import,
};
pub use probe::{Format, Header, Limits, probe};
pub use seal::{open, seal};
pub use strip::strip_metadata;
