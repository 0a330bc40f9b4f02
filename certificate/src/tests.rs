//! Tests of the certificate: issuing and verifying, every way a payload can be wrong, the QR
//! code through a camera-like path, and the lists.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use coset::cbor::value::Value;
use coset::cwt::{ClaimName, ClaimsSet, Timestamp};
use coset::{
    CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana,
};
use image::imageops::{self, FilterType};
use image::{GrayImage, Luma};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

use super::*;

const DAY: u64 = 86_400;
/// 2026-06-15 12:00:00 UTC.
const NOW: u64 = 1_781_524_800;
const BASE45_ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn now() -> SystemTime {
    at(NOW)
}

/// A fixed key per seed, so failures reproduce.
fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&Sha256::digest([seed, 0x5a])).unwrap()
}

fn trusted(key: &SigningKey, from: u64, to: u64) -> TrustedKey {
    TrustedKey::new(*key.verifying_key(), at(from), at(to)).unwrap()
}

fn trust_of(keys: &[&SigningKey]) -> TrustList {
    TrustList::new(
        keys.iter()
            .map(|k| trusted(k, 0, NOW + 365 * DAY))
            .collect(),
    )
    .unwrap()
}

fn claims() -> CertificateClaims {
    CertificateClaims {
        certificate_id: CertificateId([7, 1, 2, 3, 4, 5, 6, 7]),
        cover: Cover {
            product: CoverProduct::VeihjelpPluss,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        },
        holder: HolderName::from_names("Kari", "Nordmann").unwrap(),
        vehicle: Some(VehicleRegistration::parse("EL 12345").unwrap()),
    }
}

/// A certificate issued a day ago, valid for 30 days, signed by `key(1)`.
fn payload() -> String {
    issue(&claims(), &key(1), at(NOW - DAY), at(NOW + 29 * DAY)).unwrap()
}

fn cose_bytes(payload: &str) -> Vec<u8> {
    base45::decode(payload.strip_prefix(PREFIX).unwrap()).unwrap()
}

/// Signs an arbitrary claims set as a certificate would be, to build tokens `issue` refuses.
fn sign_claims_set(set: ClaimsSet, key: &SigningKey) -> String {
    let cose = cose::sign(set.to_vec().unwrap(), key, None).unwrap();
    payload::encode(&cose)
}

fn claims_set(iat: u64, exp: u64, extra_map_entry: Option<(i64, Value)>) -> ClaimsSet {
    let mut map = vec![
        (Value::from(1), Value::from(2)),
        (Value::from(2), Value::from(20_454)),
        (Value::from(3), Value::from(20_818)),
        (Value::from(4), Value::Text("Kari N.".into())),
    ];
    if let Some((k, v)) = extra_map_entry {
        map.push((Value::from(k), v));
    }
    ClaimsSet {
        issuer: Some(ISSUER.to_owned()),
        issued_at: Some(Timestamp::WholeSeconds(iat as i64)),
        expiration_time: Some(Timestamp::WholeSeconds(exp as i64)),
        cwt_id: Some(vec![9; 8]),
        rest: vec![(
            ClaimName::PrivateUse(claims::CLAIM_VEIHJELP),
            Value::Map(map),
        )],
        ..ClaimsSet::default()
    }
}

fn check(payload: &str, trust: &TrustList) -> Verification {
    verify(payload, trust, &RevocationList::empty(), now())
}

#[test]
fn round_trip_is_valid_with_the_claims() {
    let outcome = check(&payload(), &trust_of(&[&key(1)]));
    let expected = claims();
    assert_eq!(
        outcome,
        Verification::Valid {
            cover: expected.cover,
            holder: expected.holder,
            vehicle: expected.vehicle,
            expires_at: at(NOW + 29 * DAY),
        }
    );
}

#[test]
fn a_certificate_without_a_vehicle_is_valid() {
    let mut c = claims();
    c.vehicle = None;
    let p = issue(&c, &key(1), at(NOW - DAY), at(NOW + DAY)).unwrap();
    match check(&p, &trust_of(&[&key(1)])) {
        Verification::Valid {
            vehicle, holder, ..
        } => {
            assert_eq!(vehicle, None);
            assert_eq!(holder.as_str(), "Kari N.");
        }
        other => panic!("not valid: {other:?}"),
    }
}

#[test]
fn payload_is_prefixed_base45_of_a_tagged_cose_sign1() {
    let p = payload();
    assert!(p.starts_with("VH1:"));
    assert!(p.bytes().all(|b| BASE45_ALPHABET.contains(&b)));
    let cose = cose_bytes(&p);
    assert_eq!(cose[0], 0xd2, "COSE_Sign1 tag 18");
    let sign1 = coset::CoseSign1::from_tagged_slice(&cose).unwrap();
    assert_eq!(
        sign1.protected.header.alg,
        Some(coset::RegisteredLabelWithPrivate::Assigned(
            iana::Algorithm::ES256
        ))
    );
    assert_eq!(
        sign1.protected.header.key_id,
        key_id(key(1).verifying_key()).to_vec()
    );
}

#[test]
fn key_id_is_sha256_of_the_uncompressed_point() {
    let k = key(1);
    let point = k.verifying_key().to_sec1_point(false);
    assert_eq!(point.as_bytes().len(), 65);
    assert_eq!(point.as_bytes()[0], 4);
    assert_eq!(
        key_id(k.verifying_key()).as_slice(),
        &Sha256::digest(point.as_bytes())[..8]
    );
    assert_ne!(key_id(k.verifying_key()), key_id(key(2).verifying_key()));
}

#[test]
fn every_single_character_change_is_never_valid() {
    let p = payload();
    let trust = trust_of(&[&key(1)]);
    let original = p.as_bytes();
    let mut tried = 0;
    for i in 0..original.len() {
        for &replacement in BASE45_ALPHABET {
            if replacement == original[i] {
                continue;
            }
            let mut changed = original.to_vec();
            changed[i] = replacement;
            let changed = String::from_utf8(changed).unwrap();
            let outcome = check(&changed, &trust);
            assert!(
                !matches!(outcome, Verification::Valid { .. }),
                "changing position {i} still verifies"
            );
            tried += 1;
        }
    }
    assert_eq!(tried, original.len() * 44);
}

