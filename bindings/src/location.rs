//! The member's location for the roadside certificate screen, as exported types: the fix the
//! shell hands in, the report the core writes, the permission to ask for, and the error of a
//! fix the core refuses. See `lofavor_core::roadside::location`.
//!
//! Time crosses the FFI as Unix milliseconds (`i64`): Kotlin's `Location.time` and
//! `System.currentTimeMillis()` are exactly that, and Swift gets it from
//! `Date.timeIntervalSince1970 * 1000`.

use std::time::{Duration, SystemTime};

use lofavor_core::roadside::location as core_location;

use crate::config::AppLocale;

/// Where a fix came from, as the platform reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FixSource {
    /// Satellite positioning (GNSS).
    Gps,
    /// Cell towers and Wi-Fi.
    Network,
    /// The platform's fused provider (Android FusedLocationProvider, iOS Core Location).
    Fused,
    /// Typed or picked on a map by the member.
    Manual,
}

impl From<FixSource> for core_location::FixSource {
    fn from(s: FixSource) -> Self {
        match s {
            FixSource::Gps => Self::Gps,
            FixSource::Network => Self::Network,
            FixSource::Fused => Self::Fused,
            FixSource::Manual => Self::Manual,
        }
    }
}

/// One position fix from the platform.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct LocationFix {
    /// Latitude in decimal degrees, WGS 84, north positive.
    pub latitude: f64,
    /// Longitude in decimal degrees, WGS 84, east positive.
    pub longitude: f64,
    /// Horizontal accuracy in metres (68 % radius, as both platforms report it).
    pub accuracy_m: f64,
    /// When the platform measured the position, in milliseconds since the Unix epoch (UTC):
    /// Android `Location.time`, iOS `CLLocation.timestamp` × 1000. Not the moment the shell
    /// passed it on, so the core sees how old the position really is.
    pub time_unix_ms: i64,
    /// Where the position came from.
    pub source: FixSource,
}

/// A fix the core refuses. The variant says what is wrong; the value never travels with it
/// (coordinates are personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum InvalidFixError {
    /// A coordinate or the accuracy is NaN or infinite.
    #[error("the fix has a value that is not a finite number")]
    NotFinite,
    /// The latitude is outside -90..=90.
    #[error("the latitude is out of range")]
    LatitudeOutOfRange,
    /// The longitude is outside -180..=180.
    #[error("the longitude is out of range")]
    LongitudeOutOfRange,
    /// The accuracy is negative.
    #[error("the accuracy is negative")]
    NegativeAccuracy,
    /// A time in milliseconds that this platform's clock cannot hold.
    #[error("a time is out of range")]
    TimeOutOfRange,
}

impl From<core_location::LocationError> for InvalidFixError {
    fn from(e: core_location::LocationError) -> Self {
        use core_location::LocationError as Core;
        match e {
            Core::NotFinite => Self::NotFinite,
            Core::LatitudeOutOfRange => Self::LatitudeOutOfRange,
            Core::LongitudeOutOfRange => Self::LongitudeOutOfRange,
            Core::NegativeAccuracy => Self::NegativeAccuracy,
        }
    }
}

/// Unix milliseconds as a `SystemTime`, either side of the epoch; `TimeOutOfRange` only
/// where the platform's clock type is narrower than an `i64` of milliseconds.
fn system_time(unix_ms: i64) -> Result<SystemTime, InvalidFixError> {
    let offset = Duration::from_millis(unix_ms.unsigned_abs());
    let time = if unix_ms >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(offset)
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(offset)
    };
    time.ok_or(InvalidFixError::TimeOutOfRange)
}

impl TryFrom<LocationFix> for core_location::LocationFix {
    type Error = InvalidFixError;

    fn try_from(f: LocationFix) -> Result<Self, InvalidFixError> {
        Ok(Self {
            latitude: f.latitude,
            longitude: f.longitude,
            accuracy_m: f.accuracy_m,
            time: system_time(f.time_unix_ms)?,
            source: f.source.into(),
        })
    }
}

