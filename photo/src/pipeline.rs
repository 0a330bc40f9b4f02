//! One import: header checks, decode (JPEG at the smallest DCT scale that still gives the
//! large rendition its size), resize, upright, encode. The renditions are plain JPEGs with no
//! metadata: the encoder writes none, so neither GPS nor anything else of the original's
//! EXIF survives.
//!
//! **Decode scale.** A JPEG is decoded at the smallest DCT scale (1/8, 1/4, 1/2, 1) whose
//! long side is at least [`DECODE_AT_LEAST`] (7/8 of [`LARGE_SIDE`]). A 12 MP photo (4000 px)
//! then decodes at half size, 2000 px, and its large rendition is 2000 px rather than
//! 2048: 2 % smaller, for a quarter of the memory and time of a full decode.

use sha2::{Digest, Sha256};

use crate::error::PhotoError;
use crate::exif::{self, ExifFacts};
use crate::orient::{Rgb, upright};
use crate::probe::{Format, Header, Limits, probe};

/// The large rendition's longest side, px.
pub const LARGE_SIDE: u32 = 2048;
/// Its JPEG quality.
pub const LARGE_QUALITY: u8 = 85;
/// The thumbnail's longest side, px.
pub const THUMBNAIL_SIDE: u32 = 320;
/// Its JPEG quality.
pub const THUMBNAIL_QUALITY: u8 = 80;
/// A JPEG is decoded at the smallest DCT scale giving at least this long side.
pub const DECODE_AT_LEAST: u32 = LARGE_SIDE * 7 / 8;
/// The most a PNG's decoded pixels may take in memory.
pub const PNG_DECODE_BUDGET: u64 = 256 * 1024 * 1024;

/// An encoded rendition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    /// The JPEG.
    pub jpeg: Vec<u8>,
    /// Its width, upright.
    pub width: u32,
    /// Its height, upright.
    pub height: u32,
}

/// What an import makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renditions {
    /// At most [`LARGE_SIDE`] px, quality [`LARGE_QUALITY`].
    pub large: Rendition,
    /// At most [`THUMBNAIL_SIDE`] px, quality [`THUMBNAIL_QUALITY`].
    pub thumbnail: Rendition,
    /// SHA-256 of the input: the same photo twice is one photo.
    pub content_hash: [u8; 32],
    /// The header of the input.
    pub source: Header,
    /// Orientation, capture time, whether GPS was there (it is not kept).
    pub exif: ExifFacts,
}

/// Imports `bytes` (JPEG or PNG).
pub fn import(bytes: &[u8], limits: &Limits) -> Result<Renditions, PhotoError> {
    let source = probe(bytes, limits)?;
    let content_hash: [u8; 32] = Sha256::digest(bytes).into();
    let (decoded, facts) = match source.format {
        Format::Jpeg => (decode_jpeg(bytes, &source)?, exif::read(bytes)),
        Format::Png => (
            decode_png(bytes, &source)?,
            ExifFacts {
                orientation: 1,
                ..ExifFacts::default()
            },
        ),
    };
    let large = fit(decoded, LARGE_SIDE)?;
    let thumbnail = fit(large.clone(), THUMBNAIL_SIDE)?;
    let large = encode(upright(large, facts.orientation), LARGE_QUALITY)?;
    let thumbnail = encode(upright(thumbnail, facts.orientation), THUMBNAIL_QUALITY)?;
    Ok(Renditions {
        large,
        thumbnail,
        content_hash,
        source,
        exif: facts,
    })
}

