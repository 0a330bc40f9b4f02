//! The certificate through the crate's public API only, the way the server (issuing), the
//! member's app (showing) and the worker's app (checking, offline, from cached lists) use it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use lofavor_certificate::{
    CertificateClaims, CertificateId, Cover, CoverProduct, HolderName, LumaFrame, QrMatrix,
    RevocationList, TrustAnchors, TrustList, TrustedKey, VehicleRegistration, Verification,
    anchor_to_text, issue, key_id, sign_revocation_list, verify, verify_image,
};
use p256::ecdsa::SigningKey;

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn issue_show_cache_and_check_offline() {
    let now = at(1_781_524_800);
    let day = Duration::from_secs(86_400);

    // Server: a signing key, the trust list it publishes, a certificate, a revocation list.
    let key = SigningKey::from_slice(&[0x11; 32]).unwrap();
    let trust = TrustList::new(vec![
        TrustedKey::new(*key.verifying_key(), now - 100 * day, now + 300 * day).unwrap(),
    ])
    .unwrap()
    .with_sequence(1, now)
    .unwrap();
    assert_eq!(trust.keys()[0].key_id(), key_id(key.verifying_key()));
    // The trust list is signed by the trust anchor, a key of its own that the apps ship with.
    let anchor = SigningKey::from_slice(&[0x22; 32]).unwrap();
    let signed_trust = trust.sign(&anchor).unwrap();
    let anchors =
        TrustAnchors::from_texts(&[anchor_to_text(anchor.verifying_key()).unwrap()]).unwrap();
    let claims = CertificateClaims {
        certificate_id: CertificateId::random(),
        cover: Cover {
            product: CoverProduct::Veihjelp,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        },
        holder: HolderName::from_names("Ola Johan", "Nordmann").unwrap(),
        vehicle: Some(VehicleRegistration::parse("AB 12345").unwrap()),
    };
    let payload = issue(&claims, &key, now, now + 30 * day).unwrap();
    let revocations = sign_revocation_list(&[], now, now + day, &key).unwrap();

    // Member's app: the QR code as modules to draw and as a PNG.
    let matrix = QrMatrix::encode(&payload).unwrap();
    assert!(matrix.side_with_quiet_zone() > 60);
    let png = matrix.to_png(5).unwrap();

    // Worker's app: lists from the cache, then the camera frame.
    let trust = TrustList::from_signed(&signed_trust, &anchors).unwrap();
    let revocations = RevocationList::from_cbor(&revocations, &trust).unwrap();
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    let frame = LumaFrame {
        width: image.width(),
        height: image.height(),
        luma: image.as_raw(),
    };
    let outcome = verify_image(&frame, &trust, &revocations, now + day);
    match outcome {
        Verification::Valid {
            cover,
            holder,
            vehicle,
            expires_at,
        } => {
            assert_eq!(cover.product.name(), "Veihjelp");
            assert_eq!(holder.as_str(), "Ola N.");
            assert_eq!(vehicle.unwrap().as_str(), "AB12345");
            assert_eq!(expires_at, now + 30 * day);
        }
        other => panic!("not valid: {other:?}"),
    }
    assert_eq!(
        verify(&payload, &trust, &revocations, now + 31 * day),
        Verification::Expired {
            expired_at: now + 30 * day
        }
    );
}
