//! The member's location, written the ways a Norwegian rescue dispatcher uses.
//!
//! A member whose car broke down opens the roadside certificate; beside it the app shows
//! where they are, so they can read it out on the phone or send it by SMS. The shell hands
//! in a [`LocationFix`]; everything else happens here, in pure functions that need no
//! [`crate::Core`]: [`describe_location`] returns every format labelled in the member's
//! language, the nearest place in words ("3,3 km NØ for Dombås", from an offline
//! gazetteer), quality flags (stale, inaccurate) and a ready SMS with a `geo:` URI.
//!
//! Coordinates are personal data: they never appear in an error or a log line.
//!
//! Files: [`fix`] (input and validation), [`formats`] (degrees), [`utm_zone`] (UTM in the
//! Norwegian zone), [`gazetteer`] (the embedded place names), [`place`] (distance, bearing,
//! wording), [`quality`], [`share`], [`permission`], and `text` (the words in nb/nn/en).

pub mod fix;
pub mod formats;
pub mod gazetteer;
pub mod permission;
pub mod place;
pub mod quality;
pub mod share;
mod text;
pub mod utm_zone;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use crate::Locale;

pub use fix::{FixSource, LocationError, LocationFix};
pub use formats::{FormatKind, LabelledFormat};
pub use gazetteer::{GAZETTEER_ATTRIBUTION, Gazetteer, GazetteerError};
pub use permission::{
    Permission, PermissionRequest, camera_permission_request, location_permission_request,
};
pub use place::{Compass, NearestPlace};
pub use quality::QualityFlags;
pub use utm_zone::UtmPosition;

/// Everything the location panel of the certificate screen shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LocationReport {
    /// The formats, labelled, in order: decimal degrees, degrees-minutes-seconds, degrees
    /// and decimal minutes, UTM (left out only near the poles).
    pub formats: Vec<LabelledFormat>,
    /// The UTM position in the Norwegian rescue zone, as numbers, for a shell that draws its
    /// own layout; `None` where UTM is not defined.
    pub utm: Option<UtmPosition>,
    /// The nearest place within 100 km, in words; `None` far from any (at sea).
    pub nearest_place: Option<NearestPlace>,
    /// Whether the fix is stale or inaccurate, with warnings.
    pub quality: QualityFlags,
    /// `geo:` URI (RFC 5870) of the position, with its uncertainty.
    pub geo_uri: String,
    /// The SMS to send: all formats, the place, warnings and the `geo:` URI.
    pub share_text: String,
    /// The credit for the place names, to show under the nearest place.
    pub attribution: String,
}

/// Describes a fix for the member at time `now` in `locale`.
///
/// Pure: no I/O but the first-use parse of the embedded gazetteer. Fails only when the fix
/// itself is invalid (see [`LocationFix::validate`]). Should the embedded gazetteer be
/// unreadable, the report still comes back, without a nearest place: the coordinates are
/// what the member needs most.
pub fn describe_location(
    fix: &LocationFix,
    now: SystemTime,
    locale: Locale,
) -> Result<LocationReport, LocationError> {
    fix.validate()?;
    let (lat, lon) = (fix.latitude, fix.longitude);
    let utm = utm_zone::to_rescue_utm(lat, lon);
    let formats = formats::all(lat, lon, utm.as_ref(), locale);
    let nearest_place = match Gazetteer::embedded() {
        Ok(gazetteer) => place::nearest_place(gazetteer, lat, lon, locale),
        Err(e) => {
            log::warn!("nearest place unavailable: {e}");
            None
        }
    };
    let quality = quality::assess(fix, now, locale);
    let geo_uri = share::geo_uri(lat, lon, fix.accuracy_m);
    let share_text = share::sms(
        text::share_heading(locale),
        fix.accuracy_m,
        &formats,
        nearest_place.as_ref().map(|p| p.text.as_str()),
        &quality.warnings,
        &geo_uri,
    );
    Ok(LocationReport {
        formats,
        utm,
        nearest_place,
        quality,
        geo_uri,
        share_text,
        attribution: GAZETTEER_ATTRIBUTION.to_owned(),
    })
}
