//! Privacy-rights requests (with their due dates and status changes) and the member's data
//! export.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use chrono::{DateTime, Months};
use serde_json::{Value, json};
use support::*;

fn months_after(unix: i64, months: u32) -> i64 {
    DateTime::from_timestamp(unix, 0)
        .unwrap()
        .checked_add_months(Months::new(months))
        .unwrap()
        .timestamp()
}

async fn requests(s: &Server, token: &str) -> Vec<Value> {
    let (status, body) = get(&s.base(), "v1/privacy/requests", token).await;
    assert_eq!(status, 200);
    body["requests"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_request_is_due_one_calendar_month_after_receipt() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let secret_text = "Please delete my data, my national id is 01017012345";
    let body = json!({"id": "req-1", "kind": "erasure", "text": secret_text});
    let (status, filed) = post(&s.base(), "v1/privacy/requests", &kari, &body).await;
    assert_eq!(status, 201, "{filed}");
    let received = filed["received_at"].as_i64().unwrap();
    assert_eq!(
        filed,
        json!({"id": "req-1", "kind": "erasure", "status": "received", "received_at": received,
            "due_at": months_after(received, 1), "extended_due_at": null, "text_received": true})
    );
    // Due at least 28 days on, never more than 31.
    let days = (filed["due_at"].as_i64().unwrap() - received) / 86_400;
    assert!((28..=31).contains(&days), "{days}");
    // The text is kept, never answered back.
    assert!(!filed.to_string().contains("01017012345"));
    let (_, data) = get(&s.base(), "v1/privacy/data", &kari).await;
    assert!(!data.to_string().contains("01017012345"));

    let (status, again) = post(&s.base(), "v1/privacy/requests", &kari, &body).await;
    assert_eq!((status, &again), (200, &filed));
    let no_text = json!({"id": "req-2", "kind": "access"});
    let (status, filed2) = post(&s.base(), "v1/privacy/requests", &kari, &no_text).await;
    assert_eq!(
        (status, filed2["text_received"].as_bool()),
        (201, Some(false))
    );
}

#[tokio::test]
async fn requests_are_idempotent_checked_and_kept_apart() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let ola = access(&s.issuer(), "ola").await;
    let body = json!({"id": "req-1", "kind": "access", "text": "everything"});
    assert_eq!(
        post(&s.base(), "v1/privacy/requests", &kari, &body).await.0,
        201
    );
    for replay in [
        json!({"id": "req-1", "kind": "erasure", "text": "everything"}),
        json!({"id": "req-1", "kind": "access", "text": "something else"}),
        json!({"id": "req-1", "kind": "access"}),
    ] {
        let (status, answer) = post(&s.base(), "v1/privacy/requests", &kari, &replay).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (409, Some("replayed_id"))
        );
    }
    let (status, _) = post(&s.base(), "v1/privacy/requests", &ola, &body).await;
    assert_eq!(status, 409);
    assert!(requests(&s, &ola).await.is_empty());

    let (status, answer) = post(
        &s.base(),
        "v1/privacy/requests",
        &kari,
        &json!({"id": "req-2", "kind": "forget_me"}),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("unknown_kind"))
    );
    for bad in [
        json!({"id": "req 2", "kind": "access"}),
        json!({"id": "req-2", "kind": "access", "text": "x".repeat(2001)}),
        json!({"id": "req-2", "kind": 3}),
        json!({"id": "req-2", "kind": "access", "extra": true}),
    ] {
        let (status, answer) = post(&s.base(), "v1/privacy/requests", &kari, &bad).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("bad_request"))
        );
    }
    let longest = json!({"id": "req-3", "kind": "objection", "text": "ø".repeat(2000)});
    assert_eq!(
        post(&s.base(), "v1/privacy/requests", &kari, &longest)
            .await
            .0,
        201
    );
    for kind in [
        "rectification",
        "restriction",
        "portability",
        "human_review",
    ] {
        let body = json!({"id": format!("k-{kind}").replace('_', "-"), "kind": kind});
        assert_eq!(
            post(&s.base(), "v1/privacy/requests", &kari, &body).await.0,
            201
        );
    }
    // Newest first.
    let listed = requests(&s, &kari).await;
    assert_eq!(listed.len(), 6);
    assert_eq!(listed[0]["id"], "k-human-review");
    assert_eq!(listed[5]["id"], "req-1");
}

