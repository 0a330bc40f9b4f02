//! The CWT (RFC 8392) form of the claims: CBOR encoding and strict decoding.
//!
//! CWT claims written: `iss` (1) = [`ISSUER`], `exp` (4), `iat` (6), `cti` (7) = the
//! [`CertificateId`], and one private claim [`CLAIM_VEIHJELP`] (-65537, in the private-use
//! range of the CWT claims registry) holding a map:
//!
//! | key | value |
//! |---|---|
//! | 1 | cover product, [`CoverProduct`] code (unsigned integer) |
//! | 2 | cover valid from, days since 1970-01-01 (unsigned integer) |
//! | 3 | cover valid to (inclusive), days since 1970-01-01 |
//! | 4 | holder name, short form (`"Kari N."`), text |
//! | 5 | vehicle registration, optional, text (`"EL12345"`) |
//!
//! Size decides the compact forms: the QR code may be at most version 11 at error correction
//! Q, which holds 259 alphanumeric characters, so at most 170 bytes of COSE. The signature,
//! key id and headers take 85 of them. Hence a product code rather than its name (2 bytes
//! instead of 16), days rather than ISO dates (3 bytes instead of 11), a short issuer, and the
//! first given name only; [`issue`](crate::issue) still refuses, with a typed error, a
//! certificate that would not fit.
//!
//! Decoding is strict: any other claim, any other key in the map, or a wrong type makes the
//! token malformed, so nothing beyond these fields can ride along even in a signed token.

use chrono::NaiveDate;
use coset::cbor::value::Value;
use coset::cwt::{ClaimName, ClaimsSet, Timestamp};
use coset::{CborSerializable, RegisteredLabelWithPrivate};

use super::types::{
    CertificateClaims, CertificateId, Cover, CoverProduct, HolderName, ISSUER, MAX_VALIDITY,
    VehicleRegistration, days_since_epoch,
};
use crate::error::CertificateError;

/// The private CWT claim that holds the roadside-assistance map.
pub const CLAIM_VEIHJELP: i64 = -65537;

const KEY_PRODUCT: i64 = 1;
const KEY_COVER_FROM: i64 = 2;
const KEY_COVER_TO: i64 = 3;
const KEY_HOLDER: i64 = 4;
const KEY_VEHICLE: i64 = 5;

/// A decoded, well-formed token: the claims and the validity times in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodedClaims {
    pub claims: CertificateClaims,
    pub issued_at: i64,
    pub expires_at: i64,
}

/// Encodes the CWT claims set. Validates every claim and the validity period first.
pub(crate) fn encode(
    claims: &CertificateClaims,
    issued_at: i64,
    expires_at: i64,
) -> Result<Vec<u8>, CertificateError> {
    claims
        .cover
        .validate()
        .map_err(CertificateError::InvalidClaim)?;
    claims
        .holder
        .validate()
        .map_err(CertificateError::InvalidClaim)?;
    if let Some(vehicle) = &claims.vehicle {
        vehicle.validate().map_err(CertificateError::InvalidClaim)?;
    }
    check_validity(issued_at, expires_at).map_err(CertificateError::InvalidValidity)?;

    let from = days_since_epoch(claims.cover.valid_from).ok_or(CertificateError::TimeOutOfRange)?;
    let to = days_since_epoch(claims.cover.valid_to).ok_or(CertificateError::TimeOutOfRange)?;
    let (Ok(from), Ok(to)) = (u32::try_from(from), u32::try_from(to)) else {
        return Err(CertificateError::TimeOutOfRange);
    };
    let mut map = vec![
        (
            Value::from(KEY_PRODUCT),
            Value::from(claims.cover.product.code()),
        ),
        (Value::from(KEY_COVER_FROM), Value::from(from)),
        (Value::from(KEY_COVER_TO), Value::from(to)),
        (
            Value::from(KEY_HOLDER),
            Value::Text(claims.holder.0.clone()),
        ),
    ];
    if let Some(vehicle) = &claims.vehicle {
        map.push((Value::from(KEY_VEHICLE), Value::Text(vehicle.0.clone())));
    }
    let set = ClaimsSet {
        issuer: Some(ISSUER.to_owned()),
        expiration_time: Some(Timestamp::WholeSeconds(expires_at)),
        issued_at: Some(Timestamp::WholeSeconds(issued_at)),
        cwt_id: Some(claims.certificate_id.0.to_vec()),
        rest: vec![(ClaimName::PrivateUse(CLAIM_VEIHJELP), Value::Map(map))],
        ..ClaimsSet::default()
    };
    set.to_vec().map_err(|_| CertificateError::Encoding)
}

