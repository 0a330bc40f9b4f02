//! Consents and privacy rights end to end: the core against the real reference server on
//! loopback, logged in through its development issuer. The server's request log and its
//! partner inboxes record what reached it, so the tests prove what was sent and what was not.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lofavor_core::consent::{PurposeState, pseudonym};
use lofavor_core::platform::{Platform, SecureStore, SecureStoreError};
use lofavor_core::{Core, CoreConfig, ErrorKind, Locale, SecureStoreChoice};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};

const DEAD_API: &str = "http://127.0.0.1:9/";
const FREMTIND: &str = "partner_sharing.fremtind";

/// The keystore stand-in, which can list what it holds (the erasure test reads it all).
#[derive(Debug, Default)]
struct ListingStore(Mutex<HashMap<String, Vec<u8>>>);

impl SecureStore for ListingStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecureStoreError> {
        Ok(self.0.lock().unwrap().get(name).cloned())
    }
    fn put(&self, name: &str, secret: &[u8]) -> Result<(), SecureStoreError> {
        self.0.lock().unwrap().insert(name.into(), secret.to_vec());
        Ok(())
    }
    fn delete(&self, name: &str) -> Result<(), SecureStoreError> {
        self.0.lock().unwrap().remove(name);
        Ok(())
    }
}

impl ListingStore {
    fn names(&self) -> Vec<String> {
        self.0.lock().unwrap().keys().cloned().collect()
    }
}

/// One phone (a data directory and its keystore) and the server it talks to.
struct Phone {
    dir: tempfile::TempDir,
    secrets: Arc<ListingStore>,
}

impl Phone {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            secrets: Arc::new(ListingStore::default()),
        }
    }

    fn core(&self, server: &RunningServer, api: &str, locale: Locale) -> Core {
        let config = CoreConfig {
            data_dir: self.dir.path().join("core"),
            api_base_url: api.into(),
            oidc_issuer: server.issuer_url().into(),
            oidc_client_id: "lofavor-android".into(),
            redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
            locale,
            secure_store: SecureStoreChoice::ShellProvided,
            trust_anchors: vec![server.trust_anchor().into()],
        };
        let platform = Platform {
            secure_store: Some(self.secrets.clone() as Arc<dyn SecureStore>),
            logger: None,
        };
        Core::open(config, platform).unwrap()
    }
}

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(ServerConfig::loopback(dir.path().join("server")))
        .await
        .unwrap();
    (dir, server)
}

async fn log_in(core: &Core, member: &str) {
    let authorize = core.auth().begin_login().await.unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&authorize, member)
        .await
        .unwrap();
    core.auth().complete_login(&redirect).await.unwrap();
}

/// A logged-in member on a fresh phone, with the server's signed catalogue in force.
async fn member(server: &RunningServer, name: &str) -> (Phone, Core) {
    let phone = Phone::new();
    let core = phone.core(server, &server.base_url(), Locale::Nb);
    log_in(&core, name).await;
    core.consent().refresh_catalogue().await.unwrap();
    (phone, core)
}

fn sent(server: &RunningServer, prefix: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.starts_with(prefix))
        .count()
}

