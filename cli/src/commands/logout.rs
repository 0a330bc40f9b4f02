//! `lofavor logout`: revoke the session at the issuer, erase the member's data here, and
//! show where to end the browser session.

use serde_json::json;

use crate::args::Args;
use crate::error::CliError;
use crate::output::Output;
use crate::session;

/// Logs out; refuses while changes are unsynced unless `force`.
pub async fn run(args: &Args, force: bool, out: &Output) -> Result<(), CliError> {
    let (core, _backend) = session::open_for_command(args).await?;
    let outcome = core.auth().logout(force).await?;
    out.line("Logged out; nothing of the member is left on this device.");
    out.line(if outcome.revoked {
        "The issuer revoked the session."
    } else {
        "The issuer could not be told (offline?); the session is gone from this device."
    });
    if let Some(url) = &outcome.end_session_url {
        out.line("To end the browser session too, open:");
        out.line(url);
    }
    out.document(&json!({
        "logged_out": true,
        "revoked": outcome.revoked,
        "end_session_url": outcome.end_session_url,
    }));
    Ok(())
}
