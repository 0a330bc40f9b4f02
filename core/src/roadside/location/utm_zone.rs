//! UTM in the zone Norwegian rescue services use.
//!
//! # The rule
//!
//! Norway maps in EUREF89 / UTM (EUREF89 and WGS 84 differ by well under a metre, below the
//! precision shown) and has decided to use only zones **32, 33 and 35**: the Norwegian
//! Mapping Authority (Kartverket) writes "Det er avgjort at sonene 32, 33 og 35 skal
//! brukast til kartlegging i Noreg" (Kartverket's page on map projections,
//! vannstand.no/Posisjonstjenester/Kartprojeksjoner), and the European CRS register's entry
//! for NO_ETRS89 / UTM (BKG, crs.bkg.bund.de) records the same: "extended zones 32, 33 and 35 … zone 34 was dropped
//! out, standard definition of UTM over 72° N are extended southwards to 56° N for zones
//! 33 and 35". Above 72° N the standard grid splits 33X | 35X at 21° E, so extending it
//! south gives the mainland rule used here:
//!
//! | longitude           | zone | covers, for example                           |
//! |---------------------|------|-----------------------------------------------|
//! | west of 12° E       | 32   | Southern Norway, Trøndelag (Dombås 32V)       |
//! | 12° E up to 21° E   | 33   | Nordland, Troms (Bodø, Tromsø 33W)            |
//! | 21° E and east      | 35   | Finnmark (Alta, Hammerfest, Kirkenes 35W)     |
//!
//! North of 72° N (Bjørnøya, Svalbard) zone 32 does not exist in the standard grid, so
//! everything west of 21° E is 33 there. The rule applies in the area the Norwegian rescue
//! services cover on land and in the border areas: 56° N to 84° N, 0° to 33° E (33° E is
//! where the standard zone 35X ends). A member outside that area (on holiday in Spain, say)
//! gets the standard UTM zone of their position, since a Norwegian zone there would be
//! hundreds of kilometres off its central meridian. UTM is not defined south of 80° S and
//! north of 84° N; there the UTM format is left out.
//!
//! The projection itself is the `utm` crate with the zone forced, not a hand-written
//! Transverse Mercator.

use std::fmt;

/// Zone 32 ends here (exclusive), as the standard 32V and 32W do.
const ZONE_32_EAST: f64 = 12.0;
/// Zone 33 ends here (exclusive): the 33X | 35X boundary extended south.
const ZONE_33_EAST: f64 = 21.0;
/// North of this there is no zone 32 in the standard grid (band X).
const BAND_X_SOUTH: f64 = 72.0;
/// Southern edge of the area where the Norwegian zone rule applies.
const NORWEGIAN_AREA_SOUTH: f64 = 56.0;
/// Eastern edge (exclusive) of that area: where the standard zone 35X ends.
const NORWEGIAN_AREA_EAST: f64 = 33.0;
/// UTM's own limits.
const UTM_SOUTH: f64 = -80.0;
const UTM_NORTH: f64 = 84.0;

/// A position in UTM: zone, latitude band and metres.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct UtmPosition {
    /// The zone number (32, 33 or 35 in the Norwegian area).
    pub zone: u8,
    /// The latitude band letter (`V` for 56–64° N, `W` for 64–72° N, ...).
    pub band: char,
    /// Metres east, with the zone's false easting of 500 000 m.
    pub easting_m: f64,
    /// Metres north of the equator (plus 10 000 000 m south of it).
    pub northing_m: f64,
}

impl fmt::Display for UtmPosition {
    /// `32V 506552 6882452`: zone and band, then easting and northing to the metre.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{} {:.0} {:.0}",
            self.zone,
            self.band,
            self.easting_m.round(),
            self.northing_m.round()
        )
    }
}

/// The zone a Norwegian dispatcher expects for this position (see the module's rule).
pub fn rescue_zone(latitude: f64, longitude: f64) -> u8 {
    let in_norwegian_area = (NORWEGIAN_AREA_SOUTH..=UTM_NORTH).contains(&latitude)
        && (0.0..NORWEGIAN_AREA_EAST).contains(&longitude);
    if !in_norwegian_area {
        // the standard zone, with its own exceptions (32V, Svalbard); 180° E is zone 60
        return utm::lat_lon_to_zone_number(latitude, longitude).clamp(1, 60);
    }
    if longitude >= ZONE_33_EAST {
        35
    } else if longitude >= ZONE_32_EAST || latitude >= BAND_X_SOUTH {
        33
    } else {
        32
    }
}

/// The position in UTM in its [`rescue_zone`], or `None` outside 80° S..84° N.
pub fn to_rescue_utm(latitude: f64, longitude: f64) -> Option<UtmPosition> {
    if !(UTM_SOUTH..=UTM_NORTH).contains(&latitude) {
        return None;
    }
    let band = utm::lat_to_zone_letter(latitude)?;
    let zone = rescue_zone(latitude, longitude);
    let (northing_m, easting_m, _convergence) = utm::to_utm_wgs84(latitude, longitude, zone);
    if !(northing_m.is_finite() && easting_m.is_finite()) {
        return None;
    }
    Some(UtmPosition {
        zone,
        band,
        easting_m,
        northing_m,
    })
}
