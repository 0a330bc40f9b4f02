//! Times the QR search of one camera frame, for `tests/bench/qr-noise.sh`.
//!
//! - `qr_frame_time noise WIDTH HEIGHT SEED FILE.pgm` writes a frame of black-and-white
//!   noise (each pixel black or white at random, seeded) as a binary PGM.
//! - `qr_frame_time decode FILE.pgm` reads a binary PGM, runs `decode_qr` on it once and
//!   prints the milliseconds it took and what it answered.
//!
//! Build it with `--release`: the figures are for the shipped optimisation settings.
#![allow(clippy::print_stdout)] // printing the figure is the point

use std::process::ExitCode;
use std::time::Instant;

use lofavor_certificate::{LumaFrame, decode_qr};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["noise", width, height, seed, path] => noise(width, height, seed, path),
        ["decode", path] => decode(path),
        _ => Err("usage: qr_frame_time noise W H SEED FILE.pgm | decode FILE.pgm".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qr_frame_time: {e}");
            ExitCode::FAILURE
        }
    }
}

fn noise(width: &str, height: &str, seed: &str, path: &str) -> Result<(), String> {
    let parse = |s: &str| s.parse::<usize>().map_err(|e| format!("{s}: {e}"));
    let (width, height, seed) = (parse(width)?, parse(height)?, parse(seed)?);
    // xorshift64*: reproducible without a dependency; one bit a pixel.
    let mut state = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut pixels = Vec::with_capacity(width * height);
    while pixels.len() < width * height {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let bits = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        for bit in 0..64 {
            if pixels.len() < width * height {
                pixels.push(if bits >> bit & 1 == 1 { 0u8 } else { 255 });
            }
        }
    }
    let mut file = format!("P5\n{width} {height}\n255\n").into_bytes();
    file.extend_from_slice(&pixels);
    std::fs::write(path, file).map_err(|e| format!("{path}: {e}"))
}

fn decode(path: &str) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let (width, height, luma) = parse_pgm(&bytes).ok_or("not a binary 8-bit PGM")?;
    let frame = LumaFrame {
        width,
        height,
        luma,
    };
    let started = Instant::now();
    let answer = decode_qr(&frame);
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let answer = match answer {
        Ok(_) => "decoded".to_owned(),
        Err(reason) => reason.to_owned(),
    };
    println!("{millis:.1} ms\t{answer}");
    Ok(())
}

/// Width, height and pixels of a binary PGM with maxval 255 and no comments.
fn parse_pgm(bytes: &[u8]) -> Option<(u32, u32, &[u8])> {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).ok()?);
    }
    let (width, height) = (
        fields[1].parse::<u32>().ok()?,
        fields[2].parse::<u32>().ok()?,
    );
    if fields[0] != "P5" || fields[3] != "255" {
        return None;
    }
    let pixels = bytes.get(at + 1..)?;
    (pixels.len() as u64 == u64::from(width) * u64::from(height)).then_some((width, height, pixels))
}
