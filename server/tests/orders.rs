//! The transfers the app's consent gate governs, as the server records them: partner offers,
//! orders and shares (and what each partner's inbox received), analytics batches, the
//! newsletter, and the request log recording tests read.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should stop the test

mod support;

use serde_json::{Map, Value, json};
use support::*;

const PARTNERS: [&str; 4] = ["sparebank1", "fremtind", "help", "norsk_folkehjelp"];

async fn offers(s: &Server, token: &str) -> Vec<Value> {
    let (status, body) = get(&s.base(), "v1/offers", token).await;
    assert_eq!(status, 200);
    body["offers"].as_array().unwrap().clone()
}

fn fields_of(offer: &Value) -> Map<String, Value> {
    offer["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f.as_str().unwrap().to_owned(),
                json!(format!("{} value", f.as_str().unwrap())),
            )
        })
        .collect()
}

async fn dev_inbox(s: &Server, partner: &str) -> (u16, Value) {
    call(
        &s.base(),
        reqwest::Method::GET,
        &format!("dev/partners/{partner}/inbox"),
        None,
        None,
    )
    .await
}

#[tokio::test]
async fn each_partner_has_an_offer_and_only_some_need_the_union() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let all = offers(&s, &kari).await;
    for partner in PARTNERS {
        assert!(all.iter().any(|o| o["partner"] == partner), "{partner}");
    }
    let with_union = all
        .iter()
        .filter(|o| o["fields"].as_array().unwrap().contains(&json!("union")))
        .count();
    assert!(with_union > 0 && with_union < all.len());
    for offer in &all {
        for lang in ["nb", "nn", "en"] {
            assert!(offer["title"][lang].is_string() && offer["summary"][lang].is_string());
        }
    }
    let (status, _) = call(&s.base(), reqwest::Method::GET, "v1/offers", None, None).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn an_order_reaches_the_partners_inbox_once() {
    let s = start().await;
    for partner in PARTNERS {
        assert!(s.server.partner_inbox(partner).is_empty());
        assert_eq!(dev_inbox(&s, partner).await, (200, json!({"inbox": []})));
    }
    let kari = access(&s.issuer(), "kari").await;
    let ola = access(&s.issuer(), "ola").await;
    let all = offers(&s, &kari).await;
    let offer = all.iter().find(|o| o["partner"] == "help").unwrap();
    let order = json!({"id": "order-1", "offer": offer["id"], "fields": fields_of(offer)});

    let (status, placed) = post(&s.base(), "v1/orders", &kari, &order).await;
    assert_eq!(status, 201, "{placed}");
    assert_eq!(placed["order_id"], "order-1");
    assert_eq!(placed["offer"], offer["id"]);
    assert_eq!(placed["partner"], "help");
    assert_eq!(placed["status"], "sent");
    let inbox = s.server.partner_inbox("help");
    assert_eq!(
        inbox,
        [
            json!({"kind": "order", "at": placed["received_at"], "subject": pseudonym("kari"),
            "fields": fields_of(offer)})
        ]
    );
    assert_eq!(dev_inbox(&s, "help").await.1["inbox"], json!(inbox));
    // Nobody else got anything.
    for partner in ["sparebank1", "fremtind", "norsk_folkehjelp"] {
        assert!(s.server.partner_inbox(partner).is_empty(), "{partner}");
    }

    // Again: the same answer and nothing more sent.
    let (status, again) = post(&s.base(), "v1/orders", &kari, &order).await;
    assert_eq!((status, &again), (200, &placed));
    // The same id with other fields, or by another member: refused, nothing sent.
    let mut changed = order.clone();
    changed["fields"]["name"] = json!("Someone Else");
    let (status, answer) = post(&s.base(), "v1/orders", &kari, &changed).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("replayed_id"))
    );
    let (status, answer) = post(&s.base(), "v1/orders", &ola, &order).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("replayed_id"))
    );
    assert_eq!(s.server.partner_inbox("help").len(), 1);
}

