//! The running server answers as `openapi.yaml` says.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

mod support;

use base64::Engine;
use serde_yaml::Value;
use sha2::{Digest, Sha256};
use support::*;

fn spec() -> Value {
    serde_yaml::from_str(include_str!("../openapi.yaml")).unwrap()
}

/// Follows a `$ref` into the spec.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let mut node = spec;
            for part in reference.trim_start_matches("#/").split('/') {
                node = &node[part];
            }
            assert!(!node.is_null(), "dangling {reference}");
            node
        }
        None => schema,
    }
}

/// Checks `body` against `schema` of the spec: types, `enum`/`const`, `oneOf`, arrays, and
/// for objects required fields present and no properties the spec does not name.
fn check(spec: &Value, schema: &Value, body: &serde_json::Value, at: &str) -> Result<(), String> {
    let schema = resolve(spec, schema);
    if let Some(choices) = schema["oneOf"].as_sequence() {
        let matching = choices
            .iter()
            .filter(|choice| check(spec, choice, body, at).is_ok())
            .count();
        return if matching == 1 {
            Ok(())
        } else {
            Err(format!("{at}: matches {matching} of oneOf"))
        };
    }
    let ty = schema["type"]
        .as_str()
        .ok_or_else(|| format!("{at}: no type in the spec"))?;
    let ok = match ty {
        "string" => body.is_string(),
        "boolean" => body.is_boolean(),
        "integer" => body.is_i64() || body.is_u64(),
        "number" => body.is_number(),
        "null" => body.is_null(),
        "array" => body.is_array(),
        "object" => body.is_object(),
        other => return Err(format!("type {other} not handled by this check")),
    };
    if !ok {
        return Err(format!("{at} has the wrong type, expected {ty}"));
    }
    if let Some(allowed) = schema["enum"].as_sequence()
        && !allowed.iter().any(|a| a.as_str() == body.as_str())
    {
        return Err(format!("{at} not in enum"));
    }
    if let Some(constant) = schema["const"].as_str()
        && body.as_str() != Some(constant)
    {
        return Err(format!("{at} is not the const"));
    }
    if let Some(items) = body.as_array() {
        for (i, item) in items.iter().enumerate() {
            check(spec, &schema["items"], item, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(object) = body.as_object() {
        // A map (`additionalProperties` a schema) may have any names, each value of that
        // schema; otherwise only the names the spec lists.
        let map_values = schema["additionalProperties"]
            .as_mapping()
            .map(|_| &schema["additionalProperties"]);
        let empty = serde_yaml::Mapping::new();
        let props = match (schema["properties"].as_mapping(), map_values) {
            (Some(props), _) => props,
            (None, Some(_)) => &empty,
            (None, None) => return Err(format!("{at}: no properties in the spec")),
        };
        for required in schema["required"].as_sequence().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !object.contains_key(name) {
                return Err(format!("{at}: missing {name}"));
            }
        }
        for (name, value) in object {
            let prop = props
                .get(Value::from(name.as_str()))
                .or(map_values)
                .ok_or_else(|| format!("{at}.{name} is not in the spec"))?;
            check(spec, prop, value, &format!("{at}.{name}"))?;
        }
    }
    Ok(())
}

/// Checks `body` against the named component schema.
fn check_component(spec: &Value, name: &str, body: &serde_json::Value) {
    if let Err(e) = check(spec, &spec["components"]["schemas"][name], body, name) {
        panic!("{e}");
    }
}

#[test]
fn the_checker_catches_what_it_should() {
    let spec = spec();
    let schema = &spec["components"]["schemas"]["Me"];
    let good = serde_json::json!({"subject": "s", "name": "n", "membership": null});
    assert!(check(&spec, schema, &good, "Me").is_ok());
    let map = &spec["components"]["schemas"]["PartnerInboxEntry"];
    let entry = serde_json::json!({"kind": "share", "at": 1, "subject": "ab",
        "fields": {"name": "n", "union": null, "products": ["p"]}});
    assert!(check(&spec, map, &entry, "entry").is_ok());
    let bad_value = serde_json::json!({"kind": "share", "at": 1, "subject": "ab",
        "fields": {"name": 1}});
    assert!(check(&spec, map, &bad_value, "entry").is_err());
    for bad in [
        serde_json::json!({"subject": "s", "name": "n"}),
        serde_json::json!({"subject": "s", "name": "n", "membership": null, "extra": 1}),
        serde_json::json!({"subject": "s", "name": "n", "membership": {"union": "u"}}),
        serde_json::json!({"subject": 1, "name": "n", "membership": null}),
    ] {
        assert!(check(&spec, schema, &bad, "Me").is_err(), "{bad}");
    }
}

/// Whether the spec documents `status` for `method path`.
fn documented(spec: &Value, method: &str, path: &str, status: u16) -> bool {
    spec["paths"][path][method]["responses"][status.to_string().as_str()].is_mapping()
}

#[tokio::test]
async fn health_answers_as_the_contract_says() {
    let dir = tempfile::tempdir().unwrap();
    let server = lofavor_server::start(lofavor_server::ServerConfig::loopback(dir.path()))
        .await
        .unwrap();
    assert!(server.addr().ip().is_loopback());
    let response = reqwest::get(format!("{}health", server.base_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    let spec = spec();
    check_component(&spec, "Health", &body);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], true);
    assert!(spec["paths"]["/health"]["get"]["responses"]["200"].is_mapping());
    server.stop().await;
}

#[tokio::test]
async fn unknown_paths_are_404_and_the_server_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let server = lofavor_server::start(lofavor_server::ServerConfig::loopback(dir.path()))
        .await
        .unwrap();
    let base = server.base_url();
    let response = reqwest::get(format!("{base}no-such-thing")).await.unwrap();
    assert_eq!(response.status(), 404);
    server.stop().await;
    assert!(reqwest::get(format!("{base}health")).await.is_err());
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let server = lofavor_server::start(lofavor_server::ServerConfig::loopback(dir.path()))
            .await
            .unwrap();
        let response = reqwest::get(format!("{}health", server.base_url()))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        server.stop().await;
    }
    assert!(dir.path().join("server.db").exists());
}

