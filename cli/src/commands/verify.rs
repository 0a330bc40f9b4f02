//! `lofavor verify`: a roadside-assistance certificate checked as a field worker checks it,
//! from a payload (text, standard input or a file) or a photo of the QR code.
//!
//! With lists cached, the check answers from them at once and then refreshes them within a
//! short deadline (see [`lists`]); when the refreshed lists change the answer, the new answer
//! is printed and is the one that counts. With nothing cached, the first check waits for the
//! lists. Exits 0 for a valid certificate and 1 for one that is not valid; a check that could
//! not be made is an error with its kind (3, or 4 for `network`).

mod lists;
mod payload;

use lofavor_core::roadside::TrustMaterial;
use lofavor_core::roadside::certificate::Verification;
use lofavor_core::{Core, ErrorKind};
use serde_json::{Value, json};

pub(crate) use self::lists::{FIRST_REFRESH_DEADLINE, refresh_lists};
use super::certificate::date_time;
use crate::args::{Args, VerifyArgs};
use crate::error::{CliError, Outcome};
use crate::output::{Output, error_json};
use crate::session;

/// What is checked.
enum Input {
    /// A payload text, trimmed.
    Payload(String),
    /// A photo as 8-bit luma, row by row.
    Frame {
        width: u32,
        height: u32,
        luma: Vec<u8>,
    },
}

impl Input {
    /// What `verify` names: exactly one of `--payload`, `--payload-file`, `--image`.
    fn read(verify: &VerifyArgs) -> Result<Self, CliError> {
        match (&verify.payload, &verify.payload_file, &verify.image) {
            (Some(text), None, None) => Ok(Input::Payload(payload::from_argument(text)?)),
            (None, Some(path), None) => Ok(Input::Payload(payload::from_file(path)?)),
            (None, None, Some(path)) => {
                let (width, height, luma) = crate::image_input::luma_of(path)?;
                Ok(Input::Frame {
                    width,
                    height,
                    luma,
                })
            }
            _ => Err(CliError::usage(
                "give one of --payload TEXT, --payload-file FILE or --image FILE",
            )),
        }
    }

    /// The verdict against the lists cached now.
    fn check(&self, core: &Core) -> Result<Verification, CliError> {
        Ok(match self {
            Input::Payload(payload) => core.roadside().verify_certificate(payload)?,
            Input::Frame {
                width,
                height,
                luma,
            } => core
                .roadside()
                .verify_certificate_image(*width, *height, luma)?,
        })
    }
}

/// Runs `lofavor verify`.
pub async fn run(args: &Args, verify: &VerifyArgs, out: &Output) -> Result<Outcome, CliError> {
    // What to check is read first: input that cannot be read needs no core and no server.
    let input = Input::read(verify)?;
    let (core, _backend) = session::open_for_command(args).await?;
    let Answer {
        verdict,
        refresh,
        checked_against,
    } = match core.roadside().trust_material()? {
        Some(cached) => answer_from_cache(&core, &input, &cached, out).await?,
        None => answer_after_first_refresh(&core, &input, out).await?,
    };
    match &refresh {
        Ok(_) => out.line("Trust and revocation lists: refreshed"),
        Err(e) => out.line(format!(
            "Trust and revocation lists: not refreshed ({e}); the cached ones were used"
        )),
    }
    let mut document = verdict_json(&verdict);
    if let Some(object) = document.as_object_mut() {
        object.insert("lists_refreshed".into(), json!(refresh.is_ok()));
        object.insert(
            "lists".into(),
            lists_json(core.roadside().trust_material()?, &refresh, checked_against),
        );
    }
    out.document(&document);
    Ok(if matches!(verdict, Verification::Valid { .. }) {
        Outcome::Success
    } else {
        Outcome::CertificateNotValid
    })
}

/// The final verdict, how the refresh went, and which lists gave the verdict.
struct Answer {
    verdict: Verification,
    refresh: Result<TrustMaterial, CliError>,
    checked_against: CheckedAgainst,
}

