//! The QR code of a payload: alphanumeric mode, error correction level Q (25 % of the code
//! may be lost, for scratched screens and glare), at most version 11 (61 × 61 modules, which
//! a phone camera reads at arm's length off another phone's screen).
//!
//! Two renderings: the module matrix for the shells to draw themselves (the terminal shell
//! draws it as text), and a PNG.

use image::{ExtendedColorType, GrayImage, ImageEncoder, Luma};
use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, QrResult, Version};

use super::error::QrError;

/// The largest QR version a certificate may need.
pub const MAX_QR_VERSION: i16 = 11;

/// The most alphanumeric characters a version 11 QR code holds at error correction Q.
pub const MAX_QR_PAYLOAD_CHARS: usize = 259;

/// The light border around a QR code that scanners need, in modules (the QR standard's 4).
pub const QUIET_ZONE_MODULES: u32 = 4;

/// The largest side of a PNG [`QrMatrix::to_png`] makes, in pixels.
pub const MAX_PNG_SIDE: u32 = 4096;

/// The QR alphanumeric set, which is also Base45's alphabet.
const ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// A QR code as modules, without the quiet zone: whoever draws it adds
/// [`QUIET_ZONE_MODULES`] light modules on every side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side (21 for version 1, 4 more each version).
    pub size: u32,
    /// `size * size` modules, row by row from the top left; `true` is dark.
    pub modules: Vec<bool>,
}

impl QrMatrix {
    /// Encodes a payload text in the smallest version that holds it, refusing one that needs
    /// more than [`MAX_QR_VERSION`].
    pub fn encode(payload: &str) -> Result<Self, QrError> {
        if !payload.chars().all(|c| ALPHANUMERIC.contains(c)) {
            return Err(QrError::NotAlphanumeric);
        }
        for version in 1..=MAX_QR_VERSION {
            if let Ok(bits) = alphanumeric_bits(payload, Version::Normal(version))
                && let Ok(code) = QrCode::with_bits(bits, EcLevel::Q)
            {
                let size = u32::try_from(code.width()).map_err(|_| QrError::TooLong {
                    max_version: MAX_QR_VERSION,
                })?;
                let modules = code
                    .into_colors()
                    .into_iter()
                    .map(|c| c == qrcode::Color::Dark)
                    .collect();
                return Ok(Self { size, modules });
            }
        }
        Err(QrError::TooLong {
            max_version: MAX_QR_VERSION,
        })
    }

    /// The QR version (1 to 40) of this size.
    pub fn version(&self) -> u32 {
        self.size.saturating_sub(17) / 4
    }

    /// Whether the module at column `x`, row `y` is dark; outside the code is light.
    pub fn is_dark(&self, x: u32, y: u32) -> bool {
        x < self.size
            && y < self.size
            && self
                .modules
                .get((y * self.size + x) as usize)
                .copied()
                .unwrap_or(false)
    }

    /// Whether the module at (`x`, `y`) of the code drawn with its quiet zone is dark.
    pub fn is_dark_with_quiet_zone(&self, x: u32, y: u32) -> bool {
        match (
            x.checked_sub(QUIET_ZONE_MODULES),
            y.checked_sub(QUIET_ZONE_MODULES),
        ) {
            (Some(x), Some(y)) => self.is_dark(x, y),
            _ => false,
        }
    }

    /// The side in modules including the quiet zone.
    pub fn side_with_quiet_zone(&self) -> u32 {
        self.size + 2 * QUIET_ZONE_MODULES
    }

    /// A greyscale image, `scale` pixels a module, with the quiet zone; black on white.
    pub fn to_image(&self, scale: u32) -> Result<GrayImage, QrError> {
        let side = self
            .side_with_quiet_zone()
            .checked_mul(scale)
            .filter(|side| scale > 0 && *side <= MAX_PNG_SIDE)
            .ok_or(QrError::InvalidScale)?;
        Ok(GrayImage::from_fn(side, side, |x, y| {
            if self.is_dark_with_quiet_zone(x / scale, y / scale) {
                Luma([0])
            } else {
                Luma([255])
            }
        }))
    }

    /// PNG bytes of [`QrMatrix::to_image`].
    pub fn to_png(&self, scale: u32) -> Result<Vec<u8>, QrError> {
        let image = self.to_image(scale)?;
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                ExtendedColorType::L8,
            )
            .map_err(|_| QrError::Png)?;
        Ok(png)
    }
}

fn alphanumeric_bits(payload: &str, version: Version) -> QrResult<Bits> {
    let mut bits = Bits::new(version);
    bits.push_alphanumeric_data(payload.as_bytes())?;
    bits.push_terminator(EcLevel::Q)?;
    Ok(bits)
}
