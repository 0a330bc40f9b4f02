//! The running server answers as `openapi.yaml` says.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

mod support;

use serde_yaml::Value;
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
        let props = schema["properties"]
            .as_mapping()
            .ok_or_else(|| format!("{at}: no properties in the spec"))?;
        for required in schema["required"].as_sequence().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !object.contains_key(name) {
                return Err(format!("{at}: missing {name}"));
            }
        }
        for (name, value) in object {
            let prop = props
                .get(Value::from(name.as_str()))
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
        let path = path.as_str().unwrap();
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