/// Which format a [`LabelledFormat`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FormatKind {
    /// `62.07420° N, 9.12540° Ø`.
    DecimalDegrees,
    /// `62° 4′ 27.1″ N  9° 7′ 31.4″ Ø`.
    DegreesMinutesSeconds,
    /// `62° 4.452′ N  9° 7.524′ Ø`.
    DegreesDecimalMinutes,
    /// `32V 506552 6882452`, in the Norwegian UTM zone.
    Utm,
}

impl From<core_location::FormatKind> for FormatKind {
    fn from(k: core_location::FormatKind) -> Self {
        use core_location::FormatKind as Core;
        match k {
            Core::DecimalDegrees => Self::DecimalDegrees,
            Core::DegreesMinutesSeconds => Self::DegreesMinutesSeconds,
            Core::DegreesDecimalMinutes => Self::DegreesDecimalMinutes,
            Core::Utm => Self::Utm,
        }
    }
}

/// One format with its label, ready to show: `label` above `value`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LabelledFormat {
    /// Which format this is.
    pub kind: FormatKind,
    /// The heading in the member's language, e.g. `Desimalgrader`.
    pub label: String,
    /// The position in this format.
    pub value: String,
}

impl From<core_location::LabelledFormat> for LabelledFormat {
    fn from(f: core_location::LabelledFormat) -> Self {
        Self {
            kind: f.kind.into(),
            label: f.label,
            value: f.value,
        }
    }
}

/// A UTM position in the zone a Norwegian dispatcher expects (32, 33 or 35 in Norway).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct UtmPosition {
    /// The zone number.
    pub zone: u8,
    /// The latitude band letter (`V`, `W`, `X`, ...), one character.
    pub band: String,
    /// Metres east, with the false easting of 500 000 m.
    pub easting_m: f64,
    /// Metres north of the equator (plus 10 000 000 m south of it).
    pub northing_m: f64,
}

impl From<core_location::UtmPosition> for UtmPosition {
    fn from(u: core_location::UtmPosition) -> Self {
        Self {
            zone: u.zone,
            band: u.band.to_string(),
            easting_m: u.easting_m,
            northing_m: u.northing_m,
        }
    }
}

/// One of the eight compass points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Compass {
    /// North.
    N,
    /// North-east.
    Ne,
    /// East.
    E,
    /// South-east.
    Se,
    /// South.
    S,
    /// South-west.
    Sw,
    /// West.
    W,
    /// North-west.
    Nw,
}

impl From<core_location::Compass> for Compass {
    fn from(c: core_location::Compass) -> Self {
        use core_location::Compass as Core;
        match c {
            Core::N => Self::N,
            Core::Ne => Self::Ne,
            Core::E => Self::E,
            Core::Se => Self::Se,
            Core::S => Self::S,
            Core::Sw => Self::Sw,
            Core::W => Self::W,
            Core::Nw => Self::Nw,
        }
    }
}

/// The nearest named place and where the member is from it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NearestPlace {
    /// The heading to show above it (`Nærmeste sted`).
    pub label: String,
    /// The place's name, e.g. `Dombås`.
    pub name: String,
    /// ISO 3166 alpha-2 country code of the place.
    pub country: String,
    /// Great-circle distance from the place to the member, metres.
    pub distance_m: f64,
    /// Initial bearing from the place to the member, degrees clockwise from north.
    pub bearing_deg: f64,
    /// The bearing as a compass point.
    pub compass: Compass,
    /// The sentence to show or say, e.g. `3,3 km NØ for Dombås`.
    pub text: String,
}

impl From<core_location::NearestPlace> for NearestPlace {
    fn from(p: core_location::NearestPlace) -> Self {
        Self {
            label: p.label,
            name: p.name,
            country: p.country,
            distance_m: p.distance_m,
            bearing_deg: p.bearing_deg,
            compass: p.compass.into(),
            text: p.text,
        }
    }
}

/// Whether the fix is good enough to read out.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QualityFlags {
    /// Older than two minutes.
    pub stale: bool,
    /// Less accurate than 100 m.
    pub inaccurate: bool,
    /// Age of the fix in whole seconds (0 if its time is ahead of now).
    pub age_s: u64,
    /// One short warning per flag, in the member's language; empty when the fix is good.
    pub warnings: Vec<String>,
}

