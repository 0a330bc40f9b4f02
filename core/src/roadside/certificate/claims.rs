//! What a certificate says, and its CWT (RFC 8392) form.
//!
//! The claims are the least a roadside-assistance worker needs to help: which cover the member
//! has and for how long, the car it is tied to (if it is), and a short form of the member's
//! name to match against a driving licence. The member's union, national identity number and
//! date of birth are special-category or identifying data the worker does not need: the types
//! here have no field that could hold them, so no caller can put them in a certificate.
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
//! first given name only; [`issue`](super::issue) still refuses, with a typed error, a
//! certificate that would not fit.
//!
//! Decoding is strict: any other claim, any other key in the map, or a wrong type makes the
//! token malformed, so nothing beyond these fields can ride along even in a signed token.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use coset::cbor::value::Value;
use coset::cwt::{ClaimName, ClaimsSet, Timestamp};
use coset::{CborSerializable, RegisteredLabelWithPrivate};

use super::error::CertificateError;

/// The issuer named in every certificate: the service, neutrally. Not a union, and not the
/// union confederation's brand either, which would hint at union membership in a document a
/// third party reads and may store; short, because every byte grows the QR code.
pub const ISSUER: &str = "Veihjelp";

/// The longest a certificate may be valid (`exp - iat`): 30 days.
pub const MAX_VALIDITY: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// The private CWT claim that holds the roadside-assistance map.
pub const CLAIM_VEIHJELP: i64 = -65537;

const KEY_PRODUCT: i64 = 1;
const KEY_COVER_FROM: i64 = 2;
const KEY_COVER_TO: i64 = 3;
const KEY_HOLDER: i64 = 4;
const KEY_VEHICLE: i64 = 5;

const MAX_GIVEN_NAME_CHARS: usize = 15;
const MAX_REGISTRATION_CHARS: usize = 10;
const SECONDS_PER_DAY: i64 = 86_400;

/// The id of one certificate (`cti`): 8 random bytes, what a revocation list names.
///
/// 64 random bits make a collision among even millions of certificates vanishingly unlikely
/// (about 3 in 10^8 for a million), and keep the QR code small; the issuer can check its own
/// records for a clash before signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CertificateId(pub [u8; 8]);

impl CertificateId {
    /// A fresh random id.
    pub fn random() -> Self {
        Self(rand::random())
    }

    /// The id's bytes.
    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        Some(Self(bytes.try_into().ok()?))
    }
}

/// A roadside-assistance product, carried as a small code so the QR code stays small.
///
/// A new product needs a new variant here, and the workers' apps an update before
/// certificates with it are issued: an unknown code is refused as malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoverProduct {
    /// "Veihjelp": roadside assistance in Norway.
    Veihjelp,
    /// "Veihjelp Pluss": roadside assistance in the Nordic countries, with towing to the
    /// member's own workshop and a rental car.
    VeihjelpPluss,
}

impl CoverProduct {
    /// The code in the certificate.
    pub fn code(self) -> u8 {
        match self {
            CoverProduct::Veihjelp => 1,
            CoverProduct::VeihjelpPluss => 2,
        }
    }

    /// The product with `code`.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(CoverProduct::Veihjelp),
            2 => Some(CoverProduct::VeihjelpPluss),
            _ => None,
        }
    }

    /// The product's name as the worker sees it.
    pub fn name(self) -> &'static str {
        match self {
            CoverProduct::Veihjelp => "Veihjelp",
            CoverProduct::VeihjelpPluss => "Veihjelp Pluss",
        }
    }
}

/// The member's roadside-assistance cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// The product.
    pub product: CoverProduct,
    /// The first day of the cover (read as a UTC date).
    pub valid_from: NaiveDate,
    /// The last day of the cover, inclusive (read as a UTC date).
    pub valid_to: NaiveDate,
}

impl Cover {
    fn validate(&self) -> Result<(), &'static str> {
        if self.valid_to < self.valid_from {
            return Err("cover ends before it starts");
        }
        Ok(())
    }

    /// The first second of the cover.
    pub fn starts_at(&self) -> Option<SystemTime> {
        from_unix(days_since_epoch(self.valid_from)?.checked_mul(SECONDS_PER_DAY)?)
    }

    /// The first second after the cover (midnight UTC after `valid_to`).
    pub fn ends_at(&self) -> Option<SystemTime> {
        let day_after = days_since_epoch(self.valid_to)?.checked_add(1)?;
        from_unix(day_after.checked_mul(SECONDS_PER_DAY)?)
    }
}

