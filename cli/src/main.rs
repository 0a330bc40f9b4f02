//! `lofavor`: the terminal shell over the LOfavør core.
//!
//! A thin shell: it parses arguments, opens the core, calls it and prints what it returns.
//! Without `--server` it starts the embedded reference server on loopback, so every
//! command works on one machine with no set-up.

mod args;
mod commands;
mod loopback;
mod output;
mod picker;
mod session;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let args = args::Args::parse();
    let out = output::Output::new(args.json);
    match commands::run(&args, &out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}
