//! Claim reports for an insurer, as the server takes them: only files that match their digests,
//! only a PDF, only for an insurer, only with a member's token; one inbox entry per report
//! however often it is sent, and a replayed id with another report refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::*;

fn report(id: &str, pdf: &[u8]) -> Value {
    let csv = "\u{feff}Id;Navn\r\n1;Sofa\r\n".as_bytes();
    json!({
        "id": id,
        "language": "nb",
        "member_name": "Kari Nordmann",
        "member_number": null,
        "address": null,
        "items": 1,
        "photos": 0,
        "pages": 3,
        "purchase_price_ore": 100,
        "replacement_value_ore": 200,
        "pdf": STANDARD.encode(pdf),
        "pdf_sha256": hex::encode(Sha256::digest(pdf)),
        "csv": STANDARD.encode(csv),
        "csv_sha256": hex::encode(Sha256::digest(csv)),
    })
}

const PATH: &str = "v1/partners/fremtind/claim-reports";

#[tokio::test]
async fn a_report_is_delivered_once_and_forged_ones_are_refused() {
    let s = start().await;
    let token = access(&s.issuer(), "kari").await;
    let good = report("r-1", b"%PDF-1.7 the report");

    let (status, _) = call(&s.base(), reqwest::Method::POST, PATH, None, Some(&good)).await;
    assert_eq!(status, 401);
    let (status, body) = post(
        &s.base(),
        "v1/partners/sparebank1/claim-reports",
        &token,
        &good,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("unknown_partner"))
    );

    let mut wrong_digest = good.clone();
    wrong_digest["pdf_sha256"] = json!(hex::encode(Sha256::digest(b"something else")));
    let not_pdf = report("r-2", b"<html>not a pdf</html>");
    let mut not_base64 = good.clone();
    not_base64["csv"] = json!("%%%");
    let mut extra = good.clone();
    extra["union"] = json!("Fellesforbundet");
    for forged in [wrong_digest, not_pdf, not_base64, extra] {
        let (status, body) = post(&s.base(), PATH, &token, &forged).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("bad_request")),
            "{body}"
        );
    }
    assert!(s.server.partner_inbox("fremtind").is_empty());

    let (status, first) = post(&s.base(), PATH, &token, &good).await;
    assert_eq!(status, 201);
    assert_eq!(
        (first["report_id"].as_str(), first["status"].as_str()),
        (Some("r-1"), Some("received"))
    );
    let (status, again) = post(&s.base(), PATH, &token, &good).await;
    assert_eq!((status, &again), (200, &first));
    let inbox = s.server.partner_inbox("fremtind");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "claim_report");
    assert_eq!(inbox[0]["subject"], pseudonym("kari"));
    assert_eq!(inbox[0]["fields"]["pdf_bytes"], 19);
    assert_eq!(inbox[0]["fields"]["member_name"], "Kari Nordmann");

    // The same id with another report, or from another member: refused, nothing delivered.
    let other = report("r-1", b"%PDF-1.7 another report");
    let (status, body) = post(&s.base(), PATH, &token, &other).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("replayed_id")));
    let ola = access(&s.issuer(), "ola").await;
    let (status, _) = post(&s.base(), PATH, &ola, &good).await;
    assert_eq!(status, 409);
    assert_eq!(s.server.partner_inbox("fremtind").len(), 1);
}
