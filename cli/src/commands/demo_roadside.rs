//! The roadside step of `lofavor demo`: the logged-in member's certificate with the member's
//! position (a fixed demo fix near Dombås), then the same certificate checked as a field
//! worker checks it: once online to cache the trust and revocation lists, then offline from
//! that cache, from the payload and from the QR code as a camera sees it.

use std::time::{Duration, SystemTime};

use lofavor_core::roadside::certificate::Verification;
use lofavor_core::roadside::location::{FixSource, LocationFix, describe_location};
use lofavor_core::{Core, ErrorKind};
use serde_json::{Map, Value, json};

use super::{certificate, verify};
use crate::error::{CliError, ShellKind};
use crate::output::Output;
use crate::qr_terminal::{TerminalColors, to_terminal};

/// The demo's position: on the E6 just north of Dombås, as a phone's fused provider reports
/// it a few seconds ago.
const DEMO_LATITUDE: f64 = 62.0742;
const DEMO_LONGITUDE: f64 = 9.1254;
const DEMO_ACCURACY_M: f64 = 12.0;
/// Pixels per module of the QR code "photographed" for the worker.
const CAMERA_SCALE: u32 = 4;

/// Runs the roadside step on `core`, where the member is logged in; adds `"roadside"` to the
/// demo's JSON document. Fails when the certificate does not verify as valid.
pub async fn run(core: &Core, out: &Output, json: &mut Map<String, Value>) -> Result<(), CliError> {
    out.line("");
    out.line("Roadside assistance certificate");
    out.line("-------------------------------");
    if core.auth().member()?.is_none() {
        out.line("Skipped: nobody is logged in.");
        json.insert("roadside".into(), json!({ "skipped": "not logged in" }));
        return Ok(());
    }
    let member_certificate = certificate::current(core).await?;
    out.line(to_terminal(
        &member_certificate.qr,
        TerminalColors::LightOnDark,
    ));
    for line in certificate::lines(&member_certificate) {
        out.line(line);
    }

    let now = SystemTime::now();
    let fix = LocationFix {
        latitude: DEMO_LATITUDE,
        longitude: DEMO_LONGITUDE,
        accuracy_m: DEMO_ACCURACY_M,
        time: now - Duration::from_secs(5),
        source: FixSource::Fused,
    };
    let location =
        describe_location(&fix, now, core.config().locale).map_err(lofavor_core::Error::from)?;
    out.line("");
    out.line("Where the member is (demo position):");
    for format in &location.formats {
        out.line(format!("  {:<30} {}", format.label, format.value));
    }
    if let Some(place) = &location.nearest_place {
        out.line(format!("  {:<30} {}", place.label, place.text));
    }

    // The worker: online once to cache the lists, then every check is offline.
    out.line("");
    let refresh = verify::refresh_lists(core, verify::FIRST_REFRESH_DEADLINE).await;
    let refreshed = refresh.is_ok();
    let Some(material) = core.roadside().trust_material()? else {
        return Err(refresh.err().unwrap_or_else(|| {
            CliError::core_kind(
                ErrorKind::TrustListMissing,
                "no trust list could be fetched",
            )
        }));
    };
    out.line(format!(
        "Field worker: trust list with {} key(s), {} revoked certificate(s) cached{}",
        material.keys,
        material.revoked,
        if refreshed { "" } else { " (offline)" }
    ));
    let from_payload = core
        .roadside()
        .verify_certificate(&member_certificate.payload)?;
    out.line(format!(
        "Checked offline from the payload: {}",
        verify::verdict_lines(&from_payload).join("; ")
    ));
    let image = member_certificate
        .qr
        .to_image(CAMERA_SCALE)
        .map_err(lofavor_core::Error::from)?;
    let (width, height) = image.dimensions();
    let from_camera = core
        .roadside()
        .verify_certificate_image(width, height, image.as_raw())?;
    out.line(format!(
        "Checked offline from the QR code as a camera sees it: {}",
        verify::verdict_lines(&from_camera)
            .first()
            .cloned()
            .unwrap_or_default()
    ));
    let tampered = tamper(&member_certificate.payload);
    let forged = core.roadside().verify_certificate(&tampered)?;
    out.line(format!(
        "The same payload with one character changed: {}",
        verify::verdict_lines(&forged)
            .first()
            .cloned()
            .unwrap_or_default()
    ));

    json.insert(
        "roadside".into(),
        json!({
            "certificate": certificate::document(&member_certificate),
            "location": serde_json::to_value(&location)?,
            "field_check": {
                "lists_refreshed": refreshed,
                "trust_list_keys": material.keys,
                "revoked": material.revoked,
                "from_payload": verify::verdict_json(&from_payload),
                "from_camera": verify::verdict_json(&from_camera),
                "one_character_changed": verify::verdict_json(&forged),
            },
        }),
    );
    let valid = |v: &Verification| matches!(v, Verification::Valid { .. });
    if valid(&from_payload) && valid(&from_camera) && !valid(&forged) {
        Ok(())
    } else {
        Err(CliError::shell(
            ShellKind::CheckFailed,
            "the roadside certificate did not check out as it should",
        ))
    }
}

/// The payload with one character in its middle changed (still QR alphanumeric).
fn tamper(payload: &str) -> String {
    let mut chars: Vec<char> = payload.chars().collect();
    let middle = chars.len() / 2;
    if let Some(c) = chars.get_mut(middle) {
        *c = if *c == 'A' { 'B' } else { 'A' };
    }
    chars.into_iter().collect()
}
