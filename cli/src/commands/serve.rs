//! `lofavor serve`: the reference server in the foreground.

use std::net::SocketAddr;

use crate::args::Args;
use crate::error::{CliError, ShellKind};
use crate::output::Output;
use crate::session::default_data_dir;

/// Serves until Ctrl-C.
pub async fn run(args: &Args, bind: SocketAddr, out: &Output) -> Result<(), CliError> {
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(default_data_dir)
        .join("server");
    let server = lofavor_server::start(lofavor_server::ServerConfig {
        bind,
        ..lofavor_server::ServerConfig::loopback(data_dir)
    })
    .await
    .map_err(|e| CliError::shell(ShellKind::ServerStart, e.to_string()))?;
    out.line(format!(
        "reference server listening on {}",
        server.base_url()
    ));
    out.document(&serde_json::json!({ "listening": server.base_url() }));
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
    Ok(())
}