/// Which lists the final verdict was reached with.
#[derive(Debug, Clone, Copy)]
enum CheckedAgainst {
    /// The lists cached before the command (the refresh failed).
    CachedLists,
    /// Lists fetched by this command.
    RefreshedLists,
}

/// The verdict from the cached lists, printed at once; then the lists refreshed within the
/// short deadline, and the verdict again if they change it.
async fn answer_from_cache(
    core: &Core,
    input: &Input,
    cached: &TrustMaterial,
    out: &Output,
) -> Result<Answer, CliError> {
    out.line(format!(
        "Checked against the cached trust and revocation lists (fetched {}):",
        date_time(cached.trust_list_fetched_at)
    ));
    let verdict = input.check(core)?;
    for line in verdict_lines(&verdict) {
        out.line(line);
    }
    let refresh = refresh_lists(core, lists::REFRESH_DEADLINE).await;
    if refresh.is_err() {
        return Ok(Answer {
            verdict,
            refresh,
            checked_against: CheckedAgainst::CachedLists,
        });
    }
    let fresh = input.check(core)?;
    if fresh != verdict {
        out.line("The lists just refreshed change the answer:");
        for line in verdict_lines(&fresh) {
            out.line(line);
        }
    }
    Ok(Answer {
        verdict: fresh,
        refresh,
        checked_against: CheckedAgainst::RefreshedLists,
    })
}

/// The first check on this device: nothing is cached, so the lists are fetched first.
/// Without them there is no answer, only `trust_list_missing` with why the refresh failed.
async fn answer_after_first_refresh(
    core: &Core,
    input: &Input,
    out: &Output,
) -> Result<Answer, CliError> {
    let refresh = refresh_lists(core, FIRST_REFRESH_DEADLINE).await;
    if let Err(e) = &refresh {
        return Err(CliError::core_kind(
            ErrorKind::TrustListMissing,
            format!("no trust list yet; go online once (the refresh failed: {e})"),
        ));
    }
    let verdict = input.check(core)?;
    for line in verdict_lines(&verdict) {
        out.line(line);
    }
    Ok(Answer {
        verdict,
        refresh,
        checked_against: CheckedAgainst::RefreshedLists,
    })
}

/// The lists' part of the JSON document: which lists answered, how the refresh went, and
/// how old the lists now cached are.
fn lists_json(
    material: Option<TrustMaterial>,
    refresh: &Result<TrustMaterial, CliError>,
    checked_against: CheckedAgainst,
) -> Value {
    let secs = lofavor_core::time::unix_seconds;
    json!({
        "checked_against": match checked_against {
            CheckedAgainst::CachedLists => "cached_lists",
            CheckedAgainst::RefreshedLists => "refreshed_lists",
        },
        "refresh": match refresh {
            Ok(_) => json!({ "ok": true }),
            Err(e) => json!({ "ok": false, "error": error_json(e) }),
        },
        "trust_list_fetched_at": material.as_ref().map(|m| secs(m.trust_list_fetched_at)),
        "revocations_fetched_at": material.as_ref().and_then(|m| m.revocations_fetched_at).map(secs),
        "revocations_issued_at": material.as_ref().and_then(|m| m.revocations_issued_at).map(secs),
        "revocations_age_seconds": material.as_ref().and_then(|m| m.revocations_age).map(|a| a.as_secs()),
        "revocations_stale": material.as_ref().map(|m| m.revocations_stale),
        "trust_list_sequence": material.as_ref().map(|m| m.trust_list_sequence),
    })
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
        Verification::Unreadable { reason } => vec![format!("NO CODE READ: {reason}")],
    }
}

/// The verdict as JSON.
pub(crate) fn verdict_json(verdict: &Verification) -> Value {
    let secs = lofavor_core::time::unix_seconds;
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
        Verification::Unreadable { reason } => json!({ "verdict": "unreadable", "reason": reason }),
    }
}
