//! The position the shell hands in, and how it is checked.

use std::time::SystemTime;

/// Where a fix came from, as the platform reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
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

/// One position fix from the platform.
///
/// `time` is a [`SystemTime`] (the bindings carry it as a timestamp): the moment the
/// platform measured the position, not the moment the shell passed it on, so the age check
/// in [`super::QualityFlags`] sees how old the position really is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocationFix {
    /// Latitude in decimal degrees, WGS 84, north positive.
    pub latitude: f64,
    /// Longitude in decimal degrees, WGS 84, east positive.
    pub longitude: f64,
    /// Horizontal accuracy in metres (radius of 68 % confidence, as both platforms report).
    pub accuracy_m: f64,
    /// When the platform measured the position.
    pub time: SystemTime,
    /// Where the position came from.
    pub source: FixSource,
}

/// Why a fix was refused. The messages never carry the values: coordinates are personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
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
}

impl LocationFix {
    /// Checks the fix: every number finite, latitude in -90..=90, longitude in -180..=180,
    /// accuracy not negative.
    pub fn validate(&self) -> Result<(), LocationError> {
        if !(self.latitude.is_finite() && self.longitude.is_finite() && self.accuracy_m.is_finite())
        {
            return Err(LocationError::NotFinite);
        }
        if !(-90.0..=90.0).contains(&self.latitude) {
            return Err(LocationError::LatitudeOutOfRange);
        }
        if !(-180.0..=180.0).contains(&self.longitude) {
            return Err(LocationError::LongitudeOutOfRange);
        }
        if self.accuracy_m < 0.0 {
            return Err(LocationError::NegativeAccuracy);
        }
        Ok(())
    }
}
