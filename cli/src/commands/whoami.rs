//! `lofavor whoami`: who is logged in, from the encrypted cache (works offline).

use serde_json::json;

use crate::args::Args;
use crate::error::CliError;
use crate::output::Output;
use crate::session;

/// Prints the cached member, or that nobody is logged in.
pub async fn run(args: &Args, out: &Output) -> Result<(), CliError> {
    let (core, _backend) = session::open_for_command(args).await?;
    let member = core.auth().member()?;
    let session = core.auth().has_session()?;
    match &member {
        Some(m) => {
            out.line(format!(
                "Logged in as {}",
                m.name.as_deref().unwrap_or("(no name shared)")
            ));
            out.line(format!("subject: {}", m.subject));
            if let Some(membership) = &m.membership {
                out.line(format!(
                    "membership: {} ({})",
                    membership.union,
                    if membership.active {
                        "active"
                    } else {
                        "inactive"
                    }
                ));
            }
        }
        None => out.line("Nobody is logged in."),
    }
    out.document(&json!({
        "logged_in": member.is_some() && session,
        "subject": member.as_ref().map(|m| m.subject.clone()),
        "name": member.as_ref().and_then(|m| m.name.clone()),
        "membership": member.as_ref().and_then(|m| m.membership.as_ref()).map(|m| json!({
            "union": m.union, "active": m.active,
        })),
    }));
    Ok(())
}
