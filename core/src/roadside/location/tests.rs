#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime};

use super::formats::{decimal_degrees, degrees_decimal_minutes, degrees_minutes_seconds};
use super::gazetteer::{Gazetteer, GazetteerError};
use super::place::{self, Compass};
use super::share::geo_uri;
use super::utm_zone::{rescue_zone, to_rescue_utm};
use super::*;

const NOW_SECS: u64 = 1_790_000_000;

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(NOW_SECS)
}

fn fix(latitude: f64, longitude: f64) -> LocationFix {
    LocationFix {
        latitude,
        longitude,
        accuracy_m: 8.0,
        time: now() - Duration::from_secs(5),
        source: FixSource::Gps,
    }
}

/// The point `distance_m` from a start along `bearing_deg` on the sphere (the direct
/// problem), to put test points at a known offset from a place.
fn destination(lat: f64, lon: f64, bearing_deg: f64, distance_m: f64) -> (f64, f64) {
    let d = distance_m / 6_371_008.8;
    let (p1, l1, b) = (lat.to_radians(), lon.to_radians(), bearing_deg.to_radians());
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * b.cos()).asin();
    let l2 = l1 + (b.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    (p2.to_degrees(), l2.to_degrees())
}

// ---- validation -------------------------------------------------------------------------

#[test]
fn invalid_fixes_are_refused_with_typed_errors_that_carry_no_coordinates() {
    let cases = [
        (f64::NAN, 9.0, 5.0, LocationError::NotFinite),
        (62.0, f64::INFINITY, 5.0, LocationError::NotFinite),
        (62.0, 9.0, f64::NAN, LocationError::NotFinite),
        (90.5, 9.0, 5.0, LocationError::LatitudeOutOfRange),
        (-91.0, 9.0, 5.0, LocationError::LatitudeOutOfRange),
        (62.0, 180.25, 5.0, LocationError::LongitudeOutOfRange),
        (62.0, -181.0, 5.0, LocationError::LongitudeOutOfRange),
        (62.0, 9.0, -1.0, LocationError::NegativeAccuracy),
    ];
    for (lat, lon, acc, expected) in cases {
        let f = LocationFix {
            accuracy_m: acc,
            ..fix(lat, lon)
        };
        let err = describe_location(&f, now(), Locale::Nb).unwrap_err();
        assert_eq!(err, expected);
        let message = err.to_string();
        // no number at all, so never the value that came in
        assert!(!message.chars().any(|c| c.is_ascii_digit()), "{message}");
    }
    // the edges are valid
    for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0)] {
        assert!(fix(lat, lon).validate().is_ok());
    }
}

// ---- UTM -------------------------------------------------------------------------------

#[test]
fn utm_matches_the_acceptance_figures_to_the_metre() {
    // (lat, lon, expected text, pyproj easting, pyproj northing)
    let cases = [
        (
            62.0742,
            9.1254,
            "32V 506552 6882452",
            506552.130,
            6882452.482,
        ),
        (
            69.6496,
            18.9560,
            "33W 653445 7731767",
            653445.420,
            7731767.366,
        ),
        (
            69.7271,
            30.0450,
            "35W 617708 7738375",
            617707.873,
            7738375.416,
        ),
    ];
    for (lat, lon, text, easting, northing) in cases {
        let utm = to_rescue_utm(lat, lon).unwrap();
        assert_eq!(utm.to_string(), text);
        assert!((utm.easting_m - easting).abs() < 0.01, "{}", utm.easting_m);
        assert!(
            (utm.northing_m - northing).abs() < 0.01,
            "{}",
            utm.northing_m
        );
    }
}

