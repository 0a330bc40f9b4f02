//! The offline gazetteer: Norwegian places and those of the border areas, from GeoNames.
//!
//! The data file is built by `core/data/gazetteer/build.py` (its README says how and from
//! which data) and embedded in the library, so the nearest place works without network,
//! which is often the case where cars break down. It is parsed once, on first use, into an
//! R-tree of points on the unit sphere: the straight-line nearest neighbour of two unit
//! vectors is also the great-circle nearest, so the tree needs no special metric.

use std::sync::OnceLock;

use rstar::{AABB, PointDistance, RTree, RTreeObject};

/// The data's credit line, to show wherever the nearest place is shown (GeoNames' licence,
/// CC BY 4.0, asks for attribution).
pub const GAZETTEER_ATTRIBUTION: &str =
    "Stedsnavn: GeoNames (geonames.org), CC BY 4.0 / Place names: GeoNames, CC BY 4.0";

/// The file built by `build.py`; see its docstring for the layout.
static PLACES_BIN: &[u8] = include_bytes!("../../../data/gazetteer/places.bin");

const MAGIC: &[u8; 4] = b"LFG1";
const HEADER_LEN: usize = 16;
/// Coordinates are stored in units of 1e-5 degree.
const SCALE: f64 = 100_000.0;
const COUNTRIES: [&str; 4] = ["NO", "SE", "FI", "RU"];

/// Why the embedded data could not be read (a build mistake, never the member's doing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GazetteerError {
    /// The file does not start with the expected header.
    #[error("gazetteer data has a wrong header")]
    BadHeader,
    /// A record runs past the end of the file, or the file has bytes after the last one.
    #[error("gazetteer data is truncated or has trailing bytes")]
    Truncated,
    /// A record names an unknown country.
    #[error("gazetteer data names an unknown country")]
    BadCountry,
    /// A name is not UTF-8.
    #[error("gazetteer data has a name that is not UTF-8")]
    BadName,
}

/// One named place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The name as GeoNames gives it (the local spelling: Dombås, Tromsø, Nikel).
    pub name: String,
    /// ISO 3166 alpha-2 country code: `NO`, `SE`, `FI` or `RU`.
    pub country: &'static str,
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// The place on the unit sphere, for the tree.
    unit: [f64; 3],
}

impl RTreeObject for Place {
    type Envelope = AABB<[f64; 3]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.unit)
    }
}

impl PointDistance for Place {
    fn distance_2(&self, point: &[f64; 3]) -> f64 {
        let [x, y, z] = self.unit;
        (x - point[0]).powi(2) + (y - point[1]).powi(2) + (z - point[2]).powi(2)
    }
}

/// The places, indexed for nearest-neighbour look-ups.
#[derive(Debug)]
pub struct Gazetteer {
    tree: RTree<Place>,
}

impl Gazetteer {
    /// The embedded gazetteer, parsed on first use and kept for the life of the process.
    /// An error here means the embedded file is broken (a build mistake); it is returned,
    /// not panicked on, so the coordinates can still be shown.
    pub fn embedded() -> Result<&'static Gazetteer, GazetteerError> {
        static GAZETTEER: OnceLock<Result<Gazetteer, GazetteerError>> = OnceLock::new();
        GAZETTEER
            .get_or_init(|| Gazetteer::parse(PLACES_BIN))
            .as_ref()
            .map_err(|e| *e)
    }

    /// Parses a file in the layout `build.py` writes.
    pub fn parse(bytes: &[u8]) -> Result<Gazetteer, GazetteerError> {
        let header = bytes.get(..HEADER_LEN).ok_or(GazetteerError::BadHeader)?;
        if &header[..4] != MAGIC {
            return Err(GazetteerError::BadHeader);
        }
        let count = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let lat0 = i32::from_le_bytes([header[8], header[9], header[10], header[11]]);
        let lon0 = i32::from_le_bytes([header[12], header[13], header[14], header[15]]);
        let mut rest = &bytes[HEADER_LEN..];
        // never trust the count for an allocation larger than the file could hold
        let mut places = Vec::with_capacity(count.min(rest.len() / 9));
        for _ in 0..count {
            let (fixed, tail) = rest
                .split_first_chunk::<8>()
                .ok_or(GazetteerError::Truncated)?;
            let dlat = i64::from(u32::from_le_bytes([fixed[0], fixed[1], fixed[2], 0]));
            let dlon = i64::from(u32::from_le_bytes([fixed[3], fixed[4], fixed[5], 0]));
            let country = *COUNTRIES
                .get(usize::from(fixed[6]))
                .ok_or(GazetteerError::BadCountry)?;
            let len = usize::from(fixed[7]);
            let name = tail.get(..len).ok_or(GazetteerError::Truncated)?;
            let name = std::str::from_utf8(name).map_err(|_| GazetteerError::BadName)?;
            rest = &tail[len..];
            let latitude = (i64::from(lat0) + dlat) as f64 / SCALE;
            let longitude = (i64::from(lon0) + dlon) as f64 / SCALE;
            places.push(Place {
                name: name.to_owned(),
                country,
                latitude,
                longitude,
                unit: unit_vector(latitude, longitude),
            });
        }
        if !rest.is_empty() {
            return Err(GazetteerError::Truncated);
        }
        Ok(Gazetteer {
            tree: RTree::bulk_load(places),
        })
    }

    /// How many places it holds.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether it holds no place at all.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The place nearest to the position (by great-circle distance), if any.
    pub fn nearest(&self, latitude: f64, longitude: f64) -> Option<&Place> {
        self.tree
            .nearest_neighbor(&unit_vector(latitude, longitude))
    }

    /// The first place of that name, for tests and the demo.
    pub fn find(&self, name: &str) -> Option<&Place> {
        self.tree.iter().find(|p| p.name == name)
    }
}

/// The point on the unit sphere at that latitude and longitude.
fn unit_vector(latitude: f64, longitude: f64) -> [f64; 3] {
    let (lat, lon) = (latitude.to_radians(), longitude.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}