fn decode_jpeg(bytes: &[u8], header: &Header) -> Result<Rgb, PhotoError> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder
        .read_info()
        .map_err(|_| PhotoError::Corrupt("the JPEG headers do not read"))?;
    let info = decoder.info().ok_or(PhotoError::Corrupt("no JPEG frame"))?;
    match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 | jpeg_decoder::PixelFormat::L8 => {}
        jpeg_decoder::PixelFormat::CMYK32 => return Err(PhotoError::Unsupported("CMYK JPEG")),
        jpeg_decoder::PixelFormat::L16 => return Err(PhotoError::Unsupported("16-bit JPEG")),
    }
    let long = header.width.max(header.height);
    if long > DECODE_AT_LEAST {
        let scale = |side: u32| {
            let scaled = u64::from(side) * u64::from(DECODE_AT_LEAST) / u64::from(long);
            u16::try_from(scaled.max(1)).unwrap_or(u16::MAX)
        };
        decoder
            .scale(scale(header.width), scale(header.height))
            .map_err(|_| PhotoError::Corrupt("the JPEG cannot be scaled"))?;
    }
    let pixels = decoder
        .decode()
        .map_err(|_| PhotoError::Corrupt("the JPEG data do not decode"))?;
    let info = decoder.info().ok_or(PhotoError::Corrupt("no JPEG frame"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let data = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        _ => pixels,
    };
    if data.len() != width as usize * height as usize * 3 {
        return Err(PhotoError::Corrupt("the JPEG decodes to the wrong size"));
    }
    Ok(Rgb {
        width,
        height,
        data,
    })
}

fn decode_png(bytes: &[u8], header: &Header) -> Result<Rgb, PhotoError> {
    // RGBA is the widest the decoder may hold; refuse before it allocates.
    let rgba = u64::from(header.width) * u64::from(header.height) * 4;
    if rgba > PNG_DECODE_BUDGET {
        return Err(PhotoError::TooManyPixels {
            megapixels: u64::from(header.width) * u64::from(header.height) / 1_000_000,
            max: PNG_DECODE_BUDGET / 4 / 1_000_000,
        });
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(header.width);
    limits.max_image_height = Some(header.height);
    limits.max_alloc = Some(PNG_DECODE_BUDGET);
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Png);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|_| PhotoError::Corrupt("the PNG does not decode"))?
        .into_rgb8();
    let (width, height) = image.dimensions();
    Ok(Rgb {
        width,
        height,
        data: image.into_raw(),
    })
}

/// `image` scaled down to at most `side` on its long side (never up).
fn fit(image: Rgb, side: u32) -> Result<Rgb, PhotoError> {
    let long = image.width.max(image.height);
    if long <= side {
        return Ok(image);
    }
    let scale = |v: u32| {
        u32::try_from((u64::from(v) * u64::from(side)).div_ceil(u64::from(long)))
            .unwrap_or(1)
            .max(1)
    };
    let (width, height) = (scale(image.width), scale(image.height));
    // Typed for RGB only: the untyped resize would compile every pixel type's kernels, each
    // in every SIMD variant, some 2 MB of the mobile library for formats never met here.
    use fast_image_resize::images::TypedImage;
    use fast_image_resize::pixels::U8x3;
    let mut data = image.data;
    let source = TypedImage::<U8x3>::from_buffer(image.width, image.height, &mut data)
        .map_err(|_| PhotoError::Encode("pixel buffer"))?;
    let mut out = vec![0u8; width as usize * height as usize * 3];
    let mut target = TypedImage::<U8x3>::from_buffer(width, height, &mut out)
        .map_err(|_| PhotoError::Encode("pixel buffer"))?;
    fast_image_resize::Resizer::new()
        .resize_typed(&source, &mut target, None)
        .map_err(|_| PhotoError::Encode("resize"))?;
    Ok(Rgb {
        width,
        height,
        data: out,
    })
}

fn encode(image: Rgb, quality: u8) -> Result<Rendition, PhotoError> {
    let (width, height) = (
        u16::try_from(image.width).map_err(|_| PhotoError::Encode("too wide"))?,
        u16::try_from(image.height).map_err(|_| PhotoError::Encode("too tall"))?,
    );
    let mut jpeg = Vec::with_capacity(image.data.len() / 8);
    jpeg_encoder::Encoder::new(&mut jpeg, quality)
        .encode(&image.data, width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|_| PhotoError::Encode("JPEG"))?;
    Ok(Rendition {
        jpeg,
        width: image.width,
        height: image.height,
    })
}