#[test]
fn utm_uses_the_norwegian_zone_even_where_the_standard_zone_differs() {
    // Tromsø is in standard zone 34 and Kirkenes in 36; Norway shows them in 33 and 35
    assert_eq!(utm::lat_lon_to_zone_number(69.6496, 18.9560), 34);
    assert_eq!(rescue_zone(69.6496, 18.9560), 33);
    assert_eq!(utm::lat_lon_to_zone_number(69.7271, 30.0450), 36);
    assert_eq!(rescue_zone(69.7271, 30.0450), 35);
    // (lat, lon, zone, pyproj easting, pyproj northing)
    let cases = [
        (69.9689, 23.2717, 35, 357551.011, 7766761.141), // Alta: standard 34
        (60.39299, 5.32415, 32, 297477.307, 6700830.063), // Bergen, in 32V's widening
        (67.2804, 14.4049, 33, 474351.684, 7462761.730), // Bodø
        (78.2232, 15.6267, 33, 514278.715, 8683355.469), // Longyearbyen, 33X
    ];
    for (lat, lon, zone, easting, northing) in cases {
        let utm = to_rescue_utm(lat, lon).unwrap();
        assert_eq!(utm.zone, zone, "{lat} {lon}");
        assert!((utm.easting_m - easting).abs() < 0.01);
        assert!((utm.northing_m - northing).abs() < 0.01);
    }
    // only 32, 33 and 35 anywhere in the Norwegian area
    for lat in (56..84).map(f64::from) {
        for lon in (0..33).map(|l| f64::from(l) + 0.5) {
            assert!([32, 33, 35].contains(&rescue_zone(lat, lon)), "{lat} {lon}");
        }
    }
    // the boundaries
    assert_eq!(rescue_zone(65.0, 11.999), 32);
    assert_eq!(rescue_zone(65.0, 12.0), 33);
    assert_eq!(rescue_zone(70.0, 20.999), 33);
    assert_eq!(rescue_zone(70.0, 21.0), 35);
    assert_eq!(rescue_zone(78.9, 11.9), 33); // Ny-Ålesund: no zone 32 north of 72° N
}

#[test]
fn utm_outside_the_norwegian_area_uses_the_standard_zone_and_hemisphere() {
    assert_eq!(rescue_zone(40.4168, -3.7038), 30); // Madrid
    assert_eq!(rescue_zone(0.0, 180.0), 60);
    let cape_town = to_rescue_utm(-33.92487, 18.42406).unwrap();
    assert_eq!(cape_town.to_string(), "34H 261878 6243186");
    assert!(to_rescue_utm(84.5, 10.0).is_none());
    assert!(to_rescue_utm(-80.5, 10.0).is_none());
    let report = describe_location(&fix(85.0, 10.0), now(), Locale::Nb).unwrap();
    assert!(report.utm.is_none());
    assert_eq!(report.formats.len(), 3);
}

#[test]
fn utm_band_letters_follow_latitude() {
    let band = |lat| to_rescue_utm(lat, 10.0).unwrap().band;
    assert_eq!(band(55.9), 'U');
    assert_eq!(band(56.0), 'V');
    assert_eq!(band(63.99), 'V');
    assert_eq!(band(64.0), 'W');
    assert_eq!(band(71.99), 'W');
    assert_eq!(band(72.0), 'X');
    assert_eq!(band(84.0), 'X');
    assert_eq!(band(-33.9), 'H');
}

// ---- degrees ---------------------------------------------------------------------------

#[test]
fn degree_formats_match_the_examples() {
    let (lat, lon) = (62.0742, 9.1254);
    assert_eq!(
        decimal_degrees(lat, lon, Locale::Nb),
        "62.07420° N, 9.12540° Ø"
    );
    assert_eq!(
        decimal_degrees(lat, lon, Locale::En),
        "62.07420° N, 9.12540° E"
    );
    assert_eq!(
        degrees_minutes_seconds(lat, lon, Locale::Nb),
        "62° 4′ 27.1″ N  9° 7′ 31.4″ Ø"
    );
    assert_eq!(
        degrees_decimal_minutes(lat, lon, Locale::Nn),
        "62° 4.452′ N  9° 7.524′ Ø"
    );
    assert_eq!(
        degrees_decimal_minutes(-33.5, -70.25, Locale::Nb),
        "33° 30.000′ S  70° 15.000′ V"
    );
    assert_eq!(
        decimal_degrees(-33.5, -70.25, Locale::En),
        "33.50000° S, 70.25000° W"
    );
}

#[test]
fn rounding_carries_into_minutes_and_degrees() {
    assert_eq!(
        degrees_minutes_seconds(59.999_999, 10.999_99, Locale::Nb),
        "60° 0′ 0.0″ N  11° 0′ 0.0″ Ø"
    );
    assert_eq!(
        degrees_decimal_minutes(59.999_999_9, 9.999_999_9, Locale::Nb),
        "60° 0.000′ N  10° 0.000′ Ø"
    );
}

