//! The position written out in the formats a dispatcher may ask for.
//!
//! Degrees are written with a decimal point in every locale: that is how coordinates are
//! printed on Norwegian maps, nødplakater and in the dispatch systems, and a comma would
//! be confused with the separator between latitude and longitude. Only the distance in the
//! nearest-place text uses the Norwegian decimal comma.
//!
//! Each format rounds once, on an integer count of its smallest unit, so a value can never
//! come out as `60.0″` or `60.000′`: the carry goes into the minutes and degrees.

use crate::Locale;

use super::text;
use super::utm_zone::UtmPosition;

/// Which format a [`LabelledFormat`] holds; stable for shells that pick one by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormatKind {
    /// `62.07420° N, 9.12540° Ø`: five decimals, about a metre.
    DecimalDegrees,
    /// `62° 4′ 27.1″ N  9° 7′ 31.4″ Ø`: tenths of a second, about three metres.
    DegreesMinutesSeconds,
    /// `62° 4.452′ N  9° 7.524′ Ø`: thousandths of a minute, about two metres.
    DegreesDecimalMinutes,
    /// `32V 506552 6882452`: the Norwegian UTM zone, whole metres.
    Utm,
}

/// One format with its label, ready to show: the shell renders `label` above `value`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LabelledFormat {
    /// Which format this is.
    pub kind: FormatKind,
    /// The heading in the chosen language, e.g. `Desimalgrader`.
    pub label: String,
    /// The position in this format, e.g. `62.07420° N, 9.12540° Ø`.
    pub value: String,
}

/// `62.07420° N, 9.12540° Ø`.
pub fn decimal_degrees(latitude: f64, longitude: f64, locale: Locale) -> String {
    format!(
        "{:.5}° {}, {:.5}° {}",
        latitude.abs(),
        text::hemisphere(locale, latitude, true),
        longitude.abs(),
        text::hemisphere(locale, longitude, false),
    )
}

/// `62° 4′ 27.1″ N  9° 7′ 31.4″ Ø` (two spaces between latitude and longitude).
pub fn degrees_minutes_seconds(latitude: f64, longitude: f64, locale: Locale) -> String {
    format!(
        "{} {}  {} {}",
        dms(latitude),
        text::hemisphere(locale, latitude, true),
        dms(longitude),
        text::hemisphere(locale, longitude, false),
    )
}

/// `62° 4.452′ N  9° 7.524′ Ø` (two spaces between latitude and longitude).
pub fn degrees_decimal_minutes(latitude: f64, longitude: f64, locale: Locale) -> String {
    format!(
        "{} {}  {} {}",
        ddm(latitude),
        text::hemisphere(locale, latitude, true),
        ddm(longitude),
        text::hemisphere(locale, longitude, false),
    )
}

/// `|value|` as `D° M′ S.s″`, rounded to a tenth of a second.
fn dms(value: f64) -> String {
    // tenths of a second: 180° is 6 480 000, far inside u64
    let tenths = (value.abs() * 36_000.0).round() as u64;
    let degrees = tenths / 36_000;
    let minutes = tenths % 36_000 / 600;
    let seconds = tenths % 600;
    format!("{degrees}° {minutes}′ {}.{}″", seconds / 10, seconds % 10)
}

/// `|value|` as `D° M.mmm′`, rounded to a thousandth of a minute.
fn ddm(value: f64) -> String {
    let thousandths = (value.abs() * 60_000.0).round() as u64;
    let degrees = thousandths / 60_000;
    let minutes = thousandths % 60_000;
    format!("{degrees}° {}.{:03}′", minutes / 1000, minutes % 1000)
}

/// Every format, labelled, in a fixed order: decimal degrees, degrees-minutes-seconds,
/// degrees and decimal minutes, UTM. `utm` is `None` only near the poles, where UTM is not
/// defined; the UTM entry is then left out.
pub(crate) fn all(
    latitude: f64,
    longitude: f64,
    utm: Option<&UtmPosition>,
    locale: Locale,
) -> Vec<LabelledFormat> {
    let labelled = |kind, value| LabelledFormat {
        kind,
        label: text::format_label(locale, kind).to_owned(),
        value,
    };
    let mut formats = vec![
        labelled(
            FormatKind::DecimalDegrees,
            decimal_degrees(latitude, longitude, locale),
        ),
        labelled(
            FormatKind::DegreesMinutesSeconds,
            degrees_minutes_seconds(latitude, longitude, locale),
        ),
        labelled(
            FormatKind::DegreesDecimalMinutes,
            degrees_decimal_minutes(latitude, longitude, locale),
        ),
    ];
    if let Some(utm) = utm {
        formats.push(labelled(FormatKind::Utm, utm.to_string()));
    }
    formats
}
