//! `lofavor verify`: a roadside-assistance certificate checked as a field worker checks it,
//! from a payload text or a photo of the QR code. The trust and revocation lists are
//! refreshed when the member API answers; otherwise the cached ones are used. Exits 0 only
//! when the certificate is valid.

use std::path::Path;

use lofavor_core::Core;
use lofavor_core::roadside::certificate::Verification;
use serde_json::{Value, json};

use super::certificate::date_time;
use crate::args::{Args, VerifyArgs};
use crate::output::Output;
use crate::session;

/// The largest image file read, so a stray huge file cannot exhaust memory.
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Runs `lofavor verify`.
pub async fn run(args: &Args, verify: &VerifyArgs, out: &Output) -> Result<(), String> {
    let (core, _backend) = session::open_for_command(args).await?;
    let online = refresh(&core).await;
    out.line(if online {
        "Trust and revocation lists: refreshed"
    } else {
        "Trust and revocation lists: offline, using the cached ones"
    });
    let verdict = match (&verify.payload, &verify.image) {
        (Some(payload), _) => core.verify_certificate(payload),
        (None, Some(path)) => {
            let (width, height, luma) = luma_of(path)?;
            core.verify_certificate_image(width, height, &luma)
        }
        (None, None) => return Err("give --payload TEXT or --image FILE".into()),
    }
    .map_err(|e| e.to_string())?;
    for line in verdict_lines(&verdict) {
        out.line(line);
    }
    let mut document = verdict_json(&verdict);
    if let Some(object) = document.as_object_mut() {
        object.insert("lists_refreshed".into(), json!(online));
    }
    out.document(&document);
    if matches!(verdict, Verification::Valid { .. }) {
        Ok(())
    } else {
        Err("the certificate is not valid".into())
    }
}

/// Refreshes the trust material; whether the member API answered.
pub(crate) async fn refresh(core: &Core) -> bool {
    match core.refresh_trust_material().await {
        Ok(_) => true,
        Err(e) => {
            log::info!(target: "lofavor", "trust lists not refreshed: {e}");
            false
        }
    }
}

/// The image at `path` as 8-bit luma.
fn luma_of(path: &Path) -> Result<(u32, u32, Vec<u8>), String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the image: {e}"))?
        .len();
    if size > MAX_IMAGE_BYTES {
        return Err("the image file is too large".into());
    }
    let image = image::ImageReader::open(path)
        .map_err(|e| format!("cannot read the image: {e}"))?
        .with_guessed_format()
        .map_err(|e| format!("cannot read the image: {e}"))?
        .decode()
        .map_err(|e| format!("cannot decode the image: {e}"))?
        .into_luma8();
    let (width, height) = image.dimensions();
    Ok((width, height, image.into_raw()))
}

/// The verdict as text lines, first the answer.
pub(crate) fn verdict_lines(verdict: &Verification) -> Vec<String> {
    match verdict {
        Verification::Valid {
            cover,
            holder,
            vehicle,
            expires_at,
        } => {
            let mut lines = vec![
                "VALID".to_owned(),
                format!(
                    "Holder:   {} (check against a driving licence)",
                    holder.as_str()
                ),
                format!(
                    "Cover:    {} ({} to {})",
                    cover.product.name(),
                    cover.valid_from,
                    cover.valid_to
                ),
            ];
            if let Some(vehicle) = vehicle {
                lines.push(format!("Vehicle:  {}", vehicle.as_str()));
            }
            lines.push(format!("Valid to: {}", date_time(*expires_at)));
            lines
        }
        Verification::Expired { expired_at } => {
            vec![format!("EXPIRED at {}", date_time(*expired_at))]
        }
        Verification::NotYetValid { valid_from } => {
            vec![format!("NOT YET VALID: from {}", date_time(*valid_from))]
        }
        Verification::Revoked => vec!["REVOKED by the issuer".to_owned()],
        Verification::UntrustedIssuer => {
            vec!["NOT GENUINE: not signed by a trusted issuer".to_owned()]
        }
        Verification::Malformed { reason } => vec![format!("NOT A CERTIFICATE: {reason}")],
    }
}

/// The verdict as JSON.
pub(crate) fn verdict_json(verdict: &Verification) -> Value {
    let secs = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .ok()
    };
    match verdict {
        Verification::Valid {
            cover,
            holder,
            vehicle,
            expires_at,
        } => json!({
            "verdict": "valid",
            "holder": holder.as_str(),
            "cover": {
                "product": cover.product.name(),
                "valid_from": cover.valid_from.to_string(),
                "valid_to": cover.valid_to.to_string(),
            },
            "vehicle": vehicle.as_ref().map(|v| v.as_str()),
            "expires_at": secs(*expires_at),
        }),
        Verification::Expired { expired_at } => {
            json!({ "verdict": "expired", "expired_at": secs(*expired_at) })
        }
        Verification::NotYetValid { valid_from } => {
            json!({ "verdict": "not_yet_valid", "valid_from": secs(*valid_from) })
        }
        Verification::Revoked => json!({ "verdict": "revoked" }),
        Verification::UntrustedIssuer => json!({ "verdict": "untrusted_issuer" }),
        Verification::Malformed { reason } => json!({ "verdict": "malformed", "reason": reason }),
    }
}
