//! The roadside-assistance certificate ("veihjelpsbevis"): a signed QR code a member shows the
//! roadside-assistance worker, who checks it on site without network.
//!
//! Built like the EU Digital COVID Certificate: a CBOR Web Token (RFC 8392, [`claims`]) signed
//! as a COSE_Sign1 (RFC 9052, [`cose`]) with ES256 over P-256, its bytes in Base45 behind the
//! prefix `VH1:` ([`payload`]), in an alphanumeric QR code ([`qr`]).
//!
//! - Issuing (the server): [`issue`] with the claims and a [`p256::ecdsa::SigningKey`];
//!   [`sign_revocation_list`]; [`TrustList::sign`] with the separate trust-anchor key.
//! - Verifying (the worker, offline): [`verify`] a payload text or [`verify_image`] a camera
//!   frame against a cached [`TrustList`] (signed by one of the app's [`TrustAnchors`]) and
//!   [`RevocationList`]; the answer is one [`Verification`].
//! - Showing (the member's app): [`inspect`] reads a payload from its own server without
//!   checking it; [`QrMatrix`] is the code to draw.
//! - Other signed documents (the consent catalogue and receipts): [`sign_document`] and
//!   [`open_document`], COSE_Sign1 with ES256 bound to a content type.
//! - [`time`]: the one conversion between `SystemTime` and Unix seconds, for this crate and
//!   its users.
//!
//! This crate is the codec only: no network, no storage, no platform. The mobile core and the
//! reference server both depend on it, so the issuer and the verifier share one definition.
//!
//! Privacy: union membership is special-category data (GDPR art. 9) and the worker has no need
//! of it, nor of the national identity number or the date of birth; the claims have no field
//! for them. The issuer is the service ("Veihjelp"), not a union nor the union confederation. The member's name
//! is in its short form ("Kari N."). Errors and [`Verification::Malformed`] reasons are fixed
//! texts that never echo a payload.

mod anchor;
pub mod claims;
pub mod cose;
mod document;
mod error;
mod inspect;
mod issue;
mod locate;
pub mod payload;
pub mod qr;
mod revocation;
pub mod time;
mod trust;
mod verify;

#[cfg(test)]
mod tests;

pub use anchor::{MAX_ANCHORS, TrustAnchors, anchor_from_text, anchor_to_text};
pub use claims::{
    CertificateClaims, CertificateId, Cover, CoverProduct, HolderName, ISSUER, MAX_VALIDITY,
    VehicleRegistration,
};
pub use cose::key_id;
pub use document::{DocumentError, OpenedDocument, open_document, sign_document};
pub use error::{CertificateError, QrError, RevocationError, TrustError};
pub use inspect::{Inspected, inspect};
pub use issue::issue;
pub use payload::PREFIX;
pub use qr::{MAX_QR_PAYLOAD_CHARS, MAX_QR_VERSION, QUIET_ZONE_MODULES, QrMatrix};
pub use revocation::{REVOCATION_CONTENT_TYPE, RevocationList, sign_revocation_list};
pub use trust::{TRUST_LIST_CONTENT_TYPE, TrustList, TrustedKey};
pub use verify::{
    CLOCK_SKEW, DECODE_BUDGET, LumaFrame, MAX_FRAME_PIXELS, Verification, decode_qr, verify,
    verify_image,
};