#[test]
fn expired_and_not_yet_valid() {
    let trust = trust_of(&[&key(1)]);
    let revocations = RevocationList::empty();
    let p = payload();
    assert_eq!(
        verify(&p, &trust, &revocations, at(NOW + 29 * DAY)),
        Verification::Expired {
            expired_at: at(NOW + 29 * DAY)
        }
    );
    assert!(matches!(
        verify(&p, &trust, &revocations, at(NOW + 29 * DAY - 1)),
        Verification::Valid { .. }
    ));
    assert_eq!(
        verify(&p, &trust, &revocations, at(NOW - DAY - 301)),
        Verification::NotYetValid {
            valid_from: at(NOW - DAY)
        }
    );
    // A worker's clock a few minutes behind the issuer's is tolerated.
    assert!(matches!(
        verify(&p, &trust, &revocations, at(NOW - DAY - 299)),
        Verification::Valid { .. }
    ));
}

#[test]
fn the_cover_period_bounds_validity() {
    let trust = trust_of(&[&key(1)]);
    let mut c = claims();
    // The cover starts tomorrow: the certificate is issued now but valid only then.
    c.cover.valid_from = NaiveDate::from_ymd_opt(2026, 6, 16).unwrap();
    let p = issue(&c, &key(1), now(), at(NOW + 10 * DAY)).unwrap();
    let start = c.cover.starts_at().unwrap();
    assert_eq!(
        check(&p, &trust),
        Verification::NotYetValid { valid_from: start }
    );
    // A certificate may not outlive the cover.
    c.cover.valid_to = NaiveDate::from_ymd_opt(2026, 6, 20).unwrap();
    assert_eq!(
        issue(&c, &key(1), now(), at(NOW + 10 * DAY)),
        Err(CertificateError::InvalidValidity(
            "certificate outlives the cover"
        ))
    );
}

#[test]
fn issuing_refuses_more_than_thirty_days_and_empty_periods() {
    let c = claims();
    let k = key(1);
    assert!(issue(&c, &k, now(), at(NOW + 30 * DAY)).is_ok());
    assert!(matches!(
        issue(&c, &k, now(), at(NOW + 30 * DAY + 1)),
        Err(CertificateError::InvalidValidity(_))
    ));
    assert!(matches!(
        issue(&c, &k, now(), now()),
        Err(CertificateError::InvalidValidity(_))
    ));
    assert!(matches!(
        issue(&c, &k, now(), at(NOW - 1)),
        Err(CertificateError::InvalidValidity(_))
    ));
    assert_eq!(
        issue(&c, &k, UNIX_EPOCH - Duration::from_secs(1), now()),
        Err(CertificateError::TimeOutOfRange)
    );
}

#[test]
fn a_signed_token_valid_for_more_than_thirty_days_is_malformed() {
    let p = sign_claims_set(
        claims_set(NOW - DAY, NOW - DAY + 30 * DAY + 1, None),
        &key(1),
    );
    assert_eq!(
        check(&p, &trust_of(&[&key(1)])),
        Verification::Malformed {
            reason: "valid for more than 30 days"
        }
    );
    // The same hand-made token within 30 days is accepted, so the refusal above is the length.
    let p = sign_claims_set(claims_set(NOW - DAY, NOW - DAY + 30 * DAY, None), &key(1));
    assert!(matches!(
        check(&p, &trust_of(&[&key(1)])),
        Verification::Valid { .. }
    ));
}

#[test]
fn extra_fields_in_a_signed_token_make_it_malformed() {
    let trust = trust_of(&[&key(1)]);
    // A national identity number smuggled in under a new key of the claim map.
    let p = sign_claims_set(
        claims_set(
            NOW - DAY,
            NOW + DAY,
            Some((6, Value::Text("01017012345".into()))),
        ),
        &key(1),
    );
    assert_eq!(
        check(&p, &trust),
        Verification::Malformed {
            reason: "unexpected claim key"
        }
    );
    // A subject claim at the top level.
    let mut set = claims_set(NOW - DAY, NOW + DAY, None);
    set.subject = Some("member".into());
    assert_eq!(
        check(&sign_claims_set(set, &key(1)), &trust),
        Verification::Malformed {
            reason: "unexpected claim"
        }
    );
    // Another issuer name, even signed by a trusted key.
    let mut set = claims_set(NOW - DAY, NOW + DAY, None);
    set.issuer = Some("Fagforbundet".into());
    assert_eq!(
        check(&sign_claims_set(set, &key(1)), &trust),
        Verification::Malformed {
            reason: "unexpected issuer"
        }
    );
    // Digits in the holder name.
    let mut set = claims_set(NOW - DAY, NOW + DAY, None);
    if let Value::Map(map) = &mut set.rest[0].1 {
        map[3].1 = Value::Text("Kari 010170.".into());
    }
    assert_eq!(
        check(&sign_claims_set(set, &key(1)), &trust),
        Verification::Malformed {
            reason: "holder name has digits"
        }
    );
}

