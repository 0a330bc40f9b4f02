//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The LOfavør member app, in a terminal.
#[derive(Debug, Parser)]
#[command(name = "lofavor", version, about)]
pub struct Args {
    /// Directory for the encrypted local data (default: the user's data directory; for
    /// `demo`, a fresh temporary directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Base URL of the member API. Without it, the embedded reference server is started on
    /// loopback with its data under the data directory.
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Where secrets are kept (default: the OS keystore; `demo` uses memory in its temporary
    /// directory and the stand-in file with `--data-dir`).
    #[arg(long, global = true, value_enum)]
    pub secure_store: Option<SecureStoreArg>,

    /// Language of the core's texts: nb, nn or en.
    #[arg(long, global = true, default_value = "nb")]
    pub locale: String,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the CLI keeps secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecureStoreArg {
    /// The operating system's keystore.
    OsKeystore,
    /// A stand-in file next to the data directory, readable only by you. Not secure.
    InsecureFile,
    /// Memory only: everything is forgotten when the command ends.
    Memory,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk through the member's journey on the embedded reference server.
    Demo,
    /// Show the core's state: store, encryption, server.
    Status,
    /// Log in through the browser (OpenID Connect, loopback redirect on an ephemeral port).
    Login {
        /// The OpenID issuer (default: the member API's own development issuer, `<server>/oidc`).
        #[arg(long, value_name = "URL")]
        issuer: Option<String>,
        /// This app's client id at the issuer.
        #[arg(long, value_name = "ID", default_value = "lofavor-cli")]
        client_id: String,
        /// Do not try to open a browser; only print the URL.
        #[arg(long)]
        no_browser: bool,
    },
    /// Show who is logged in (from the encrypted cache; works offline).
    Whoami,
    /// Log out: revoke the session at the issuer and erase the member's data here.
    Logout {
        /// Log out even if local changes are not yet synced (they are lost).
        #[arg(long)]
        force: bool,
    },
    /// Show a position the way the roadside certificate does: every format, the nearest
    /// place, quality warnings and the SMS text. Needs no core and no server.
    Location(LocationArgs),
    /// The member's roadside-assistance certificate (needs a login).
    Certificate {
        /// What to do with it.
        #[command(subcommand)]
        action: CertificateAction,
    },
    /// Check a roadside-assistance certificate as a field worker does: against the trust and
    /// revocation lists, refreshed when the member API answers, else from the cache. Exits 0
    /// only for a valid certificate.
    Verify(VerifyArgs),
    /// Run the reference server in the foreground until Ctrl-C.
    Serve {
        /// Address to listen on (loopback).
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
    },
}

/// The position for `lofavor location`.
#[derive(Debug, clap::Args)]
pub struct LocationArgs {
    /// Latitude in decimal degrees (WGS 84), north positive.
    #[arg(long, allow_negative_numbers = true)]
    pub lat: f64,
    /// Longitude in decimal degrees (WGS 84), east positive.
    #[arg(long, allow_negative_numbers = true)]
    pub lon: f64,
    /// Horizontal accuracy in metres.
    #[arg(long, default_value_t = 10.0, allow_negative_numbers = true)]
    pub accuracy: f64,
    /// How many seconds ago the position was measured.
    #[arg(long, default_value_t = 0)]
    pub age: u64,
}

/// What `lofavor certificate` does.
#[derive(Debug, Subcommand)]
pub enum CertificateAction {
    /// Show the certificate: its QR code, cover, holder, expiry and status. Works offline from
    /// the cache; renewed when online and fewer than 7 days remain.
    Show {
        /// Also write the QR code as a PNG image to FILE.
        #[arg(long, value_name = "FILE")]
        png: Option<std::path::PathBuf>,
        /// Print the payload text (what the QR code holds) instead of the QR code.
        #[arg(long)]
        payload: bool,
    },
}

/// What `lofavor verify` checks.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct VerifyArgs {
    /// The payload text (`VH1:...`).
    #[arg(long, value_name = "TEXT")]
    pub payload: Option<String>,
    /// A photo or screenshot (PNG or JPEG) with the QR code.
    #[arg(long, value_name = "FILE")]
    pub image: Option<std::path::PathBuf>,
}
