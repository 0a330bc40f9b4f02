//! One file per command.

mod demo;
mod location;
mod serve;
mod status;

use crate::args::{Args, Command};
use crate::output::Output;

/// Runs the command `args` names.
pub async fn run(args: &Args, out: &Output) -> Result<(), String> {
    match &args.command {
        Command::Demo => demo::run(args, out).await,
        Command::Status => status::run(args, out).await,
        Command::Location(location) => location::run(args, location, out),
        Command::Serve { bind } => serve::run(args, *bind, out).await,
    }
}
