//! `lofavor inventory report`: the claim report as a PDF (with `--csv` and `--zip` beside it),
//! and `--send fremtind`, which shows what would go to the insurer and sends it only with
//! `--yes`, as `lofavor order` does.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use lofavor_core::inventory::{ReportPhotos, ReportRequest, ReportTransferPreview};
use lofavor_core::{Core, Locale};
use serde_json::json;

use crate::error::{CliError, ShellKind};
use crate::output::Output;

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Bokmål.
    Nb,
    /// Nynorsk.
    Nn,
    /// English.
    En,
}

/// The photos' rendition in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Photos {
    /// Large while the photos come to about 20 MB, else thumbnails.
    Auto,
    /// The 2048 px renditions.
    Large,
    /// The 320 px thumbnails.
    Thumbnail,
}

/// `lofavor inventory report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Write the PDF to FILE (with `--send`: the PDF that would be sent).
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Write the CSV (one row per item, `;` between fields, for Excel) to FILE.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Write a ZIP of the PDF, the CSV and every photo to FILE.
    #[arg(long, value_name = "FILE")]
    zip: Option<PathBuf>,
    /// The labels' language.
    #[arg(long, value_enum, default_value = "nb")]
    lang: Lang,
    /// Your address, for the cover.
    #[arg(long, value_name = "TEXT")]
    address: Option<String>,
    /// The photos in the PDF: `large` (2048 px, receipts readable), `thumbnail` (320 px, a
    /// small file), or `auto` (large while the photos come to about 20 MB).
    #[arg(long, value_enum, default_value = "auto")]
    photos: Photos,
    /// Send the report to this insurer (`fremtind`): shows what would go; sends with `--yes`.
    #[arg(long, value_name = "PARTNER")]
    send: Option<String>,
    /// Confirm: send the report.
    #[arg(long, requires = "send")]
    yes: bool,
}

/// Writes `bytes` to `path`, readable by this user only (the report is about their home).
fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, bytes));
    written.map_err(|e| {
        CliError::shell(
            ShellKind::File,
            format!("cannot write {}: {e}", path.display()),
        )
    })
}

/// Runs `lofavor inventory report`.
pub async fn run(core: &Core, args: &ReportArgs, out: &Output) -> Result<(), CliError> {
    // The member of this session for the cover (sending takes it from the member API).
    let member = core.auth().member().ok().flatten();
    let request = ReportRequest {
        member_name: member.and_then(|m| m.name),
        member_number: None,
        locale: match args.lang {
            Lang::Nb => Locale::Nb,
            Lang::Nn => Locale::Nn,
            Lang::En => Locale::En,
        },
        address: args.address.clone(),
        photos: match args.photos {
            Photos::Auto => ReportPhotos::Auto,
            Photos::Large => ReportPhotos::Large,
            Photos::Thumbnail => ReportPhotos::Thumbnail,
        },
        csv: args.csv.is_some(),
        zip: args.zip.is_some(),
    };
    if let Some(partner) = &args.send {
        return send(core, partner, request, args, out).await;
    }
    let Some(pdf_path) = &args.pdf else {
        return Err(CliError::usage(
            "say where the report goes: --pdf FILE (and --csv FILE, --zip FILE), or --send PARTNER",
        ));
    };
    let files = core.inventory().report(&request)?;
    write(pdf_path, &files.pdf)?;
    let mut written = vec![json!({ "file": pdf_path, "bytes": files.pdf.len() })];
    for (path, bytes) in [(&args.csv, &files.csv), (&args.zip, &files.zip)] {
        if let (Some(path), Some(bytes)) = (path, bytes) {
            write(path, bytes)?;
            written.push(json!({ "file": path, "bytes": bytes.len() }));
        }
    }
    out.line(format!(
        "Report of {} item(s), {} page(s), {} photo(s):",
        files.items, files.pages, files.photos
    ));
    for file in &written {
        out.line(format!(
            "  {} ({} bytes)",
            file["file"].as_str().unwrap_or_default(),
            file["bytes"]
        ));
    }
    out.document(&json!({
        "items": files.items,
        "pages": files.pages,
        "photos": files.photos,
        "files": written,
    }));
    Ok(())
}

fn print_preview(out: &Output, preview: &ReportTransferPreview) {
    out.line(&preview.heading);
    out.line(format!("  {}", preview.categories.join(", ")));
    for field in &preview.fields {
        out.line(format!("  {:<28} {}", field.label, field.value));
    }
}

async fn send(
    core: &Core,
    partner: &str,
    request: ReportRequest,
    args: &ReportArgs,
    out: &Output,
) -> Result<(), CliError> {
    let preview = core
        .inventory()
        .prepare_report_transfer(partner, request)
        .await?;
    if let Some(path) = &args.pdf {
        write(path, &preview.pdf)?;
    }
    print_preview(out, &preview);
    let fields: Vec<_> = preview
        .fields
        .iter()
        .map(|f| json!({ "label": f.label, "value": f.value }))
        .collect();
    let shown = json!({
        "partner": preview.partner,
        "categories": preview.categories,
        "fields": fields,
        "pdf_sha256": preview.pdf_sha256,
        "pdf_bytes": preview.pdf.len(),
    });
    if !args.yes {
        out.line(&preview.nothing_sent_yet);
        out.line("Run again with --yes to send it.");
        out.document(&json!({ "sent": false, "preview": shown }));
        return Ok(());
    }
    let receipt = core.inventory().send_report(&preview.id).await?;
    out.line(format!(
        "Report {} sent to {} ({})",
        receipt.report_id, receipt.partner, receipt.status
    ));
    out.document(&json!({
        "sent": true,
        "report_id": receipt.report_id,
        "partner": receipt.partner,
        "status": receipt.status,
        "received_at": receipt.received_at,
        "preview": shown,
    }));
    Ok(())
}
