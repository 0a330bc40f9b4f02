//! `lofavor location`: a position as the roadside certificate screen shows it.
//!
//! Calls the core's pure `describe_location`; opens no core and starts no server.

use std::time::{Duration, SystemTime};

use lofavor_core::roadside::location::{
    FixSource, LocationFix, describe_location, location_permission_request,
};

use crate::args::{Args, LocationArgs};
use crate::error::CliError;
use crate::output::Output;
use crate::session;

/// Describes the position given on the command line.
pub fn run(args: &Args, location: &LocationArgs, out: &Output) -> Result<(), CliError> {
    let locale = session::locale(args)?;
    let now = SystemTime::now();
    let fix = LocationFix {
        latitude: location.lat,
        longitude: location.lon,
        accuracy_m: location.accuracy,
        time: now
            .checked_sub(Duration::from_secs(location.age))
            .unwrap_or(SystemTime::UNIX_EPOCH),
        source: FixSource::Manual,
    };
    let report = describe_location(&fix, now, locale).map_err(lofavor_core::Error::from)?;
    let permission = location_permission_request(locale);

    for format in &report.formats {
        out.line(format!("{:<30} {}", format.label, format.value));
    }
    match &report.nearest_place {
        Some(place) => out.line(format!("{:<30} {}", place.label, place.text)),
        None => out.line(format!("{:<30} -", "")),
    }
    for warning in &report.quality.warnings {
        out.line(format!("! {warning}"));
    }
    out.line("");
    out.line(&report.share_text);
    out.line("");
    out.line(&report.attribution);

    let mut document = serde_json::to_value(&report)?;
    if let Some(object) = document.as_object_mut() {
        object.insert("permission".into(), serde_json::to_value(&permission)?);
    }
    out.document(&document);
    Ok(())
}
