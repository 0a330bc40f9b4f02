//! Roadside assistance: what a member shows the roadside-assistance worker when the car has
//! broken down, and what the worker checks on site, often without network.
//!
//! - [`certificate`]: the roadside-assistance certificate ("veihjelpsbevis"), a signed CBOR Web
//!   Token in a QR code that verifies offline.
//! - [`location`]: where the member is, in the formats a Norwegian rescue dispatcher uses.

pub mod certificate;
pub mod location;