impl From<core_location::QualityFlags> for QualityFlags {
    fn from(q: core_location::QualityFlags) -> Self {
        Self {
            stale: q.stale,
            inaccurate: q.inaccurate,
            age_s: q.age_s,
            warnings: q.warnings,
        }
    }
}

/// Everything the location panel of the certificate screen shows.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LocationReport {
    /// The formats, labelled, in order: decimal degrees, degrees-minutes-seconds, degrees
    /// and decimal minutes, UTM (left out only near the poles).
    pub formats: Vec<LabelledFormat>,
    /// The UTM position as numbers; null where UTM is not defined.
    pub utm: Option<UtmPosition>,
    /// The nearest place within 100 km; null far from any.
    pub nearest_place: Option<NearestPlace>,
    /// Stale and inaccurate flags with their warnings.
    pub quality: QualityFlags,
    /// `geo:` URI (RFC 5870) of the position, to open a map.
    pub geo_uri: String,
    /// The SMS to share: every format, the place, warnings and the `geo:` URI.
    pub share_text: String,
    /// The credit for the place names, to show under the nearest place.
    pub attribution: String,
}

impl From<core_location::LocationReport> for LocationReport {
    fn from(r: core_location::LocationReport) -> Self {
        Self {
            formats: r.formats.into_iter().map(LabelledFormat::from).collect(),
            utm: r.utm.map(UtmPosition::from),
            nearest_place: r.nearest_place.map(NearestPlace::from),
            quality: r.quality.into(),
            geo_uri: r.geo_uri,
            share_text: r.share_text,
            attribution: r.attribution,
        }
    }
}

/// A platform permission the app may ask for, each only while the screen that needs it is
/// open: the location on the certificate screen (never in the background), the camera on
/// the field worker's scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Permission {
    /// Android `ACCESS_FINE_LOCATION` with `ACCESS_COARSE_LOCATION`; iOS "When In Use".
    LocationWhenInUse,
    /// Android `CAMERA`; iOS `NSCameraUsageDescription`. Only the scanner asks for it.
    CameraWhileScanning,
}

impl From<core_location::Permission> for Permission {
    fn from(p: core_location::Permission) -> Self {
        match p {
            core_location::Permission::LocationWhenInUse => Self::LocationWhenInUse,
            core_location::Permission::CameraWhileScanning => Self::CameraWhileScanning,
        }
    }
}

/// What to ask the platform for and the reason to show first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionRequest {
    /// The permission.
    pub permission: Permission,
    /// Whether a precise location is needed (an approximate one is flagged as inaccurate).
    pub precise: bool,
    /// The reason, in the member's language.
    pub reason: String,
}

impl From<core_location::PermissionRequest> for PermissionRequest {
    fn from(r: core_location::PermissionRequest) -> Self {
        Self {
            permission: r.permission.into(),
            precise: r.precise,
            reason: r.reason,
        }
    }
}

/// Describes `fix` for the member at `now_unix_ms` (Unix milliseconds, the device clock) in
/// `locale`: every format labelled, the nearest place, quality flags and the share text.
/// Pure and fast; needs no open core.
#[uniffi::export]
pub fn describe_location(
    fix: LocationFix,
    now_unix_ms: i64,
    locale: AppLocale,
) -> Result<LocationReport, InvalidFixError> {
    let fix = core_location::LocationFix::try_from(fix)?;
    let now = system_time(now_unix_ms)?;
    Ok(core_location::describe_location(&fix, now, locale.into())?.into())
}

/// The permission the certificate screen asks for when it is shown, with the reason to show
/// before the platform's prompt.
#[uniffi::export]
pub fn location_permission_request(locale: AppLocale) -> PermissionRequest {
    core_location::location_permission_request(locale.into()).into()
}

/// The permission the field worker's scanner asks for when it opens (the camera), with the
/// reason to show before the platform's prompt.
#[uniffi::export]
pub fn camera_permission_request(locale: AppLocale) -> PermissionRequest {
    core_location::camera_permission_request(locale.into()).into()
}

/// The credit line for the place names (GeoNames, CC BY 4.0), for an about screen; each
/// `LocationReport` carries it too.
#[uniffi::export]
pub fn gazetteer_attribution() -> String {
    core_location::GAZETTEER_ATTRIBUTION.to_owned()
}
