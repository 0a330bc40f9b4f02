//! Sending the claim report to the reference server's insurer inbox, which receives nothing
//! before the member confirms, exactly one report after (however often it is confirmed), and
//! nothing when the server fails until the member sends the same preview again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up should stop the test

mod report_support;

use lofavor_core::{Core, ErrorKind, Locale};
use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};
use report_support::*;

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

fn claims_sent(server: &RunningServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.ends_with("/claim-reports"))
        .count()
}

#[tokio::test]
async fn the_insurer_gets_the_report_only_after_the_member_confirms_and_only_once() {
    let (_dir, server) = server().await;
    let phone = Phone::new();
    let core = phone.core(server.issuer_url(), &server.base_url());
    log_in(&core, "kari").await;
    stock(&core, 2);
    let inv = core.inventory();

    server.clear_requests();
    let preview = inv
        .prepare_report_transfer("fremtind", request(Locale::Nb))
        .await
        .unwrap();
    assert_eq!(preview.heading, "Dette sendes til Fremtind");
    assert!(preview.fields.iter().any(|f| f.value == "Kari Nordmann"));
    assert!(
        preview
            .fields
            .iter()
            .any(|f| f.value == "Storgata 1, 9008 Tromsø")
    );
    assert_eq!(
        preview.categories,
        ["Navn", "Adresse", "Eiendeler, bilder og kvitteringer"]
    );
    assert!(pdf_text(&preview.pdf, 1).contains("Kari Nordmann"));
    // Prepared, shown: nothing has gone anywhere.
    assert_eq!(claims_sent(&server), 0);
    assert!(server.partner_inbox("fremtind").is_empty());

    // Confirmations that are not this preview's send nothing, each with its reason.
    let forged = inv.send_report("0123456789abcdef0123456789abcdef").await;
    assert_eq!(forged.unwrap_err().kind(), ErrorKind::NotFound);
    let unknown = inv
        .prepare_report_transfer("sparebank1", request(Locale::Nb))
        .await;
    assert_eq!(unknown.unwrap_err().kind(), ErrorKind::NotFound);
    let late = inv
        .prepare_report_transfer("fremtind", request(Locale::En))
        .await
        .unwrap();
    let expired = inv.send_report_at(&late.id, late.expires_at + 1).await;
    assert_eq!(expired.unwrap_err().kind(), ErrorKind::Expired);
    assert_eq!(
        inv.send_report(&late.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(claims_sent(&server), 0);
    assert!(server.partner_inbox("fremtind").is_empty());

    let receipt = inv.send_report(&preview.id).await.unwrap();
    assert_eq!(
        (receipt.report_id.as_str(), receipt.status.as_str()),
        (preview.id.as_str(), "received")
    );
    let inbox = server.partner_inbox("fremtind");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "claim_report");
    let fields = &inbox[0]["fields"];
    assert_eq!(fields["pdf_sha256"], preview.pdf_sha256.as_str());
    assert_eq!(fields["pdf_bytes"], preview.pdf.len());
    assert_eq!(
        (fields["items"].as_u64(), fields["pages"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(fields["member_name"], "Kari Nordmann");
    assert_eq!(fields["replacement_value_ore"], 1_499_000 + 100_000);
    // Confirmed again (a double tap, a retry after a lost answer): the same answer, nothing new.
    let again = inv.send_report(&preview.id).await.unwrap();
    assert_eq!(again, receipt);
    assert_eq!(claims_sent(&server), 1);
    assert_eq!(server.partner_inbox("fremtind").len(), 1);
}

#[tokio::test]
async fn logged_out_nothing_goes_a_failing_server_leaves_it_to_send_again_and_a_logout_forgets_it()
{
    let (_dir, server) = server().await;
    let phone = Phone::new();
    {
        // Nobody logged in: a typed refusal, nothing kept, nothing sent.
        let core = phone.core(server.issuer_url(), &server.base_url());
        stock(&core, 1);
        let refused = core
            .inventory()
            .prepare_report_transfer("fremtind", request(Locale::Nb))
            .await
            .unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::NotLoggedIn);
        assert_eq!(claims_sent(&server), 0);
        log_in(&core, "ola").await;
    }
    let port = lofavor_e2e::stub_server::answering_server("500 Internal Server Error", Vec::new())
        .unwrap();
    let failing = format!("http://127.0.0.1:{port}/");
    let preview_id = {
        let core = phone.core(server.issuer_url(), &failing);
        let preview = core
            .inventory()
            .prepare_report_transfer("fremtind", request(Locale::Nb))
            .await
            .unwrap();
        let failed = core.inventory().send_report(&preview.id).await.unwrap_err();
        assert_eq!(failed.kind(), ErrorKind::Server);
        preview.id
    };
    assert!(server.partner_inbox("fremtind").is_empty());
    // Back online: the same preview goes, once.
    let core = phone.core(server.issuer_url(), &server.base_url());
    let receipt = core.inventory().send_report(&preview_id).await.unwrap();
    assert_eq!(receipt.report_id, preview_id);
    assert_eq!(server.partner_inbox("fremtind").len(), 1);
    assert_eq!(claims_sent(&server), 1);

    // A preview outlives no session: after a logout it is gone, and nothing goes.
    let pending = core
        .inventory()
        .prepare_report_transfer("fremtind", request(Locale::Nb))
        .await
        .unwrap();
    core.auth().logout(true).await.unwrap();
    let gone = core.inventory().send_report(&pending.id).await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    assert_eq!(server.partner_inbox("fremtind").len(), 1);
}