#[tokio::test]
async fn the_issuer_answers_as_the_contract_says() {
    let spec = spec();
    let s = start().await;
    let issuer = s.issuer();

    let discovery = reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .unwrap();
    assert!(documented(
        &spec,
        "get",
        "/oidc/.well-known/openid-configuration",
        200
    ));
    check_component(
        &spec,
        "OpenIdConfiguration",
        &discovery.json().await.unwrap(),
    );
    let jwks = reqwest::get(format!("{issuer}/jwks")).await.unwrap();
    assert!(documented(&spec, "get", "/oidc/jwks", 200));
    check_component(&spec, "JwkSet", &jwks.json().await.unwrap());

    let http = http();
    let page = AuthRequest::new().send(&http, &issuer).await;
    assert!(documented(
        &spec,
        "get",
        "/oidc/authorize",
        page.status().as_u16()
    ));
    let bad = AuthRequest::new()
        .set("client_id", Some("nobody"))
        .send(&http, &issuer)
        .await;
    assert!(documented(
        &spec,
        "get",
        "/oidc/authorize",
        bad.status().as_u16()
    ));
    let to_client = AuthRequest::new()
        .set("code_challenge_method", Some("plain"))
        .send(&http, &issuer)
        .await;
    assert!(documented(
        &spec,
        "get",
        "/oidc/authorize",
        to_client.status().as_u16()
    ));

    let tokens = login(&issuer, "kari").await;
    assert!(documented(&spec, "post", "/oidc/token", 200));
    check_component(&spec, "TokenResponse", &tokens);
    let error = token(
        &http,
        &issuer,
        &[("grant_type", "password"), ("client_id", CLIENT)],
    )
    .await;
    assert!(documented(
        &spec,
        "post",
        "/oidc/token",
        error.status().as_u16()
    ));
    check_component(&spec, "OAuthError", &error.json().await.unwrap());
    let error = token(&http, &issuer, &[("grant_type", "refresh_token")]).await;
    assert!(documented(
        &spec,
        "post",
        "/oidc/token",
        error.status().as_u16()
    ));
    check_component(&spec, "OAuthError", &error.json().await.unwrap());

    for method in ["get", "post"] {
        let request = match method {
            "get" => http.get(format!("{issuer}/userinfo")),
            _ => http.post(format!("{issuer}/userinfo")),
        };
        let info = request
            .bearer_auth(tokens["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert!(documented(
            &spec,
            method,
            "/oidc/userinfo",
            info.status().as_u16()
        ));
        check_component(&spec, "UserInfo", &info.json().await.unwrap());
    }

    let revoked = http
        .post(format!("{issuer}/revoke"))
        .form(&[("token", "unknown"), ("client_id", CLIENT)])
        .send()
        .await
        .unwrap();
    assert!(documented(
        &spec,
        "post",
        "/oidc/revoke",
        revoked.status().as_u16()
    ));
    let logged_out = http
        .get(format!("{issuer}/session/end"))
        .send()
        .await
        .unwrap();
    assert!(documented(
        &spec,
        "get",
        "/oidc/session/end",
        logged_out.status().as_u16()
    ));
}

