//! Reading a photo for `lofavor verify --image`. The image's size is read from its header
//! and checked against the core's frame cap before any pixel is decoded: a compressed file
//! of a few hundred kilobytes can claim a picture of gigabytes, and decoding it first would
//! spend that memory only for the core to refuse the frame.

use std::path::Path;

use image::{ImageReader, Limits};
use lofavor_core::ErrorKind;
use lofavor_core::roadside::certificate::MAX_FRAME_PIXELS;

use crate::error::{CliError, ShellKind};

/// The largest image file read, so a stray huge file cannot exhaust memory.
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// The most bytes the decoder may allocate: a frame at the cap in the widest pixel format
/// the decoders produce (RGBA, 16 bits a channel).
const MAX_DECODE_ALLOC: u64 = MAX_FRAME_PIXELS * 8;

/// The image at `path` as 8-bit luma: width, height and `width * height` bytes. A file that
/// cannot be read is a file error; one too large, claiming more than [`MAX_FRAME_PIXELS`] or
/// not decodable is invalid input.
pub fn luma_of(path: &Path) -> Result<(u32, u32, Vec<u8>), CliError> {
    let unreadable =
        |e: std::io::Error| CliError::shell(ShellKind::File, format!("cannot read the image: {e}"));
    let invalid = |reason: String| CliError::core_kind(ErrorKind::InvalidInput, reason);
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_IMAGE_BYTES {
        return Err(invalid("the image file is too large".into()));
    }
    let open = || {
        ImageReader::open(path)
            .map_err(unreadable)?
            .with_guessed_format()
            .map_err(unreadable)
    };
    let (width, height) = open()?
        .into_dimensions()
        .map_err(|e| invalid(format!("cannot decode the image: {e}")))?;
    if u64::from(width) * u64::from(height) > MAX_FRAME_PIXELS {
        return Err(invalid(format!(
            "the image is {width}x{height} pixels; at most {} megapixels are read",
            MAX_FRAME_PIXELS / 1_000_000
        )));
    }
    // The decoder is held to the size the header announced, in case a later part of the
    // file disagrees with it.
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    let mut reader = open()?;
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| invalid(format!("cannot decode the image: {e}")))?
        .into_luma8();
    let (width, height) = image.dimensions();
    Ok((width, height, image.into_raw()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    use lofavor_e2e::images::png_claiming;

    #[test]
    fn a_small_file_claiming_a_huge_image_is_refused_from_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.png");
        std::fs::write(&path, png_claiming(100_000, 100_000)).unwrap();
        let error = luma_of(&path).unwrap_err();
        assert_eq!(
            error.reason(),
            "the image is 100000x100000 pixels; at most 40 megapixels are read"
        );
        assert_eq!(error.kind().as_str(), "invalid_input");
        // Just above the cap as well; the decoder never sees it.
        std::fs::write(&path, png_claiming(8_000, 5_001)).unwrap();
        assert!(luma_of(&path).unwrap_err().reason().contains("megapixels"));
    }

    #[test]
    fn a_real_image_within_the_cap_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.png");
        let image = image::GrayImage::from_fn(30, 20, |x, _| image::Luma([(x * 8) as u8]));
        image.save(&path).unwrap();
        let (width, height, luma) = luma_of(&path).unwrap();
        assert_eq!((width, height), (30, 20));
        assert_eq!(luma, image.into_raw());
    }
}