#[tokio::test]
async fn an_order_must_carry_exactly_the_offers_fields() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let all = offers(&s, &kari).await;
    let offer = all
        .iter()
        .find(|o| o["fields"].as_array().unwrap().contains(&json!("union")))
        .unwrap();
    let partner = offer["partner"].as_str().unwrap();
    let full = fields_of(offer);
    let mut missing = full.clone();
    missing.remove("union");
    let mut extra = full.clone();
    extra.insert("national_id".into(), json!("01017012345"));
    let mut swapped = missing.clone();
    swapped.insert("address".into(), json!("x"));
    for (i, fields) in [missing, extra, swapped, Map::new()]
        .into_iter()
        .enumerate()
    {
        let order = json!({"id": format!("m-{i}"), "offer": offer["id"], "fields": fields});
        let (status, answer) = post(&s.base(), "v1/orders", &kari, &order).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("fields_mismatch"))
        );
        assert!(!answer["message"].as_str().unwrap().contains("01017012345"));
    }
    let mut not_text = full.clone();
    not_text.insert("name".into(), json!(42));
    let mut empty = full.clone();
    empty.insert("name".into(), json!(" "));
    let mut long = full.clone();
    long.insert("name".into(), json!("n".repeat(201)));
    for fields in [not_text, empty, long] {
        let order = json!({"id": "m-x", "offer": offer["id"], "fields": fields});
        let (status, answer) = post(&s.base(), "v1/orders", &kari, &order).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("bad_request"))
        );
    }
    let (status, answer) = post(
        &s.base(),
        "v1/orders",
        &kari,
        &json!({"id": "m-y", "offer": "no-such-offer", "fields": full}),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("unknown_offer"))
    );
    let (status, answer) = post(
        &s.base(),
        "v1/orders",
        &kari,
        &json!({"id": "bad id", "offer": offer["id"], "fields": full}),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("bad_request"))
    );
    assert!(s.server.partner_inbox(partner).is_empty());
}

#[tokio::test]
async fn a_share_sends_the_categories_asked_for_and_nothing_else() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let ola = access(&s.issuer(), "ola").await;
    let share = json!({"id": "share-1", "categories": ["identity", "union_membership"]});
    for body in [share.clone(), json!({"something": "else"})] {
        let (status, answer) = post(&s.base(), "v1/partners/nobody/share", &kari, &body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (404, Some("unknown_partner"))
        );
    }

    let (status, answer) = post(&s.base(), "v1/partners/sparebank1/share", &kari, &share).await;
    assert_eq!((status, answer), (200, json!({"shared": true})));
    let inbox = s.server.partner_inbox("sparebank1");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "share");
    assert_eq!(inbox[0]["subject"], pseudonym("kari"));
    assert_eq!(
        inbox[0]["fields"],
        json!({"name": "Kari Nordmann", "birth_date": "1985-04-12",
            "member_number": "LO-100001", "union": "Fellesforbundet"})
    );
    // A repeat sends nothing more; the id with other categories, elsewhere, or by another
    // member is refused.
    let (status, _) = post(&s.base(), "v1/partners/sparebank1/share", &kari, &share).await;
    assert_eq!(status, 200);
    assert_eq!(s.server.partner_inbox("sparebank1").len(), 1);
    let more = json!({"id": "share-1", "categories": ["contact"]});
    let (status, _) = post(&s.base(), "v1/partners/sparebank1/share", &kari, &more).await;
    assert_eq!(status, 409);
    let (status, _) = post(&s.base(), "v1/partners/fremtind/share", &kari, &share).await;
    assert_eq!(status, 409);
    let (status, _) = post(&s.base(), "v1/partners/sparebank1/share", &ola, &share).await;
    assert_eq!(status, 409);
    assert!(s.server.partner_inbox("fremtind").is_empty());

    // Contact only: no union, no name.
    let contact = json!({"id": "share-2", "categories": ["contact", "products"]});
    let (status, _) = post(&s.base(), "v1/partners/fremtind/share", &ola, &contact).await;
    assert_eq!(status, 200);
    assert_eq!(
        s.server.partner_inbox("fremtind")[0]["fields"],
        json!({"email": "ola.nordmann@example.org", "phone": "+47 00 00 00 02",
            "products": ["Veihjelp"]})
    );
    for bad in [json!([]), json!(["everything"]), json!("identity")] {
        let body = json!({"id": "share-3", "categories": bad});
        let (status, answer) = post(&s.base(), "v1/partners/help/share", &kari, &body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("bad_request"))
        );
    }
    assert!(s.server.partner_inbox("help").is_empty());
}

fn events(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"name": "screen.view_home", "at": 1_790_000_000 + i as i64}))
        .collect()
}

async fn analytics_count(s: &Server, token: &str) -> i64 {
    let (status, data) = get(&s.base(), "v1/privacy/data", token).await;
    assert_eq!(status, 200);
    data["analytics_events"].as_i64().unwrap()
}

