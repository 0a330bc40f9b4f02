//! `lofavor-server`: the reference member API as a program, on a loopback address.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Runs the reference member API until Ctrl-C.
#[derive(Debug, Parser)]
#[command(name = "lofavor-server", version, about)]
struct Args {
    /// Address to listen on (keep it on loopback).
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Directory for the server's database.
    #[arg(long, default_value = "lofavor-server-data")]
    data_dir: PathBuf,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let config = lofavor_server::ServerConfig {
        data_dir: args.data_dir,
        bind: args.bind,
    };
    let server = match lofavor_server::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("lofavor-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // One line on stdout that tests and scripts wait for (with port 0 it names the port).
    #[allow(clippy::print_stdout)]
    {
        println!("listening on {}", server.base_url());
    }
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
    std::process::ExitCode::SUCCESS
}
