//! # lofavor-server
//!
//! The reference member API: the contract the core speaks (`openapi.yaml`), for
//! development, tests and the demo. Not a production backend.
//!
//! It runs in-process ([`start`], as the terminal shell and the tests do) or as the
//! `lofavor-server` binary, always on a loopback address.

mod db;
mod routes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use db::DbError;

/// What the server needs to start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where the server keeps its SQLite database; created if missing.
    pub data_dir: PathBuf,
    /// The address to listen on; port 0 picks a free one.
    pub bind: SocketAddr,
}

impl ServerConfig {
    /// A server on a free loopback port with its data under `data_dir`.
    pub fn loopback(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The address could not be bound.
    #[error("cannot listen: {0}")]
    Bind(std::io::Error),
}

/// Shared state of the handlers.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) db: Arc<db::Db>,
}

/// A server running on the current tokio runtime. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL, ending in `/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops accepting, finishes requests in flight, and waits for the server to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Opens the database, binds the address and serves in a task on the current runtime.
pub async fn start(config: ServerConfig) -> Result<RunningServer, ServerError> {
    let db = db::Db::open(&config.data_dir)?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(ServerError::Bind)?;
    let addr = listener.local_addr().map_err(ServerError::Bind)?;
    let app = routes::router(AppState { db: Arc::new(db) });
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            log::error!(target: "lofavor_server", "server stopped: {e}");
        }
    });
    log::info!(target: "lofavor_server", "listening on {addr}");
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        task: Some(task),
    })
}
