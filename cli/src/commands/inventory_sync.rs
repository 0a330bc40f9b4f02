//! `lofavor inventory sync`: sends what changed here, reads what changed elsewhere, and
//! downloads the photos this device lacks.

use std::time::Duration;

use lofavor_core::Core;
use serde_json::json;

use crate::error::CliError;
use crate::output::Output;

/// Runs `lofavor inventory sync`.
pub async fn run(core: &Core, out: &Output) -> Result<(), CliError> {
    let waiting = core.inventory().unsynced_changes()?;
    let spinner = if out.is_json() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    spinner.set_message(format!("syncing {waiting} change(s)"));
    spinner.enable_steady_tick(Duration::from_millis(120));
    let result = core.inventory().sync().await;
    spinner.finish_and_clear();
    let summary = result?;
    out.line(format!(
        "Sent {} change(s) and {} photo file(s); applied {} change(s) from the server and \
         downloaded {} photo(s); {} waiting",
        summary.pushed, summary.uploaded, summary.pulled, summary.downloaded, summary.pending
    ));
    out.document(&json!({
        "pushed": summary.pushed,
        "uploaded": summary.uploaded,
        "pulled": summary.pulled,
        "downloaded": summary.downloaded,
        "pending": summary.pending,
    }));
    Ok(())
}