/// Reads `D° M′ S.s″ H` or `D° M.mmm′ H` back into signed degrees.
fn parse_sexagesimal(part: &str) -> f64 {
    let mut degrees = 0.0;
    let mut sign = 1.0;
    for token in part.split_whitespace() {
        if let Some(d) = token.strip_suffix('°') {
            degrees += d.parse::<f64>().unwrap();
        } else if let Some(m) = token.strip_suffix('′') {
            degrees += m.parse::<f64>().unwrap() / 60.0;
        } else if let Some(s) = token.strip_suffix('″') {
            degrees += s.parse::<f64>().unwrap() / 3600.0;
        } else if ["S", "V", "W"].contains(&token) {
            sign = -1.0;
        }
    }
    sign * degrees
}

#[test]
fn dms_and_ddm_round_trip_within_their_precision() {
    let mut worst_dms: f64 = 0.0;
    let mut worst_ddm: f64 = 0.0;
    // a deterministic spread over the globe, including negative values
    for i in 0..2000 {
        let lat = -89.9 + (f64::from(i) * 0.0899).rem_euclid(179.8);
        let lon = -179.9 + (f64::from(i) * 7.31).rem_euclid(359.8);
        for locale in [Locale::Nb, Locale::En] {
            let dms = degrees_minutes_seconds(lat, lon, locale);
            let (a, b) = dms.split_once("  ").unwrap();
            worst_dms = worst_dms.max((parse_sexagesimal(a) - lat).abs());
            worst_dms = worst_dms.max((parse_sexagesimal(b) - lon).abs());
            let ddm = degrees_decimal_minutes(lat, lon, locale);
            let (a, b) = ddm.split_once("  ").unwrap();
            worst_ddm = worst_ddm.max((parse_sexagesimal(a) - lat).abs());
            worst_ddm = worst_ddm.max((parse_sexagesimal(b) - lon).abs());
        }
    }
    // half a unit of the last digit: 0.05″ and 0.0005′
    assert!(worst_dms <= 0.05 / 3600.0 + 1e-12, "{worst_dms}");
    assert!(worst_ddm <= 0.0005 / 60.0 + 1e-12, "{worst_ddm}");
    // and the round trip is not trivially exact: the precision is really used
    assert!(worst_dms > 0.04 / 3600.0);
}

// ---- gazetteer and the nearest place ---------------------------------------------------

#[test]
fn embedded_gazetteer_holds_norway_and_the_border_areas() {
    let g = Gazetteer::embedded().unwrap();
    assert!(g.len() > 600, "{}", g.len());
    let dombas = g.find("Dombås").unwrap();
    assert_eq!(dombas.country, "NO");
    // GeoNames: 62.07554, 9.12785; quantised to 1e-5 degree
    assert!((dombas.latitude - 62.07554).abs() < 1e-9);
    assert!((dombas.longitude - 9.12785).abs() < 1e-9);
    for (name, country) in [
        ("Tromsø", "NO"),
        ("Kirkenes", "NO"),
        ("Nikel", "RU"),
        ("Strömstad", "SE"),
        ("Utsjoki", "FI"),
    ] {
        assert_eq!(g.find(name).map(|p| p.country), Some(country), "{name}");
    }
    // far from Norway: not in it
    assert!(g.find("Stockholm").is_none());
    assert!(g.find("Helsinki").is_none());
}

#[test]
fn a_point_3_3_km_north_east_of_dombas_says_so_in_each_language() {
    let dombas = Gazetteer::embedded()
        .unwrap()
        .find("Dombås")
        .unwrap()
        .clone();
    let (lat, lon) = destination(dombas.latitude, dombas.longitude, 45.0, 3300.0);
    let text = |locale| {
        describe_location(&fix(lat, lon), now(), locale)
            .unwrap()
            .nearest_place
            .unwrap()
            .text
    };
    assert_eq!(text(Locale::Nb), "3,3 km NØ for Dombås");
    assert_eq!(text(Locale::Nn), "3,3 km NØ for Dombås");
    assert_eq!(text(Locale::En), "3.3 km NE of Dombås");
    let report = describe_location(&fix(lat, lon), now(), Locale::Nb).unwrap();
    let place = report.nearest_place.unwrap();
    assert!(
        (place.distance_m - 3300.0).abs() < 1.0,
        "{}",
        place.distance_m
    );
    assert!(
        (place.bearing_deg - 45.0).abs() < 0.01,
        "{}",
        place.bearing_deg
    );
    assert_eq!(place.compass, Compass::Ne);
    assert_eq!(place.label, "Nærmeste sted");
}

