//! What the pipeline reads from EXIF, and only that: the orientation (to turn the renditions
//! upright), the capture time (kept as evidence), and whether a GPS block was there (never
//! stored, logged or sent; the renditions carry no metadata at all).
//!
//! Only the JPEG's APP1 `Exif` segment is read: a segment is at most 64 KiB, so a hostile
//! block (huge counts, IFDs that point at each other) costs at most a parse of 64 KiB, and a
//! block that does not parse is ignored, never a refusal of the photo.

/// What EXIF said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExifFacts {
    /// EXIF orientation 1..=8 (1 when absent or invalid).
    pub orientation: u8,
    /// DateTimeOriginal as written (`YYYY:MM:DD HH:MM:SS`), if any.
    pub captured_at: Option<String>,
    /// Whether the photo carried a GPS block (dropped).
    pub had_gps: bool,
}

/// The APP1 `Exif\0\0` payload of a JPEG, if any, found by walking its header segments.
pub(crate) fn app1(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let segment = bytes.get(at + 4..at + 2 + length)?;
        if marker == 0xE1 && segment.starts_with(b"Exif\0\0") {
            return Some(&segment[6..]);
        }
        at += 2 + length;
    }
    None
}

/// Reads the facts from a JPEG (PNG: none).
pub fn read(bytes: &[u8]) -> ExifFacts {
    let Some(tiff) = app1(bytes) else {
        return ExifFacts {
            orientation: 1,
            ..ExifFacts::default()
        };
    };
    let Ok(exif) = exif::Reader::new().read_raw(tiff.to_vec()) else {
        return ExifFacts {
            orientation: 1,
            ..ExifFacts::default()
        };
    };
    let orientation = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
        .unwrap_or(1);
    let captured_at = exif
        .get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY)
        .and_then(|f| match &f.value {
            exif::Value::Ascii(parts) => parts
                .first()
                .and_then(|p| std::str::from_utf8(p).ok())
                .map(|s| s.trim_end_matches('\0').to_owned()),
            _ => None,
        })
        .filter(|s| s.len() == 19 && s.is_ascii());
    let had_gps = exif
        .fields()
        .any(|f| f.ifd_num == exif::In::PRIMARY && f.tag.context() == exif::Context::Gps);
    ExifFacts {
        orientation,
        captured_at,
        had_gps,
    }
}
