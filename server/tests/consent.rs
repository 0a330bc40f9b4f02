//! The consent catalogue and the consent ledger: signatures, every refusal, idempotency,
//! replays, members kept apart, arrival order, and notice versions across catalogues.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lofavor_certificate::{DocumentError, anchor_from_text, open_document};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::*;

const CATALOGUE_TYPE: &str = "application/lofavor-consent-catalogue+json";
const RECEIPT_TYPE: &str = "application/lofavor-consent-receipt+json";
const BUNDLED: &str = include_str!("../../core/src/consent/catalogue/bundled.json");

fn sha(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

async fn catalogue_bytes(s: &Server) -> Vec<u8> {
    let response = reqwest::get(format!("{}v1/consent/catalogue", s.base()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/cose");
    assert_eq!(response.headers()["cache-control"], "no-cache");
    response.bytes().await.unwrap().to_vec()
}

/// The published catalogue, checked under the server's trust anchor.
async fn catalogue(s: &Server) -> Value {
    let anchor = anchor_from_text(s.server.trust_anchor()).unwrap();
    let opened = open_document(
        &catalogue_bytes(s).await,
        CATALOGUE_TYPE,
        &[anchor],
        1 << 20,
    )
    .expect("the catalogue verifies under the trust anchor");
    serde_json::from_slice(&opened.payload).unwrap()
}

fn purpose<'a>(catalogue: &'a Value, id: &str) -> &'a Value {
    catalogue["purposes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

/// A decision on `purpose_id` of `catalogue` in nb, as the app would post it.
fn decision(catalogue: &Value, id: &str, purpose_id: &str, decision: &str) -> Value {
    let notice = &purpose(catalogue, purpose_id)["notice"];
    json!({
        "id": id,
        "purpose": purpose_id,
        "notice_id": notice["id"],
        "notice_version": notice["version"],
        "notice_sha256": sha(notice["text"]["nb"].as_str().unwrap()),
        "language": "nb",
        "decision": decision,
        "explicit": true,
        "decided_at": 1_790_000_000,
        "collection_method": "consent_screen/toggle",
        "previous": null,
        "chain_hash": sha(id),
    })
}

async fn ledger(s: &Server, token: &str, after: Option<i64>) -> Value {
    let path = match after {
        Some(n) => format!("v1/consent/decisions?after={n}"),
        None => "v1/consent/decisions".to_owned(),
    };
    let (status, body) = get(&s.base(), &path, token).await;
    assert_eq!(status, 200);
    body
}

async fn receipt_key(s: &Server) -> p256::ecdsa::VerifyingKey {
    let body: Value = reqwest::get(format!("{}v1/consent/receipt-keys", s.base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["keys"].as_array().unwrap().len(), 1);
    anchor_from_text(body["keys"][0].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn the_catalogue_is_the_bundled_one_signed_by_the_trust_anchor_naming_the_receipt_key() {
    let s = start().await;
    let published = catalogue(&s).await;
    let keys: Value = reqwest::get(format!("{}v1/consent/receipt-keys", s.base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(published["receipt_keys"], keys["keys"]);
    // Everything else is the text the app bundles.
    let mut bundled: Value = serde_json::from_str(BUNDLED).unwrap();
    let mut without_keys = published.clone();
    bundled.as_object_mut().unwrap().remove("receipt_keys");
    without_keys.as_object_mut().unwrap().remove("receipt_keys");
    assert_eq!(without_keys, bundled);
    // The receipt key is its own key, not the anchor.
    assert_ne!(keys["keys"][0].as_str().unwrap(), s.server.trust_anchor());
}

#[tokio::test]
async fn a_tampered_catalogue_or_another_anchor_fails_to_open() {
    let s = start().await;
    let bytes = catalogue_bytes(&s).await;
    let anchor = anchor_from_text(s.server.trust_anchor()).unwrap();
    let at = bytes
        .windows(b"partner_sharing".len())
        .position(|w| w == b"partner_sharing")
        .unwrap();
    let mut forged = bytes.clone();
    forged[at] = b'P';
    assert_eq!(
        open_document(&forged, CATALOGUE_TYPE, &[anchor], 1 << 20),
        Err(DocumentError::BadSignature)
    );
    // Under another server's anchor, or as another kind of document, it does not open either.
    let other = start().await;
    let other_anchor = anchor_from_text(other.server.trust_anchor()).unwrap();
    assert_eq!(
        open_document(&bytes, CATALOGUE_TYPE, &[other_anchor], 1 << 20),
        Err(DocumentError::UnknownKey)
    );
    assert!(matches!(
        open_document(&bytes, RECEIPT_TYPE, &[anchor], 1 << 20),
        Err(DocumentError::Malformed(_))
    ));
}

#[tokio::test]
async fn a_decision_is_recorded_with_a_receipt_that_verifies_under_the_published_key() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let cat = catalogue(&s).await;
    let body = decision(&cat, "d-1", "tailored_offers", "given");
    let before = lofavor_certificate::time::now_unix();
    let (status, answer) = post(&s.base(), "v1/consent/decisions", &kari, &body).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["sequence"], 1);
    let received_at = answer["received_at"].as_i64().unwrap();
    assert!(received_at >= before && received_at <= before + 60);

    let key = receipt_key(&s).await;
    let signed = URL_SAFE_NO_PAD
        .decode(answer["receipt"].as_str().unwrap())
        .unwrap();
    let opened = open_document(&signed, RECEIPT_TYPE, &[key], 1 << 16).unwrap();
    let receipt: Value = serde_json::from_slice(&opened.payload).unwrap();
    assert_eq!(
        receipt,
        json!({
            "receipt_format": 1,
            "record_id": "d-1",
            "subject": pseudonym("kari"),
            "controller": "LOfavør AS",
            "purpose": "tailored_offers",
            "notice_id": body["notice_id"],
            "notice_version": body["notice_version"],
            "notice_sha256": body["notice_sha256"],
            "language": "nb",
            "decision": "given",
            "explicit": true,
            "decided_at": 1_790_000_000,
            "received_at": received_at,
            "sequence": 1,
            "collection_method": "consent_screen/toggle",
            "chain_hash": body["chain_hash"],
        })
    );
    // The token's subject itself is nowhere in the receipt.
    assert!(!String::from_utf8_lossy(&opened.payload).contains("\"kari\""));
    // The trust anchor did not sign it: only the receipt key does.
    let anchor = anchor_from_text(s.server.trust_anchor()).unwrap();
    assert_eq!(
        open_document(&signed, RECEIPT_TYPE, &[anchor], 1 << 16),
        Err(DocumentError::UnknownKey)
    );

    // The same decision again: the same answer, 200, nothing new in the ledger.
    let (status, again) = post(&s.base(), "v1/consent/decisions", &kari, &body).await;
    assert_eq!(status, 200);
    assert_eq!(again, answer);
    let listed = ledger(&s, &kari, None).await;
    assert_eq!(
        listed,
        json!({"decisions": [{"sequence": 1, "received_at": received_at,
            "record": body, "receipt": answer["receipt"]}], "latest": 1})
    );
}

#[tokio::test]
async fn every_refusal_has_its_code_and_stores_nothing() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let cat = catalogue(&s).await;
    let good = decision(&cat, "d-x", "tailored_offers", "given");
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let nn_text = purpose(&cat, "tailored_offers")["notice"]["text"]["nn"]
        .as_str()
        .unwrap();
    let mut partner = decision(&cat, "d-p", "partner_sharing.sparebank1", "given");
    partner["explicit"] = json!(false);
    let mut cases = vec![
        (with("purpose", json!("no_such_purpose")), "unknown_purpose"),
        (
            with("notice_version", json!("9.9")),
            "unknown_notice_version",
        ),
        (
            with("notice_id", json!("notice.newsletter")),
            "unknown_notice_version",
        ),
        // The nn text's hash with language nb.
        (
            with("notice_sha256", json!(sha(nn_text))),
            "notice_text_mismatch",
        ),
        (
            with("notice_sha256", json!(sha("a changed text"))),
            "notice_text_mismatch",
        ),
        (partner, "explicit_confirmation_required"),
        (with("id", json!("")), "bad_request"),
        (with("id", json!("has space")), "bad_request"),
        (with("id", json!("a".repeat(65))), "bad_request"),
        (with("language", json!("sv")), "bad_request"),
        (with("decision", json!("maybe")), "bad_request"),
        (with("notice_version", json!("1")), "bad_request"),
        (with("notice_sha256", json!("ABC")), "bad_request"),
        (
            with(
                "notice_sha256",
                json!(good["notice_sha256"].as_str().unwrap().to_uppercase()),
            ),
            "bad_request",
        ),
        (with("chain_hash", json!("zz")), "bad_request"),
        (with("decided_at", json!(-1)), "bad_request"),
        (with("decided_at", json!("soon")), "bad_request"),
        (with("explicit", json!("yes")), "bad_request"),
        (
            with("collection_method", json!("x".repeat(101))),
            "bad_request",
        ),
        (with("previous", json!("not an id")), "bad_request"),
        (with("unexpected", json!(1)), "bad_request"),
        (with("id", json!(7)), "bad_request"),
        (json!([good.clone()]), "bad_request"),
    ];
    for field in ["purpose", "previous", "explicit"] {
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove(field);
        cases.push((missing, "bad_request"));
    }
    for (body, code) in cases {
        let (status, answer) = post(&s.base(), "v1/consent/decisions", &kari, &body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some(code)),
            "{body}"
        );
        // The message repeats nothing that was sent.
        let message = answer["message"].as_str().unwrap();
        assert!(
            !message.contains("no_such_purpose") && !message.contains("9.9"),
            "{message}"
        );
    }
    // Not JSON at all.
    let raw = http()
        .post(format!("{}v1/consent/decisions", s.base()))
        .bearer_auth(&kari)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert_eq!(
        ledger(&s, &kari, None).await,
        json!({"decisions": [], "latest": 0})
    );

    // A partner-sharing consent refused without explicit confirmation is fine, and the
    // boundary lengths pass.
    let mut refused = decision(&cat, "d-r", "partner_sharing.sparebank1", "refused");
    refused["explicit"] = json!(false);
    refused["collection_method"] = json!("ø".repeat(100));
    refused["id"] = json!("A".repeat(64));
    refused["previous"] = json!("d-0");
    let (status, _) = post(&s.base(), "v1/consent/decisions", &kari, &refused).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_replayed_id_is_refused_and_changes_nothing() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let ola = access(&s.issuer(), "ola").await;
    let cat = catalogue(&s).await;
    let body = decision(&cat, "d-1", "newsletter", "given");
    let (status, first) = post(&s.base(), "v1/consent/decisions", &kari, &body).await;
    assert_eq!(status, 201);
    let before = ledger(&s, &kari, None).await;

    let mut changed = body.clone();
    changed["decision"] = json!("withdrawn");
    let (status, answer) = post(&s.base(), "v1/consent/decisions", &kari, &changed).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("replayed_id"))
    );
    assert_eq!(ledger(&s, &kari, None).await, before);

    // Another member can neither reuse the id (same body or not) nor see the decision.
    for attempt in [&body, &changed] {
        let (status, answer) = post(&s.base(), "v1/consent/decisions", &ola, attempt).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (409, Some("replayed_id"))
        );
        assert!(answer.get("receipt").is_none());
    }
    assert_eq!(
        ledger(&s, &ola, None).await,
        json!({"decisions": [], "latest": 0})
    );
    assert_eq!(ledger(&s, &kari, None).await, before);
    // The first answer is still the answer to the first body.
    let (status, again) = post(&s.base(), "v1/consent/decisions", &kari, &body).await;
    assert_eq!((status, again), (200, first));
}

#[tokio::test]
async fn the_ledger_is_in_arrival_order_per_member() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let ola = access(&s.issuer(), "ola").await;
    let cat = catalogue(&s).await;
    // Decided later on the device, arrived first: arrival order wins.
    let mut ids = Vec::new();
    for (i, at) in [1_790_000_300, 1_790_000_200, 1_790_000_100]
        .iter()
        .enumerate()
    {
        let mut body = decision(&cat, &format!("k-{i}"), "analytics", "given");
        body["decided_at"] = json!(at);
        if i == 1 {
            body["decision"] = json!("withdrawn");
        }
        let (status, answer) = post(&s.base(), "v1/consent/decisions", &kari, &body).await;
        assert_eq!(status, 201);
        assert_eq!(answer["sequence"], i as i64 + 1);
        ids.push(body["id"].clone());
    }
    let (status, answer) = post(
        &s.base(),
        "v1/consent/decisions",
        &ola,
        &decision(&cat, "o-0", "analytics", "refused"),
    )
    .await;
    assert_eq!((status, answer["sequence"].as_i64()), (201, Some(1)));

    let all = ledger(&s, &kari, None).await;
    let listed: Vec<Value> = all["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["record"]["id"].clone())
        .collect();
    assert_eq!(listed, ids);
    assert_eq!(all["latest"], 3);
    let later = ledger(&s, &kari, Some(1)).await;
    let sequences: Vec<i64> = later["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(sequences, [2, 3]);
    assert_eq!(later["latest"], 3);
    assert_eq!(ledger(&s, &kari, Some(3)).await["decisions"], json!([]));
    let (status, answer) = get(&s.base(), "v1/consent/decisions?after=-1", &kari).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("bad_request"))
    );
    assert_eq!(ledger(&s, &ola, None).await["latest"], 1);
}

