#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly
//! What the roadside-assistance worker's phone spends on a certificate.
//!
//! - `verify_payload`: the whole offline check of a scanned payload text (Base45, COSE and CWT
//!   decoding, trust-list lookup, the ES256 signature, revocation and time checks), against
//!   `bare_p256_verify`: `p256::ecdsa::VerifyingKey::verify` alone over the same COSE
//!   Sig_structure and signature. The ratio is what the format costs on top of the
//!   cryptography (goal: at most 1.3×).
//! - `qr_decode_1920x1080`: finding and decoding the QR code in a full-HD greyscale frame.
//!
//! The payload length and QR version are printed to stderr. Benchmarks build with the bench
//! profile (release settings, thin LTO), not the dev profile's opt-level 1.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use coset::{CoseSign1, TaggedCborSerializable};
use criterion::{Criterion, criterion_group, criterion_main};
use image::{GrayImage, Luma, imageops};
use lofavor_certificate::{
    CertificateClaims, CertificateId, Cover, CoverProduct, HolderName, LumaFrame, PREFIX, QrMatrix,
    RevocationList, TrustList, TrustedKey, VehicleRegistration, Verification, decode_qr, issue,
    sign_revocation_list, verify,
};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, SigningKey};

const DAY: u64 = 86_400;
const NOW: u64 = 1_781_524_800; // 2026-06-15 12:00 UTC

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn certificate(c: &mut Criterion) {
    let key = SigningKey::from_slice(&[0x42; 32]).unwrap();
    let claims = CertificateClaims {
        certificate_id: CertificateId([7, 1, 2, 3, 4, 5, 6, 7]),
        cover: Cover {
            product: CoverProduct::VeihjelpPluss,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        },
        holder: HolderName::from_names("Kari", "Nordmann").unwrap(),
        vehicle: Some(VehicleRegistration::parse("EL 12345").unwrap()),
    };
    let payload = issue(&claims, &key, at(NOW - DAY), at(NOW + 29 * DAY)).unwrap();
    let trust = TrustList::new(vec![
        TrustedKey::new(*key.verifying_key(), at(0), at(NOW + 365 * DAY)).unwrap(),
    ])
    .unwrap();
    // A list with a thousand revoked ids, so the lookup is not free.
    let ids: Vec<_> = (0u32..1000)
        .map(|i| {
            let mut id = [0u8; 8];
            id[..4].copy_from_slice(&i.to_be_bytes());
            CertificateId(id)
        })
        .collect();
    let signed = sign_revocation_list(&ids, at(NOW), at(NOW + DAY), &key).unwrap();
    let revocations = RevocationList::from_cbor(&signed, &trust).unwrap();
    assert!(matches!(
        verify(&payload, &trust, &revocations, at(NOW)),
        Verification::Valid { .. }
    ));

    // The same Sig_structure and signature for the bare verification.
    let cose = base45::decode(payload.strip_prefix(PREFIX).unwrap()).unwrap();
    let sign1 = CoseSign1::from_tagged_slice(&cose).unwrap();
    let sig_structure = sign1.tbs_data(b"");
    let signature = Signature::from_slice(&sign1.signature).unwrap();
    let verifying_key = *key.verifying_key();
    verifying_key.verify(&sig_structure, &signature).unwrap();

    let matrix = QrMatrix::encode(&payload).unwrap();
    eprintln!(
        "certificate: payload {} characters, COSE {} bytes, QR version {} ({}x{} modules)",
        payload.len(),
        cose.len(),
        matrix.version(),
        matrix.size,
        matrix.size
    );

    let mut group = c.benchmark_group("certificate");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("verify_payload", |b| {
        b.iter(|| verify(black_box(&payload), &trust, &revocations, at(NOW)))
    });
    group.bench_function("bare_p256_verify", |b| {
        b.iter(|| verifying_key.verify(black_box(&sig_structure), black_box(&signature)))
    });
    group.finish();

    // A QR code of 6 pixels a module on a grey full-HD frame.
    let qr = matrix.to_image(6).unwrap();
    let mut frame = GrayImage::from_pixel(1920, 1080, Luma([170]));
    imageops::overlay(&mut frame, &qr, 760, 240);
    let luma = frame.as_raw().clone();
    let frame = LumaFrame {
        width: 1920,
        height: 1080,
        luma: &luma,
    };
    assert_eq!(decode_qr(&frame).unwrap(), payload);

    let mut group = c.benchmark_group("certificate_qr");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("qr_decode_1920x1080", |b| {
        b.iter(|| decode_qr(black_box(&frame)))
    });
    group.finish();
}

criterion_group!(benches, certificate);
criterion_main!(benches);