#[test]
fn encoded_claims_hold_only_the_allowed_keys() {
    let cose = cose_bytes(&payload());
    let sign1 = coset::CoseSign1::from_tagged_slice(&cose).unwrap();
    let claims: Value = coset::cbor::de::from_reader(sign1.payload.unwrap().as_slice()).unwrap();
    let Value::Map(top) = claims else {
        panic!("claims are not a map")
    };
    let top_keys: Vec<i128> = top
        .iter()
        .map(|(k, _)| k.as_integer().unwrap().into())
        .collect();
    // iss, exp, iat, cti and the private claim: no sub, no other private claim.
    assert_eq!(top_keys, vec![1, 4, 6, 7, -65537]);
    let Value::Map(inner) = &top[4].1 else {
        panic!("private claim is not a map")
    };
    let inner_keys: Vec<i128> = inner
        .iter()
        .map(|(k, _)| k.as_integer().unwrap().into())
        .collect();
    assert_eq!(inner_keys, vec![1, 2, 3, 4, 5]);
    // No text holds a run of digits as long as a national identity number or a birth date,
    // and nothing names a union.
    let texts: Vec<&str> = top
        .iter()
        .chain(inner.iter())
        .filter_map(|(_, v)| v.as_text())
        .collect();
    for text in &texts {
        let longest_digits = text
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(longest_digits < 6, "a text has a long run of digits");
        let lower = text.to_lowercase();
        for word in ["forbund", "union", "fagforening", "lo ", "medlem"] {
            assert!(!lower.contains(word), "a text names a union or membership");
        }
    }
    assert_eq!(texts, vec![ISSUER, "Kari N.", "EL12345"]);
    assert_eq!(inner[0].1, Value::from(CoverProduct::VeihjelpPluss.code()));
}

#[test]
fn wrong_key_is_untrusted() {
    assert_eq!(
        check(&payload(), &trust_of(&[&key(2)])),
        Verification::UntrustedIssuer
    );
    assert_eq!(
        check(&payload(), &TrustList::default()),
        Verification::UntrustedIssuer
    );
}

#[test]
fn forged_signature_under_a_trusted_kid_is_untrusted() {
    let trust = trust_of(&[&key(1)]);
    // Signed by key 2 but naming key 1.
    let cwt = claims::encode(&claims(), (NOW - DAY) as i64, (NOW + DAY) as i64).unwrap();
    let forger = key(2);
    let forged = CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::ES256)
                .key_id(key_id(key(1).verifying_key()).to_vec())
                .build(),
        )
        .payload(cwt)
        .create_signature(b"", |data| {
            let s: Signature = forger.sign(data);
            s.to_vec()
        })
        .build()
        .to_tagged_vec()
        .unwrap();
    assert_eq!(
        check(&payload::encode(&forged), &trust),
        Verification::UntrustedIssuer
    );

    // A genuine certificate with its payload changed (another holder) and the old signature.
    let mut sign1 = coset::CoseSign1::from_tagged_slice(&cose_bytes(&payload())).unwrap();
    let mut other = claims();
    other.holder = HolderName::from_names("Ola", "Nordmann").unwrap();
    sign1.payload =
        Some(claims::encode(&other, (NOW - DAY) as i64, (NOW + 29 * DAY) as i64).unwrap());
    let tampered = payload::encode(&sign1.to_tagged_vec().unwrap());
    assert_eq!(check(&tampered, &trust), Verification::UntrustedIssuer);
}

#[test]
fn revoked_certificate_is_revoked() {
    let trust = trust_of(&[&key(1)]);
    let list = sign_revocation_list(
        &[CertificateId([1; 8]), claims().certificate_id],
        now(),
        at(NOW + DAY),
        &key(1),
    )
    .unwrap();
    let revocations = RevocationList::from_cbor(&list, &trust).unwrap();
    assert_eq!(
        verify(&payload(), &trust, &revocations, now()),
        Verification::Revoked
    );
    // A list without this certificate leaves it valid.
    let list =
        sign_revocation_list(&[CertificateId([1; 8])], now(), at(NOW + DAY), &key(1)).unwrap();
    let revocations = RevocationList::from_cbor(&list, &trust).unwrap();
    assert!(matches!(
        verify(&payload(), &trust, &revocations, now()),
        Verification::Valid { .. }
    ));
}

#[test]
fn rotated_key_keeps_its_certificates_until_they_expire() {
    let old = key(1);
    let new = key(2);
    let rotation = NOW - 2 * DAY;
    let trust = TrustList::new(vec![
        trusted(&old, NOW - 400 * DAY, rotation),
        trusted(&new, rotation, NOW + 400 * DAY),
    ])
    .unwrap();
    // Issued with the old key before the rotation: valid until it expires, after the rotation.
    let before = issue(&claims(), &old, at(rotation - DAY), at(rotation + 29 * DAY)).unwrap();
    assert!(matches!(check(&before, &trust), Verification::Valid { .. }));
    assert_eq!(
        verify(
            &before,
            &trust,
            &RevocationList::empty(),
            at(rotation + 29 * DAY)
        ),
        Verification::Expired {
            expired_at: at(rotation + 29 * DAY)
        }
    );
    // The old key signing after its period is not trusted.
    let after = issue(&claims(), &old, at(rotation + 60), at(rotation + 10 * DAY)).unwrap();
    assert_eq!(check(&after, &trust), Verification::UntrustedIssuer);
    // The new key works.
    let fresh = issue(&claims(), &new, at(NOW - DAY), at(NOW + DAY)).unwrap();
    assert!(matches!(check(&fresh, &trust), Verification::Valid { .. }));
    // The new key cannot back-date before its period.
    let backdated = issue(&claims(), &new, at(rotation - DAY), at(NOW + DAY)).unwrap();
    assert_eq!(check(&backdated, &trust), Verification::UntrustedIssuer);
}

#[test]
fn tag_handling() {
    let trust = trust_of(&[&key(1)]);
    let cose = cose_bytes(&payload());
    // Untagged.
    let untagged = &cose[1..];
    assert!(matches!(
        check(&payload::encode(untagged), &trust),
        Verification::Valid { .. }
    ));
    // Wrapped in the CWT tag 61 (0xd8 0x3d).
    let mut cwt = vec![0xd8, 0x3d];
    cwt.extend_from_slice(&cose);
    assert!(matches!(
        check(&payload::encode(&cwt), &trust),
        Verification::Valid { .. }
    ));
    // Another tag (COSE_Mac0, 17).
    let mut other = vec![0xd1];
    other.extend_from_slice(untagged);
    assert_eq!(
        check(&payload::encode(&other), &trust),
        Verification::Malformed {
            reason: "unexpected CBOR tag"
        }
    );
    // Trailing bytes.
    let mut trailing = cose.clone();
    trailing.push(0);
    assert_eq!(
        check(&payload::encode(&trailing), &trust),
        Verification::Malformed {
            reason: "bytes after the signed object"
        }
    );
}