#[tokio::test]
async fn an_older_published_notice_version_stays_valid_and_an_unpublished_one_never_is() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let first = catalogue(&s).await;
    let old_text = purpose(&first, "tailored_offers")["notice"]["text"]["en"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut next: Value = serde_json::from_str(BUNDLED).unwrap();
    next["sequence"] = json!(2);
    let new_text = format!("{old_text} We also use your postcode.");
    for p in next["purposes"].as_array_mut().unwrap() {
        if p["id"] == "tailored_offers" {
            p["notice"]["version"] = json!("1.1");
            for lang in ["nb", "nn", "en"] {
                p["notice"]["text"][lang] = json!(format!(
                    "{} (1.1)",
                    p["notice"]["text"][lang].as_str().unwrap()
                ));
            }
            p["notice"]["text"]["en"] = json!(new_text);
        }
    }
    // Not newer than the one published: refused, nothing changes.
    let mut same = next.clone();
    same["sequence"] = json!(1);
    assert!(s.server.publish_catalogue(same).is_err());
    assert_eq!(catalogue(&s).await["sequence"], 1);
    s.server.publish_catalogue(next.clone()).unwrap();
    let second = catalogue(&s).await;
    assert_eq!(second["sequence"], 2);
    assert_eq!(
        purpose(&second, "tailored_offers")["notice"]["version"],
        "1.1"
    );

    let post_on = |id: &str, version: &str, text: &str| {
        let mut body = decision(&first, id, "tailored_offers", "given");
        body["notice_version"] = json!(version);
        body["language"] = json!("en");
        body["notice_sha256"] = json!(sha(text));
        body
    };
    let base = s.base();
    // The older version, still with its own text.
    let (status, _) = post(
        &base,
        "v1/consent/decisions",
        &kari,
        &post_on("v-10", "1.0", &old_text),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = post(
        &base,
        "v1/consent/decisions",
        &kari,
        &post_on("v-11", "1.1", &new_text),
    )
    .await;
    assert_eq!(status, 201);
    let (status, answer) = post(
        &base,
        "v1/consent/decisions",
        &kari,
        &post_on("v-11b", "1.1", &old_text),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("notice_text_mismatch"))
    );
    let (status, answer) = post(
        &base,
        "v1/consent/decisions",
        &kari,
        &post_on("v-20", "2.0", &new_text),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("unknown_notice_version"))
    );

    // A published version's text cannot change under the same version number.
    let mut rewritten = next.clone();
    rewritten["sequence"] = json!(3);
    rewritten["purposes"][0]["notice"]["text"]["en"] = json!("something else entirely");
    assert!(s.server.publish_catalogue(rewritten).is_err());
    // Nor is a malformed catalogue published.
    assert!(
        s.server
            .publish_catalogue(json!({"format": 1, "sequence": 9}))
            .is_err()
    );
    assert_eq!(catalogue(&s).await["sequence"], 2);
}

