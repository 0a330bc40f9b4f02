//! The loopback redirect of RFC 8252 §7.3: a one-shot HTTP listener on `127.0.0.1` and an
//! ephemeral port, where the browser lands after the member logged in.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::error::{CliError, ShellKind};

/// The page the browser shows once it has handed the redirect over.
const DONE_PAGE: &str = "<!doctype html><html lang=\"nb\"><meta charset=\"utf-8\">\
<title>LOfavør</title><body><h1>Innloggingen er mottatt</h1>\
<p>Du kan lukke dette vinduet og gå tilbake til terminalen.</p></body></html>";

/// A listener waiting for one redirect.
pub struct CallbackListener {
    port: u16,
    redirect: oneshot::Receiver<String>,
    stop: Option<oneshot::Sender<()>>,
}

type Slot = Arc<Mutex<Option<oneshot::Sender<String>>>>;

/// Hands the first redirect to the waiting login; later ones only get the page.
async fn callback(State((slot, port)): State<(Slot, u16)>, uri: Uri) -> Html<&'static str> {
    if let Ok(mut slot) = slot.lock()
        && let Some(sender) = slot.take()
    {
        let _ = sender.send(format!("http://127.0.0.1:{port}{uri}"));
    }
    Html(DONE_PAGE)
}

impl CallbackListener {
    /// Binds a free loopback port and serves `/callback` on it.
    pub async fn start() -> Result<Self, CliError> {
        let failed = |e: std::io::Error| {
            CliError::shell(
                ShellKind::LoginListener,
                format!("cannot listen on loopback: {e}"),
            )
        };
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(failed)?;
        let port = listener.local_addr().map_err(failed)?.port();
        let (sender, redirect) = oneshot::channel();
        let slot: Slot = Arc::new(Mutex::new(Some(sender)));
        let app = Router::new()
            .route("/callback", get(callback))
            .with_state((slot, port));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            port,
            redirect,
            stop: Some(stop),
        })
    }

    /// The redirect URI to log in with.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits up to `timeout` for the browser; returns the full redirect URL.
    pub async fn wait(mut self, timeout: Duration) -> Result<String, CliError> {
        let received = tokio::time::timeout(timeout, &mut self.redirect).await;
        // Let the browser's page finish loading before the listener goes away.
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match received {
            Ok(Ok(url)) => Ok(url),
            Ok(Err(_)) => Err(CliError::shell(
                ShellKind::LoginListener,
                "the login listener stopped",
            )),
            Err(_) => Err(
                CliError::shell(ShellKind::LoginTimeout, "no browser came back in time")
                    .with_hint("Run `lofavor login` again."),
            ),
        }
    }
}