#[test]
fn close_to_a_place_says_at_it_and_far_uses_whole_kilometres() {
    let dombas = Gazetteer::embedded()
        .unwrap()
        .find("Dombås")
        .unwrap()
        .clone();
    let near = destination(dombas.latitude, dombas.longitude, 200.0, 300.0);
    let g = Gazetteer::embedded().unwrap();
    let at = |locale| {
        place::nearest_place(g, near.0, near.1, locale)
            .unwrap()
            .text
    };
    assert_eq!(at(Locale::Nb), "ved Dombås");
    assert_eq!(at(Locale::En), "at Dombås");
    // 12.4 km south-west of Dombås is still nearest to it (the next places are 20+ km off)
    let far = destination(dombas.latitude, dombas.longitude, 225.0, 12_400.0);
    let p = place::nearest_place(g, far.0, far.1, Locale::Nb).unwrap();
    assert_eq!(p.name, "Dombås");
    assert_eq!(p.text, "12 km SV for Dombås");
}

#[test]
fn tromso_and_kirkenes_points_name_their_towns() {
    let name = |lat, lon| {
        describe_location(&fix(lat, lon), now(), Locale::Nb)
            .unwrap()
            .nearest_place
            .unwrap()
    };
    let tromso = name(69.6496, 18.9560);
    assert_eq!(tromso.name, "Tromsø");
    assert_eq!(tromso.text, "ved Tromsø");
    let kirkenes = name(69.7271, 30.0450);
    assert_eq!(kirkenes.name, "Kirkenes");
    assert!(kirkenes.distance_m < 500.0, "{}", kirkenes.distance_m);
}

#[test]
fn a_place_across_the_border_names_its_country() {
    let g = Gazetteer::embedded().unwrap();
    let nikel = g.find("Nikel").unwrap().clone();
    let (lat, lon) = destination(nikel.latitude, nikel.longitude, 180.0, 2000.0);
    assert_eq!(
        place::nearest_place(g, lat, lon, Locale::Nb).unwrap().text,
        "2,0 km S for Nikel (Russland)"
    );
    assert_eq!(
        place::nearest_place(g, lat, lon, Locale::En).unwrap().text,
        "2.0 km S of Nikel (Russia)"
    );
}

#[test]
fn the_open_sea_far_from_any_place_has_no_nearest_place() {
    // the Norwegian Sea, some 300 km off the coast of Helgeland
    let report = describe_location(&fix(66.0, 6.0), now(), Locale::Nb).unwrap();
    assert!(report.nearest_place.is_none());
    // the coordinates are still all there
    assert_eq!(report.formats.len(), 4);
    assert!(!report.share_text.contains(" for "));
}

#[test]
fn distance_and_bearing_are_great_circle() {
    // one degree of latitude on the mean sphere
    let d = place::distance_m(60.0, 10.0, 61.0, 10.0);
    assert!((d - 111_195.08).abs() < 0.1, "{d}");
    assert!((place::initial_bearing_deg(60.0, 10.0, 61.0, 10.0)).abs() < 1e-9);
    // due east along the equator, and the initial bearing of a great circle at high
    // latitude is not the rhumb line's 90°
    assert!((place::initial_bearing_deg(0.0, 10.0, 0.0, 11.0) - 90.0).abs() < 1e-9);
    let b = place::initial_bearing_deg(70.0, 10.0, 70.0, 30.0);
    assert!(b < 82.0 && b > 79.0, "{b}");
    assert!((place::initial_bearing_deg(61.0, 10.0, 60.0, 10.0) - 180.0).abs() < 1e-9);
}

#[test]
fn compass_points_split_at_half_sectors() {
    let cases = [
        (0.0, Compass::N),
        (22.4, Compass::N),
        (22.6, Compass::Ne),
        (90.0, Compass::E),
        (135.0, Compass::Se),
        (200.0, Compass::S),
        (225.0, Compass::Sw),
        (290.0, Compass::W),
        (300.0, Compass::Nw),
        (337.4, Compass::Nw),
        (337.6, Compass::N),
        (359.9, Compass::N),
        (-45.0, Compass::Nw),
    ];
    for (bearing, expected) in cases {
        assert_eq!(Compass::from_bearing(bearing), expected, "{bearing}");
    }
}