#[tokio::test]
async fn the_ledger_and_catalogue_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = || lofavor_server::ServerConfig::loopback(dir.path());
    let server = lofavor_server::start(config()).await.unwrap();
    let s = Server {
        server,
        dir: tempfile::tempdir().unwrap(),
    };
    let kari = access(&s.issuer(), "kari").await;
    let cat = catalogue(&s).await;
    let key_before = receipt_key(&s).await;
    let (status, _) = post(
        &s.base(),
        "v1/consent/decisions",
        &kari,
        &decision(&cat, "r-1", "analytics", "given"),
    )
    .await;
    assert_eq!(status, 201);
    let before = ledger(&s, &kari, None).await;
    let Server { server, dir: other } = s;
    server.stop().await;
    drop(other);

    let server = lofavor_server::start(config()).await.unwrap();
    let s = Server {
        server,
        dir: tempfile::tempdir().unwrap(),
    };
    assert_eq!(receipt_key(&s).await, key_before);
    let kari = access(&s.issuer(), "kari").await;
    assert_eq!(ledger(&s, &kari, None).await, before);
    assert!(dir.path().join("keys/consent-receipts.p8").exists());
}

#[tokio::test]
async fn without_a_token_or_with_a_huge_body_nothing_is_recorded() {
    let s = start().await;
    let cat = catalogue(&s).await;
    let body = decision(&cat, "d-1", "analytics", "given");
    let (status, answer) = call(
        &s.base(),
        reqwest::Method::POST,
        "v1/consent/decisions",
        None,
        Some(&body),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("unauthorized"))
    );
    let (status, _) = call(
        &s.base(),
        reqwest::Method::GET,
        "v1/consent/decisions",
        None,
        None,
    )
    .await;
    assert_eq!(status, 401);

    let kari = access(&s.issuer(), "kari").await;
    let mut huge = body.clone();
    huge["collection_method"] = json!("x".repeat(1 << 20));
    let (status, answer) = post(&s.base(), "v1/consent/decisions", &kari, &huge).await;
    assert_eq!((status, answer["error"].as_str()), (413, Some("too_large")));
    assert_eq!(ledger(&s, &kari, None).await["latest"], 0);
}

