//! The header, read before anything is decoded: the format and the size the image claims,
//! refused in microseconds when it is too large, so a 692-byte JPEG that claims
//! 60 000 × 60 000 px costs nothing.

use crate::error::PhotoError;

/// The limits an import enforces before decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest side, px.
    pub max_side: u32,
    /// Most pixels.
    pub max_pixels: u64,
    /// Most bytes of input.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_side: 16_384,
            max_pixels: 200_000_000,
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// An image format the pipeline takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG (baseline or progressive).
    Jpeg,
    /// PNG.
    Png,
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The format.
    pub format: Format,
    /// Width as stored (before EXIF orientation).
    pub width: u32,
    /// Height as stored.
    pub height: u32,
}

/// Reads the header of `bytes` and checks it against `limits`.
pub fn probe(bytes: &[u8], limits: &Limits) -> Result<Header, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let header = if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_size(bytes)?
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_size(bytes)?
    } else if is_heif(bytes) {
        return Err(PhotoError::Heic);
    } else {
        return Err(PhotoError::NotAnImage);
    };
    if header.width == 0 || header.height == 0 {
        return Err(PhotoError::Corrupt("zero width or height"));
    }
    if header.width > limits.max_side || header.height > limits.max_side {
        return Err(PhotoError::SideTooLong {
            width: header.width,
            height: header.height,
            max: limits.max_side,
        });
    }
    let pixels = u64::from(header.width) * u64::from(header.height);
    if pixels > limits.max_pixels {
        return Err(PhotoError::TooManyPixels {
            megapixels: pixels / 1_000_000,
            max: limits.max_pixels / 1_000_000,
        });
    }
    Ok(header)
}

/// An ISO base-media file whose brand is HEIC/HEIF/AVIF-like (`ftyp` box).
fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1"
        )
}

/// The size in the first start-of-frame marker, walking the segments by their lengths.
fn jpeg_size(bytes: &[u8]) -> Result<Header, PhotoError> {
    let mut at = 2;
    loop {
        // Markers may be padded with 0xFF fill bytes.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Err(PhotoError::Corrupt("no frame header"));
        };
        at += 2;
        match marker {
            // Standalone markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return Err(PhotoError::Corrupt("no frame header before the data")),
            _ => {}
        }
        let length = match (bytes.get(at), bytes.get(at + 1)) {
            (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err(PhotoError::Corrupt("cut off in a header")),
        };
        if length < 2 {
            return Err(PhotoError::Corrupt("a header segment is too short"));
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let segment = bytes
                .get(at + 2..at + length)
                .ok_or(PhotoError::Corrupt("cut off in the frame header"))?;
            if segment.len() < 5 {
                return Err(PhotoError::Corrupt("the frame header is too short"));
            }
            let height = u32::from(u16::from_be_bytes([segment[1], segment[2]]));
            let width = u32::from(u16::from_be_bytes([segment[3], segment[4]]));
            return Ok(Header {
                format: Format::Jpeg,
                width,
                height,
            });
        }
        at += length;
    }
}

fn png_size(bytes: &[u8]) -> Result<Header, PhotoError> {
    // Signature (8), IHDR length (4) and type (4), then width and height.
    let ihdr = bytes
        .get(8..24)
        .ok_or(PhotoError::Corrupt("cut off in the PNG header"))?;
    if &ihdr[4..8] != b"IHDR" {
        return Err(PhotoError::Corrupt(
            "the PNG does not start with its header",
        ));
    }
    let width = u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
    let height = u32::from_be_bytes([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
    Ok(Header {
        format: Format::Png,
        width,
        height,
    })
}
