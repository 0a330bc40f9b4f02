//! `lofavor`: the terminal shell over the LOfavør core.
//!
//! A thin shell: it parses arguments, opens the core, calls it and prints what it returns.
//! Without `--server` it starts the embedded reference server on loopback, so every
//! command works on one machine with no set-up.

mod args;
mod commands;
mod error;
mod heic;
mod image_input;
mod logging;
mod loopback;
mod output;
mod picker;
mod qr_terminal;
mod secure_store;
mod session;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind as ClapErrorKind;

use crate::error::{CliError, EXIT_USAGE};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match args::Args::try_parse() {
        Ok(args) => args,
        Err(e) => return bad_arguments(e),
    };
    logging::install(args.verbose);
    let out = output::Output::new(args.json);
    match commands::run(&args, &out).await {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            out.error(&e);
            e.exit_code()
        }
    }
}

/// Arguments clap refused: its own message and exit code (2), or with `--json` the usage
/// error as a JSON document. `--help` and `--version` are not errors and print as usual.
fn bad_arguments(e: clap::Error) -> ExitCode {
    let json_wanted = std::env::args_os().any(|a| a == "--json");
    let is_usage_error = !matches!(
        e.kind(),
        ClapErrorKind::DisplayHelp
            | ClapErrorKind::DisplayVersion
            | ClapErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if json_wanted && is_usage_error {
        // clap's first paragraph is the error itself; the rest is usage advice for people.
        let text = e.render().to_string();
        let reason = text
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        eprintln!("{}", output::error_document(&CliError::usage(reason)));
        return ExitCode::from(EXIT_USAGE);
    }
    // Prints to stdout for help and version, to stderr for errors, and exits 0 or 2.
    e.exit()
}
