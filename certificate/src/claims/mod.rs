//! What a certificate says (the types, `types.rs`), and its CWT form (the codec,
//! `codec.rs`).

mod codec;
mod types;

pub use codec::CLAIM_VEIHJELP;
pub(crate) use codec::{decode, encode};
pub use types::{
    CertificateClaims, CertificateId, Cover, CoverProduct, HolderName, ISSUER, MAX_VALIDITY,
    VehicleRegistration,
};
