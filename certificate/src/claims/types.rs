//! The claim types: what a certificate says.
//!
//! The claims are the least a roadside-assistance worker needs to help: which cover the member
//! has and for how long, the car it is tied to (if it is), and a short form of the member's
//! name to match against a driving licence. The member's union, national identity number and
//! date of birth are special-category or identifying data the worker does not need: the types
//! here have no field that could hold them, so no caller can put them in a certificate.
//!
//! Each type checks its own text when built; the CWT form is in `codec.rs`.

use std::time::{Duration, SystemTime};

use chrono::NaiveDate;

use crate::error::CertificateError;
use crate::time::checked_from_unix_seconds;

/// The issuer named in every certificate: the service, neutrally. Not a union, and not the
/// union confederation's brand either, which would hint at union membership in a document a
/// third party reads and may store; short, because every byte grows the QR code.
pub const ISSUER: &str = "Veihjelp";

/// The longest a certificate may be valid (`exp - iat`): 30 days.
pub const MAX_VALIDITY: Duration = Duration::from_secs(30 * 24 * 60 * 60);

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
    pub(super) fn validate(&self) -> Result<(), &'static str> {
        if self.valid_to < self.valid_from {
            return Err("cover ends before it starts");
        }
        Ok(())
    }

    /// The first second of the cover.
    pub fn starts_at(&self) -> Option<SystemTime> {
        checked_from_unix_seconds(days_since_epoch(self.valid_from)?.checked_mul(SECONDS_PER_DAY)?)
    }

    /// The first second after the cover (midnight UTC after `valid_to`).
    pub fn ends_at(&self) -> Option<SystemTime> {
        let day_after = days_since_epoch(self.valid_to)?.checked_add(1)?;
        checked_from_unix_seconds(day_after.checked_mul(SECONDS_PER_DAY)?)
    }
}

/// The member's name in the least form the worker needs to match it against a driving
/// licence: the first given name and the first letter of the family name, `"Kari N."`.
///
/// Further given names and the full family name add little to that check, make the
/// certificate a better handle for tracing a person, and grow the QR code. Digits are
/// refused, so an identity number or a birth date cannot be put in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderName(pub(super) String);

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

    pub(super) fn validate(&self) -> Result<(), &'static str> {
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
pub struct VehicleRegistration(pub(super) String);

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

    pub(super) fn validate(&self) -> Result<(), &'static str> {
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

/// Days since 1970-01-01 of `date`.
pub(super) fn days_since_epoch(date: NaiveDate) -> Option<i64> {
    Some(i64::from(date.to_epoch_days()))
}
