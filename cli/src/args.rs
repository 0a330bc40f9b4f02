//! Command-line arguments.

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use serde::{Deserialize, Serialize};

use crate::error::EXIT_CODES_HELP;

/// The LOfavør member app, in a terminal.
#[derive(Debug, Parser)]
#[command(name = "lofavor", version, about, after_help = EXIT_CODES_HELP)]
pub struct Args {
    /// Directory for the encrypted local data (default: the user's data directory; for
    /// `demo`, a fresh temporary directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Base URL of the member API. Without it, the embedded reference server is started on
    /// loopback with its data under the data directory.
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,

    /// A trust anchor the roadside trust list must be signed by (a P-256 public key, base64
    /// of its DER SubjectPublicKeyInfo, as `lofavor serve` prints it); repeat for several.
    /// The embedded server's own anchor is always trusted. With `--server` and no
    /// `--trust-anchor`, the anchor of the server kept in the data directory (the one
    /// `lofavor --data-dir DIR serve` runs) is trusted, if there is one; else every trust
    /// list is refused.
    #[arg(long = "trust-anchor", global = true, value_name = "KEY")]
    pub trust_anchors: Vec<String>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Where secrets are kept. Default: the store the data directory was first opened with
    /// (remembered in it), else the OS keystore; `demo` uses memory in its temporary
    /// directory and the stand-in file with `--data-dir`.
    #[arg(long, global = true, value_enum)]
    pub secure_store: Option<SecureStoreArg>,

    /// Show more log lines on standard error: `-v` the core's milestones, `-vv` detail.
    /// Without it, only warnings and errors.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Language of the core's texts: nb, nn or en.
    #[arg(long, global = true, default_value = "nb")]
    pub locale: String,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the CLI keeps secrets. Serialized by the same kebab-case names as the flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    /// Check a roadside-assistance certificate as a field worker does: at once against the
    /// cached trust and revocation lists, which are then refreshed with a short deadline (the
    /// first check, with nothing cached, waits for them). Exits 0 for a valid certificate,
    /// 1 for one that is not valid, 3 or 4 when the check could not be made.
    Verify(VerifyArgs),
    /// Consents: show them, say yes or no, reserve against marketing, the history and the
    /// signed receipts.
    Consent {
        #[command(subcommand)]
        action: ConsentAction,
    },
    /// Privacy rights: access, export, requests to LOfavør, erasure on this device.
    Privacy {
        #[command(subcommand)]
        action: PrivacyAction,
    },
    /// Husk Hva Du Har: belongings, their photos, search.
    Inventory {
        #[command(subcommand)]
        action: InventoryAction,
    },
    /// The partner offers.
    Offers,
    /// Orders a partner offer. Without `--yes` it only shows what would be sent, and sends
    /// nothing.
    Order {
        /// The offer's id (see `lofavor offers`).
        offer: String,
        /// Confirm: send the order to the partner.
        #[arg(long)]
        yes: bool,
    },
    /// Run the reference server in the foreground until Ctrl-C.
    Serve {
        /// Address to listen on: IP:PORT or HOST:PORT. An address other machines can reach is
        /// refused (exit status 5), since the development login page asks no password.
        #[arg(long, default_value = "127.0.0.1:8080", value_parser = lofavor_server::parse_bind)]
        bind: std::net::SocketAddr,
        /// Serve on an address other machines can reach anyway: anyone there can log in as
        /// any member. Only on a network you trust.
        #[arg(long)]
        allow_remote: bool,
    },
}

