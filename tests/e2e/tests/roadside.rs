//! The roadside certificate end to end: the core against the real reference server on
//! loopback. The member fetches it, sees it offline, gets it renewed when fewer than 7 days
//! remain and told plainly when it has expired, and logout erases it; a field worker checks it
//! offline from cached lists, sees a revocation after refreshing them, and looks it up online.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::roadside::certificate::{CoverProduct, Verification};
use lofavor_core::roadside::{CertificateStatus, OnlineStatus};
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};

const DEAD_API: &str = "http://127.0.0.1:9/";
const DAY: Duration = Duration::from_secs(24 * 60 * 60);

struct Device {
    dir: tempfile::TempDir,
    secrets: Arc<MemoryStandInStore>,
    server: RunningServer,
}

impl Device {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let server = start(ServerConfig::loopback(dir.path().join("server")))
            .await
            .unwrap();
        Self {
            dir,
            secrets: Arc::new(MemoryStandInStore::new()),
            server,
        }
    }

    /// Opens the app with the member API at `api` (the issuer and the trust anchor stay
    /// the server's).
    fn core_with_api(&self, api: &str) -> Core {
        self.core_trusting(api, self.server.trust_anchor())
    }

    /// Opens the app with the member API at `api`, trusting lists signed by `anchor`.
    fn core_trusting(&self, api: &str, anchor: &str) -> Core {
        let config = CoreConfig {
            data_dir: self.dir.path().join("core"),
            api_base_url: api.into(),
            oidc_issuer: self.server.issuer_url().into(),
            oidc_client_id: "lofavor-android".into(),
            redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::ShellProvided,
            trust_anchors: vec![anchor.into()],
        };
        let platform = Platform {
            secure_store: Some(self.secrets.clone() as Arc<dyn SecureStore>),
            logger: None,
        };
        Core::open(config, platform).unwrap()
    }

    fn core(&self) -> Core {
        self.core_with_api(&self.server.base_url())
    }

    fn api(&self) -> String {
        self.server.base_url()
    }
}

/// Logs `member` in by driving the embedded issuer's picker page as a browser would.
async fn log_in(core: &Core, member: &str) {
    let authorize = core.auth().begin_login().await.unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&authorize, member)
        .await
        .unwrap();
    core.auth().complete_login(&redirect).await.unwrap();
}

