//! HEIC/HEIF photos on the desktop: decoded with libheif (the `heic` feature; Debian
//! `libheif-dev`) and re-encoded as JPEG before the core sees them, as the phones do with
//! their platform decoders. The mobile library never links libheif. The dimensions are
//! checked from the header before any pixel is decoded, with the pipeline's own limits.

/// Whether `bytes` is a HEIC/HEIF file (an ISO base-media `ftyp` box of a HEIF brand).
pub fn is_heic(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1"
        )
}

/// The primary image of HEIC `bytes` as a JPEG (quality 95, upright, no metadata).
#[cfg(feature = "heic")]
pub fn to_jpeg(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use libheif_rs::{ColorSpace, HeifContext, LibHeif, RgbChroma};

    let limits = lofavor_core::inventory::photo_limits();
    if bytes.len() > limits.max_bytes {
        return Err("the photo is larger than the byte limit".into());
    }
    let context =
        HeifContext::read_from_bytes(bytes).map_err(|_| "the HEIC file is damaged".to_owned())?;
    let handle = context
        .primary_image_handle()
        .map_err(|_| "the HEIC file has no image".to_owned())?;
    let (width, height) = (handle.width(), handle.height());
    if width.max(height) > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(format!("the photo is too large ({width} × {height})"));
    }
    // Decoding applies the file's rotation and mirroring, so the JPEG is upright as shot.
    let image = LibHeif::new()
        .decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None)
        .map_err(|_| "the HEIC image cannot be decoded".to_owned())?;
    let plane = image
        .planes()
        .interleaved
        .ok_or_else(|| "the HEIC image has no pixels".to_owned())?;
    let (w, h) = (plane.width as usize, plane.height as usize);
    let mut rgb = Vec::with_capacity(w * h * 3);
    for row in plane.data.chunks(plane.stride).take(h) {
        rgb.extend_from_slice(row.get(..w * 3).ok_or("the HEIC image is short")?);
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode(
            &rgb,
            plane.width,
            plane.height,
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|_| "the HEIC image cannot be converted".to_owned())?;
    Ok(jpeg)
}

/// Without the `heic` feature: a refusal that says how to get it.
#[cfg(not(feature = "heic"))]
pub fn to_jpeg(_bytes: &[u8]) -> Result<Vec<u8>, String> {
    Err("HEIC photos need the terminal built with HEIC support: \
         install libheif-dev and build with `cargo build -p lofavor-cli --features heic` \
         (or convert the photo to JPEG first)"
        .into())
}