#[tokio::test]
async fn the_first_screen_asks_with_nothing_ticked_and_a_partner_needs_the_explicit_confirmation() {
    let (_dir, server) = server().await;
    let (_phone, core) = member(&server, "kari").await;
    let consent = core.consent();
    let screen = consent.screen().unwrap();
    assert!(screen.needs_answer);
    assert!(screen.purposes.iter().all(|r| !r.switched_on));
    assert_eq!(screen.first_layer.accept_all_label, "Godta alle");

    // Without the explicit confirmation: a typed error, and nothing recorded or sent.
    server.clear_requests();
    let refused = consent.set(FREMTIND, true, false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ExplicitConfirmationRequired);
    assert!(consent.history().unwrap().is_empty());
    assert_eq!(sent(&server, "POST /v1/consent/decisions"), 0);
    let refused = consent.accept_all(false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ExplicitConfirmationRequired);
    assert!(consent.history().unwrap().is_empty());

    // With it: recorded, synced, and a receipt that verifies under the published key.
    let given = consent.set(FREMTIND, true, true).await.unwrap();
    assert_eq!(given.state, "synced");
    let receipt = given.receipt.clone().unwrap();
    let claims = consent.verify_receipt(&receipt).unwrap();
    assert_eq!(claims.purpose, FREMTIND);
    assert_eq!(claims.decision, "given");
    assert!(claims.explicit);
    assert_eq!(claims.record_id, given.record_id);
    assert_eq!(claims.subject, pseudonym("kari"));
    let row = consent.screen().unwrap();
    let row = row.purposes.iter().find(|r| r.id == FREMTIND).unwrap();
    assert_eq!(row.state, PurposeState::Given);

    // A receipt with one byte changed does not verify.
    let mut forged = receipt.clone();
    let at = forged.len() / 2;
    forged[at] ^= 0x01;
    assert_eq!(
        consent.verify_receipt(&forged).unwrap_err().kind(),
        ErrorKind::Tampered
    );

    // Withdrawing it is a new record; the history shows both, newest first.
    let withdrawn = consent.set(FREMTIND, false, false).await.unwrap();
    assert_eq!(withdrawn.decision, "withdrawn");
    let history = consent.history().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].decision, "withdrawn");
    assert!(
        history
            .iter()
            .all(|h| h.state == "synced" && h.receipt.is_some())
    );

    // An unknown purpose changes nothing either.
    let unknown = consent
        .set("no.such.purpose", true, true)
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
    assert_eq!(consent.history().unwrap().len(), 2);
}

#[tokio::test]
async fn nothing_leaves_after_a_refusal_a_withdrawal_or_a_reservation_and_it_does_after_consent() {
    let (_dir, server) = server().await;
    let (_phone, core) = member(&server, "ola").await;
    let consent = core.consent();

    // Analytics: refused, so nothing is even collected, and nothing is sent.
    consent.set("analytics", false, false).await.unwrap();
    assert!(!consent.track("screen.home").unwrap());
    assert_eq!(consent.flush_analytics().await.unwrap(), 0);
    assert_eq!(sent(&server, "POST /v1/analytics"), 0);
    // Given: collected and sent in one batch.
    consent.set("analytics", true, false).await.unwrap();
    assert!(consent.track("screen.home").unwrap());
    assert!(consent.track("screen.consent").unwrap());
    assert_eq!(consent.flush_analytics().await.unwrap(), 2);
    assert_eq!(sent(&server, "POST /v1/analytics"), 1);
    // Withdrawn: what was collected and not sent is discarded; nothing more goes.
    assert!(consent.track("screen.privacy").unwrap());
    consent.set("analytics", false, false).await.unwrap();
    assert_eq!(consent.queued_events().unwrap(), 0);
    assert!(!consent.track("screen.privacy").unwrap());
    assert_eq!(consent.flush_analytics().await.unwrap(), 0);
    assert_eq!(sent(&server, "POST /v1/analytics"), 1);

    // Partner sharing: refused without consent, nothing reaches the partner.
    let refused = consent.share_with_partner("fremtind").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ConsentRequired);
    assert_eq!(sent(&server, "POST /v1/partners"), 0);
    assert!(server.partner_inbox("fremtind").is_empty());
    // With the explicit consent it goes, to that partner only.
    consent.set(FREMTIND, true, true).await.unwrap();
    consent.share_with_partner("fremtind").await.unwrap();
    assert_eq!(server.partner_inbox("fremtind").len(), 1);
    assert!(server.partner_inbox("sparebank1").is_empty());
    let refused = consent.share_with_partner("sparebank1").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ConsentRequired);

    // The reservation stops it without deleting the consent; lifting it restores it.
    consent.set_reservation(true).await.unwrap();
    assert!(consent.is_reserved());
    let before = sent(&server, "POST /v1/partners");
    let refused = consent.share_with_partner("fremtind").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ConsentRequired);
    assert_eq!(sent(&server, "POST /v1/partners"), before);
    let screen = consent.screen().unwrap();
    let row = screen.purposes.iter().find(|r| r.id == FREMTIND).unwrap();
    assert!(row.switched_on && row.stopped_by_reservation);
    // The newsletter is marketing too: given while reserved, it does not subscribe.
    consent.set("newsletter", true, false).await.unwrap();
    assert_eq!(sent(&server, "POST /v1/newsletter"), 0);
    consent.set_reservation(false).await.unwrap();
    consent.share_with_partner("fremtind").await.unwrap();
    assert_eq!(server.partner_inbox("fremtind").len(), 2);

    // Withdrawn: nothing more goes.
    consent.set(FREMTIND, false, false).await.unwrap();
    assert!(consent.share_with_partner("fremtind").await.is_err());
    assert_eq!(server.partner_inbox("fremtind").len(), 2);
}