#[tokio::test]
async fn two_devices_deciding_at_once_get_one_gapless_arrival_order() {
    let s = start().await;
    // Two logins of one member: two devices.
    let phone = access(&s.issuer(), "kari").await;
    let tablet = access(&s.issuer(), "kari").await;
    let cat = catalogue(&s).await;
    let mut tasks = Vec::new();
    for i in 0..30 {
        let token = if i % 2 == 0 {
            phone.clone()
        } else {
            tablet.clone()
        };
        let body = decision(
            &cat,
            &format!("c-{i}"),
            "analytics",
            if i % 3 == 0 { "withdrawn" } else { "given" },
        );
        let base = s.base();
        tasks.push(tokio::spawn(async move {
            let (status, answer) = post(&base, "v1/consent/decisions", &token, &body).await;
            assert_eq!(status, 201);
            (
                body["id"].as_str().unwrap().to_owned(),
                answer["sequence"].as_i64().unwrap(),
            )
        }));
    }
    let mut answered = Vec::new();
    for task in tasks {
        answered.push(task.await.unwrap());
    }
    let mut sequences: Vec<i64> = answered.iter().map(|(_, n)| *n).collect();
    sequences.sort_unstable();
    assert_eq!(sequences, (1..=30).collect::<Vec<_>>());
    // The ledger lists each decision under the sequence its answer gave.
    let listed = ledger(&s, &phone, None).await;
    for entry in listed["decisions"].as_array().unwrap() {
        let id = entry["record"]["id"].as_str().unwrap();
        let given = answered.iter().find(|(i, _)| i == id).unwrap().1;
        assert_eq!(entry["sequence"], given);
    }
    assert_eq!(listed["latest"], 30);
}
