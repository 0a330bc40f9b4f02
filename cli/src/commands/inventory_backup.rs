//! `lofavor inventory backup --out FILE` and `restore FILE`: the encrypted backup of every
//! item and photo, opened only by the member's passphrase, restored without the server.

use std::path::Path;

use lofavor_core::Core;
use serde_json::json;

use crate::error::{CliError, ShellKind};
use crate::output::Output;

/// The variable a script may give the passphrase in (never an argument: those are visible
/// to every user of the machine in the process list).
const PASSPHRASE_VARIABLE: &str = "LOFAVOR_BACKUP_PASSPHRASE";

/// The passphrase: the first line of `file`, else the variable, else asked without echo.
fn passphrase(file: Option<&Path>, confirm: bool) -> Result<String, CliError> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| {
            CliError::shell(
                ShellKind::File,
                format!("cannot read the passphrase file: {e}"),
            )
        })?;
        return Ok(text.lines().next().unwrap_or_default().to_owned());
    }
    if let Ok(value) = std::env::var(PASSPHRASE_VARIABLE) {
        return Ok(value);
    }
    let asked = rpassword::prompt_password("Backup passphrase: ").map_err(|_| {
        CliError::usage(format!(
            "give the passphrase with --passphrase-file or {PASSPHRASE_VARIABLE}"
        ))
    })?;
    if confirm {
        let again = rpassword::prompt_password("Again: ")
            .map_err(|_| CliError::usage("the passphrase could not be read"))?;
        if again != asked {
            return Err(CliError::usage("the two passphrases differ"));
        }
    }
    Ok(asked)
}

/// `lofavor inventory backup`.
pub async fn backup(
    core: &Core,
    path: &Path,
    passphrase_file: Option<&Path>,
    out: &Output,
) -> Result<(), CliError> {
    let passphrase = passphrase(passphrase_file, true)?;
    let items = core.inventory().backup(path.to_owned(), passphrase).await?;
    out.line(format!(
        "Backup of {items} item(s) written to {}; keep the passphrase: nothing else opens it",
        path.display()
    ));
    out.document(&json!({ "file": path, "items": items }));
    Ok(())
}

/// `lofavor inventory restore`.
pub async fn restore(
    core: &Core,
    path: &Path,
    passphrase_file: Option<&Path>,
    out: &Output,
) -> Result<(), CliError> {
    let passphrase = passphrase(passphrase_file, false)?;
    let summary = core
        .inventory()
        .restore(path.to_owned(), passphrase)
        .await?;
    out.line(format!(
        "Restored {} item(s) and {} photo(s); {} were here already",
        summary.items, summary.photos, summary.already_here
    ));
    out.document(&json!({
        "items": summary.items,
        "photos": summary.photos,
        "already_here": summary.already_here,
    }));
    Ok(())
}