#[tokio::test]
async fn an_order_sends_nothing_before_the_confirmation_and_a_confirmation_is_idempotent() {
    let (_dir, server) = server().await;
    let (_phone, core) = member(&server, "kari").await;
    let consent = core.consent();
    let offers = consent.offers().await.unwrap();
    assert!(offers.len() >= 4);

    server.clear_requests();
    let preview = consent
        .prepare_order("sparebank1-lofavor-card")
        .await
        .unwrap();
    assert_eq!(preview.partner, "sparebank1");
    let union = preview.fields.iter().find(|f| f.key == "union").unwrap();
    assert!(union.special_category);
    assert_eq!(union.value, "Fellesforbundet");
    assert!(preview.fields.iter().any(|f| f.key == "email"));
    assert_eq!(sent(&server, "POST /v1/orders"), 0);
    assert!(server.partner_inbox("sparebank1").is_empty());

    let confirmed = consent.confirm_order(&preview.id).await.unwrap();
    assert_eq!(confirmed.status, "sent");
    let inbox = server.partner_inbox("sparebank1");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["fields"]["union"], "Fellesforbundet");
    // Again: the same order, nothing new at the partner.
    let again = consent.confirm_order(&preview.id).await.unwrap();
    assert_eq!(again.order_id, confirmed.order_id);
    assert_eq!(server.partner_inbox("sparebank1").len(), 1);

    // An expired preview sends nothing and is gone.
    let late = consent.prepare_order("help-legal-advice").await.unwrap();
    let expired = consent
        .confirm_order_at(&late.id, late.expires_at + 1)
        .await
        .unwrap_err();
    assert_eq!(expired.kind(), ErrorKind::Expired);
    assert!(server.partner_inbox("help").is_empty());
    assert_eq!(
        consent.confirm_order(&late.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        consent
            .prepare_order("no-such-offer")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn two_devices_agree_on_the_servers_order_and_offline_decisions_sync_later() {
    let (_dir, server) = server().await;
    let (phone_a, a) = member(&server, "kari").await;
    let (_phone_b, b) = member(&server, "kari").await;

    a.consent().set("analytics", true, false).await.unwrap();
    let report = b.consent().sync().await.unwrap();
    assert_eq!(report.pulled, 1);
    let on_b = b.consent().screen().unwrap();
    assert!(
        on_b.purposes
            .iter()
            .find(|r| r.id == "analytics")
            .unwrap()
            .switched_on
    );

    // B withdraws after A's yes reached the server: the later arrival wins on both.
    b.consent().set("analytics", false, false).await.unwrap();
    a.consent().sync().await.unwrap();
    let on_a = a.consent().screen().unwrap();
    assert_eq!(
        on_a.purposes
            .iter()
            .find(|r| r.id == "analytics")
            .unwrap()
            .state,
        PurposeState::Withdrawn
    );
    assert!(!a.consent().track("screen.home").unwrap());
    drop(a);

    // A goes offline and gives the newsletter: it counts on A at once, pending.
    let offline = phone_a.core(&server, DEAD_API, Locale::Nb);
    let entry = offline
        .consent()
        .set("newsletter", true, false)
        .await
        .unwrap();
    assert_eq!(entry.state, "pending");
    let screen = offline.consent().screen().unwrap();
    let row = screen
        .purposes
        .iter()
        .find(|r| r.id == "newsletter")
        .unwrap();
    assert!(row.switched_on && row.pending_sync);
    // Logging out now would lose it.
    let refused = offline.auth().logout(false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::UnsyncedChanges);
    drop(offline);

    // Online again: sent once, with its receipt, and it arrives on B.
    let online = phone_a.core(&server, &server.base_url(), Locale::Nb);
    let report = online.consent().sync().await.unwrap();
    assert_eq!((report.pushed, report.pending), (1, 0));
    let again = online.consent().sync().await.unwrap();
    assert_eq!(again.pushed, 0);
    assert!(online.consent().history().unwrap()[0].receipt.is_some());
    b.consent().sync().await.unwrap();
    let on_b = b.consent().screen().unwrap();
    assert!(
        on_b.purposes
            .iter()
            .find(|r| r.id == "newsletter")
            .unwrap()
            .switched_on
    );
}

#[tokio::test]
async fn a_major_change_asks_again_a_minor_one_does_not_and_a_forged_catalogue_is_refused() {
    let (_dir, server) = server().await;
    let (phone, core) = member(&server, "ola").await;
    core.consent().refuse_all().await.unwrap();
    core.consent().set("analytics", true, false).await.unwrap();
    assert!(!core.consent().screen().unwrap().needs_answer);

    let mut catalogue: serde_json::Value = serde_json::from_str(include_str!(
        "../../../core/src/consent/catalogue/bundled.json"
    ))
    .unwrap();
    let set_version = |c: &mut serde_json::Value, id: &str, version: &str, sequence: u64| {
        c["sequence"] = sequence.into();
        for p in c["purposes"].as_array_mut().unwrap() {
            if p["id"] == id {
                p["notice"]["version"] = version.into();
            }
        }
    };
    // Minor: shown as updated, still given, nothing asked.
    set_version(&mut catalogue, "analytics", "1.1", 2);
    server.publish_catalogue(catalogue.clone()).unwrap();
    assert!(core.consent().refresh_catalogue().await.unwrap());
    let screen = core.consent().screen().unwrap();
    let row = screen
        .purposes
        .iter()
        .find(|r| r.id == "analytics")
        .unwrap();
    assert!(row.updated && row.switched_on && !screen.needs_answer);
    assert!(core.consent().track("screen.home").unwrap());

    // Major: needs an answer, and counts as refused until answered.
    set_version(&mut catalogue, "analytics", "2.0", 3);
    server.publish_catalogue(catalogue).unwrap();
    core.consent().refresh_catalogue().await.unwrap();
    let screen = core.consent().screen().unwrap();
    let row = screen
        .purposes
        .iter()
        .find(|r| r.id == "analytics")
        .unwrap();
    assert_eq!(row.state, PurposeState::NeedsAnswer);
    assert!(screen.needs_answer && !row.switched_on);
    assert!(!core.consent().track("screen.home").unwrap());
    // Answered on the new text: never asked again.
    core.consent().set("analytics", true, false).await.unwrap();
    assert!(!core.consent().screen().unwrap().needs_answer);
    drop(core);

    // A phone that trusts another anchor refuses the server's catalogue and keeps its own.
    let stranger = lofavor_core::roadside::certificate::anchor_to_text(
        &p256::ecdsa::SigningKey::from_slice(&[7u8; 32])
            .unwrap()
            .verifying_key()
            .clone(),
    )
    .unwrap();
    let config = CoreConfig {
        data_dir: phone.dir.path().join("core"),
        api_base_url: server.base_url(),
        oidc_issuer: server.issuer_url().into(),
        oidc_client_id: "lofavor-android".into(),
        redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
        locale: Locale::En,
        secure_store: SecureStoreChoice::ShellProvided,
        trust_anchors: vec![stranger],
    };
    let platform = Platform {
        secure_store: Some(phone.secrets.clone() as Arc<dyn SecureStore>),
        logger: None,
    };
    let wary = Core::open(config, platform).unwrap();
    let before = wary.consent().screen().unwrap().catalogue_sequence;
    let refused = wary.consent().refresh_catalogue().await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Tampered);
    assert_eq!(wary.consent().screen().unwrap().catalogue_sequence, before);
}

#[tokio::test]
async fn a_silent_change_to_the_ledger_is_detected() {
    let (_dir, server) = server().await;
    let (_phone, core) = member(&server, "kari").await;
    core.consent()
        .set("newsletter", false, false)
        .await
        .unwrap();
    core.consent().set("analytics", true, false).await.unwrap();
    assert_eq!(core.consent().history().unwrap().len(), 2);
    core.store()
        .with_conn_for_tests(|c| {
            c.execute(
                "UPDATE consent_record SET record_json = replace(record_json, '\"refused\"', '\"given\"')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        core.consent().history().unwrap_err().kind(),
        ErrorKind::Tampered
    );
}

#[tokio::test]
async fn privacy_requests_carry_their_deadline_and_the_export_holds_everything() {
    let (_dir, server) = server().await;
    let (_phone, core) = member(&server, "kari").await;
    let consent = core.consent();
    consent.set(FREMTIND, true, true).await.unwrap();
    core.roadside().certificate().await.unwrap();

    let request = consent
        .request("rectification", Some("Adressen min er feil.".into()))
        .await
        .unwrap();
    assert_eq!(request.status, "received");
    let (received, due) = (request.received_at.unwrap(), request.due_at.unwrap());
    let days = (due - received) / 86_400;
    assert!((28..=31).contains(&days), "{days} days");
    assert!(request.due_label.unwrap().starts_with("Svar innen"));
    assert!(server.set_privacy_request_status(&request.id, "extended"));
    let listed = consent.requests().await.unwrap();
    assert_eq!(listed.len(), 1);
    let extended = (listed[0].due_at.unwrap() - received) / 86_400;
    assert!((89..=92).contains(&extended), "{extended} days");
    assert_eq!(
        consent.request("complain", None).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        consent
            .request("erasure", Some("x".repeat(2_001)))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );

    let export: serde_json::Value =
        serde_json::from_slice(&consent.export().await.unwrap()).unwrap();
    assert_eq!(export["format"], "lofavor-export/1");
    assert_eq!(export["subject"], pseudonym("kari"));
    assert_eq!(export["device"]["profile"]["subject"], "kari");
    assert!(export["device"]["roadside certificate"]["payload"].is_string());
    let history = export["consent"]["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0]["receipt"].is_string());
    assert_eq!(
        export["consent"]["receipt_keys"].as_array().unwrap().len(),
        1
    );
    assert_eq!(export["requests"].as_array().unwrap().len(), 1);

    let access = consent.access().await.unwrap();
    assert!(access.server_reached);
    assert!(access.device.iter().any(|s| s.title == "Samtykker"));
    assert!(access.device.iter().any(|s| s.title == "Veihjelpsbevis"));
    assert!(
        access
            .processing
            .iter()
            .any(|s| s.title == "Databehandlere")
    );
}

#[tokio::test]
async fn erasure_on_the_device_leaves_nothing_of_the_member_and_the_next_member_starts_clean() {
    let (_dir, server) = server().await;
    let (phone, core) = member(&server, "kari").await;
    let record = core
        .consent()
        .set(FREMTIND, true, true)
        .await
        .unwrap()
        .record_id;
    core.consent().set("analytics", true, false).await.unwrap();
    assert!(core.consent().track("screen.home").unwrap());
    core.consent()
        .request("access", Some("Kari her".into()))
        .await
        .unwrap();
    core.roadside().certificate().await.unwrap();
    let preview = core
        .consent()
        .prepare_order("fremtind-home-insurance")
        .await
        .unwrap();
    assert!(!preview.fields.is_empty());

    core.erase_device().await.unwrap();

    // The database.
    let cells = decrypted_cells(&core);
    // (Purpose ids are in the catalogue, which is not the member's and stays.)
    for needle in [
        "kari",
        "Kari",
        &pseudonym("kari"),
        "Fellesforbundet",
        &record,
        "screen.home",
    ] {
        assert!(
            !cells
                .iter()
                .any(|c| c.windows(needle.len()).any(|w| w == needle.as_bytes())),
            "{needle} is still in the database"
        );
    }
    // Every file under the data directory.
    for entry in walk(&phone.dir.path().join("core")) {
        let bytes = std::fs::read(&entry).unwrap();
        for needle in ["kari", "Kari", "Fellesforbundet"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in {}",
                entry.display()
            );
        }
    }
    // The keystore: only the database key is left.
    let names = phone.secrets.names();
    assert!(names.iter().all(|n| n.starts_with("db-key.")), "{names:?}");
    assert!(core.consent().history().unwrap().is_empty());
    assert_eq!(core.consent().queued_events().unwrap(), 0);

    // The next member on this phone sees nothing of the last one.
    log_in(&core, "ola").await;
    core.consent().sync().await.unwrap();
    assert!(core.consent().history().unwrap().is_empty());
    assert!(core.consent().screen().unwrap().needs_answer);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every text and blob cell of the phone's database, read with its key as anyone holding it could.
fn decrypted_cells(core: &Core) -> Vec<Vec<u8>> {
    let mut cells = Vec::new();
    core.store()
        .with_conn_for_tests(|c| {
            let tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for table in tables {
                let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\""))?;
                let columns = stmt.column_count();
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    for i in 0..columns {
                        match row.get_ref(i)? {
                            rusqlite::types::ValueRef::Text(t) => cells.push(t.to_vec()),
                            rusqlite::types::ValueRef::Blob(b) => cells.push(b.to_vec()),
                            _ => {}
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    cells
}

/// The member API at a server that answers every request with `status` and `body`.
fn answering_server(status: &'static str, body: Vec<u8>) -> String {
    let port = lofavor_e2e::stub_server::answering_server(status, body).unwrap();
    format!("http://127.0.0.1:{port}/")
}

#[tokio::test]
async fn an_older_signed_catalogue_replayed_is_refused_and_the_newer_one_kept() {
    let (_dir, server) = server().await;
    let old = reqwest::get(format!("{}v1/consent/catalogue", server.base_url()))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut catalogue: serde_json::Value = serde_json::from_str(include_str!(
        "../../../core/src/consent/catalogue/bundled.json"
    ))
    .unwrap();
    catalogue["sequence"] = 2.into();
    server.publish_catalogue(catalogue).unwrap();
    let (phone, core) = member(&server, "kari").await;
    assert_eq!(core.consent().screen().unwrap().catalogue_sequence, 2);
    drop(core);

    // The genuine, signed, but older catalogue, replayed by someone on the network.
    let replay = answering_server("200 OK", old);
    let replayed = phone.core(&server, &replay, Locale::Nb);
    let refused = replayed.consent().refresh_catalogue().await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Tampered);
    assert_eq!(replayed.consent().screen().unwrap().catalogue_sequence, 2);
    // Noise is refused the same way.
    drop(replayed);
    let noise = answering_server(
        "200 OK",
        (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(),
    );
    let noisy = phone.core(&server, &noise, Locale::Nb);
    assert_eq!(
        noisy
            .consent()
            .refresh_catalogue()
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Tampered
    );
    assert_eq!(noisy.consent().screen().unwrap().catalogue_sequence, 2);
}

#[tokio::test]
async fn a_server_that_fails_keeps_the_decision_pending_and_the_next_sync_sends_it_once() {
    let (_dir, server) = server().await;
    let (phone, core) = member(&server, "ola").await;
    drop(core);
    let failing = answering_server("500 Internal Server Error", Vec::new());
    let during = phone.core(&server, &failing, Locale::Nb);
    let entry = during
        .consent()
        .set("analytics", true, false)
        .await
        .unwrap();
    assert_eq!(entry.state, "pending");
    let report = during.consent().sync().await.unwrap();
    assert_eq!((report.pushed, report.pending), (0, 1));
    drop(during);

    server.clear_requests();
    let after = phone.core(&server, &server.base_url(), Locale::Nb);
    let report = after.consent().sync().await.unwrap();
    assert_eq!((report.pushed, report.pending), (1, 0));
    assert_eq!(sent(&server, "POST /v1/consent/decisions"), 1);
    let history = after.consent().history().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].state, "synced");
}
