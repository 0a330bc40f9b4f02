//! The roadside certificate as the server issues it: it verifies against the published trust
//! list, carries the seeded cover, survives a restart, is revoked through the signed list and
//! the status lookup, and keeps verifying across a key rotation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::SystemTime;

use lofavor_certificate::{
    CoverProduct, RevocationList, TrustAnchors, TrustList, Verification, anchor_from_text, verify,
};
use lofavor_server::RunningServer;
use serde_json::Value;
use support::*;

async fn certificate(base: &str, access: &str) -> Value {
    let response = http()
        .post(format!("{base}v1/roadside/certificate"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn bytes(url: String) -> Vec<u8> {
    let response = http().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

/// The published trust list, checked against the server's trust anchor (which a verifier
/// is configured with, never fetches).
async fn trust(server: &RunningServer) -> TrustList {
    let anchors = TrustAnchors::from_texts(&[server.trust_anchor()]).unwrap();
    let signed = bytes(format!("{}v1/roadside/trust-list", server.base_url())).await;
    TrustList::from_signed(&signed, &anchors).unwrap()
}

async fn revocations(base: &str, trust: &TrustList) -> RevocationList {
    RevocationList::from_cbor(
        &bytes(format!("{base}v1/roadside/revocations")).await,
        trust,
    )
    .unwrap()
}

async fn status(base: &str, id: &str) -> String {
    let body: Value = http()
        .get(format!("{base}v1/roadside/certificates/{id}/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_issued_certificate_verifies_with_the_seeded_cover_and_no_membership() {
    let s = start().await;
    let base = s.base();
    let kari = login(&s.issuer(), "kari").await;
    let body = certificate(&base, kari["access_token"].as_str().unwrap()).await;
    let payload = body["payload"].as_str().unwrap();
    assert!(payload.starts_with("VH1:"));
    assert!(!payload.contains("FELLESFORBUNDET"));
    assert_eq!(body["cover"]["vehicle"], "EV12345");
    let trust = trust(&s.server).await;
    let now = SystemTime::now();
    match verify(payload, &trust, &RevocationList::empty(), now) {
        Verification::Valid {
            cover,
            holder,
            vehicle,
            expires_at,
        } => {
            assert_eq!(cover.product, CoverProduct::VeihjelpPluss);
            assert_eq!(holder.as_str(), "Kari N.");
            assert_eq!(vehicle.unwrap().as_str(), "EV12345");
            let days = expires_at.duration_since(now).unwrap().as_secs() / 86_400;
            assert!((29..=30).contains(&days), "{days}");
            let exp = body["expires_at"].as_i64().unwrap();
            assert_eq!(lofavor_certificate::time::unix_seconds(expires_at), exp);
        }
        other => panic!("{other:?}"),
    }
    let ola = login(&s.issuer(), "ola").await;
    let body = certificate(&base, ola["access_token"].as_str().unwrap()).await;
    assert_eq!(body["cover"]["product"], "Veihjelp");
    assert!(body["cover"]["vehicle"].is_null());
    match verify(
        body["payload"].as_str().unwrap(),
        &trust,
        &RevocationList::empty(),
        now,
    ) {
        Verification::Valid {
            holder, vehicle, ..
        } => {
            assert_eq!(holder.as_str(), "Ola N.");
            assert!(vehicle.is_none());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_member_without_cover_gets_no_certificate() {
    let s = start().await;
    rusqlite::Connection::open(s.dir.path().join("server.db"))
        .unwrap()
        .execute("DELETE FROM roadside_cover WHERE member_id = 'ola'", [])
        .unwrap();
    let ola = login(&s.issuer(), "ola").await;
    let response = http()
        .post(format!("{}v1/roadside/certificate", s.base()))
        .bearer_auth(ola["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "no_cover");
}

#[tokio::test]
async fn revocation_reaches_the_signed_list_and_the_status_lookup() {
    let s = start().await;
    let base = s.base();
    let kari = login(&s.issuer(), "kari").await;
    let access = kari["access_token"].as_str().unwrap();
    let body = certificate(&base, access).await;
    let (payload, id) = (
        body["payload"].as_str().unwrap(),
        body["certificate_id"].as_str().unwrap(),
    );
    let trust = trust(&s.server).await;
    assert!(revocations(&base, &trust).await.is_empty());
    assert_eq!(status(&base, id).await, "valid");
    assert_eq!(status(&base, "0011223344556677").await, "unknown");

    let revoked = http()
        .post(format!("{base}v1/roadside/certificates/{id}/revoke"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(status(&base, id).await, "revoked");
    let list = revocations(&base, &trust).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        verify(payload, &trust, &list, SystemTime::now()),
        Verification::Revoked
    );
}

#[tokio::test]
async fn certificates_survive_a_restart_and_a_key_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let first = lofavor_server::start(lofavor_server::ServerConfig::loopback(dir.path()))
        .await
        .unwrap();
    let kari = login(first.issuer_url(), "kari").await;
    let body = certificate(&first.base_url(), kari["access_token"].as_str().unwrap()).await;
    let old_payload = body["payload"].as_str().unwrap().to_owned();
    let before = trust(&first).await;
    let first_anchor = first.trust_anchor().to_owned();
    first.stop().await;

    // Same data directory: the same key, so the old certificate still verifies.
    let second = lofavor_server::start(lofavor_server::ServerConfig::loopback(dir.path()))
        .await
        .unwrap();
    let after = trust(&second).await;
    assert_eq!(before, after);
    assert_eq!(
        first_anchor,
        second.trust_anchor(),
        "the anchor key is kept"
    );
    assert_eq!(after.sequence(), 1);
    // The key is about to run out: the next request rotates to a new one.
    rusqlite::Connection::open(dir.path().join("server.db"))
        .unwrap()
        .execute(
            "UPDATE roadside_key SET not_after = strftime('%s', 'now') + 3600",
            [],
        )
        .unwrap();
    let kari = login(second.issuer_url(), "kari").await;
    let body = certificate(&second.base_url(), kari["access_token"].as_str().unwrap()).await;
    let rotated = trust(&second).await;
    assert_eq!(rotated.keys().len(), 2, "the previous key stays listed");
    assert_eq!(rotated.sequence(), 2, "a changed key set is a newer list");
    assert!(rotated.issued_at() >= after.issued_at());
    assert_eq!(after.check_replaces(&rotated), Ok(()));
    assert!(
        rotated.check_replaces(&after).is_err(),
        "the older list is refused"
    );
    // The anchor is not an issuer key, and no response carries it for a client to adopt.
    let anchor = anchor_from_text(second.trust_anchor()).unwrap();
    assert!(rotated.keys().iter().all(|k| *k.verifying_key() != anchor));
    let point = anchor.to_sec1_point(false).as_bytes().to_vec();
    for path in [
        "v1/roadside/trust-list",
        "v1/roadside/revocations",
        "oidc/jwks",
    ] {
        let body = bytes(format!("{}{path}", second.base_url())).await;
        assert!(
            !body.windows(point.len()).any(|w| w == point.as_slice()),
            "{path} carries the anchor"
        );
    }
    let now = SystemTime::now();
    let empty = RevocationList::empty();
    assert!(matches!(
        verify(&old_payload, &rotated, &empty, now),
        Verification::Valid { .. }
    ));
    let new_payload = body["payload"].as_str().unwrap();
    assert!(matches!(
        verify(new_payload, &rotated, &empty, now),
        Verification::Valid { .. }
    ));
    assert_eq!(
        verify(new_payload, &before, &empty, now),
        Verification::UntrustedIssuer,
        "the new key signs"
    );
    second.stop().await;
}
