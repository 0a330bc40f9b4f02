//! `lofavor demo`: the member's journey, step by step, on the embedded reference server.
//!
//! The member logs in at the embedded issuer (the demo clicks the member picker the way a
//! person would), the member API accepts the access token, the store is shown to be
//! encrypted on disk and to remember the member across a restart, and the member logs out
//! leaving nothing behind. Each capability adds its part of the journey here.

use std::sync::Arc;
use std::time::Duration;

use lofavor_core::platform::{MemoryStandInStore, SecureStore};
use lofavor_core::{SecureStoreChoice, store::DATABASE_FILE};
use serde_json::json;

use crate::args::{Args, SecureStoreArg};
use crate::error::{CliError, ShellKind};
use crate::loopback::CallbackListener;
use crate::output::Output;
use crate::picker;
use crate::secure_store;
use crate::session::{self, Backend, LoginSettings};

/// The member the demo logs in as (seeded in the reference server).
const DEMO_MEMBER: &str = "kari";
/// Their name, as the picker shows it.
const DEMO_MEMBER_NAME: &str = "Kari Nordmann";

/// A string written into the store to show it cannot be found in the file.
const MARKER: &str = "demo-marker-only-visible-through-the-core";

/// Runs the demo.
pub async fn run(args: &Args, out: &Output) -> Result<(), CliError> {
    // A fresh directory unless one is given: the demo always starts from nothing and
    // leaves nothing behind.
    let temp;
    let data_dir = match &args.data_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir().map_err(|e| {
                CliError::shell(ShellKind::DataDir, format!("no temporary directory: {e}"))
            })?;
            temp.path().to_path_buf()
        }
    };
    out.line("LOfavør demo");
    out.line("============");

    let backend = Backend::start(args, &data_dir).await?;
    out.line(format!(
        "1. Member API: {} ({})",
        backend.base_url,
        if backend.embedded.is_some() {
            "embedded reference server"
        } else {
            "given by --server"
        }
    ));

    // The demo reopens the core, so it keeps one secure store for both opens.
    // A temporary directory lives only as long as this run, and so may its key; a given
    // directory outlives it, so its key must too.
    // A given directory remembers its store (see `secure_store`), so the commands run on it
    // afterwards find the key without a flag.
    let default_store = if args.data_dir.is_some() {
        SecureStoreArg::InsecureFile
    } else {
        SecureStoreArg::Memory
    };
    let store = session::secure_store_for(args, &data_dir, default_store)?;
    let choice = secure_store::choice(store, &data_dir);
    let (choice, shared): (SecureStoreChoice, Option<Arc<dyn SecureStore>>) = match choice {
        SecureStoreChoice::MemoryStandIn => (
            SecureStoreChoice::ShellProvided,
            Some(Arc::new(MemoryStandInStore::new())),
        ),
        other => (other, None),
    };
    // Always the embedded (or given) server's own issuer: a reused data directory may
    // remember an issuer from an earlier run.
    let login = LoginSettings::of_backend(&backend);
    let config = session::config_for_login(args, &data_dir, &backend, choice, &login)?;
    let db_path = config.data_dir.join(DATABASE_FILE);

    let core = session::open_core(&data_dir, store, config.clone(), shared.clone())?;
    let info = core.info()?;
    out.line(format!(
        "2. Core {} opened; local store at schema {}, SQLCipher {}",
        info.core_version, info.schema_version, info.cipher_version
    ));

    // The member logs in through the browser, exactly as `lofavor login` does.
    let listener = CallbackListener::start().await?;
    let url = core.auth().begin_login_at(&listener.redirect_uri()).await?;
    out.line(format!(
        "3. Login (OpenID Connect, PKCE S256) at {}: the browser opens the issuer, \
         the member picks {DEMO_MEMBER_NAME}",
        login.issuer
    ));
    picker::pick_member(&url, DEMO_MEMBER).await?;
    let redirect = listener.wait(Duration::from_secs(30)).await?;
    let member = core.auth().complete_login(&redirect).await?;
    let membership = member
        .membership
        .as_ref()
        .map(|m| {
            format!(
                "{}, {}",
                m.union,
                if m.active { "active" } else { "inactive" }
            )
        })
        .unwrap_or_else(|| "not shared".into());
    out.line(format!(
        "   Logged in as {} (membership: {membership}); refresh token in the secure store, \
         name and membership cached encrypted for offline display",
        member.name.as_deref().unwrap_or("(no name)")
    ));
    let profile = core.auth().refresh_profile().await?;
    out.line(format!(
        "4. Member API: the access token was accepted; profile of {} fetched",
        profile.name.as_deref().unwrap_or("(no name)")
    ));
    core.store()
        .set_meta("demo-marker", MARKER)
        .map_err(lofavor_core::Error::from)?;
    drop(core);

    let bytes = std::fs::read(&db_path).map_err(|e| {
        CliError::shell(
            ShellKind::DataDir,
            format!("cannot read the database file: {e}"),
        )
    })?;
    let wal = std::fs::read(db_path.with_extension("db-wal")).unwrap_or_default();
    let plaintext_header = bytes.starts_with(b"SQLite format 3\0");
    let marker_visible = [&bytes, &wal]
        .iter()
        .any(|b| b.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()));
    out.line(format!(
        "5. Database file: {} bytes; plaintext SQLite header: {}; marker visible in the file: {}",
        bytes.len(),
        yes_no(plaintext_header),
        yes_no(marker_visible)
    ));

    let core = session::open_core(&data_dir, store, config, shared)?;
    let read_back = core
        .store()
        .meta("demo-marker")
        .map_err(lofavor_core::Error::from)?;
    let readable = read_back.as_deref() == Some(MARKER);
    let remembered = core.auth().member()?.is_some();
    out.line(format!(
        "6. Reopened with the key from the secure store; marker readable through the core: {}; \
         member still logged in: {}",
        yes_no(readable),
        yes_no(remembered)
    ));

    let server = core.check_server().await?;
    out.line(format!(
        "7. Server health: {} {} answers, database {} ({} ms)",
        server.service,
        server.version,
        if server.database_ok { "ok" } else { "down" },
        server.round_trip_ms
    ));

    // The first consent screen after login, the member's answers and a receipt verifying.
    let mut consent = serde_json::Map::new();
    super::demo_consent::run(&core, out, &mut consent).await?;

    // The roadside certificate of the logged-in member, and the field worker's check of it.
    let mut roadside = serde_json::Map::new();
    super::demo_roadside::run(&core, out, &mut roadside).await?;

    // Belongings photographed, synced with their photos and written up as a claim report.
    let mut inventory = serde_json::Map::new();
    super::demo_inventory::run(&core, &data_dir, out, &mut inventory).await?;
    out.line("");

    let logout = core.auth().logout(false).await?;
    let forgotten = core.auth().member()?.is_none() && !core.auth().has_session()?;
    out.line(format!(
        "8. Logged out: revoked at the issuer: {}; nothing of the member left on the device: {}",
        yes_no(logout.revoked),
        yes_no(forgotten)
    ));

    let encrypted = !plaintext_header && !marker_visible && readable && info.database_encrypted;
    out.line(if encrypted {
        "Done: the store is encrypted at rest and the server answers."
    } else {
        "PROBLEM: the store is not encrypted as it should be."
    });
    out.document(&json!({
        "login": { "issuer": login.issuer, "subject": member.subject, "name": member.name,
                   "membership_shared": member.membership.is_some(),
                   "profile_from_member_api": profile.subject == member.subject,
                   "remembered_after_restart": remembered,
                   "logout_revoked": logout.revoked, "forgotten_after_logout": forgotten },
        "consent": consent.remove("consent"),
        "roadside": roadside.remove("roadside"),
        "inventory": inventory.remove("inventory"),
        "server": { "base_url": backend.base_url, "embedded": backend.embedded.is_some(),
                    "service": server.service, "version": server.version,
                    "database_ok": server.database_ok, "round_trip_ms": server.round_trip_ms },
        "store": { "schema_version": info.schema_version, "cipher_version": info.cipher_version,
                   "file_bytes": bytes.len(), "plaintext_header": plaintext_header,
                   "marker_visible_in_file": marker_visible, "marker_readable_through_core": readable,
                   "encrypted": encrypted },
    }));
    if encrypted {
        Ok(())
    } else {
        Err(CliError::shell(
            ShellKind::CheckFailed,
            "the store is not encrypted",
        ))
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
