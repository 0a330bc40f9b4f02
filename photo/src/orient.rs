//! Turns an RGB image upright by its EXIF orientation (1..=8), as TIFF 6.0 defines them:
//! 2 mirror, 3 turn 180°, 4 flip, 5 transpose, 6 turn 90° clockwise, 7 transverse, 8 turn
//! 90° counter-clockwise.

/// An RGB image, 3 bytes a pixel, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rgb {
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
    /// Pixels.
    pub data: Vec<u8>,
}

/// `image` turned upright for `orientation`.
pub fn upright(image: Rgb, orientation: u8) -> Rgb {
    if !(2..=8).contains(&orientation) {
        return image;
    }
    let (w, h) = (image.width as usize, image.height as usize);
    let swaps = orientation >= 5;
    let (ow, oh) = if swaps { (h, w) } else { (w, h) };
    let mut out = vec![0u8; image.data.len()];
    for y in 0..h {
        for x in 0..w {
            // Where the stored pixel (x, y) goes in the upright image.
            let (nx, ny) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (h - 1 - y, x),
                7 => (h - 1 - y, w - 1 - x),
                _ => (y, w - 1 - x), // 8
            };
            let from = (y * w + x) * 3;
            let to = (ny * ow + nx) * 3;
            out[to..to + 3].copy_from_slice(&image.data[from..from + 3]);
        }
    }
    Rgb {
        width: u32::try_from(ow).unwrap_or(u32::MAX),
        height: u32::try_from(oh).unwrap_or(u32::MAX),
        data: out,
    }
}
