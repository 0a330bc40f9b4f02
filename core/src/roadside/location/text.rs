//! Every word the location screen shows, in Bokmål, Nynorsk and English.
//!
//! A handful of fixed phrases with one or two numbers in them: kept as plain tables here
//! rather than a message-bundle file, so the formats stay pure functions with no loading.

use crate::Locale;

use super::formats::FormatKind;
use super::place::Compass;

/// The hemisphere letters: `N`/`S` for latitude, `Ø`/`V` (nb, nn) or `E`/`W` (en).
pub(crate) fn hemisphere(locale: Locale, value: f64, is_latitude: bool) -> &'static str {
    match (is_latitude, value < 0.0, locale) {
        (true, false, _) => "N",
        (true, true, _) => "S",
        (false, false, Locale::En) => "E",
        (false, true, Locale::En) => "W",
        (false, false, _) => "Ø",
        (false, true, _) => "V",
    }
}

/// The label above a format.
pub(crate) fn format_label(locale: Locale, kind: FormatKind) -> &'static str {
    match (kind, locale) {
        (FormatKind::DecimalDegrees, Locale::Nb) => "Desimalgrader",
        (FormatKind::DecimalDegrees, Locale::Nn) => "Desimalgradar",
        (FormatKind::DecimalDegrees, Locale::En) => "Decimal degrees",
        (FormatKind::DegreesMinutesSeconds, Locale::Nb) => "Grader, minutter og sekunder",
        (FormatKind::DegreesMinutesSeconds, Locale::Nn) => "Gradar, minutt og sekund",
        (FormatKind::DegreesMinutesSeconds, Locale::En) => "Degrees, minutes and seconds",
        (FormatKind::DegreesDecimalMinutes, Locale::Nb) => "Grader og desimalminutter",
        (FormatKind::DegreesDecimalMinutes, Locale::Nn) => "Gradar og desimalminutt",
        (FormatKind::DegreesDecimalMinutes, Locale::En) => "Degrees and decimal minutes",
        (FormatKind::Utm, Locale::Nb | Locale::Nn) => "UTM (EUREF89)",
        (FormatKind::Utm, Locale::En) => "UTM (EUREF89/WGS 84)",
    }
}

/// The 8-point compass letters: N NØ Ø SØ S SV V NV, or N NE E SE S SW W NW in English.
pub(crate) fn compass(locale: Locale, c: Compass) -> &'static str {
    let english = locale == Locale::En;
    match c {
        Compass::N => "N",
        Compass::Ne if english => "NE",
        Compass::Ne => "NØ",
        Compass::E if english => "E",
        Compass::E => "Ø",
        Compass::Se if english => "SE",
        Compass::Se => "SØ",
        Compass::S => "S",
        Compass::Sw if english => "SW",
        Compass::Sw => "SV",
        Compass::W if english => "W",
        Compass::W => "V",
        Compass::Nw if english => "NW",
        Compass::Nw => "NV",
    }
}

/// The heading above the nearest place.
pub(crate) fn nearest_place_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Nb => "Nærmeste sted",
        Locale::Nn => "Nærmaste stad",
        Locale::En => "Nearest place",
    }
}

/// `3,3 km NØ for Dombås` / `3.3 km NE of Dombås`; `distance` is already formatted.
pub(crate) fn place_offset(locale: Locale, distance: &str, direction: &str, place: &str) -> String {
    match locale {
        Locale::Nb | Locale::Nn => format!("{distance} {direction} for {place}"),
        Locale::En => format!("{distance} {direction} of {place}"),
    }
}

/// `ved Dombås` / `at Dombås`: the member is at the place itself.
pub(crate) fn place_at(locale: Locale, place: &str) -> String {
    match locale {
        Locale::Nb | Locale::Nn => format!("ved {place}"),
        Locale::En => format!("at {place}"),
    }
}

/// The country's name after a place outside Norway: `Nikel (Russland)`.
pub(crate) fn country(locale: Locale, code: &str) -> &'static str {
    match (code, locale) {
        ("SE", Locale::En) => "Sweden",
        ("SE", _) => "Sverige",
        ("FI", _) => "Finland",
        ("RU", Locale::En) => "Russia",
        ("RU", _) => "Russland",
        (_, Locale::En) => "Norway",
        (_, Locale::Nn) => "Noreg",
        (_, Locale::Nb) => "Norge",
    }
}

/// Warning: the fix is older than two minutes.
pub(crate) fn stale_warning(locale: Locale) -> &'static str {
    match locale {
        Locale::Nb => "Posisjonen er over to minutter gammel.",
        Locale::Nn => "Posisjonen er over to minutt gammal.",
        Locale::En => "The position is more than two minutes old.",
    }
}

/// Warning: the fix is less accurate than 100 m; `metres` is the accuracy, rounded.
pub(crate) fn inaccurate_warning(locale: Locale, metres: u64) -> String {
    match locale {
        Locale::Nb => format!("Posisjonen er unøyaktig (±{metres} m)."),
        Locale::Nn => format!("Posisjonen er unøyaktig (±{metres} m)."),
        Locale::En => format!("The position is inaccurate (±{metres} m)."),
    }
}

/// The first line of the SMS.
pub(crate) fn share_heading(locale: Locale) -> &'static str {
    match locale {
        Locale::Nb => "Min posisjon",
        Locale::Nn => "Posisjonen min",
        Locale::En => "My position",
    }
}

/// Why the certificate screen asks for the location, shown in the permission prompt.
pub(crate) fn permission_reason(locale: Locale) -> &'static str {
    match locale {
        Locale::Nb => {
            "LOfavør bruker posisjonen din bare mens veihjelpsbeviset er åpent, slik at du kan \
             si eller sende til redningstjenesten hvor du er. Appen følger deg aldri i bakgrunnen."
        }
        Locale::Nn => {
            "LOfavør brukar posisjonen din berre medan veghjelpsbeviset er ope, slik at du kan \
             seie eller sende til redningstenesta kvar du er. Appen følgjer deg aldri i bakgrunnen."
        }
        Locale::En => {
            "LOfavør uses your location only while the roadside-assistance certificate is open, \
             so you can tell or text the rescue service where you are. The app never follows \
             you in the background."
        }
    }
}

/// Why the field worker's scanner asks for the camera, shown in the permission prompt.
pub(crate) fn camera_reason(locale: Locale) -> &'static str {
    match locale {
        Locale::Nb => {
            "LOfavør bruker kameraet bare mens skanneren er åpen, for å lese QR-koden på et \
             veihjelpsbevis. Bildene lagres ikke og sendes ikke noe sted."
        }
        Locale::Nn => {
            "LOfavør brukar kameraet berre medan skannaren er open, for å lese QR-koden på eit \
             veghjelpsbevis. Bileta blir ikkje lagra og blir ikkje sende nokon stad."
        }
        Locale::En => {
            "LOfavør uses the camera only while the scanner is open, to read the QR code of a \
             roadside-assistance certificate. The pictures are not stored or sent anywhere."
        }
    }
}
