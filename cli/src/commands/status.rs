//! `lofavor status`: the core's store and the server, at a glance.

use serde_json::json;

use crate::args::Args;
use crate::error::CliError;
use crate::output::Output;
use crate::session;

/// Opens the core and reports on it.
pub async fn run(args: &Args, out: &Output) -> Result<(), CliError> {
    let (core, _backend) = session::open_for_command(args).await?;
    let info = core.info()?;
    let server = core.check_server().await;
    out.line(format!(
        "core {}  schema {}  locale {}",
        info.core_version,
        info.schema_version,
        info.locale.tag()
    ));
    out.line(format!(
        "store: {} (SQLCipher {})",
        if info.database_encrypted {
            "encrypted"
        } else {
            "NOT ENCRYPTED"
        },
        info.cipher_version
    ));
    match &server {
        Ok(s) => out.line(format!(
            "server: {} {} up ({} ms)",
            s.service, s.version, s.round_trip_ms
        )),
        Err(e) => out.line(format!("server: unreachable ({})", e.kind())),
    }
    out.document(&json!({
        "core_version": info.core_version,
        "schema_version": info.schema_version,
        "locale": info.locale.tag(),
        "database_encrypted": info.database_encrypted,
        "cipher_version": info.cipher_version,
        "server": match &server {
            Ok(s) => json!({ "ok": true, "service": s.service, "version": s.version, "round_trip_ms": s.round_trip_ms }),
            Err(e) => json!({ "ok": false, "error": e.kind().as_str() }),
        },
    }));
    Ok(())
}
