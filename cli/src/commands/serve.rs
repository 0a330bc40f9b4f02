//! `lofavor serve`: the reference server in the foreground.

use std::net::SocketAddr;

use crate::args::Args;
use crate::error::{CliError, ShellKind};
use crate::output::Output;
use crate::session::default_data_dir;

/// Serves until Ctrl-C. An address other machines can reach is refused
/// ([`ShellKind::ExposedBind`]) unless `allow_remote`; then the server logs a warning, which
/// the shell's logger prints at its default level.
pub async fn run(
    args: &Args,
    bind: SocketAddr,
    allow_remote: bool,
    out: &Output,
) -> Result<(), CliError> {
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(default_data_dir)
        .join("server");
    let server = lofavor_server::start(lofavor_server::ServerConfig {
        bind,
        allow_remote,
        ..lofavor_server::ServerConfig::loopback(data_dir)
    })
    .await
    .map_err(|e| match e {
        lofavor_server::ServerError::Exposed(_) => {
            CliError::shell(ShellKind::ExposedBind, e.to_string())
        }
        e => CliError::shell(ShellKind::ServerStart, e.to_string()),
    })?;
    out.line(format!(
        "reference server listening on {}",
        server.base_url()
    ));
    // The anchor is printed, never served: a verifier trusts it because its user passed it.
    out.line(format!(
        "trust anchor (pass it to the app: --trust-anchor {})",
        server.trust_anchor()
    ));
    out.document(&serde_json::json!({
        "listening": server.base_url(),
        "trust_anchor": server.trust_anchor(),
    }));
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
    Ok(())
}
