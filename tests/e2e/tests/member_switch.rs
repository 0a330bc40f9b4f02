//! Every way a session ends leaves nothing of the member for the next one on the device: a
//! grant the provider revoked, and another member logging in over a live session. Against
//! the real reference server (member API and issuer) on loopback; the database is read back
//! with its key, cell by cell.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

mod common;

use std::sync::{Arc, Mutex};

use common::{any_cell_contains, decrypted_cells};
use lofavor_core::platform::{MemoryStandInStore, Platform, SecureStore};
use lofavor_core::store::MemberData;
use lofavor_core::store::StoreError;
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};

const CLIENT_ID: &str = "lofavor-android";

/// A phone with the reference server behind it.
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

    fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("core")
    }

    /// Opens the app (again).
    fn core(&self) -> Core {
        let config = CoreConfig {
            data_dir: self.data_dir(),
            api_base_url: self.server.base_url(),
            oidc_issuer: self.server.issuer_url().into(),
            oidc_client_id: CLIENT_ID.into(),
            redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::ShellProvided,
            trust_anchors: vec![self.server.trust_anchor().into()],
        };
        let platform = Platform {
            secure_store: Some(self.secrets.clone() as Arc<dyn SecureStore>),
            logger: None,
        };
        Core::open(config, platform).unwrap()
    }

    /// The refresh token the SecureStore holds for `core`, if any.
    fn refresh_token(&self, core: &Core) -> Option<String> {
        let name = format!("refresh-token.{}", core.store().installation_id());
        self.secrets
            .get(&name)
            .unwrap()
            .map(|raw| String::from_utf8(raw).unwrap())
    }
}

/// Logs `member` in by driving the issuer's picker page as a browser would.
async fn log_in(core: &Core, member: &str) {
    let authorize = core.auth().begin_login().await.unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&authorize, member)
        .await
        .unwrap();
    core.auth().complete_login(&redirect).await.unwrap();
}

/// What of member A could be left on the device.
struct Traces {
    strings: Vec<String>,
}

impl Traces {
    /// A's name, union, vehicle, certificate id and payload, and A's refresh token.
    async fn of_member_with_certificate(device: &Device, core: &Core) -> Self {
        let member = core.auth().member().unwrap().unwrap();
        let certificate = core.roadside().certificate().await.unwrap();
        assert!(core.roadside().cached_certificate().unwrap().is_some());
        let mut strings = vec![
            member.name.clone().unwrap(),
            member.membership.clone().unwrap().union,
            certificate.holder.as_str().to_owned(),
            certificate.vehicle.as_ref().unwrap().as_str().to_owned(),
            certificate.certificate_id.clone(),
            certificate.payload.clone(),
            device.refresh_token(core).unwrap(),
        ];
        // The given name alone too ("Kari" would betray "Kari Nordmann"; the family name is
        // the next member's as well).
        strings.extend(member.name.unwrap().split(' ').next().map(str::to_owned));
        Self { strings }
    }

    /// Asserts that none of them is in the decrypted database or the SecureStore.
    fn assert_gone(&self, device: &Device, core: &Core) {
        let cells = decrypted_cells(&device.data_dir(), device.secrets.as_ref());
        assert!(!cells.is_empty());
        for trace in &self.strings {
            assert!(
                !any_cell_contains(&cells, trace),
                "the previous member's {} is still in the database",
                if trace.len() > 40 {
                    "token or payload"
                } else {
                    trace.as_str()
                }
            );
        }
        let kept = device.refresh_token(core);
        assert!(
            kept.is_none_or(|token| !self.strings.contains(&token)),
            "the previous member's refresh token is still in the SecureStore"
        );
    }
}

