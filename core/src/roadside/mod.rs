//! Roadside assistance: what a member shows the roadside-assistance worker when the car has
//! broken down, and what the worker checks on site, often without network.
//!
//! - [`certificate`]: the roadside-assistance certificate ("veihjelpsbevis"), a signed CBOR Web
//!   Token in a QR code that verifies offline.
//! - [`location`]: where the member is, in the formats a Norwegian rescue dispatcher uses.
//! - [`wallet`]: the member's latest certificate, kept for offline display and renewed.
//! - [`field`]: the worker's cached trust material, offline checks and the online lookup.
//! - [`RoadsideHandle`]: what the shells call (`core.roadside()`); `schema` its tables.

/// The roadside-assistance certificate codec, the `lofavor-certificate` crate (shared with
/// the reference server).
pub use lofavor_certificate as certificate;
mod error;
pub mod field;
mod handle;
pub mod location;
pub(crate) mod schema;
pub mod wallet;
mod wire;

pub use error::ServiceError;
pub use field::{OnlineStatus, REVOCATIONS_STALE_AFTER, TrustMaterial};
pub use handle::RoadsideHandle;
pub use wallet::{CertificateStatus, MemberCertificate, RENEW_BEFORE};