/// Sets the stored expiry of the cached certificate.
fn set_stored_expiry(core: &Core, expires_at: SystemTime) {
    let secs = lofavor_core::time::unix_seconds(expires_at);
    core.store()
        .with_conn_for_tests(|c| {
            c.execute("UPDATE roadside_certificate SET expires_at = ?1", [secs])?;
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn the_member_sees_the_certificate_offline_and_it_is_renewed_and_expires_plainly() {
    let device = Device::new().await;
    let core = device.core();
    log_in(&core, "kari").await;
    let first = core.roadside().certificate().await.unwrap();
    assert_eq!(first.status, CertificateStatus::Valid);
    assert_eq!(first.holder.as_str(), "Kari N.");
    assert_eq!(first.cover.product, CoverProduct::VeihjelpPluss);
    assert_eq!(first.vehicle.as_ref().unwrap().as_str(), "EV12345");
    assert_eq!(first.qr.modules.len() as u32, first.qr.size * first.qr.size);
    assert!(first.payload.starts_with("VH1:"));
    // A second call with plenty of time left keeps the cached one.
    let again = core.roadside().certificate().await.unwrap();
    assert_eq!(again.certificate_id, first.certificate_id);
    drop(core);

    // Offline: the app restarts with no reachable member API; the certificate still shows.
    let offline = device.core_with_api(DEAD_API);
    let cached = offline.roadside().certificate().await.unwrap();
    assert_eq!(cached.certificate_id, first.certificate_id);
    assert_eq!(cached.status, CertificateStatus::Valid);
    // Few days left and offline: still shown, saying so.
    set_stored_expiry(
        &offline,
        SystemTime::now() + 3 * DAY - Duration::from_secs(60),
    );
    let soon = offline.roadside().certificate().await.unwrap();
    assert_eq!(soon.status, CertificateStatus::ExpiresSoon { days: 3 });
    assert_eq!(soon.certificate_id, first.certificate_id);
    // Expired and offline: shown, and plainly expired.
    set_stored_expiry(&offline, SystemTime::now() - DAY);
    let expired = offline.roadside().certificate().await.unwrap();
    assert_eq!(expired.status, CertificateStatus::Expired);
    assert!(offline.roadside().renew_certificate().await.is_err());
    drop(offline);

    // Online again with fewer than 7 days left: renewed.
    let online = device.core();
    set_stored_expiry(&online, SystemTime::now() + 2 * DAY);
    let renewed = online.roadside().certificate().await.unwrap();
    assert_ne!(renewed.certificate_id, first.certificate_id);
    assert_eq!(renewed.status, CertificateStatus::Valid);
    // The clock as a parameter: 25 days on, the renewed one is due again and is renewed.
    let later = online
        .roadside()
        .certificate_at(SystemTime::now() + 25 * DAY)
        .await
        .unwrap();
    assert_ne!(later.certificate_id, renewed.certificate_id);
}

#[tokio::test]
async fn with_nothing_cached_and_no_network_the_answer_is_plain() {
    let device = Device::new().await;
    let core = device.core();
    log_in(&core, "ola").await;
    drop(core);
    let offline = device.core_with_api(DEAD_API);
    let err = offline.roadside().certificate().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CertificateUnavailable);
    assert!(err.reason().contains("go online"), "{err}");
    assert!(offline.roadside().cached_certificate().unwrap().is_none());
    // A worker's first run: no trust list yet is a typed error, not a verdict.
    let err = offline
        .roadside()
        .verify_certificate("VH1:ANYTHING")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TrustListMissing);
    assert!(offline.roadside().trust_material().unwrap().is_none());
}

#[tokio::test]
async fn a_worker_verifies_offline_sees_a_revocation_after_refreshing_and_looks_it_up() {
    let device = Device::new().await;
    let member = device.core();
    log_in(&member, "kari").await;
    let certificate = member.roadside().certificate().await.unwrap();

    // The worker's app is another device: fresh data directory.
    let worker_device = Device {
        dir: tempfile::tempdir().unwrap(),
        secrets: Arc::new(MemoryStandInStore::new()),
        server: start(ServerConfig::loopback(device.dir.path().join("unused")))
            .await
            .unwrap(),
    };
    let worker = worker_device.core_trusting(&device.api(), device.server.trust_anchor());
    let material = worker.roadside().refresh_trust_material().await.unwrap();
    assert_eq!(material.keys, 1);
    assert_eq!(material.revoked, 0);
    assert!(!material.revocations_stale);
    drop(worker);

    let offline_worker = worker_device.core_trusting(DEAD_API, device.server.trust_anchor());
    match offline_worker
        .roadside()
        .verify_certificate(&certificate.payload)
        .unwrap()
    {
        Verification::Valid { holder, cover, .. } => {
            assert_eq!(holder.as_str(), "Kari N.");
            assert_eq!(cover.product, CoverProduct::VeihjelpPluss);
        }
        other => panic!("{other:?}"),
    }
    // One character changed is not valid.
    let mut tampered: Vec<char> = certificate.payload.chars().collect();
    let at = tampered.len() / 2;
    tampered[at] = if tampered[at] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();
    assert!(!matches!(
        offline_worker
            .roadside()
            .verify_certificate(&tampered)
            .unwrap(),
        Verification::Valid { .. }
    ));
    // The QR code as a camera sees it.
    let scale = 4;
    let side = (certificate.qr.size + 8) * scale;
    let mut luma = vec![255u8; (side * side) as usize];
    for y in 0..certificate.qr.size {
        for x in 0..certificate.qr.size {
            if certificate.qr.modules[(y * certificate.qr.size + x) as usize] {
                for dy in 0..scale {
                    for dx in 0..scale {
                        let (px, py) = ((x + 4) * scale + dx, (y + 4) * scale + dy);
                        luma[(py * side + px) as usize] = 0;
                    }
                }
            }
        }
    }
    assert!(matches!(
        offline_worker
            .roadside()
            .verify_certificate_image(side, side, &luma)
            .unwrap(),
        Verification::Valid { .. }
    ));
    assert!(matches!(
        offline_worker
            .roadside()
            .verify_certificate_image(side, side, &luma[1..])
            .unwrap(),
        Verification::Unreadable { .. }
    ));
    drop(offline_worker);

    // Online lookup, then revocation (the development endpoint, as the member).
    let worker = worker_device.core_trusting(&device.api(), device.server.trust_anchor());
    assert_eq!(
        worker
            .roadside()
            .lookup_certificate_online(&certificate.payload)
            .await
            .unwrap(),
        OnlineStatus::Valid
    );
    let token = member.auth().access_token().await.unwrap();
    let revoked = reqwest::Client::new()
        .post(format!(
            "{}v1/roadside/certificates/{}/revoke",
            device.api(),
            certificate.certificate_id
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(
        worker
            .roadside()
            .lookup_certificate_online(&certificate.payload)
            .await
            .unwrap(),
        OnlineStatus::Revoked
    );
    // Offline with the old list it still looks valid; after a refresh it is revoked.
    assert!(matches!(
        worker
            .roadside()
            .verify_certificate(&certificate.payload)
            .unwrap(),
        Verification::Valid { .. }
    ));
    let material = worker.roadside().refresh_trust_material().await.unwrap();
    assert_eq!(material.revoked, 1);
    assert_eq!(
        worker
            .roadside()
            .verify_certificate(&certificate.payload)
            .unwrap(),
        Verification::Revoked
    );
    let err = worker
        .roadside()
        .lookup_certificate_online("not a payload")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn logout_erases_the_certificate() {
    let device = Device::new().await;
    let core = device.core();
    log_in(&core, "kari").await;
    core.roadside().certificate().await.unwrap();
    assert!(core.roadside().cached_certificate().unwrap().is_some());
    core.auth().logout(false).await.unwrap();
    assert!(core.roadside().cached_certificate().unwrap().is_none());
    let remaining: i64 = core
        .store()
        .with_conn_for_tests(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM roadside_certificate", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(remaining, 0);
    let err = core.roadside().certificate().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotLoggedIn);
}

#[tokio::test]
async fn a_trust_list_no_anchor_of_the_app_signed_is_refused_and_the_cached_lists_kept() {
    let device = Device::new().await;
    let member = device.core();
    log_in(&member, "kari").await;
    let certificate = member.roadside().certificate().await.unwrap();
    drop(member);

    // The worker's app trusts this deployment's anchor and caches its lists.
    let worker_device = Device::new().await;
    let anchor = device.server.trust_anchor();
    let worker = worker_device.core_trusting(&device.api(), anchor);
    let cached = worker.roadside().refresh_trust_material().await.unwrap();
    assert_eq!((cached.trust_list_sequence, cached.keys), (1, 1));
    drop(worker);

    // Another reference server (say, one an attacker runs where the worker's app is led to
    // connect) serves a well-formed trust list signed by its own anchor: refused, typed.
    let misled = worker_device.core_trusting(&worker_device.api(), anchor);
    let refused = misled
        .roadside()
        .refresh_trust_material()
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Protocol);
    assert!(
        refused.reason().contains("not a trust anchor"),
        "{}",
        refused.reason()
    );
    // The cached lists stay, and the genuine certificate still verifies against them.
    let kept = misled.roadside().trust_material().unwrap().unwrap();
    assert_eq!(kept.trust_list_sequence, cached.trust_list_sequence);
    assert_eq!(kept.trust_list_fetched_at, cached.trust_list_fetched_at);
    assert_eq!(kept.revocations_issued_at, cached.revocations_issued_at);
    assert!(matches!(
        misled
            .roadside()
            .verify_certificate(&certificate.payload)
            .unwrap(),
        Verification::Valid { .. }
    ));
    drop(misled);

    // An app configured with the other server's anchor instead would not trust the cached
    // list either: it was signed by an anchor it does not have.
    let other = worker_device.core_trusting(DEAD_API, worker_device.server.trust_anchor());
    assert_eq!(
        other
            .roadside()
            .verify_certificate(&certificate.payload)
            .unwrap_err()
            .kind(),
        ErrorKind::TrustListMissing
    );
}
