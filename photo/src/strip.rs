//! An original kept at the member's wish, without its metadata: every APPn segment but the
//! JFIF header (APP0) and the colour profile (APP2 `ICC_PROFILE`) is dropped, and with APP1 go
//! EXIF (GPS, camera serial, capture time) and XMP. The image data is copied untouched.

use crate::error::PhotoError;

/// `jpeg` without metadata segments.
pub fn strip_metadata(jpeg: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return Err(PhotoError::NotAnImage);
    }
    let mut out = Vec::with_capacity(jpeg.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut at = 2;
    loop {
        let (Some(&0xFF), Some(&marker)) = (jpeg.get(at), jpeg.get(at + 1)) else {
            return Err(PhotoError::Corrupt("a header segment is malformed"));
        };
        if marker == 0xDA {
            // Start of scan: the rest is image data, copied as it is.
            out.extend_from_slice(&jpeg[at..]);
            return Ok(out);
        }
        let length = match (jpeg.get(at + 2), jpeg.get(at + 3)) {
            (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err(PhotoError::Corrupt("cut off in a header")),
        };
        let segment = jpeg
            .get(at..at + 2 + length)
            .ok_or(PhotoError::Corrupt("cut off in a header"))?;
        let keep = match marker {
            0xE0 => true,
            0xE2 => segment.get(4..16) == Some(b"ICC_PROFILE\0".as_slice()),
            0xE1 | 0xE3..=0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(segment);
        }
        at += 2 + length;
    }
}