#[test]
fn garbage_is_malformed() {
    let trust = trust_of(&[&key(1)]);
    let reason = |p: &str| match check(p, &trust) {
        Verification::Malformed { reason } => reason,
        other => panic!("not malformed: {other:?}"),
    };
    assert_eq!(reason(""), "unknown payload prefix");
    assert_eq!(reason("VH1:"), "empty payload");
    assert_eq!(
        reason(&payload().replacen("VH1:", "HC1:", 1)),
        "unknown payload prefix"
    );
    assert_eq!(
        reason(&payload().replacen("VH1:", "vh1:", 1)),
        "unknown payload prefix"
    );
    assert_eq!(reason("VH1:not base45!"), "payload is not Base45");
    assert_eq!(
        reason(&format!("VH1:{}", "0".repeat(2000))),
        "payload too long"
    );
    assert_eq!(
        reason(&payload::encode(b"\x01\x02\x03")),
        "bytes after the signed object"
    );
    assert_eq!(
        reason(&payload::encode(&[0x83, 0x40, 0xa0, 0xf6])),
        "not a COSE_Sign1"
    );
    // A revocation list is not a certificate.
    let list = sign_revocation_list(&[], now(), at(NOW + DAY), &key(1)).unwrap();
    assert_eq!(reason(&payload::encode(&list)), "unexpected content type");
}

#[test]
fn random_input_never_panics_and_never_verifies() {
    let trust = trust_of(&[&key(1)]);
    let revocations = RevocationList::empty();
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let genuine = cose_bytes(&payload());
    for round in 0..3000 {
        let text = match round % 3 {
            // Random text of any characters.
            0 => (0..rng.random_range(0..400))
                .map(|_| rng.random::<char>())
                .collect::<String>(),
            // Random bytes behind the right prefix.
            1 => {
                let bytes: Vec<u8> = (0..rng.random_range(0..300))
                    .map(|_| rng.random())
                    .collect();
                payload::encode(&bytes)
            }
            // The genuine COSE with a few random bytes changed.
            _ => {
                let mut bytes = genuine.clone();
                for _ in 0..rng.random_range(1..4) {
                    let i = rng.random_range(0..bytes.len());
                    bytes[i] ^= rng.random_range(1..=255u8);
                }
                payload::encode(&bytes)
            }
        };
        let outcome = verify(&text, &trust, &revocations, now());
        assert!(
            !matches!(outcome, Verification::Valid { .. }),
            "round {round} verified"
        );
    }
}

#[test]
fn names_and_registrations_are_short_and_checked() {
    assert_eq!(
        HolderName::from_names(" Kari  Anne ", "nordmann")
            .unwrap()
            .as_str(),
        "Kari N."
    );
    assert_eq!(
        HolderName::from_names("Anne-Lise", "Berg")
            .unwrap()
            .as_str(),
        "Anne-Lise B."
    );
    assert_eq!(
        HolderName::from_names("Åse", "Ødegård").unwrap().as_str(),
        "Åse Ø."
    );
    assert!(HolderName::from_names("Kari", "").is_err());
    assert!(HolderName::from_names("", "Nordmann").is_err());
    assert!(HolderName::from_names("Kari010170", "Nordmann").is_err());
    assert!(HolderName::from_names("Kari", "0Nordmann").is_err());
    assert!(HolderName::from_names(&"K".repeat(16), "Nordmann").is_err());
    assert!(HolderName::from_names(&"K".repeat(15), "Nordmann").is_ok());
    assert_eq!(
        VehicleRegistration::parse("el 12-345").unwrap().as_str(),
        "EL12345"
    );
    assert!(
        VehicleRegistration::parse("01017012345").is_err(),
        "11 digits refused"
    );
    assert!(VehicleRegistration::parse("ÆØ1234").is_err());
    assert!(VehicleRegistration::parse("E").is_err());
}

#[test]
fn errors_carry_no_personal_data() {
    let err = HolderName::from_names("Kari123", "Nordmann").unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("Kari") && !text.contains("123"), "{text}");
    let err = VehicleRegistration::parse("ZZ99999999999")
        .unwrap_err()
        .to_string();
    assert!(!err.contains("ZZ99"), "{err}");
    let err = HolderName::from_names(&"Kari".repeat(10), "Nordmann")
        .unwrap_err()
        .to_string();
    assert!(!err.contains("Kari"), "{err}");
    // A malformed reason never echoes the payload.
    let secret = "VH1:KARI NORDMANN 01017012345";
    if let Verification::Malformed { reason } = check(secret, &trust_of(&[&key(1)])) {
        assert!(!reason.contains("KARI") && !reason.contains("0101"));
    } else {
        panic!("not malformed");
    }
}

#[test]
fn zlib_does_not_shrink_the_certificate() {
    let cose = cose_bytes(&payload());
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&cose).unwrap();
    let compressed = z.finish().unwrap();
    // The sizes documented in `payload.rs`.
    assert_eq!(cose.len(), 152);
    assert_eq!(compressed.len(), 163);
    assert!(
        compressed.len() >= cose.len(),
        "zlib made {} of {}",
        compressed.len(),
        cose.len()
    );
}

// ---------------------------------------------------------------------------------------------
// QR code.

#[test]
fn realistic_certificate_fits_a_small_qr_code() {
    let p = payload();
    let matrix = QrMatrix::encode(&p).unwrap();
    assert!(matrix.version() <= 11);
    assert_eq!(matrix.size, 17 + 4 * matrix.version());
    assert_eq!(matrix.modules.len(), (matrix.size * matrix.size) as usize);
    // The finder pattern's corner is dark, the module beside the separator light.
    assert!(matrix.is_dark(0, 0));
    assert!(!matrix.is_dark(7, 0));
    assert!(!matrix.is_dark(matrix.size, 0));
}

