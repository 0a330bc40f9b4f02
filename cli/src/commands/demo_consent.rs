//! The consent step of `lofavor demo`: the first consent screen after login, the member's
//! answers recorded in the ledger, and the server's receipt for one of them checked with the
//! key the signed catalogue names.

use lofavor_core::Core;
use serde_json::{Map, Value, json};

use super::consent::{print_screen, refresh, screen_json};
use crate::error::{CliError, ShellKind};
use crate::output::Output;

/// The demo member's answers: no to tailored offers, yes to analytics, and yes to sharing
/// with Fremtind with the explicit confirmation.
const ANSWERS: &[(&str, bool)] = &[
    ("tailored_offers", false),
    ("analytics", true),
    ("newsletter", false),
    ("partner_sharing.sparebank1", false),
    ("partner_sharing.fremtind", true),
    ("partner_sharing.help", false),
    ("partner_sharing.norsk_folkehjelp", false),
];

/// Runs the consent step on `core`, where the member is logged in; adds `"consent"` to the
/// demo's JSON document. Fails when the receipt does not verify.
pub async fn run(core: &Core, out: &Output, json: &mut Map<String, Value>) -> Result<(), CliError> {
    out.line("");
    out.line("Consents");
    out.line("--------");
    refresh(core).await;
    let first = core.consent().screen()?;
    print_screen(out, &first);
    out.line("");
    let mut recorded = Vec::new();
    for (purpose, given) in ANSWERS {
        let entry = core
            .consent()
            .set_from(purpose, *given, *given, "cli.demo")
            .await?;
        out.line(format!(
            "   recorded: {purpose} = {} ({})",
            entry.decision, entry.state
        ));
        recorded.push(entry);
    }
    let fremtind = recorded
        .iter()
        .find(|e| e.purpose == "partner_sharing.fremtind")
        .and_then(|e| e.receipt.clone())
        .ok_or_else(|| CliError::shell(ShellKind::CheckFailed, "no receipt came back"))?;
    let claims = core.consent().verify_receipt(&fremtind)?;
    out.line(format!(
        "   receipt for {} = {} verified: signed by the server, sequence {}, text sha256 {}…",
        claims.purpose,
        claims.decision,
        claims.sequence,
        &claims.notice_sha256[..12]
    ));
    let after = core.consent().screen()?;
    out.line(format!(
        "   asked again on the next start: {}",
        if after.needs_answer { "yes" } else { "no" }
    ));
    json.insert(
        "consent".into(),
        json!({
            "first_screen": screen_json(&first),
            "recorded": recorded.len(),
            "receipt_verified": true,
            "receipt": { "purpose": claims.purpose, "decision": claims.decision,
                         "sequence": claims.sequence, "subject": claims.subject },
            "needs_answer_after": after.needs_answer,
        }),
    );
    Ok(())
}