/// Decodes a CWT claims set strictly. The error is a short fixed reason.
pub(crate) fn decode(bytes: &[u8]) -> Result<DecodedClaims, &'static str> {
    let set = ClaimsSet::from_slice(bytes).map_err(|_| "claims are not a CWT claims set")?;
    if set.subject.is_some() || set.audience.is_some() || set.not_before.is_some() {
        return Err("unexpected claim");
    }
    if set.issuer.as_deref() != Some(ISSUER) {
        return Err("unexpected issuer");
    }
    let issued_at = whole_seconds(set.issued_at.as_ref()).ok_or("missing or invalid iat")?;
    let expires_at = whole_seconds(set.expiration_time.as_ref()).ok_or("missing or invalid exp")?;
    check_validity(issued_at, expires_at)?;
    let certificate_id = set
        .cwt_id
        .as_deref()
        .and_then(CertificateId::from_slice)
        .ok_or("missing or invalid certificate id")?;
    let [(name, Value::Map(map))] = set.rest.as_slice() else {
        return Err("unexpected claims");
    };
    if *name != RegisteredLabelWithPrivate::PrivateUse(CLAIM_VEIHJELP) {
        return Err("unexpected claim");
    }

    let mut product = None;
    let mut from = None;
    let mut to = None;
    let mut holder = None;
    let mut vehicle = None;
    for (key, value) in map {
        let key = key
            .as_integer()
            .and_then(|k| i64::try_from(k).ok())
            .ok_or("unexpected claim key")?;
        let slot_taken = match key {
            KEY_PRODUCT => product.replace(product_code(value)?).is_some(),
            KEY_COVER_FROM => from.replace(date(value)?).is_some(),
            KEY_COVER_TO => to.replace(date(value)?).is_some(),
            KEY_HOLDER => holder.replace(text(value)?).is_some(),
            KEY_VEHICLE => vehicle.replace(text(value)?).is_some(),
            _ => return Err("unexpected claim key"),
        };
        if slot_taken {
            return Err("duplicate claim key");
        }
    }
    let cover = Cover {
        product: product.ok_or("missing cover product")?,
        valid_from: from.ok_or("missing cover start")?,
        valid_to: to.ok_or("missing cover end")?,
    };
    cover.validate()?;
    let holder = HolderName(holder.ok_or("missing holder")?);
    holder.validate()?;
    let vehicle = vehicle.map(VehicleRegistration);
    if let Some(vehicle) = &vehicle {
        vehicle.validate()?;
    }
    Ok(DecodedClaims {
        claims: CertificateClaims {
            certificate_id,
            cover,
            holder,
            vehicle,
        },
        issued_at,
        expires_at,
    })
}

/// `exp` after `iat`, by at most [`MAX_VALIDITY`].
fn check_validity(issued_at: i64, expires_at: i64) -> Result<(), &'static str> {
    if issued_at < 0 {
        return Err("issued before 1970");
    }
    let Some(length) = expires_at.checked_sub(issued_at) else {
        return Err("validity out of range");
    };
    if length <= 0 {
        return Err("expires before it is issued");
    }
    if length.unsigned_abs() > MAX_VALIDITY.as_secs() {
        return Err("valid for more than 30 days");
    }
    Ok(())
}

fn product_code(value: &Value) -> Result<CoverProduct, &'static str> {
    value
        .as_integer()
        .and_then(|code| u8::try_from(code).ok())
        .and_then(CoverProduct::from_code)
        .ok_or("unknown cover product")
}

fn text(value: &Value) -> Result<String, &'static str> {
    value
        .as_text()
        .map(str::to_owned)
        .ok_or("claim is not text")
}

fn date(value: &Value) -> Result<NaiveDate, &'static str> {
    let days = value
        .as_integer()
        .and_then(|d| u32::try_from(d).ok())
        .ok_or("date is not a day number")?;
    NaiveDate::from_epoch_days(i32::try_from(days).map_err(|_| "date out of range")?)
        .ok_or("date out of range")
}

fn whole_seconds(timestamp: Option<&Timestamp>) -> Option<i64> {
    match timestamp? {
        Timestamp::WholeSeconds(s) => Some(*s),
        Timestamp::FractionalSeconds(_) => None,
    }
}