#[tokio::test]
async fn the_member_api_answers_as_the_contract_says() {
    let spec = spec();
    let s = start().await;
    let tokens = login(&s.issuer(), "kari").await;
    let access = tokens["access_token"].as_str().unwrap();

    let ok = me(&s.base(), Some(access)).await;
    assert!(documented(&spec, "get", "/v1/me", ok.status().as_u16()));
    check_component(&spec, "Me", &ok.json().await.unwrap());
    let without_membership = login_with_scope(&s.issuer(), "ola", "openid").await;
    let body = me(&s.base(), without_membership["access_token"].as_str())
        .await
        .json()
        .await
        .unwrap();
    check_component(&spec, "Me", &body);

    for token in [None, Some("garbage")] {
        let denied = me(&s.base(), token).await;
        assert!(documented(&spec, "get", "/v1/me", denied.status().as_u16()));
        assert!(denied.headers().contains_key("www-authenticate"));
        check_component(&spec, "Error", &denied.json().await.unwrap());
    }

    rusqlite::Connection::open(s.dir.path().join("server.db"))
        .unwrap()
        .execute("DELETE FROM member WHERE id = 'kari'", [])
        .unwrap();
    let gone = me(&s.base(), Some(access)).await;
    assert_eq!(gone.status(), 404);
    assert!(documented(&spec, "get", "/v1/me", 404));
    check_component(&spec, "Error", &gone.json().await.unwrap());
}

#[tokio::test]
async fn every_documented_get_path_is_served() {
    let spec = spec();
    let s = start().await;
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        // A path parameter with an example is filled in with it, so a route that answers 404
        // for an unknown value (a partner, say) is still found.
        let mut path = path.as_str().unwrap().to_owned();
        for parameter in item["get"]["parameters"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            if let (Some(name), Some(example)) =
                (parameter["name"].as_str(), parameter["example"].as_str())
            {
                path = path.replace(&format!("{{{name}}}"), example);
            }
        }
        let path = path.as_str();
        if item["get"].is_mapping() {
            let response = http()
                .get(format!("{}{}", s.base(), path.trim_start_matches('/')))
                .send()
                .await
                .unwrap();
            assert_ne!(
                response.status(),
                404,
                "{path} is documented but not served"
            );
        }
    }
}

