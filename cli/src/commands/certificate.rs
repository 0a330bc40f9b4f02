//! `lofavor certificate show`: the member's roadside-assistance certificate, as the app's
//! certificate screen shows it: the QR code, then what the worker will read from it.

use std::time::SystemTime;

use lofavor_core::Core;
use lofavor_core::roadside::{CertificateStatus, MemberCertificate};
use lofavor_core::time::unix_seconds;
use serde_json::{Value, json};

use crate::args::{Args, CertificateAction};
use crate::error::{CliError, ShellKind};
use crate::output::Output;
use crate::qr_terminal::{TerminalColors, to_terminal};
use crate::session;

/// Pixels per module of the `--png` image.
const PNG_SCALE: u32 = 8;

/// Runs `lofavor certificate ...`.
pub async fn run(args: &Args, action: &CertificateAction, out: &Output) -> Result<(), CliError> {
    let CertificateAction::Show { png, payload } = action;
    let (core, _backend) = session::open_for_command(args).await?;
    let certificate = current(&core).await?;
    if let Some(path) = png {
        let bytes = certificate
            .qr
            .to_png(PNG_SCALE)
            .map_err(lofavor_core::Error::from)?;
        std::fs::write(path, bytes)
            .map_err(|e| CliError::shell(ShellKind::File, format!("cannot write the PNG: {e}")))?;
    }
    if *payload {
        out.line(&certificate.payload);
    } else {
        out.line(to_terminal(&certificate.qr, TerminalColors::LightOnDark));
    }
    for line in lines(&certificate) {
        out.line(line);
    }
    out.document(&document(&certificate));
    Ok(())
}

/// The member's certificate, with advice when nobody is logged in.
pub(crate) async fn current(core: &Core) -> Result<MemberCertificate, CliError> {
    core.roadside().certificate().await.map_err(|e| {
        let not_logged_in = e.kind() == lofavor_core::ErrorKind::NotLoggedIn;
        let error = CliError::from(e);
        if not_logged_in {
            error.with_hint("Log in first: lofavor login")
        } else {
            error
        }
    })
}

/// A time as people read it, in UTC.
pub(crate) fn date_time(time: SystemTime) -> String {
    chrono::DateTime::from_timestamp(unix_seconds(time), 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "-".into())
}

fn status_text(status: CertificateStatus) -> String {
    match status {
        CertificateStatus::Valid => "valid".into(),
        CertificateStatus::ExpiresSoon { days } => {
            format!("valid, expires in {days} day(s); renewed when online")
        }
        CertificateStatus::Expired => "EXPIRED: go online to get a new certificate".into(),
    }
}

/// The certificate's facts as text lines.
pub(crate) fn lines(certificate: &MemberCertificate) -> Vec<String> {
    let cover = &certificate.cover;
    let mut lines = vec![
        format!("Holder:   {}", certificate.holder.as_str()),
        format!(
            "Cover:    {} ({} to {})",
            cover.product.name(),
            cover.valid_from,
            cover.valid_to
        ),
    ];
    if let Some(vehicle) = &certificate.vehicle {
        lines.push(format!("Vehicle:  {}", vehicle.as_str()));
    }
    lines.push(format!("Expires:  {}", date_time(certificate.expires_at)));
    lines.push(format!("Status:   {}", status_text(certificate.status)));
    lines
}

/// The certificate as JSON.
pub(crate) fn document(certificate: &MemberCertificate) -> Value {
    let cover = &certificate.cover;
    let (state, days) = match certificate.status {
        CertificateStatus::Valid => ("valid", None),
        CertificateStatus::ExpiresSoon { days } => ("expires_soon", Some(days)),
        CertificateStatus::Expired => ("expired", None),
    };
    json!({
        "payload": certificate.payload,
        "certificate_id": certificate.certificate_id,
        "holder": certificate.holder.as_str(),
        "cover": {
            "product": cover.product.name(),
            "valid_from": cover.valid_from.to_string(),
            "valid_to": cover.valid_to.to_string(),
        },
        "vehicle": certificate.vehicle.as_ref().map(|v| v.as_str()),
        "issued_at": unix_seconds(certificate.issued_at),
        "expires_at": unix_seconds(certificate.expires_at),
        "fetched_at": unix_seconds(certificate.fetched_at),
        "status": { "state": state, "days_left": days },
        "qr": { "size": certificate.qr.size, "version": certificate.qr.version() },
    })
}