/// The position for `lofavor location`.
/// `lofavor consent ...`.
#[derive(Debug, Subcommand)]
pub enum ConsentAction {
    /// Every purpose, its text and where it stands; the reservation.
    Show,
    /// Says yes or no: `PURPOSE=yes|no` ... (e.g. `analytics=no partner_sharing.fremtind=yes`).
    Set {
        /// `PURPOSE=yes` or `PURPOSE=no`, one or more.
        #[arg(required = true, value_name = "PURPOSE=yes|no")]
        choices: Vec<String>,
        /// The explicit confirmation a partner purpose needs: sharing with a partner tells it
        /// that you are a union member.
        #[arg(long)]
        explicit: bool,
    },
    /// Reserves against direct marketing (`on`) or lifts the reservation (`off`).
    Reserve {
        /// `on` or `off`.
        #[arg(value_enum)]
        state: OnOff,
    },
    /// Every decision, newest first, with its sync state and receipt.
    History,
    /// Writes the signed receipts to FILE (JSON), verifiable with the server's key.
    Receipts {
        /// Where to write them.
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
}

/// `lofavor inventory ...`.
#[derive(Debug, Subcommand)]
pub enum InventoryAction {
    /// Adds an item, with photos.
    Add {
        /// What it is.
        #[arg(long)]
        name: String,
        /// The room it is in.
        #[arg(long)]
        room: Option<String>,
        /// What it cost, in kroner (1499 or 1499,50).
        #[arg(long, value_name = "NOK")]
        price: Option<String>,
        /// A JPEG or PNG of it; repeat for more.
        #[arg(long = "photo", value_name = "FILE")]
        photos: Vec<std::path::PathBuf>,
    },
    /// Imports every JPEG, PNG and HEIC in DIR, one item per photo named after its file.
    Import {
        /// The folder.
        dir: std::path::PathBuf,
        /// The room the items are in.
        #[arg(long, value_name = "NAME")]
        room: Option<String>,
        /// Keep each original too (JPEG only, its metadata and GPS removed).
        #[arg(long)]
        keep_original: bool,
    },
    /// Writes an encrypted backup of every item and photo to FILE (passphrase: from
    /// `--passphrase-file`, else the `LOFAVOR_BACKUP_PASSPHRASE` variable, else asked).
    Backup {
        /// Where to write it.
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// A file whose first line is the passphrase.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<std::path::PathBuf>,
    },
    /// Restores an encrypted backup: its items and photos join what is here.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// A file whose first line is the passphrase.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<std::path::PathBuf>,
    },
    /// Every item with its photos and their ids.
    List,
    /// Sends what changed here and reads what changed on your other devices, photos too.
    Sync,
    /// Items matching TEXT as you type it.
    Search {
        /// What to look for.
        text: String,
    },
    /// One item.
    Show {
        /// Its id.
        id: String,
    },
    /// Writes a photo (the 2048 px rendition, or the thumbnail) to FILE as a JPEG.
    Photo {
        /// The photo's id.
        id: String,
        /// Where to write it.
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// The 320 px thumbnail instead.
        #[arg(long)]
        thumbnail: bool,
    },
    /// The claim report: a PDF for the insurer (`--csv`, `--zip` beside it), or with
    /// `--send PARTNER` what would go to them, sent only with `--yes`.
    Report(crate::commands::inventory_report::ReportArgs),
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

/// `lofavor privacy ...`.
#[derive(Debug, Subcommand)]
pub enum PrivacyAction {
    /// Everything the device and the server hold about you, and how it is processed.
    Access,
    /// Writes every piece of your data on this device, your consent history and receipts to
    /// FILE (JSON).
    Export {
        /// Where to write it.
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
    /// Sends a request to LOfavør: access, rectification, erasure, restriction, objection,
    /// portability or human_review.
    Request {
        /// The kind of request.
        kind: String,
        /// What you want, in your own words.
        #[arg(long, value_name = "TEXT")]
        text: Option<String>,
    },
    /// Your requests, their status and deadline.
    Requests,
    /// Erases everything of yours on this device and logs you out.
    Erase {
        /// Yes, erase.
        #[arg(long)]
        yes: bool,
    },
}

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

/// What `lofavor verify` checks: one of a payload, a payload file, or an image.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct VerifyArgs {
    /// The payload text (`VH1:...`); `-` reads it from standard input. Whitespace around it
    /// (a trailing newline) is ignored.
    #[arg(long, value_name = "TEXT")]
    pub payload: Option<String>,
    /// A file holding the payload text (whitespace around it is ignored).
    #[arg(long, value_name = "FILE")]
    pub payload_file: Option<std::path::PathBuf>,
    /// A photo or screenshot (PNG or JPEG) with the QR code.
    #[arg(long, value_name = "FILE")]
    pub image: Option<std::path::PathBuf>,
}