#[tokio::test]
async fn the_roadside_api_answers_as_the_contract_says() {
    let spec = spec();
    let s = start().await;
    let base = s.base();
    let tokens = login(&s.issuer(), "kari").await;
    let access = tokens["access_token"].as_str().unwrap();
    let http = http();

    let issued = http
        .post(format!("{base}v1/roadside/certificate"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert!(documented(
        &spec,
        "post",
        "/v1/roadside/certificate",
        issued.status().as_u16()
    ));
    assert_eq!(issued.status(), 200);
    let body: serde_json::Value = issued.json().await.unwrap();
    check_component(&spec, "RoadsideCertificate", &body);
    let id = body["certificate_id"].as_str().unwrap();

    let ola = login(&s.issuer(), "ola").await;
    let ola_body: serde_json::Value = http
        .post(format!("{base}v1/roadside/certificate"))
        .bearer_auth(ola["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    check_component(&spec, "RoadsideCertificate", &ola_body);

    let denied = http
        .post(format!("{base}v1/roadside/certificate"))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);
    assert!(documented(&spec, "post", "/v1/roadside/certificate", 401));
    check_component(&spec, "Error", &denied.json().await.unwrap());

    for (path, content_type) in [
        ("/v1/roadside/trust-list", "application/cose"),
        ("/v1/roadside/revocations", "application/cose"),
    ] {
        let response = http
            .get(format!("{base}{}", path.trim_start_matches('/')))
            .send()
            .await
            .unwrap();
        assert!(documented(&spec, "get", path, response.status().as_u16()));
        assert_eq!(response.headers()["content-type"], content_type);
        assert!(
            spec["paths"][path]["get"]["responses"]["200"]["content"][content_type].is_mapping()
        );
        assert!(!response.bytes().await.unwrap().is_empty());
    }

    let status_path = "/v1/roadside/certificates/{id}/status";
    for (id, code) in [(id, 200), ("not-hex", 400)] {
        let response = http
            .get(format!("{base}v1/roadside/certificates/{id}/status"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), code);
        assert!(documented(&spec, "get", status_path, code));
        let body = response.json().await.unwrap();
        let schema = if code == 200 {
            "RoadsideCertificateStatus"
        } else {
            "Error"
        };
        check_component(&spec, schema, &body);
    }

    let revoke_path = "/v1/roadside/certificates/{id}/revoke";
    let others = http
        .post(format!("{base}v1/roadside/certificates/{id}/revoke"))
        .bearer_auth(ola["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(others.status(), 404, "a member cannot revoke another's");
    assert!(documented(&spec, "post", revoke_path, 404));
    check_component(&spec, "Error", &others.json().await.unwrap());
    let revoked = http
        .post(format!("{base}v1/roadside/certificates/{id}/revoke"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert!(documented(&spec, "post", revoke_path, 200));
    let body = revoked.json().await.unwrap();
    check_component(&spec, "RoadsideCertificateStatus", &body);
    assert_eq!(body["status"], "revoked");
}

/// The JSON schema the spec gives for `status` of `method path`, following a response `$ref`.
fn response_schema<'a>(spec: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let response = resolve(
        spec,
        &spec["paths"][path][method]["responses"][status.to_string().as_str()],
    );
    assert!(
        response.is_mapping(),
        "{method} {path} does not document {status}"
    );
    &response["content"]["application/json"]["schema"]
}

/// Sends `method url_path` and checks the answer has `status` and matches the schema the spec
/// documents for it at `path`; returns the body.
async fn exchange(
    spec: &Value,
    s: &Server,
    (method, path, url_path): (&str, &str, &str),
    token: Option<&str>,
    body: Option<&serde_json::Value>,
    status: u16,
) -> serde_json::Value {
    let verb = match method {
        "get" => reqwest::Method::GET,
        "post" => reqwest::Method::POST,
        "delete" => reqwest::Method::DELETE,
        other => panic!("{other}"),
    };
    let (got, answer) = call(&s.base(), verb, url_path, token, body).await;
    assert_eq!(got, status, "{method} {url_path}: {answer}");
    let schema = response_schema(spec, method, path, status);
    if let Err(e) = check(spec, schema, &answer, &format!("{method} {path} {status}")) {
        panic!("{e}");
    }
    answer
}

#[tokio::test]
async fn the_consent_and_privacy_api_answers_as_the_contract_says() {
    use serde_json::json;
    let spec = spec();
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let token = Some(kari.as_str());

    let catalogue = http()
        .get(format!("{}v1/consent/catalogue", s.base()))
        .send()
        .await
        .unwrap();
    assert!(documented(&spec, "get", "/v1/consent/catalogue", 200));
    assert_eq!(catalogue.headers()["content-type"], "application/cose");
    assert!(
        spec["paths"]["/v1/consent/catalogue"]["get"]["responses"]["200"]["content"]
            ["application/cose"]
            .is_mapping()
    );
    let anchor = lofavor_certificate::anchor_from_text(s.server.trust_anchor()).unwrap();
    let opened = lofavor_certificate::open_document(
        &catalogue.bytes().await.unwrap(),
        "application/lofavor-consent-catalogue+json",
        &[anchor],
        1 << 20,
    )
    .unwrap();
    let cat: serde_json::Value = serde_json::from_slice(&opened.payload).unwrap();
    let keys = exchange(
        &spec,
        &s,
        ("get", "/v1/consent/receipt-keys", "v1/consent/receipt-keys"),
        None,
        None,
        200,
    )
    .await;

    // Decisions: created, repeated, each refusal, a replay, a listing, no token, too large.
    let notice = &cat["purposes"][0]["notice"];
    let text = notice["text"]["nb"].as_str().unwrap();
    let hash: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let decision = json!({
        "id": "c-1", "purpose": cat["purposes"][0]["id"], "notice_id": notice["id"],
        "notice_version": notice["version"], "notice_sha256": hash, "language": "nb",
        "decision": "given", "explicit": true, "decided_at": 1_790_000_000,
        "collection_method": "screen", "previous": null, "chain_hash": hash,
    });
    let path = ("post", "/v1/consent/decisions", "v1/consent/decisions");
    let recorded = exchange(&spec, &s, path, token, Some(&decision), 201).await;
    exchange(&spec, &s, path, token, Some(&decision), 200).await;
    let mut replay = decision.clone();
    replay["decision"] = json!("refused");
    exchange(&spec, &s, path, token, Some(&replay), 409).await;
    let mut bad = decision.clone();
    bad["id"] = json!("c-2");
    bad["purpose"] = json!("nothing");
    exchange(&spec, &s, path, token, Some(&bad), 400).await;
    exchange(&spec, &s, path, None, Some(&decision), 401).await;
    let mut huge = decision.clone();
    huge["collection_method"] = json!("x".repeat(100_000));
    exchange(&spec, &s, path, token, Some(&huge), 413).await;
    let listed = exchange(
        &spec,
        &s,
        (
            "get",
            "/v1/consent/decisions",
            "v1/consent/decisions?after=0",
        ),
        token,
        None,
        200,
    )
    .await;
    assert_eq!(listed["decisions"][0]["receipt"], recorded["receipt"]);
    exchange(
        &spec,
        &s,
        (
            "get",
            "/v1/consent/decisions",
            "v1/consent/decisions?after=x",
        ),
        token,
        None,
        400,
    )
    .await;
    // The receipt's payload is the documented ConsentReceipt.
    let receipt = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(recorded["receipt"].as_str().unwrap())
        .unwrap();
    let key = lofavor_certificate::anchor_from_text(keys["keys"][0].as_str().unwrap()).unwrap();
    let opened = lofavor_certificate::open_document(
        &receipt,
        "application/lofavor-consent-receipt+json",
        &[key],
        1 << 16,
    )
    .unwrap();
    check_component(
        &spec,
        "ConsentReceipt",
        &serde_json::from_slice(&opened.payload).unwrap(),
    );

    // Offers, orders, shares and the partners' inbox.
    let offers = exchange(
        &spec,
        &s,
        ("get", "/v1/offers", "v1/offers"),
        token,
        None,
        200,
    )
    .await;
    let offer = &offers["offers"][0];
    let fields: serde_json::Map<String, serde_json::Value> = offer["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f.as_str().unwrap().to_owned(), json!("value")))
        .collect();
    let order = json!({"id": "o-1", "offer": offer["id"], "fields": fields});
    let path = ("post", "/v1/orders", "v1/orders");
    exchange(&spec, &s, path, token, Some(&order), 201).await;
    exchange(&spec, &s, path, token, Some(&order), 200).await;
    let mut other = order.clone();
    other["fields"]["name"] = json!("another");
    exchange(&spec, &s, path, token, Some(&other), 409).await;
    other["id"] = json!("o-2");
    other["fields"] = json!({});
    exchange(&spec, &s, path, token, Some(&other), 400).await;
    other["offer"] = json!("nothing");
    exchange(&spec, &s, path, token, Some(&other), 404).await;
    let share = json!({"id": "s-1", "categories": ["identity", "union_membership", "products"]});
    let spec_path = "/v1/partners/{partner}/share";
    exchange(
        &spec,
        &s,
        ("post", spec_path, "v1/partners/sparebank1/share"),
        token,
        Some(&share),
        200,
    )
    .await;
    exchange(
        &spec,
        &s,
        ("post", spec_path, "v1/partners/fremtind/share"),
        token,
        Some(&share),
        409,
    )
    .await;
    exchange(
        &spec,
        &s,
        ("post", spec_path, "v1/partners/nobody/share"),
        token,
        Some(&share),
        404,
    )
    .await;
    let inbox_path = "/dev/partners/{partner}/inbox";
    let inbox = exchange(
        &spec,
        &s,
        ("get", inbox_path, "dev/partners/sparebank1/inbox"),
        None,
        None,
        200,
    )
    .await;
    assert_eq!(inbox["inbox"].as_array().unwrap().len(), 2);
    exchange(
        &spec,
        &s,
        ("get", inbox_path, "dev/partners/nobody/inbox"),
        None,
        None,
        404,
    )
    .await;

    // Analytics and the newsletter.
    let batch = json!({"batch_id": "b-1", "events": [{"name": "app.open", "at": 1_790_000_000}]});
    let path = ("post", "/v1/analytics/events", "v1/analytics/events");
    exchange(&spec, &s, path, token, Some(&batch), 202).await;
    exchange(
        &spec,
        &s,
        path,
        token,
        Some(&json!({"batch_id": "b-2", "events": []})),
        400,
    )
    .await;
    let path = (
        "post",
        "/v1/newsletter/subscription",
        "v1/newsletter/subscription",
    );
    exchange(
        &spec,
        &s,
        path,
        token,
        Some(&json!({"email": "kari@example.org"})),
        200,
    )
    .await;
    exchange(&spec, &s, path, token, Some(&json!({"email": "no"})), 400).await;
    exchange(
        &spec,
        &s,
        (
            "delete",
            "/v1/newsletter/subscription",
            "v1/newsletter/subscription",
        ),
        token,
        None,
        200,
    )
    .await;

    // Privacy requests and the data export.
    let path = ("post", "/v1/privacy/requests", "v1/privacy/requests");
    let request = json!({"id": "p-1", "kind": "access", "text": "all of it"});
    exchange(&spec, &s, path, token, Some(&request), 201).await;
    exchange(&spec, &s, path, token, Some(&request), 200).await;
    exchange(
        &spec,
        &s,
        path,
        token,
        Some(&json!({"id": "p-1", "kind": "erasure"})),
        409,
    )
    .await;
    exchange(
        &spec,
        &s,
        path,
        token,
        Some(&json!({"id": "p-2", "kind": "nothing"})),
        400,
    )
    .await;
    assert!(s.server.set_privacy_request_status("p-1", "extended"));
    let listed = exchange(
        &spec,
        &s,
        ("get", "/v1/privacy/requests", "v1/privacy/requests"),
        token,
        None,
        200,
    )
    .await;
    assert!(listed["requests"][0]["extended_due_at"].is_i64());
    let data = exchange(
        &spec,
        &s,
        ("get", "/v1/privacy/data", "v1/privacy/data"),
        token,
        None,
        200,
    )
    .await;
    assert_eq!(data["orders"].as_array().unwrap().len(), 1);
    exchange(
        &spec,
        &s,
        ("get", "/v1/privacy/data", "v1/privacy/data"),
        None,
        None,
        401,
    )
    .await;

    // /v1/me with its new fields.
    check_component(
        &spec,
        "Me",
        &me(&s.base(), token).await.json().await.unwrap(),
    );
}

/// `PUT /v1/inventory/blobs/{sha}` of `chunk` at `offset` of `total`: the status and answer.
async fn put_chunk(
    s: &Server,
    token: &str,
    sha: &str,
    (offset, total): (usize, usize),
    chunk: &[u8],
) -> (u16, serde_json::Value) {
    let response = http()
        .put(format!(
            "{}v1/inventory/blobs/{sha}?offset={offset}&total={total}",
            s.base()
        ))
        .bearer_auth(token)
        .body(chunk.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn the_inventory_api_answers_as_the_contract_says_and_refuses_forged_input() {
    use serde_json::json;
    let spec = spec();
    let s = start().await;
    let kari = access(&s.issuer(), "kari").await;
    let ola = access(&s.issuer(), "ola").await;
    let blob_path = "/v1/inventory/blobs/{sha256}";
    let schema_of = |method: &str, path: &str, status: u16| {
        response_schema(&spec, method, path, status).clone()
    };

    // A blob in three chunks; a chunk at a wrong offset is refused with where it stands.
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let sha = hex::encode(Sha256::digest(&bytes));
    let total = bytes.len();
    let (status, body) = put_chunk(&s, &kari, &sha, (0, total), &bytes[..4000]).await;
    assert_eq!(status, 200);
    check(&spec, &schema_of("put", blob_path, 200), &body, "put").unwrap();
    assert_eq!(body, json!({"received": 4000, "complete": false}));
    let (status, body) = put_chunk(&s, &kari, &sha, (0, total), &bytes[..4000]).await;
    assert_eq!(status, 409);
    check(&spec, &schema_of("put", blob_path, 409), &body, "put 409").unwrap();
    assert_eq!(body["received"], 4000);
    let status_path = format!("v1/inventory/blobs/{sha}/status");
    let st = exchange(
        &spec,
        &s,
        ("get", "/v1/inventory/blobs/{sha256}/status", &status_path),
        Some(&kari),
        None,
        200,
    )
    .await;
    assert_eq!(st["received"], 4000);
    // Another member sees nothing of it.
    let (_, theirs) = get(&s.base(), &status_path, &ola).await;
    assert_eq!(theirs["received"], 0);
    let (status, _) = put_chunk(&s, &kari, &sha, (4000, total), &bytes[4000..8000]).await;
    assert_eq!(status, 200);
    let (status, body) = put_chunk(&s, &kari, &sha, (8000, total), &bytes[8000..]).await;
    assert_eq!((status, body["complete"].as_bool()), (200, Some(true)));
    // Whole: sent again, it is not stored twice.
    let (status, body) = put_chunk(&s, &kari, &sha, (0, total), &bytes).await;
    assert_eq!((status, body["complete"].as_bool()), (200, Some(true)));
    let back = http()
        .get(format!("{}v1/inventory/blobs/{sha}", s.base()))
        .bearer_auth(&kari)
        .send()
        .await
        .unwrap();
    assert_eq!(back.headers()["content-type"], "application/octet-stream");
    assert_eq!(back.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let (status, body) = get(&s.base(), &format!("v1/inventory/blobs/{sha}"), &ola).await;
    assert_eq!(status, 404);
    check_component(&spec, "Error", &body);

    // Bytes that do not match their hash: discarded, nothing kept.
    let forged = "ab".repeat(32);
    let (status, body) = put_chunk(&s, &kari, &forged, (0, 3), &[1, 2, 3]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("hash_mismatch"))
    );
    let (_, st) = get(
        &s.base(),
        &format!("v1/inventory/blobs/{forged}/status"),
        &kari,
    )
    .await;
    assert_eq!(st["received"], 0);
    // A malformed hash, more than announced, or no token: refused.
    let (status, _) = put_chunk(&s, &kari, "../../etc", (0, 3), &[1, 2, 3]).await;
    assert!(status == 400 || status == 404, "{status}");
    let (status, _) = put_chunk(&s, &kari, &forged, (0, 2), &[1, 2, 3]).await;
    assert_eq!(status, 422);
    let (status, _) = call(&s.base(), reqwest::Method::GET, &status_path, None, None).await;
    assert_eq!(status, 401);

    // Changes: a photo record before its blobs is refused; the item goes in once per id.
    let item = json!({"change_id": "c1", "entity": "item", "id": "i1", "base_seq": 0,
        "deleted": false, "fields": {"name": "Sykkel", "tags": ["bod"], "purchase_price": 100}});
    let photo = json!({"change_id": "c2", "entity": "photo", "id": "p1", "base_seq": 0,
        "deleted": false, "fields": {"item_id": "i1", "role": "item", "large": sha,
        "thumb": "cd".repeat(32)}});
    let changes = "/v1/inventory/changes";
    let refused = exchange(
        &spec,
        &s,
        ("post", changes, "v1/inventory/changes"),
        Some(&kari),
        Some(&json!({"changes": [item, photo]})),
        422,
    )
    .await;
    assert_eq!(refused["error"], "blob_missing");
    let applied = exchange(
        &spec,
        &s,
        ("post", changes, "v1/inventory/changes"),
        Some(&kari),
        Some(&json!({"changes": [item]})),
        200,
    )
    .await;
    let seq = applied["records"][0]["seq"].as_i64().unwrap();
    let again = exchange(
        &spec,
        &s,
        ("post", changes, "v1/inventory/changes"),
        Some(&kari),
        Some(&json!({"changes": [item]})),
        200,
    )
    .await;
    assert_eq!(again["records"][0]["seq"].as_i64(), Some(seq));
    let page = exchange(
        &spec,
        &s,
        ("get", changes, "v1/inventory/changes?since=0"),
        Some(&kari),
        None,
        200,
    )
    .await;
    assert_eq!(page["records"].as_array().unwrap().len(), 1);
    assert_eq!(page["latest"].as_i64(), Some(seq));
    assert_eq!(page["more"], false);
    let (_, theirs) = get(&s.base(), "v1/inventory/changes?since=0", &ola).await;
    assert!(theirs["records"].as_array().unwrap().is_empty());
    // Unknown fields, an unknown entity, a malformed id: 400, nothing applied.
    for bad in [
        json!({"changes": [item], "extra": 1}),
        json!({"changes": [{"change_id": "c9", "entity": "car", "id": "x", "base_seq": 0,
            "deleted": false, "fields": {}}]}),
        json!({"changes": [{"change_id": "c9", "entity": "item", "id": "../x", "base_seq": 0,
            "deleted": false, "fields": {}}]}),
    ] {
        let (status, body) = post(&s.base(), "v1/inventory/changes", &kari, &bad).await;
        assert_eq!(status, 400, "{bad}");
        check_component(&spec, "Error", &body);
    }
    let (status, _) = get(&s.base(), "v1/inventory/changes?since=x", &kari).await;
    assert_eq!(status, 400);
}
