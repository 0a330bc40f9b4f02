//! The running server answers as `openapi.yaml` says.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use serde_yaml::Value;

fn spec() -> Value {
    serde_yaml::from_str(include_str!("../openapi.yaml")).unwrap()
}

/// Checks `body` against a simple object schema of the spec: required fields present,
/// types right, no properties the spec does not name.
fn check_object(schema: &Value, body: &serde_json::Value) {
    let props = schema["properties"].as_mapping().unwrap();
    let object = body.as_object().expect("an object");
    for required in schema["required"].as_sequence().unwrap() {
        let name = required.as_str().unwrap();
        assert!(object.contains_key(name), "missing {name}");
    }
    for (name, value) in object {
        let prop = props
            .get(Value::from(name.as_str()))
            .unwrap_or_else(|| panic!("{name} is not in the spec"));
        let ok = match prop["type"].as_str().unwrap() {
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            other => panic!("type {other} not handled by this check"),
        };
        assert!(ok, "{name} has the wrong type");
        if let Some(allowed) = prop["enum"].as_sequence() {
            assert!(
                allowed.iter().any(|a| a.as_str() == value.as_str()),
                "{name} not in enum"
            );
        }
    }
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
    check_object(&spec["components"]["schemas"]["Health"], &body);
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
