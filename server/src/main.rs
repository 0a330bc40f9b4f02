//! `lofavor-server`: the reference member API as a program, on a loopback address.
//!
//! Exit status: 0 after Ctrl-C, 1 when the server cannot start, 2 for bad arguments,
//! 5 ([`lofavor_server::EXIT_EXPOSED`]) when it refuses to serve the development issuer on an
//! address other machines can reach.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Runs the reference member API until Ctrl-C.
#[derive(Debug, Parser)]
#[command(
    name = "lofavor-server",
    version,
    about,
    after_help = "Exit status: 0 after Ctrl-C; 1 when the server cannot start; 2 for bad \
                  arguments; 5 when it refuses to serve the development issuer on an address \
                  other machines can reach (see --allow-remote)."
)]
struct Args {
    /// Address to listen on: IP:PORT or HOST:PORT. An address other machines can reach is
    /// refused while the development issuer is served (see --allow-remote).
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = lofavor_server::parse_bind)]
    bind: SocketAddr,
    /// Serve the development issuer (no password, every member listed) on an address other
    /// machines can reach. Only on a network you trust.
    #[arg(long)]
    allow_remote: bool,
    /// Directory for the server's database and key files (made with mode 0700).
    #[arg(long, default_value = "lofavor-server-data")]
    data_dir: PathBuf,
    /// Accept access tokens of this external OpenID Provider (its issuer identifier) instead
    /// of serving the development issuer at `/oidc`.
    #[arg(long, value_name = "URL")]
    issuer: Option<String>,
    /// The audience the external issuer's access tokens carry.
    #[arg(long, value_name = "AUD", requires = "issuer", default_value = lofavor_server::MEMBER_API_AUDIENCE)]
    audience: String,
    /// Lifetime in seconds of the development issuer's access tokens.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    access_token_ttl: u64,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut config = lofavor_server::ServerConfig::loopback(args.data_dir);
    config.bind = args.bind;
    config.allow_remote = args.allow_remote;
    config.access_token_ttl = std::time::Duration::from_secs(args.access_token_ttl);
    if let Some(issuer) = args.issuer {
        config.issuer = lofavor_server::IssuerChoice::External(
            lofavor_server::ExternalIssuer::new(issuer, args.audience),
        );
    }
    let exposed = config.allow_remote
        && !lofavor_server::is_loopback(&config.bind)
        && matches!(config.issuer, lofavor_server::IssuerChoice::Embedded);
    let server = match lofavor_server::start(config).await {
        Ok(server) => server,
        Err(e @ lofavor_server::ServerError::Exposed(_)) => {
            eprintln!("lofavor-server: {e}");
            return std::process::ExitCode::from(lofavor_server::EXIT_EXPOSED);
        }
        Err(e) => {
            eprintln!("lofavor-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if exposed {
        eprintln!("lofavor-server: {}", lofavor_server::REMOTE_WARNING);
    }
    // The first line on stdout is what tests and scripts wait for (with port 0 it names the
    // port); the second names the issuer the member API trusts; the third the trust anchor
    // the apps of this deployment are configured with (printed, never served).
    // Written, not `println!`: a reader that goes away (a test that read the first line)
    // must not make the server panic on a broken pipe; it goes on serving.
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", server.base_url())
            .and_then(|()| writeln!(out, "issuer {}", server.issuer_url()))
            .and_then(|()| writeln!(out, "trust anchor {}", server.trust_anchor()))
            .and_then(|()| out.flush());
    }
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
    std::process::ExitCode::SUCCESS
}
