//! `lofavor location`, run as a user runs it: no core, no server.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed set-up should stop the test

use std::process::{Command, Output};

fn location(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lofavor"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn prints_every_format_the_nearest_place_and_the_sms() {
    let out = location(&["location", "--lat", "62.0742", "--lon", "9.1254"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "Desimalgrader",
        "62.07420° N, 9.12540° Ø",
        "62° 4′ 27.1″ N  9° 7′ 31.4″ Ø",
        "62° 4.452′ N  9° 7.524′ Ø",
        "32V 506552 6882452",
        "Nærmeste sted",
        "ved Dombås",
        "geo:62.07420,9.12540;u=10",
        "GeoNames",
    ] {
        assert!(
            stdout.contains(expected),
            "{expected} missing in:\n{stdout}"
        );
    }
}

#[test]
fn json_is_one_document_in_the_chosen_locale() {
    let out = location(&[
        "--locale",
        "en",
        "--json",
        "location",
        "--lat",
        "69.6496",
        "--lon",
        "18.9560",
        "--accuracy",
        "250",
        "--age",
        "600",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["utm"]["zone"], 33);
    assert_eq!(doc["formats"][3]["value"], "33W 653445 7731767");
    assert_eq!(doc["formats"][0]["label"], "Decimal degrees");
    assert_eq!(doc["nearest_place"]["name"], "Tromsø");
    assert_eq!(doc["quality"]["stale"], true);
    assert_eq!(doc["quality"]["inaccurate"], true);
    assert_eq!(doc["permission"]["permission"], "location_when_in_use");
    let sms = doc["share_text"].as_str().unwrap();
    assert!(sms.ends_with("geo:69.64960,18.95600;u=250"), "{sms}");
}

#[test]
fn negative_coordinates_are_accepted_and_bad_ones_refused_without_echoing_them() {
    let out = location(&["location", "--lat", "-33.92487", "--lon", "18.42406"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("34H 261878 6243186"));

    let out = location(&["--json", "location", "--lat", "95.5", "--lon", "9"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
    assert_eq!(doc["error"]["kind"], "invalid_input");
    assert_eq!(doc["error"]["reason"], "the latitude is out of range");
    assert!(!stderr.contains("95.5"));
}