#[test]
fn payload_length_and_qr_version_of_a_realistic_certificate() {
    let p = payload();
    assert_eq!(p.len(), 4 + 152 / 2 * 3);
    assert_eq!(QrMatrix::encode(&p).unwrap().version(), 11);
    let mut c = claims();
    c.vehicle = None;
    let p = issue(&c, &key(1), now(), at(NOW + DAY)).unwrap();
    assert_eq!(QrMatrix::encode(&p).unwrap().version(), 10);
}

#[test]
fn the_longest_names_fit_and_an_oversized_certificate_is_refused() {
    let mut c = claims();
    c.holder = HolderName::from_names("Bjørnsteinarkke", "Østby").unwrap();
    c.vehicle = Some(VehicleRegistration::parse("AB12345678").unwrap());
    let p = issue(&c, &key(1), now(), at(NOW + DAY)).unwrap();
    assert!(QrMatrix::encode(&p).is_ok());
    // Fifteen two-byte letters: more than the QR code holds.
    c.holder = HolderName::from_names(&"Ø".repeat(15), "Østby").unwrap();
    assert_eq!(
        issue(&c, &key(1), now(), at(NOW + DAY)),
        Err(CertificateError::TooLarge)
    );
}

#[test]
fn qr_capacity_constant_matches_the_encoder() {
    assert!(QrMatrix::encode(&"A".repeat(MAX_QR_PAYLOAD_CHARS)).is_ok());
    assert_eq!(
        QrMatrix::encode(&"A".repeat(MAX_QR_PAYLOAD_CHARS + 1)),
        Err(QrError::TooLong {
            max_version: MAX_QR_VERSION
        })
    );
}

#[test]
fn too_long_or_not_alphanumeric_payload_is_refused() {
    assert_eq!(
        QrMatrix::encode(&"A".repeat(400)),
        Err(QrError::TooLong {
            max_version: MAX_QR_VERSION
        })
    );
    assert_eq!(QrMatrix::encode("VH1:abc"), Err(QrError::NotAlphanumeric));
    assert!(QrMatrix::encode(&"A".repeat(150)).is_ok());
}

#[test]
fn png_has_the_quiet_zone_and_scale() {
    let matrix = QrMatrix::encode(&payload()).unwrap();
    let png = matrix.to_png(4).unwrap();
    let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
        .unwrap()
        .to_luma8();
    let side = (matrix.size + 8) * 4;
    assert_eq!(image.dimensions(), (side, side));
    assert_eq!(image.get_pixel(15, 15).0, [255], "quiet zone");
    assert_eq!(image.get_pixel(16, 16).0, [0], "finder pattern");
    assert_eq!(matrix.to_png(0), Err(QrError::InvalidScale));
    assert_eq!(matrix.to_png(1000), Err(QrError::InvalidScale));
}

fn frame_check(image: &GrayImage, trust: &TrustList) -> Verification {
    let frame = LumaFrame {
        width: image.width(),
        height: image.height(),
        luma: image.as_raw(),
    };
    verify_image(&frame, trust, &RevocationList::empty(), now())
}

/// The QR PNG, decoded again, scaled by 1.5 with a filter, turned 90°, with seeded noise, on a
/// grey 1920×1080 frame: what a camera might see.
fn camera_frame(payload: &str, seed: u64) -> GrayImage {
    let png = QrMatrix::encode(payload).unwrap().to_png(4).unwrap();
    let qr = image::load_from_memory(&png).unwrap().to_luma8();
    let scaled = imageops::resize(
        &qr,
        qr.width() * 3 / 2,
        qr.height() * 3 / 2,
        FilterType::Triangle,
    );
    let turned = imageops::rotate90(&scaled);
    let mut frame = GrayImage::from_pixel(1920, 1080, Luma([180]));
    imageops::overlay(&mut frame, &turned, 700, 200);
    let mut rng = StdRng::seed_from_u64(seed);
    for pixel in frame.pixels_mut() {
        let noisy = i16::from(pixel.0[0]) + rng.random_range(-40..=40);
        pixel.0[0] = noisy.clamp(0, 255) as u8;
    }
    frame
}

#[test]
fn qr_through_a_camera_like_path_verifies() {
    let trust = trust_of(&[&key(1)]);
    let frame = camera_frame(&payload(), 42);
    assert!(matches!(
        frame_check(&frame, &trust),
        Verification::Valid { .. }
    ));
}

#[test]
fn frames_without_one_readable_code_are_unreadable_not_false() {
    let trust = trust_of(&[&key(1)]);
    let blank = GrayImage::from_pixel(640, 480, Luma([200]));
    assert_eq!(
        frame_check(&blank, &trust),
        Verification::Unreadable {
            reason: "no QR code found"
        }
    );

    let qr = image::load_from_memory(&QrMatrix::encode(&payload()).unwrap().to_png(3).unwrap())
        .unwrap()
        .to_luma8();
    let mut two = GrayImage::from_pixel(qr.width() * 2 + 40, qr.height() + 20, Luma([255]));
    imageops::overlay(&mut two, &qr, 10, 10);
    imageops::overlay(&mut two, &qr, i64::from(qr.width()) + 30, 10);
    assert_eq!(
        frame_check(&two, &trust),
        Verification::Unreadable {
            reason: "several QR codes found"
        }
    );

    // A QR code of something else is read, then refused as a certificate.
    let other = QrMatrix::encode("HELLO WORLD")
        .unwrap()
        .to_image(4)
        .unwrap();
    assert_eq!(
        frame_check(&other, &trust),
        Verification::Malformed {
            reason: "unknown payload prefix"
        }
    );

    let mut rng = StdRng::seed_from_u64(7);
    let noise = GrayImage::from_fn(320, 240, |_, _| Luma([rng.random()]));
    assert!(matches!(
        frame_check(&noise, &trust),
        Verification::Unreadable { .. }
    ));
}