#[tokio::test]
async fn a_grant_the_provider_revoked_leaves_nothing_of_the_member_for_the_next() {
    let device = Device::new().await;
    let core = device.core();
    log_in(&core, "kari").await;
    let traces = Traces::of_member_with_certificate(&device, &core).await;

    // The provider revokes the grant (the member did so from another device, or support
    // did): RFC 7009 at the issuer, with the refresh token the app holds.
    let refresh = device.refresh_token(&core).unwrap();
    let revoked = reqwest::Client::new()
        .post(format!("{}/revoke", device.server.issuer_url()))
        .form(&[
            ("token", refresh.as_str()),
            ("token_type_hint", "refresh_token"),
            ("client_id", CLIENT_ID),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);

    // The app comes back later: its next refresh is refused and the session ends.
    drop(core);
    let core = device.core();
    let err = core.auth().access_token().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SessionEnded, "{err}");
    assert_eq!(core.auth().member().unwrap(), None);
    assert!(
        core.roadside().cached_certificate().unwrap().is_none(),
        "the ended session's certificate is erased with it"
    );

    // Member B logs in on the same phone and sees nothing of A.
    log_in(&core, "ola").await;
    let member = core.auth().member().unwrap().unwrap();
    assert_eq!(member.subject, "ola");
    assert!(core.roadside().cached_certificate().unwrap().is_none());
    let certificate = core.roadside().certificate().await.unwrap();
    assert_eq!(certificate.holder.as_str(), "Ola N.");
    traces.assert_gone(&device, &core);
    drop(core);
    let core = device.core();
    traces.assert_gone(&device, &core);
}

/// A capability's data that notes, when told to erase, which refresh token the SecureStore
/// held at that moment.
struct Witness {
    secrets: Arc<MemoryStandInStore>,
    name: String,
    at_erase: Mutex<Vec<Option<Vec<u8>>>>,
}

impl MemberData for Witness {
    fn describe(&self) -> &'static str {
        "witness data"
    }
    fn unsynced_changes(&self) -> Result<u64, StoreError> {
        Ok(0)
    }
    fn erase(&self) -> Result<(), StoreError> {
        let held = self.secrets.get(&self.name).unwrap();
        self.at_erase.lock().unwrap().push(held);
        Ok(())
    }
    fn export(&self) -> Result<serde_json::Value, StoreError> {
        Ok(serde_json::Value::Null)
    }
}

#[tokio::test]
async fn another_member_logging_in_erases_the_previous_members_data_before_storing_theirs() {
    let device = Device::new().await;
    let core = device.core();
    log_in(&core, "kari").await;
    let traces = Traces::of_member_with_certificate(&device, &core).await;
    let kari_token = device.refresh_token(&core).unwrap();
    let witness = Arc::new(Witness {
        secrets: device.secrets.clone(),
        name: format!("refresh-token.{}", core.store().installation_id()),
        at_erase: Mutex::new(Vec::new()),
    });
    core.auth().register_member_data(witness.clone());

    // Kari's session is still good; Ola logs in over it.
    log_in(&core, "ola").await;
    assert_eq!(core.auth().member().unwrap().unwrap().subject, "ola");
    assert!(core.roadside().cached_certificate().unwrap().is_none());
    assert_eq!(
        *witness.at_erase.lock().unwrap(),
        vec![Some(kari_token.into_bytes())],
        "erased once, while nothing of Ola was stored yet"
    );
    let ola_token = device.refresh_token(&core).unwrap();
    assert!(!traces.strings.contains(&ola_token));
    traces.assert_gone(&device, &core);

    // Kari logging in again erases Ola's data the same way; Kari again after Kari keeps it.
    log_in(&core, "kari").await;
    assert_eq!(witness.at_erase.lock().unwrap().len(), 2);
    core.roadside().certificate().await.unwrap();
    log_in(&core, "kari").await;
    assert_eq!(
        witness.at_erase.lock().unwrap().len(),
        2,
        "same member: kept"
    );
    assert!(core.roadside().cached_certificate().unwrap().is_some());
}

#[tokio::test]
async fn the_reference_issuer_ends_the_session_from_a_url_that_names_no_member() {
    let device = Device::new().await;
    let core = device.core();
    log_in(&core, "kari").await;
    let end = core
        .auth()
        .logout(false)
        .await
        .unwrap()
        .end_session_url
        .unwrap();
    for personal in ["Kari", "Fellesforbundet", "kari", "eyJ"] {
        assert!(
            !end.contains(personal),
            "the end-session URL names the member"
        );
    }
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = browser.get(&end).send().await.unwrap();
    assert_eq!(answer.status(), 303);
    let location = answer.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("no.lofavor.app:/logged-out"),
        "{location}"
    );
}
