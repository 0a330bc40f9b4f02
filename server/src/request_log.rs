//! The request log for recording tests: `METHOD /path` of every request received, in order,
//! so a test can assert what the app sent and, above all, what it did not. The query and the
//! body are left out; the log lives in memory only and is never written out.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Most entries kept; the oldest go first, so a long-running server does not grow forever.
const MAX_ENTRIES: usize = 10_000;

/// The requests received so far.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Mutex<VecDeque<String>>,
}

impl RequestLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<String>> {
        // Entries are pushed whole, so a log left by a panicking holder is still whole.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entries, oldest first.
    pub(crate) fn entries(&self) -> Vec<String> {
        self.lock().iter().cloned().collect()
    }

    /// Forgets every entry.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn push(&self, entry: String) {
        let mut entries = self.lock();
        if entries.len() == MAX_ENTRIES {
            entries.pop_front();
        }
        entries.push_back(entry);
    }
}

/// The middleware: notes the request on arrival, before any handler runs.
pub(crate) async fn record(
    State(log): State<Arc<RequestLog>>,
    request: Request,
    next: Next,
) -> Response {
    log.push(format!("{} {}", request.method(), request.uri().path()));
    next.run(request).await
}