#[tokio::test]
async fn status_changes_show_and_an_extension_gives_three_months() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let body = json!({"id": "req-1", "kind": "access"});
    let (_, filed) = post(&s.base(), "v1/privacy/requests", &kari, &body).await;
    let received = filed["received_at"].as_i64().unwrap();

    assert!(s.server.set_privacy_request_status("req-1", "in_progress"));
    assert_eq!(requests(&s, &kari).await[0]["status"], "in_progress");
    assert_eq!(requests(&s, &kari).await[0]["extended_due_at"], Value::Null);
    assert!(s.server.set_privacy_request_status("req-1", "extended"));
    let now = &requests(&s, &kari).await[0];
    assert_eq!(now["status"], "extended");
    assert_eq!(now["extended_due_at"], months_after(received, 3));
    assert_eq!(now["due_at"], months_after(received, 1));
    // The repeat answers the current state.
    let (status, again) = post(&s.base(), "v1/privacy/requests", &kari, &body).await;
    assert_eq!((status, &again), (200, now));
    assert!(s.server.set_privacy_request_status("req-1", "completed"));
    let done = &requests(&s, &kari).await[0];
    assert_eq!(done["status"], "completed");
    assert_eq!(done["extended_due_at"], months_after(received, 3));

    assert!(!s.server.set_privacy_request_status("req-1", "lost"));
    assert!(!s.server.set_privacy_request_status("no-such", "completed"));
    assert_eq!(requests(&s, &kari).await[0]["status"], "completed");
}

#[tokio::test]
async fn the_data_export_holds_what_the_server_has_of_the_member_only() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let (status, data) = get(&s.base(), "v1/privacy/data", &kari).await;
    assert_eq!(status, 200);
    assert_eq!(
        data,
        json!({
            "member": {"subject": "kari", "name": "Kari Nordmann",
                "email": "kari.nordmann@example.org", "phone": "+47 00 00 00 01",
                "birth_date": "1985-04-12", "member_number": "LO-100001",
                "union": "Fellesforbundet"},
            "decisions": [], "orders": [], "requests": [], "newsletter": false,
            "analytics_events": 0
        })
    );
    let (_, offers) = get(&s.base(), "v1/offers", &kari).await;
    let offer = &offers["offers"][3];
    let fields: serde_json::Map<String, Value> = offer["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f.as_str().unwrap().to_owned(), json!("v")))
        .collect();
    let order = json!({"id": "o-1", "offer": offer["id"], "fields": fields});
    assert_eq!(post(&s.base(), "v1/orders", &kari, &order).await.0, 201);
    post(
        &s.base(),
        "v1/privacy/requests",
        &kari,
        &json!({"id": "r-1", "kind": "access"}),
    )
    .await;
    let (_, data) = get(&s.base(), "v1/privacy/data", &kari).await;
    assert_eq!(data["orders"][0]["fields"], json!(fields));
    assert_eq!(data["requests"][0]["id"], "r-1");

    // Another member sees none of it; without the membership scope, no union.
    let ola = login_with_scope(&s.issuer(), "ola", "openid profile").await;
    let (_, data) = get(
        &s.base(),
        "v1/privacy/data",
        ola["access_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(data["member"]["subject"], "ola");
    assert_eq!(data["member"]["union"], Value::Null);
    assert_eq!(data["orders"], json!([]));
    assert_eq!(data["requests"], json!([]));

    rusqlite::Connection::open(s.dir.path().join("server.db"))
        .unwrap()
        .execute("DELETE FROM member WHERE id = 'kari'", [])
        .unwrap();
    let (status, answer) = get(&s.base(), "v1/privacy/data", &kari).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("unknown_member"))
    );
}
