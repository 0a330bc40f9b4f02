//! `lofavor consent ...`: the consent screens in a terminal.

use lofavor_core::consent::{ConsentScreen, HistoryEntry, PurposeState};
use lofavor_core::{Core, ErrorKind};
use serde_json::{Value, json};

use crate::args::{Args, ConsentAction, OnOff};
use crate::error::{CliError, ShellKind};
use crate::output::Output;
use crate::session;

/// Runs `lofavor consent ...`.
pub async fn run(args: &Args, action: &ConsentAction, out: &Output) -> Result<(), CliError> {
    let (core, _backend) = session::open_for_command(args).await?;
    refresh(&core).await;
    match action {
        ConsentAction::Show => show(&core, out),
        ConsentAction::Set { choices, explicit } => set(&core, choices, *explicit, out).await,
        ConsentAction::Reserve { state } => {
            let entry = core.consent().set_reservation(*state == OnOff::On).await?;
            out.line(match state {
                OnOff::On => "Reserved against marketing: no marketing purpose lets data out.",
                OnOff::Off => "Reservation lifted: your consents apply again.",
            });
            print_entry(out, &entry);
            out.document(
                &json!({ "reserved": core.consent().is_reserved(), "record": entry_json(&entry) }),
            );
            Ok(())
        }
        ConsentAction::History => {
            let history = core.consent().history()?;
            if history.is_empty() {
                out.line("No decisions yet.");
            }
            for entry in &history {
                print_entry(out, entry);
            }
            out.document(&json!({ "history": history.iter().map(entry_json).collect::<Vec<_>>() }));
            Ok(())
        }
        ConsentAction::Receipts { out: path } => {
            let bytes = core.consent().export_receipts()?;
            std::fs::write(path, &bytes).map_err(|e| {
                CliError::shell(ShellKind::File, format!("cannot write the receipts: {e}"))
            })?;
            let count = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v["receipts"].as_array().map(Vec::len))
                .unwrap_or(0);
            out.line(format!("{count} receipt(s) written to {}", path.display()));
            out.document(&json!({ "receipts": count, "file": path }));
            Ok(())
        }
    }
}

/// Gets the newest catalogue and syncs decisions; offline the device's state is shown.
pub(crate) async fn refresh(core: &Core) {
    if let Err(e) = core.consent().refresh_catalogue().await {
        log::info!(target: "lofavor", "catalogue not refreshed: {e}");
    }
    if core.auth().member().ok().flatten().is_some()
        && let Err(e) = core.consent().sync().await
    {
        log::info!(target: "lofavor", "consents not synced: {e}");
    }
}

/// Parses `PURPOSE=yes|no`.
fn parse_choice(choice: &str) -> Result<(String, bool), CliError> {
    let (purpose, answer) = choice
        .split_once('=')
        .ok_or_else(|| CliError::usage(format!("'{choice}' is not PURPOSE=yes or PURPOSE=no")))?;
    let given = match answer {
        "yes" | "ja" => true,
        "no" | "nei" => false,
        _ => {
            return Err(CliError::usage(format!(
                "'{choice}': the answer is yes or no"
            )));
        }
    };
    Ok((purpose.to_owned(), given))
}

async fn set(
    core: &Core,
    choices: &[String],
    explicit: bool,
    out: &Output,
) -> Result<(), CliError> {
    let parsed: Vec<(String, bool)> = choices
        .iter()
        .map(|c| parse_choice(c))
        .collect::<Result<_, _>>()?;
    // Every choice is checked before any is recorded: one refused choice changes nothing.
    let screen = core.consent().screen()?;
    for (purpose, given) in &parsed {
        let row = screen.purposes.iter().find(|r| &r.id == purpose);
        let reservation = purpose.starts_with("reservation.");
        if row.is_none() && !reservation {
            return Err(CliError::core_kind(
                ErrorKind::NotFound,
                format!("unknown purpose '{purpose}'"),
            )
            .with_hint("See the purposes with: lofavor consent show"));
        }
        if *given && !explicit && row.is_some_and(|r| r.explicit_confirmation.is_some()) {
            return Err(CliError::core_kind(
                ErrorKind::ExplicitConfirmationRequired,
                format!("'{purpose}' shares that you are a union member with a partner; nothing was changed"),
            )
            .with_hint("Add --explicit to confirm that you want to share it"));
        }
    }
    let mut recorded = Vec::new();
    for (purpose, given) in &parsed {
        let entry = core
            .consent()
            .set_from(purpose, *given, explicit, "cli.consent.set")
            .await?;
        print_entry(out, &entry);
        recorded.push(entry_json(&entry));
    }
    out.document(&json!({ "recorded": recorded }));
    Ok(())
}