#[test]
fn broken_gazetteer_data_is_a_typed_error() {
    fn file(records: &[u8], count: u32) -> Vec<u8> {
        let mut b = b"LFG1".to_vec();
        b.extend_from_slice(&count.to_le_bytes());
        b.extend_from_slice(&6_000_000i32.to_le_bytes());
        b.extend_from_slice(&500_000i32.to_le_bytes());
        b.extend_from_slice(records);
        b
    }
    let good = [1, 0, 0, 2, 0, 0, 0, 2, b'O', b'k'];
    let g = Gazetteer::parse(&file(&good, 1)).unwrap();
    let only = g.nearest(60.0, 5.0).unwrap();
    assert_eq!(only.name, "Ok");
    assert!((only.latitude - 60.00001).abs() < 1e-9);
    assert!((only.longitude - 5.00002).abs() < 1e-9);

    assert_eq!(
        Gazetteer::parse(b"NOPE").unwrap_err(),
        GazetteerError::BadHeader
    );
    let mut wrong_magic = file(&good, 1);
    wrong_magic[0] = b'X';
    assert_eq!(
        Gazetteer::parse(&wrong_magic).unwrap_err(),
        GazetteerError::BadHeader
    );
    assert_eq!(
        Gazetteer::parse(&file(&good, 2)).unwrap_err(),
        GazetteerError::Truncated
    );
    assert_eq!(
        Gazetteer::parse(&file(&good[..9], 1)).unwrap_err(),
        GazetteerError::Truncated
    );
    assert_eq!(
        Gazetteer::parse(&file(&[good.as_slice(), &[0]].concat(), 1)).unwrap_err(),
        GazetteerError::Truncated
    );
    let mut bad_country = good;
    bad_country[6] = 9;
    assert_eq!(
        Gazetteer::parse(&file(&bad_country, 1)).unwrap_err(),
        GazetteerError::BadCountry
    );
    let mut bad_name = good;
    bad_name[8] = 0xff;
    assert_eq!(
        Gazetteer::parse(&file(&bad_name, 1)).unwrap_err(),
        GazetteerError::BadName
    );
    // a huge count in a tiny file is refused without a huge allocation
    assert_eq!(
        Gazetteer::parse(&file(&good, u32::MAX)).unwrap_err(),
        GazetteerError::Truncated
    );
}

// ---- quality ---------------------------------------------------------------------------

#[test]
fn old_or_vague_fixes_are_flagged_with_a_warning_in_the_locale() {
    let at_age = |secs: u64, accuracy_m: f64, locale| {
        let f = LocationFix {
            accuracy_m,
            time: now() - Duration::from_secs(secs),
            ..fix(62.0742, 9.1254)
        };
        describe_location(&f, now(), locale).unwrap().quality
    };
    let good = at_age(120, 100.0, Locale::Nb);
    assert!(!good.stale && !good.inaccurate && good.warnings.is_empty());
    assert_eq!(good.age_s, 120);

    let stale = at_age(121, 10.0, Locale::Nb);
    assert!(stale.stale && !stale.inaccurate);
    assert_eq!(stale.warnings, ["Posisjonen er over to minutter gammel."]);

    let vague = at_age(0, 1234.4, Locale::En);
    assert!(vague.inaccurate && !vague.stale);
    assert_eq!(vague.warnings, ["The position is inaccurate (±1234 m)."]);

    let both = at_age(600, 150.0, Locale::Nn);
    assert_eq!(
        both.warnings,
        [
            "Posisjonen er over to minutt gammal.",
            "Posisjonen er unøyaktig (±150 m)."
        ]
    );

    // a fix stamped ahead of `now` (clock difference) is not stale
    let ahead = LocationFix {
        time: now() + Duration::from_secs(30),
        ..fix(62.0742, 9.1254)
    };
    let q = describe_location(&ahead, now(), Locale::Nb)
        .unwrap()
        .quality;
    assert!(!q.stale);
    assert_eq!(q.age_s, 0);
}

// ---- sharing ---------------------------------------------------------------------------