#[test]
fn bad_frame_sizes_are_refused_without_decoding() {
    let trust = trust_of(&[&key(1)]);
    let revocations = RevocationList::empty();
    let small = vec![0u8; 100];
    let cases = [
        (
            LumaFrame {
                width: 10,
                height: 11,
                luma: &small,
            },
            "frame size does not match its pixels",
        ),
        (
            LumaFrame {
                width: 0,
                height: 10,
                luma: &[],
            },
            "empty frame",
        ),
        (
            LumaFrame {
                width: 10_000,
                height: 5_000,
                luma: &small,
            },
            "frame too large",
        ),
        (
            LumaFrame {
                width: u32::MAX,
                height: u32::MAX,
                luma: &small,
            },
            "frame too large",
        ),
    ];
    for (frame, expected) in cases {
        assert_eq!(
            verify_image(&frame, &trust, &revocations, now()),
            Verification::Unreadable { reason: expected }
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Trust and revocation lists.

/// The trust anchor of these tests: a key of its own, not an issuer key.
fn anchor() -> SigningKey {
    key(200)
}

fn anchors_of(keys: &[&SigningKey]) -> TrustAnchors {
    TrustAnchors::new(keys.iter().map(|k| *k.verifying_key()).collect()).unwrap()
}

#[test]
fn trust_list_round_trips_signed_by_an_anchor() {
    let trust = TrustList::new(vec![trusted(&key(1), 10, 20), trusted(&key(2), 15, 99)])
        .unwrap()
        .with_sequence(7, at(NOW))
        .unwrap();
    let signed = trust.sign(&anchor()).unwrap();
    let back = TrustList::from_signed(&signed, &anchors_of(&[&key(9), &anchor()])).unwrap();
    assert_eq!(back.keys(), trust.keys());
    assert_eq!(back.sequence(), 7);
    assert_eq!(back.issued_at(), at(NOW));
    assert_eq!(back.signed_bytes(), signed.as_slice());
    assert_eq!(back.keys()[1].not_after(), at(99));
    assert_eq!(
        back.find(&key_id(key(2).verifying_key()))
            .unwrap()
            .not_before(),
        at(15)
    );
    // The cached bytes load again.
    let again = TrustList::from_signed(back.signed_bytes(), &anchors_of(&[&anchor()])).unwrap();
    assert_eq!(again, back);
}

#[test]
fn unsigned_forged_and_foreign_trust_lists_are_refused() {
    let trust = TrustList::new(vec![trusted(&key(1), 1, 2)])
        .unwrap()
        .with_sequence(3, at(NOW))
        .unwrap();
    let anchors = anchors_of(&[&anchor()]);
    let signed = trust.sign(&anchor()).unwrap();
    // Signed by a key that is not an anchor (an issuer key, say).
    assert_eq!(
        TrustList::from_signed(&trust.sign(&key(1)).unwrap(), &anchors),
        Err(TrustError::UnknownAnchor)
    );
    // No anchors configured: nothing is accepted.
    assert_eq!(
        TrustList::from_signed(&signed, &TrustAnchors::default()),
        Err(TrustError::UnknownAnchor)
    );
    // Forged: the anchor's key id, another key's signature.
    let mut sign1 = CoseSign1::from_tagged_slice(&signed).unwrap();
    let other = CoseSign1::from_tagged_slice(&trust.sign(&key(5)).unwrap()).unwrap();
    sign1.signature = other.signature;
    assert_eq!(
        TrustList::from_signed(&sign1.to_tagged_vec().unwrap(), &anchors),
        Err(TrustError::BadSignature)
    );
    // Tampered: a key added to the signed payload.
    let mut sign1 = CoseSign1::from_tagged_slice(&signed).unwrap();
    let bigger = TrustList::new(vec![trusted(&key(1), 1, 2), trusted(&key(6), 1, 2)])
        .unwrap()
        .with_sequence(3, at(NOW))
        .unwrap();
    let bigger_signed = CoseSign1::from_tagged_slice(&bigger.sign(&anchor()).unwrap()).unwrap();
    sign1.payload = bigger_signed.payload;
    assert_eq!(
        TrustList::from_signed(&sign1.to_tagged_vec().unwrap(), &anchors),
        Err(TrustError::BadSignature)
    );
    // The unsigned CBOR map of earlier versions.
    let plain = CoseSign1::from_tagged_slice(&signed)
        .unwrap()
        .payload
        .unwrap();
    assert_eq!(
        TrustList::from_signed(&plain, &anchors),
        Err(TrustError::Unsigned)
    );
    // A revocation list is not a trust list, though the anchor signed it.
    let revocations = sign_revocation_list(&[], now(), at(NOW + DAY), &anchor()).unwrap();
    assert!(matches!(
        TrustList::from_signed(&revocations, &anchors),
        Err(TrustError::Malformed(_))
    ));
}

#[test]
fn an_older_or_renumbered_trust_list_does_not_replace_the_cached_one() {
    let list = |seq: u64, keys: &[&SigningKey]| {
        TrustList::new(keys.iter().map(|k| trusted(k, 1, 2)).collect())
            .unwrap()
            .with_sequence(seq, at(NOW))
            .unwrap()
    };
    let cached = list(5, &[&key(1)]);
    assert_eq!(
        cached.check_replaces(&list(4, &[&key(1), &key(2)])),
        Err(TrustError::Rollback {
            cached: 5,
            offered: 4
        })
    );
    assert_eq!(
        cached.check_replaces(&list(5, &[&key(2)])),
        Err(TrustError::SequenceReused)
    );
    assert_eq!(cached.check_replaces(&list(5, &[&key(1)])), Ok(()));
    assert_eq!(cached.check_replaces(&list(6, &[&key(2)])), Ok(()));
}

#[test]
fn trust_anchors_read_and_write_as_text() {
    let text = anchor_to_text(anchor().verifying_key()).unwrap();
    assert!(!text.contains('\n'));
    assert_eq!(&anchor_from_text(&text).unwrap(), anchor().verifying_key());
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n{}\n-----END PUBLIC KEY-----\n",
        &text[..64],
        &text[64..]
    );
    assert_eq!(&anchor_from_text(&pem).unwrap(), anchor().verifying_key());
    let anchors = TrustAnchors::from_texts(std::slice::from_ref(&text)).unwrap();
    assert_eq!(anchors.keys(), &[*anchor().verifying_key()]);
    for bad in ["", "   ", "not base64!", "AAAA", &text[..40]] {
        assert!(
            matches!(anchor_from_text(bad), Err(TrustError::BadAnchor(_))),
            "{bad:?}"
        );
    }
    assert!(matches!(
        TrustAnchors::from_texts(&[text.clone(), text.clone()]),
        Err(TrustError::BadAnchor(_))
    ));
    // The error names no part of the text.
    let e = anchor_from_text("c2VjcmV0LXRleHQ=")
        .unwrap_err()
        .to_string();
    assert!(!e.contains("c2VjcmV0"), "{e}");
}

#[test]
fn bad_trust_lists_are_refused() {
    assert_eq!(
        TrustList::new(vec![trusted(&key(1), 1, 2), trusted(&key(1), 3, 4)]),
        Err(TrustError::DuplicateKeyId)
    );
    assert_eq!(
        TrustedKey::new(*key(1).verifying_key(), at(5), at(5)),
        Err(TrustError::EmptyValidity)
    );
    let anchors = anchors_of(&[&anchor()]);
    let list = TrustList::new(vec![trusted(&key(1), 1, 2)])
        .unwrap()
        .with_sequence(1, at(NOW))
        .unwrap();
    let signed = list.sign(&anchor()).unwrap();
    let body = CoseSign1::from_tagged_slice(&signed)
        .unwrap()
        .payload
        .unwrap();
    // A key id that is not the key's, signed by the anchor all the same.
    let kid = key_id(key(1).verifying_key());
    let at_kid = body.windows(8).position(|w| w == kid).unwrap();
    let mut wrong = body.clone();
    wrong[at_kid] ^= 1;
    let resigned = |payload: Vec<u8>| {
        CoseSign1Builder::new()
            .protected(
                HeaderBuilder::new()
                    .algorithm(iana::Algorithm::ES256)
                    .key_id(key_id(anchor().verifying_key()).to_vec())
                    .content_type(TRUST_LIST_CONTENT_TYPE.to_owned())
                    .build(),
            )
            .payload(payload)
            .create_signature(b"", |data| {
                let signature: Signature = anchor().sign(data);
                signature.to_vec()
            })
            .build()
            .to_tagged_vec()
            .unwrap()
    };
    assert_eq!(
        TrustList::from_signed(&resigned(wrong), &anchors),
        Err(TrustError::KeyIdMismatch)
    );
    assert!(matches!(
        TrustList::from_signed(&resigned(body[..body.len() - 1].to_vec()), &anchors),
        Err(TrustError::Malformed(_))
    ));
    assert!(matches!(
        TrustList::from_signed(b"", &anchors),
        Err(TrustError::Malformed(_))
    ));
    assert!(matches!(
        TrustList::from_signed(&signed[..signed.len() - 1], &anchors),
        Err(TrustError::Malformed(_))
    ));
    let mut rng = StdRng::seed_from_u64(3);
    for _ in 0..500 {
        let mut fuzzed = signed.clone();
        let i = rng.random_range(0..fuzzed.len());
        fuzzed[i] = rng.random();
        if fuzzed != signed {
            // Any change to the signed bytes is refused, or is a change outside what the
            // signature covers that leaves the very same list.
            if let Ok(back) = TrustList::from_signed(&fuzzed, &anchors) {
                assert_eq!(back.keys(), list.keys());
                assert_eq!(back.sequence(), 1);
            }
        }
    }
}

#[test]
fn revocation_list_round_trips_and_is_verified() {
    let trust = trust_of(&[&key(1)]);
    let ids = [CertificateId([3; 8]), CertificateId([1; 8])];
    let signed = sign_revocation_list(&ids, now(), at(NOW + DAY), &key(1)).unwrap();
    let list = RevocationList::from_cbor(&signed, &trust).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.is_revoked(&CertificateId([3; 8])));
    assert!(!list.is_revoked(&CertificateId([2; 8])));
    assert_eq!(list.issued_at(), Some(now()));
    assert!(!list.is_stale(now()));
    assert!(list.is_stale(at(NOW + DAY)));
    let cached = RevocationList::from_cbor(&list.to_cbor(), &trust).unwrap();
    assert_eq!(cached, list);
    assert!(RevocationList::empty().is_older_than(&list));
    let newer = sign_revocation_list(&[], at(NOW + 1), at(NOW + DAY), &key(1)).unwrap();
    let newer = RevocationList::from_cbor(&newer, &trust).unwrap();
    assert!(list.is_older_than(&newer));
    assert_eq!(list.check_replaces(&newer), Ok(()));
    assert_eq!(newer.check_replaces(&list), Err(RevocationError::Rollback));
    assert_eq!(list.check_replaces(&cached), Ok(()));
    assert_eq!(list.age(at(NOW + 90)), Some(Duration::from_secs(90)));
    assert_eq!(list.age(at(NOW - 90)), Some(Duration::ZERO));
    assert_eq!(RevocationList::empty().age(now()), None);
}

#[test]
fn bad_revocation_lists_are_refused() {
    let trust = trust_of(&[&key(1)]);
    let signed =
        sign_revocation_list(&[CertificateId([3; 8])], now(), at(NOW + DAY), &key(1)).unwrap();
    // A changed signature byte.
    let mut bad = signed.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(
        RevocationList::from_cbor(&bad, &trust),
        Err(RevocationError::Untrusted)
    );
    // A changed id (the body), signature untouched.
    let mut bad = signed.clone();
    let at_id = bad.windows(8).position(|w| w == [3; 8]).unwrap();
    bad[at_id] = 4;
    assert_eq!(
        RevocationList::from_cbor(&bad, &trust),
        Err(RevocationError::Untrusted)
    );
    // An untrusted signer.
    let other = sign_revocation_list(&[], now(), at(NOW + DAY), &key(2)).unwrap();
    assert_eq!(
        RevocationList::from_cbor(&other, &trust),
        Err(RevocationError::Untrusted)
    );
    // A certificate is not a revocation list.
    assert!(matches!(
        RevocationList::from_cbor(&cose_bytes(&payload()), &trust),
        Err(RevocationError::Malformed("unexpected content type"))
    ));
    assert_eq!(
        sign_revocation_list(&[], now(), now(), &key(1)),
        Err(RevocationError::EmptyPeriod)
    );
    let mut rng = StdRng::seed_from_u64(11);
    for _ in 0..300 {
        let mut fuzzed = signed.clone();
        let i = rng.random_range(0..fuzzed.len());
        fuzzed[i] ^= rng.random_range(1..=255u8);
        assert!(RevocationList::from_cbor(&fuzzed, &trust).is_err());
    }
}

#[test]
fn a_damaged_qr_code_is_unreadable_not_false() {
    let trust = trust_of(&[&key(1)]);
    let matrix = QrMatrix::encode(&payload()).unwrap();
    let mut image = matrix.to_image(4).unwrap();
    // Blank about half of the code, far more than error correction Q restores, while the
    // three finder patterns and the timing patterns stay intact so the code is still found.
    let side = image.width();
    for y in side / 5..side * 4 / 5 {
        for x in side / 5..side * 19 / 20 {
            image.put_pixel(x, y, Luma([255]));
        }
    }
    assert_eq!(
        frame_check(&image, &trust),
        Verification::Unreadable {
            reason: "QR code unreadable"
        }
    );
}

// ---------------------------------------------------------------------------------------------
// The QR search on large frames: bounded, and still reading what a camera sees.

/// A certificate's QR code as a camera might photograph it: drawn `module` pixels a module
/// (with its quiet zone), turned by `degrees` about `center`, on a `width` × `height` frame
/// lit unevenly (a grey ramp), with seeded noise. Each pixel averages four samples, so edges
/// are soft as through a lens.
fn photo(
    payload: &str,
    (width, height): (u32, u32),
    module: f64,
    degrees: f64,
    center: (f64, f64),
    seed: u64,
) -> GrayImage {
    let matrix = QrMatrix::encode(payload).unwrap();
    let quiet = f64::from(QUIET_ZONE_MODULES);
    let side = f64::from(matrix.size) + 2.0 * quiet;
    let (sin, cos) = degrees.to_radians().sin_cos();
    let mut rng = StdRng::seed_from_u64(seed);
    GrayImage::from_fn(width, height, |x, y| {
        let background = 90.0 + 100.0 * f64::from(x) / f64::from(width);
        let mut value = 0.0;
        for (sx, sy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
            let (dx, dy) = (f64::from(x) + sx - center.0, f64::from(y) + sy - center.1);
            let u = (dx * cos + dy * sin) / module + side / 2.0;
            let v = (-dx * sin + dy * cos) / module + side / 2.0;
            value += if (0.0..side).contains(&u) && (0.0..side).contains(&v) {
                let (mx, my) = (u - quiet, v - quiet);
                let dark = mx >= 0.0 && my >= 0.0 && matrix.is_dark(mx as u32, my as u32);
                if dark { 35.0 } else { 225.0 }
            } else {
                background
            } / 4.0;
        }
        let noisy = value + f64::from(rng.random_range(-25i16..=25));
        Luma([noisy.clamp(0.0, 255.0) as u8])
    })
}

/// A frame of black-and-white noise: every pixel black or white at random.
fn noise_frame(width: u32, height: u32, seed: u64) -> GrayImage {
    let mut rng = StdRng::seed_from_u64(seed);
    GrayImage::from_fn(width, height, |_, _| {
        Luma([if rng.random::<bool>() { 0 } else { 255 }])
    })
}

#[test]
fn noise_frames_of_2500_square_and_larger_are_unreadable_not_a_panic() {
    // 2500 × 2500 made rqrr's whole-frame search spin for minutes (and overflow); 12 MP and
    // near the 40 MP cap were worse.
    let trust = trust_of(&[&key(1)]);
    for (seed, (width, height)) in [(2500, 2500), (4000, 3000), (7300, 5475)]
        .into_iter()
        .enumerate()
    {
        let noise = noise_frame(width, height, seed as u64);
        let verdict = frame_check(&noise, &trust);
        assert!(
            matches!(
                verdict,
                Verification::Unreadable {
                    reason: "no QR code found" | "QR decoder failed" | "QR search took too long"
                }
            ),
            "{width}x{height}: {verdict:?}"
        );
    }
}

#[test]
fn a_certificate_in_large_turned_and_small_photos_still_verifies() {
    let trust = trust_of(&[&key(1)]);
    let p = payload();
    let cases = [
        // 1080p, the code a third of the height, turned 17°.
        ((1920, 1080), 5.0, 17.0, (700.0, 500.0)),
        // 12 MP, the code filling a third of the width, turned 30°.
        ((4000, 3000), 18.0, 30.0, (2300.0, 1400.0)),
        // 12 MP, small: 5 pixels a module (the code 345 pixels wide), turned 80°, off centre.
        ((4000, 3000), 5.0, 80.0, (900.0, 2400.0)),
        // Near the 40 MP cap, turned 45° (the widest crop).
        ((7300, 5475), 22.0, 45.0, (3000.0, 2800.0)),
    ];
    for (seed, (size, module, degrees, center)) in cases.into_iter().enumerate() {
        let frame = photo(&p, size, module, degrees, center, seed as u64);
        let verdict = frame_check(&frame, &trust);
        assert!(
            matches!(verdict, Verification::Valid { .. }),
            "{size:?}, {module} px a module, {degrees}°: {verdict:?}"
        );
    }
}

#[test]
fn a_real_frame_above_the_pixel_cap_is_refused() {
    let trust = trust_of(&[&key(1)]);
    // 40 000 001 pixels with every byte present, so only the cap can refuse it.
    let luma = vec![200u8; 8_000 * 5_001];
    let frame = LumaFrame {
        width: 8_000,
        height: 5_001,
        luma: &luma,
    };
    assert_eq!(
        verify_image(&frame, &trust, &RevocationList::empty(), now()),
        Verification::Unreadable {
            reason: "frame too large"
        }
    );
}