fn state_word(state: PurposeState) -> &'static str {
    match state {
        PurposeState::NotAsked => "not_asked",
        PurposeState::Given => "given",
        PurposeState::Refused => "refused",
        PurposeState::Withdrawn => "withdrawn",
        PurposeState::NeedsAnswer => "needs_answer",
    }
}

/// The screen as JSON.
pub(crate) fn screen_json(screen: &ConsentScreen) -> Value {
    json!({
        "needs_answer": screen.needs_answer,
        "catalogue_sequence": screen.catalogue_sequence,
        "reserved": screen.reservation.reserved,
        "first_layer": {
            "title": screen.first_layer.title,
            "summary": screen.first_layer.summary,
            "accept_all": screen.first_layer.accept_all_label,
            "refuse_all": screen.first_layer.refuse_all_label,
            "choose": screen.first_layer.choose_label,
        },
        "purposes": screen.purposes.iter().map(|r| json!({
            "id": r.id,
            "title": r.title,
            "state": state_word(r.state),
            "switched_on": r.switched_on,
            "notice_version": r.notice_version,
            "updated": r.updated,
            "partner": r.partner_name,
            "explicit_confirmation_required": r.explicit_confirmation.is_some(),
            "stopped_by_reservation": r.stopped_by_reservation,
            "pending_sync": r.pending_sync,
            "legal_basis": r.legal_basis,
            "recipients": r.recipients,
            "data_categories": r.data_categories,
        })).collect::<Vec<_>>(),
    })
}

/// Prints the first and second layers.
pub(crate) fn print_screen(out: &Output, screen: &ConsentScreen) {
    let first = &screen.first_layer;
    out.line(format!("== {} ==", first.title));
    out.line(&first.summary);
    out.line(format!(
        "   [ {} ]   [ {} ]   [ {} ]",
        first.accept_all_label, first.refuse_all_label, first.choose_label
    ));
    out.line(format!("{}:", first.without_consent_heading));
    for text in &first.without_consent {
        out.line(format!("  - {text}"));
    }
    out.line("");
    out.line(format!("== {} ==", screen.second_layer_title));
    for row in &screen.purposes {
        let switch = if row.switched_on { "[x]" } else { "[ ]" };
        out.line(format!(
            "{switch} {}  ({}, v{})",
            row.title, row.id, row.notice_version
        ));
        out.line(format!("      {}", row.summary));
        out.line(format!("      {}: {}", row.legal_basis, row.state_label));
        if row.explicit_confirmation.is_some() {
            out.line("      needs the explicit confirmation: --explicit");
        }
    }
    out.line("");
    out.line(format!(
        "{}: {}",
        screen.reservation.title, screen.reservation.state_label
    ));
}

fn show(core: &Core, out: &Output) -> Result<(), CliError> {
    let screen = core.consent().screen()?;
    print_screen(out, &screen);
    out.document(&screen_json(&screen));
    Ok(())
}

fn print_entry(out: &Output, entry: &HistoryEntry) {
    let when = chrono::DateTime::from_timestamp(entry.decided_at, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    out.line(format!(
        "{when}  {:<32} {:<9} v{}  {}{}",
        entry.purpose,
        entry.decision,
        entry.notice_version,
        entry.state,
        if entry.receipt.is_some() {
            ", receipt"
        } else {
            ""
        }
    ));
}

/// A history entry as JSON.
pub(crate) fn entry_json(entry: &HistoryEntry) -> Value {
    json!({
        "record_id": entry.record_id,
        "purpose": entry.purpose,
        "decision": entry.decision,
        "decided_at": entry.decided_at,
        "notice_version": entry.notice_version,
        "collection_method": entry.collection_method,
        "made_here": entry.made_here,
        "state": entry.state,
        "receipt": entry.receipt.is_some(),
    })
}
