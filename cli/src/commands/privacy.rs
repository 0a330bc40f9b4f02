//! `lofavor privacy ...`: the member's privacy rights.

use lofavor_core::consent::{AccessSection, PrivacyRequest};
use serde_json::{Value, json};

use crate::args::{Args, PrivacyAction};
use crate::error::{CliError, ShellKind};
use crate::output::Output;
use crate::session;

/// Runs `lofavor privacy ...`.
pub async fn run(args: &Args, action: &PrivacyAction, out: &Output) -> Result<(), CliError> {
    if let PrivacyAction::Erase { yes: false } = action {
        return Err(CliError::usage(
            "erasing every piece of your data on this device needs --yes",
        ));
    }
    let (core, _backend) = session::open_for_command(args).await?;
    match action {
        PrivacyAction::Access => {
            let report = core.consent().access().await?;
            out.line("== On this device ==");
            print_sections(out, &report.device);
            out.line("== At LOfavør ==");
            if report.server_reached {
                print_sections(out, &report.server);
            } else {
                out.line("(offline: ask again when online)");
            }
            out.line("== How your data is processed ==");
            print_sections(out, &report.processing);
            out.document(&json!({
                "device": sections_json(&report.device),
                "server": report.server_reached.then(|| sections_json(&report.server)),
                "processing": sections_json(&report.processing),
            }));
        }
        PrivacyAction::Export { out: path } => {
            let bytes = core.consent().export().await?;
            std::fs::write(path, &bytes).map_err(|e| {
                CliError::shell(ShellKind::File, format!("cannot write the export: {e}"))
            })?;
            out.line(format!(
                "Export written to {} ({} bytes)",
                path.display(),
                bytes.len()
            ));
            out.document(&json!({ "file": path, "bytes": bytes.len() }));
        }
        PrivacyAction::Request { kind, text } => {
            let request = core.consent().request(kind, text.clone()).await?;
            print_request(out, &request);
            out.document(&request_json(&request));
        }
        PrivacyAction::Requests => {
            let requests = core.consent().requests().await?;
            if requests.is_empty() {
                out.line("No requests.");
            }
            for request in &requests {
                print_request(out, request);
            }
            out.document(
                &json!({ "requests": requests.iter().map(request_json).collect::<Vec<_>>() }),
            );
        }
        PrivacyAction::Erase { .. } => {
            core.erase_device().await?;
            out.line("Everything of yours on this device is erased, and you are logged out.");
            out.document(&json!({ "erased": true }));
        }
    }
    Ok(())
}

fn print_sections(out: &Output, sections: &[AccessSection]) {
    for section in sections {
        out.line(format!("[{}]", section.title));
        for entry in &section.entries {
            out.line(format!("  {}: {}", entry.label, entry.value));
        }
    }
}

fn sections_json(sections: &[AccessSection]) -> Value {
    sections
        .iter()
        .map(|s| {
            let entries: serde_json::Map<String, Value> = s
                .entries
                .iter()
                .map(|e| (e.label.clone(), Value::String(e.value.clone())))
                .collect();
            (s.key.clone(), Value::Object(entries))
        })
        .collect::<serde_json::Map<String, Value>>()
        .into()
}

fn print_request(out: &Output, request: &PrivacyRequest) {
    out.line(format!(
        "{}  {:<24} {}{}",
        request.id,
        request.kind_label,
        request.status_label,
        request
            .due_label
            .as_ref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default()
    ));
}

fn request_json(request: &PrivacyRequest) -> Value {
    json!({
        "id": request.id,
        "kind": request.kind.as_str(),
        "status": request.status,
        "received_at": request.received_at,
        "due_at": request.due_at,
    })
}
