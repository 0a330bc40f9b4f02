//! One file per command.

mod certificate;
mod demo;
mod demo_roadside;
mod location;
mod login;
mod logout;
mod serve;
mod status;
mod verify;
mod whoami;

use crate::args::{Args, Command};
use crate::output::Output;

/// Runs the command `args` names.
pub async fn run(args: &Args, out: &Output) -> Result<(), String> {
    match &args.command {
        Command::Demo => demo::run(args, out).await,
        Command::Status => status::run(args, out).await,
        Command::Login {
            issuer,
            client_id,
            no_browser,
        } => login::run(args, issuer.as_deref(), client_id, *no_browser, out).await,
        Command::Whoami => whoami::run(args, out).await,
        Command::Logout { force } => logout::run(args, *force, out).await,
        Command::Location(location) => location::run(args, location, out),
        Command::Certificate { action } => certificate::run(args, action, out).await,
        Command::Verify(verify) => verify::run(args, verify, out).await,
        Command::Serve { bind } => serve::run(args, *bind, out).await,
    }
}
