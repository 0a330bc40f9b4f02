//! One file per command.

mod certificate;
mod consent;
mod demo;
mod demo_consent;
mod demo_inventory;
mod demo_roadside;
mod inventory;
mod inventory_backup;
mod inventory_import;
pub(crate) mod inventory_report;
mod inventory_sync;
mod location;
mod login;
mod logout;
mod offers;
mod privacy;
mod serve;
mod status;
mod verify;
mod whoami;

use crate::args::{Args, Command};
use crate::error::{CliError, Outcome};
use crate::output::Output;

/// Runs the command `args` names. Only `verify` ends in anything but success or a failure:
/// a certificate that is not valid is an answer.
pub async fn run(args: &Args, out: &Output) -> Result<Outcome, CliError> {
    let done = |result: Result<(), CliError>| result.map(|()| Outcome::Success);
    match &args.command {
        Command::Demo => done(demo::run(args, out).await),
        Command::Status => done(status::run(args, out).await),
        Command::Login {
            issuer,
            client_id,
            no_browser,
        } => done(login::run(args, issuer.as_deref(), client_id, *no_browser, out).await),
        Command::Whoami => done(whoami::run(args, out).await),
        Command::Logout { force } => done(logout::run(args, *force, out).await),
        Command::Location(location) => done(location::run(args, location, out)),
        Command::Certificate { action } => done(certificate::run(args, action, out).await),
        Command::Verify(verify) => verify::run(args, verify, out).await,
        Command::Consent { action } => done(consent::run(args, action, out).await),
        Command::Privacy { action } => done(privacy::run(args, action, out).await),
        Command::Inventory { action } => done(inventory::run(args, action, out).await),
        Command::Offers => done(offers::list(args, out).await),
        Command::Order { offer, yes } => done(offers::order(args, offer, *yes, out).await),
        Command::Serve { bind, allow_remote } => {
            done(serve::run(args, *bind, *allow_remote, out).await)
        }
    }
}