/// The member's name in the least form the worker needs to match it against a driving
/// licence: the first given name and the first letter of the family name, `"Kari N."`.
///
/// Further given names and the full family name add little to that check, make the
/// certificate a better handle for tracing a person, and grow the QR code. Digits are
/// refused, so an identity number or a birth date cannot be put in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderName(String);

impl HolderName {
    /// Builds the short form from the member's given names and family name: the first given
    /// name (at most 15 characters; a hyphenated name such as "Anne-Lise" is one name) and the
    /// first letter of the family name.
    pub fn from_names(given_names: &str, family_name: &str) -> Result<Self, CertificateError> {
        let given = given_names.split_whitespace().next().unwrap_or_default();
        check_text(given, MAX_GIVEN_NAME_CHARS).map_err(CertificateError::InvalidClaim)?;
        let initial = family_name
            .trim()
            .chars()
            .next()
            .filter(|c| c.is_alphabetic())
            .ok_or(CertificateError::InvalidClaim(
                "family name must start with a letter",
            ))?;
        let short = format!("{given} {}.", initial.to_uppercase());
        let name = Self(short);
        name.validate().map_err(CertificateError::InvalidClaim)?;
        Ok(name)
    }

    /// The short form, e.g. `"Kari N."`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn validate(&self) -> Result<(), &'static str> {
        // Given name, a space, an initial, a full stop.
        check_text(&self.0, MAX_GIVEN_NAME_CHARS + 3)?;
        if self.0.chars().any(|c| c.is_numeric()) {
            return Err("holder name has digits");
        }
        if !self.0.ends_with('.') {
            return Err("holder name is not in short form");
        }
        Ok(())
    }
}

/// A vehicle registration, normalised to upper-case ASCII letters and digits without spaces
/// (`"EL 12345"` becomes `"EL12345"`), 2 to 10 characters: too short to hold an 11-digit
/// national identity number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleRegistration(String);

impl VehicleRegistration {
    /// Normalises and checks a registration as written on the plate.
    pub fn parse(plate: &str) -> Result<Self, CertificateError> {
        let normalised: String = plate
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let reg = Self(normalised);
        reg.validate().map_err(CertificateError::InvalidClaim)?;
        Ok(reg)
    }

    /// The normalised registration.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn validate(&self) -> Result<(), &'static str> {
        let len = self.0.chars().count();
        if !(2..=MAX_REGISTRATION_CHARS).contains(&len) {
            return Err("vehicle registration length");
        }
        if !self
            .0
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Err("vehicle registration characters");
        }
        Ok(())
    }
}

/// Everything a certificate says besides its issuer and validity times.
///
/// There is deliberately no field for the union, the national identity number or the date of
/// birth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateClaims {
    /// The certificate's id (`cti`), named by revocation lists.
    pub certificate_id: CertificateId,
    /// The cover and its period.
    pub cover: Cover,
    /// The member's short name.
    pub holder: HolderName,
    /// The car, where the cover is tied to one.
    pub vehicle: Option<VehicleRegistration>,
}

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

fn check_text(text: &str, max_chars: usize) -> Result<(), &'static str> {
    let chars = text.chars().count();
    if chars == 0 || text.trim() != text {
        return Err("empty or padded text");
    }
    if chars > max_chars {
        return Err("text too long");
    }
    if text.chars().any(char::is_control) {
        return Err("control character in text");
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

fn days_since_epoch(date: NaiveDate) -> Option<i64> {
    Some(i64::from(date.to_epoch_days()))
}

/// Seconds since the Unix epoch; `None` before 1970 or beyond `i64`.
pub(crate) fn to_unix(time: SystemTime) -> Option<i64> {
    i64::try_from(time.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()
}

/// The time `seconds` after the Unix epoch; `None` when negative or unrepresentable.
pub(crate) fn from_unix(seconds: i64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(seconds).ok()?))
}
