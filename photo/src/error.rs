//! Why a photo was refused. Fixed texts with sizes at most: never a byte of the photo, a
//! file name or a place.

/// Why a photo could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// The input is empty.
    #[error("the file is empty")]
    Empty,
    /// The input is larger than the byte cap.
    #[error("the file is {bytes} bytes; at most {max} are accepted")]
    TooManyBytes {
        /// Its size.
        bytes: usize,
        /// The cap.
        max: usize,
    },
    /// A side is longer than allowed.
    #[error("the image is {width}×{height} px; a side may be at most {max} px")]
    SideTooLong {
        /// Width the header claims.
        width: u32,
        /// Height the header claims.
        height: u32,
        /// The limit.
        max: u32,
    },
    /// More pixels than allowed.
    #[error("the image has {megapixels} megapixels; at most {max} are accepted")]
    TooManyPixels {
        /// Megapixels the header claims.
        megapixels: u64,
        /// The limit.
        max: u64,
    },
    /// A HEIC/HEIF photo: phones convert it with their platform decoder first.
    #[error(
        "HEIC photos must be converted to JPEG first (the phone does it; on a desktop, build the terminal with the `heic` feature)"
    )]
    Heic,
    /// Not a JPEG or PNG.
    #[error("not a JPEG or PNG image")]
    NotAnImage,
    /// The image is damaged or cut off.
    #[error("the image is damaged: {0}")]
    Corrupt(&'static str),
    /// A kind of JPEG this pipeline does not take (CMYK, 16-bit).
    #[error("unsupported image: {0}")]
    Unsupported(&'static str),
    /// The renditions could not be made.
    #[error("the renditions could not be made: {0}")]
    Encode(&'static str),
    /// A sealed photo did not open: the wrong key, or the file was changed.
    #[error("the stored photo does not decrypt (wrong key or changed file)")]
    Sealed,
}