#[tokio::test]
async fn analytics_batches_are_idempotent_and_bounded() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let ola = access(&s.issuer(), "ola").await;
    let batch = json!({"batch_id": "batch-1", "events": events(500)});
    let (status, answer) = post(&s.base(), "v1/analytics/events", &kari, &batch).await;
    assert_eq!((status, answer), (202, json!({"accepted": 500})));
    let (status, answer) = post(&s.base(), "v1/analytics/events", &kari, &batch).await;
    assert_eq!((status, answer), (202, json!({"accepted": 0})));
    let other = json!({"batch_id": "batch-1", "events": events(3)});
    let (status, answer) = post(&s.base(), "v1/analytics/events", &kari, &other).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("replayed_id"))
    );
    let (status, _) = post(&s.base(), "v1/analytics/events", &ola, &batch).await;
    assert_eq!(status, 409);
    assert_eq!(analytics_count(&s, &kari).await, 500);
    assert_eq!(analytics_count(&s, &ola).await, 0);

    let too_many = json!({"batch_id": "batch-2", "events": events(501)});
    let (status, answer) = post(&s.base(), "v1/analytics/events", &kari, &too_many).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("bad_request"))
    );
    for bad in [
        json!([]),
        json!([{"name": "Screen.View", "at": 1}]),
        json!([{"name": "", "at": 1}]),
        json!([{"name": "x".repeat(65), "at": 1}]),
        json!([{"name": "a b", "at": 1}]),
        json!([{"name": "ok", "at": -5}]),
        json!([{"name": "ok", "at": 1, "user": "kari"}]),
    ] {
        let body = json!({"batch_id": "batch-3", "events": bad});
        let (status, answer) = post(&s.base(), "v1/analytics/events", &kari, &body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("bad_request")),
            "{body}"
        );
    }
    // A body far over the limit is refused before it is read whole.
    let huge = json!({"batch_id": "batch-4", "events": [{"name": "x", "at": 1}],
        "padding": "p".repeat(4 << 20)});
    let (status, answer) = post(&s.base(), "v1/analytics/events", &kari, &huge).await;
    assert_eq!((status, answer["error"].as_str()), (413, Some("too_large")));
    assert_eq!(analytics_count(&s, &kari).await, 500);
    // The longest legal batch fits under the limit.
    let longest: Vec<Value> = (0..500)
        .map(|i| json!({"name": "n".repeat(64), "at": 253_402_300_799_i64 - i}))
        .collect();
    let (status, answer) = post(
        &s.base(),
        "v1/analytics/events",
        &kari,
        &json!({"batch_id": "b".repeat(64), "events": longest}),
    )
    .await;
    assert_eq!((status, answer), (202, json!({"accepted": 500})));
}

#[tokio::test]
async fn the_newsletter_subscription_comes_and_goes() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let subscribed = |base: String, t: String| async move {
        get(&base, "v1/privacy/data", &t).await.1["newsletter"].clone()
    };
    assert_eq!(subscribed(s.base(), kari.clone()).await, false);
    let (status, answer) = post(
        &s.base(),
        "v1/newsletter/subscription",
        &kari,
        &json!({"email": "kari@example.org"}),
    )
    .await;
    assert_eq!((status, answer), (200, json!({"subscribed": true})));
    assert_eq!(subscribed(s.base(), kari.clone()).await, true);
    for bad in [
        json!({"email": "not an address"}),
        json!({"email": 5}),
        json!({}),
    ] {
        let (status, answer) = post(&s.base(), "v1/newsletter/subscription", &kari, &bad).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("bad_request"))
        );
        assert!(
            !answer["message"]
                .as_str()
                .unwrap()
                .contains("not an address")
        );
    }
    let (status, answer) = call(
        &s.base(),
        reqwest::Method::DELETE,
        "v1/newsletter/subscription",
        Some(&kari),
        None,
    )
    .await;
    assert_eq!((status, answer), (200, json!({"subscribed": false})));
    assert_eq!(subscribed(s.base(), kari).await, false);
}

#[tokio::test]
async fn the_request_log_holds_method_and_path_only_in_order() {
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    assert!(
        s.server
            .requests()
            .iter()
            .any(|r| r.starts_with("POST /oidc/token"))
    );
    s.server.clear_requests();
    assert!(s.server.requests().is_empty());
    get(&s.base(), "v1/consent/decisions?after=3", &kari).await;
    post(
        &s.base(),
        "v1/analytics/events",
        &kari,
        &json!({"batch_id": "l-1", "events": events(1)}),
    )
    .await;
    call(
        &s.base(),
        reqwest::Method::GET,
        "no/such/path?x=secret",
        None,
        None,
    )
    .await;
    assert_eq!(
        s.server.requests(),
        [
            "GET /v1/consent/decisions",
            "POST /v1/analytics/events",
            "GET /no/such/path"
        ]
    );
    s.server.clear_requests();
    assert!(s.server.requests().is_empty());
}

#[tokio::test]
async fn the_partners_inboxes_are_not_served_with_an_external_issuer() {
    let provider = start().await;
    let issuer = provider.issuer();
    let api = start_with(move |c| {
        c.issuer = lofavor_server::IssuerChoice::External(lofavor_server::ExternalIssuer::new(
            issuer,
            lofavor_server::MEMBER_API_AUDIENCE,
        ));
    })
    .await;
    let (status, _) = dev_inbox(&api, "sparebank1").await;
    assert_eq!(status, 404);
    // The member API itself is there, for the provider's tokens.
    let token = access(&provider.issuer(), "member-42").await;
    let (status, body) = get(&api.base(), "v1/offers", &token).await;
    assert_eq!(status, 200);
    assert!(!body["offers"].as_array().unwrap().is_empty());
    assert!(api.server.partner_inbox("sparebank1").is_empty());
}
