//! "3,3 km NØ for Dombås": where the member is, in words, from the nearest place.
//!
//! Distance is the great-circle (haversine) distance on a sphere of the Earth's mean radius;
//! the direction is the initial bearing *from the place to the member*, so "NØ for Dombås"
//! means the member is north-east of Dombås, which is how a dispatcher reads it.
//!
//! Wording, decided here:
//! * under 0.5 km the member is "ved Dombås" / "at Dombås": a direction over a few hundred
//!   metres from a town's registered point says nothing useful;
//! * under 10 km the distance has one decimal ("3,3 km"; decimal comma in nb and nn);
//! * from 10 km whole kilometres ("23 km");
//! * beyond [`MAX_PLACE_DISTANCE_M`] (100 km) there is no nearest place: at sea or deep in
//!   the mountains "140 km V for Florø" is more confusing than helpful, and the
//!   coordinates say it all.
//!
//! A place outside Norway gets its country after it: "4,1 km SV for Nikel (Russland)".

use crate::Locale;

use super::gazetteer::{Gazetteer, Place};
use super::text;

/// Mean Earth radius (IUGG), metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Within this the member is "at" the place.
pub const AT_PLACE_M: f64 = 500.0;
/// Beyond this no place is named.
pub const MAX_PLACE_DISTANCE_M: f64 = 100_000.0;

/// The eight compass points (serialised as `N`, `NE`, ... whatever the locale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
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

impl Compass {
    /// The compass point nearest to a bearing in degrees (0 = north, clockwise).
    pub fn from_bearing(degrees: f64) -> Compass {
        const POINTS: [Compass; 8] = [
            Compass::N,
            Compass::Ne,
            Compass::E,
            Compass::Se,
            Compass::S,
            Compass::Sw,
            Compass::W,
            Compass::Nw,
        ];
        let sector = (degrees.rem_euclid(360.0) / 45.0).round() as usize % 8;
        POINTS[sector]
    }
}

/// The nearest named place and where the member is from it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NearestPlace {
    /// The heading to show above it: `Nærmeste sted` / `Nærmaste stad` / `Nearest place`.
    pub label: String,
    /// The place's name, e.g. `Dombås`.
    pub name: String,
    /// ISO 3166 alpha-2 country code of the place: `NO`, `SE`, `FI` or `RU`.
    pub country: String,
    /// Great-circle distance from the place to the member, metres.
    pub distance_m: f64,
    /// Initial bearing from the place to the member, degrees clockwise from north.
    pub bearing_deg: f64,
    /// The bearing as one of eight compass points.
    pub compass: Compass,
    /// The sentence to show or say, e.g. `3,3 km NØ for Dombås`.
    pub text: String,
}

/// Great-circle distance in metres between two positions (haversine).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Initial bearing in degrees (0..360, clockwise from north) of the great circle from the
/// first position to the second.
pub fn initial_bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

/// The nearest place within [`MAX_PLACE_DISTANCE_M`], described in the locale.
pub fn nearest_place(
    gazetteer: &Gazetteer,
    latitude: f64,
    longitude: f64,
    locale: Locale,
) -> Option<NearestPlace> {
    let place = gazetteer.nearest(latitude, longitude)?;
    describe(place, latitude, longitude, locale)
}

/// Where the member is from `place`, or `None` if it is too far to help.
pub(crate) fn describe(
    place: &Place,
    latitude: f64,
    longitude: f64,
    locale: Locale,
) -> Option<NearestPlace> {
    let distance = distance_m(place.latitude, place.longitude, latitude, longitude);
    if distance > MAX_PLACE_DISTANCE_M {
        return None;
    }
    let bearing = initial_bearing_deg(place.latitude, place.longitude, latitude, longitude);
    let compass = Compass::from_bearing(bearing);
    let name = if place.country == "NO" {
        place.name.clone()
    } else {
        format!("{} ({})", place.name, text::country(locale, place.country))
    };
    let sentence = if distance < AT_PLACE_M {
        text::place_at(locale, &name)
    } else {
        text::place_offset(
            locale,
            &format_km(distance, locale),
            text::compass(locale, compass),
            &name,
        )
    };
    Some(NearestPlace {
        label: text::nearest_place_label(locale).to_owned(),
        name: place.name.clone(),
        country: place.country.to_owned(),
        distance_m: distance,
        bearing_deg: bearing,
        compass,
        text: sentence,
    })
}

/// `3,3 km` (one decimal under 10 km, decimal comma in nb/nn) or `23 km`.
fn format_km(distance_m: f64, locale: Locale) -> String {
    let km = distance_m / 1000.0;
    // round once, then decide the notation on the rounded value (9.96 km is "10 km")
    let tenths = (km * 10.0).round() as u64;
    if tenths < 100 {
        let separator = if locale == Locale::En { '.' } else { ',' };
        format!("{}{separator}{} km", tenths / 10, tenths % 10)
    } else {
        format!("{} km", km.round() as u64)
    }
}
