//! `lofavor login`: the member logs in through the browser (RFC 8252: the system browser and
//! a loopback redirect on an ephemeral port).

use std::time::Duration;

use serde_json::json;

use crate::args::{Args, SecureStoreArg};
use crate::error::CliError;
use crate::loopback::CallbackListener;
use crate::output::Output;
use crate::secure_store;
use crate::session::{self, Backend, LoginSettings};

/// As long as a started login stays valid in the core.
const WAIT_FOR_BROWSER: Duration = Duration::from_secs(10 * 60);

/// Logs in at `issuer` (default: the member API's own issuer) as `client_id`.
pub async fn run(
    args: &Args,
    issuer: Option<&str>,
    client_id: &str,
    no_browser: bool,
    out: &Output,
) -> Result<(), CliError> {
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(session::default_data_dir);
    let store = session::secure_store_for(args, &data_dir, SecureStoreArg::OsKeystore)?;
    let backend = Backend::start(args, &data_dir).await?;
    let settings = LoginSettings {
        issuer: issuer
            .map(str::to_owned)
            .unwrap_or_else(|| LoginSettings::of_backend(&backend).issuer),
        client_id: client_id.to_owned(),
    };
    let choice = secure_store::choice(store, &data_dir);
    let config = session::config_for_login(args, &data_dir, &backend, choice, &settings)?;
    let core = session::open_core(&data_dir, store, config, None)?;

    let listener = CallbackListener::start().await?;
    let url = core.auth().begin_login_at(&listener.redirect_uri()).await?;
    // The URL alone on its line, so a person can copy it and a script can read it.
    out.always(&url);
    if !no_browser {
        // Quietly carry on where there is no browser: the URL is printed.
        let opened = tokio::task::spawn_blocking(move || webbrowser::open(&url).is_ok())
            .await
            .unwrap_or(false);
        if !opened {
            eprintln!("Open the address above in a browser to log in.");
        }
    }
    let redirect = listener.wait(WAIT_FOR_BROWSER).await?;
    let member = core.auth().complete_login(&redirect).await?;
    settings.remember(&data_dir)?;
    out.line(format!(
        "Logged in as {}",
        member.name.as_deref().unwrap_or("(no name shared)")
    ));
    out.document(&json!({
        "logged_in": true,
        "subject": member.subject,
        "name": member.name,
        "issuer": settings.issuer,
    }));
    Ok(())
}