#[test]
fn geo_uri_follows_rfc_5870() {
    assert_eq!(geo_uri(62.0742, 9.1254, 35.0), "geo:62.07420,9.12540;u=35");
    assert_eq!(geo_uri(62.0742, 9.1254, 7.2), "geo:62.07420,9.12540;u=8");
    assert_eq!(geo_uri(-33.5, -70.25, 0.0), "geo:-33.50000,-70.25000");
    assert_eq!(geo_uri(-0.0, 0.0, 0.0), "geo:0.00000,0.00000");
}

#[test]
fn share_text_has_every_format_the_place_and_the_uri_and_fits_an_sms() {
    let dombas = Gazetteer::embedded()
        .unwrap()
        .find("Dombås")
        .unwrap()
        .clone();
    let (lat, lon) = destination(dombas.latitude, dombas.longitude, 45.0, 3300.0);
    for locale in [Locale::Nb, Locale::Nn, Locale::En] {
        // the longest case: a warning for each flag
        let f = LocationFix {
            accuracy_m: 250.0,
            time: now() - Duration::from_secs(600),
            ..fix(lat, lon)
        };
        let report = describe_location(&f, now(), locale).unwrap();
        let sms = &report.share_text;
        for format in &report.formats {
            assert!(sms.contains(&format.value), "{sms}");
        }
        assert!(sms.contains(&report.nearest_place.as_ref().unwrap().text));
        assert!(sms.ends_with(&report.geo_uri), "{sms}");
        for warning in &report.quality.warnings {
            assert!(sms.contains(warning.as_str()));
        }
        let chars = sms.chars().count();
        assert!(chars <= 320, "{chars}: {sms}");
    }
    let nb = describe_location(&fix(lat, lon), now(), Locale::Nb).unwrap();
    assert!(
        nb.share_text.starts_with("Min posisjon (±8 m):\n"),
        "{}",
        nb.share_text
    );
    assert!(nb.share_text.contains("\nUTM 32V "));
}

#[test]
fn labels_follow_the_locale() {
    let labels = |locale| {
        describe_location(&fix(62.0742, 9.1254), now(), locale)
            .unwrap()
            .formats
            .into_iter()
            .map(|f| (f.kind, f.label))
            .collect::<Vec<_>>()
    };
    let nb = labels(Locale::Nb);
    assert_eq!(
        nb.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        [
            FormatKind::DecimalDegrees,
            FormatKind::DegreesMinutesSeconds,
            FormatKind::DegreesDecimalMinutes,
            FormatKind::Utm
        ]
    );
    assert_eq!(nb[0].1, "Desimalgrader");
    assert_eq!(labels(Locale::Nn)[0].1, "Desimalgradar");
    assert_eq!(labels(Locale::En)[0].1, "Decimal degrees");
    assert_ne!(labels(Locale::Nb)[1].1, labels(Locale::Nn)[1].1);
}

// ---- permission ------------------------------------------------------------------------

#[test]
fn the_certificate_asks_for_location_when_in_use_only() {
    for (locale, background_word) in [
        (Locale::Nb, "bakgrunnen"),
        (Locale::Nn, "bakgrunnen"),
        (Locale::En, "background"),
    ] {
        let request = location_permission_request(locale);
        assert_eq!(request.permission, Permission::LocationWhenInUse);
        assert!(request.precise);
        assert!(
            request.reason.contains(background_word),
            "{}",
            request.reason
        );
    }
    assert_ne!(
        location_permission_request(Locale::Nb).reason,
        location_permission_request(Locale::Nn).reason
    );
}

#[test]
fn the_scanner_asks_for_the_camera_with_its_own_reason_in_each_language() {
    let reasons: Vec<String> = [Locale::Nb, Locale::Nn, Locale::En]
        .into_iter()
        .map(|locale| {
            let request = camera_permission_request(locale);
            assert_eq!(request.permission, Permission::CameraWhileScanning);
            assert!(!request.precise);
            request.reason
        })
        .collect();
    assert!(reasons[0].contains("kameraet") && reasons[2].contains("camera"));
    assert_ne!(reasons[0], reasons[1]);
    // Not the location text: each prompt says why it asks for what it asks for.
    assert_ne!(reasons[0], location_permission_request(Locale::Nb).reason);
}

#[test]
fn attribution_credits_geonames_under_cc_by() {
    let report = describe_location(&fix(62.0742, 9.1254), now(), Locale::Nb).unwrap();
    assert!(report.attribution.contains("GeoNames"));
    assert!(report.attribution.contains("CC BY 4.0"));
}
