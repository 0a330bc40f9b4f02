//! Faults injected into answers, for the tests of clients that must lose and duplicate
//! nothing when the server fails (`RunningServer::inject_faults`). Nothing is injected unless
//! a test asks.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

/// A way for the server to fail a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answers 500 without handling the request.
    Status500,
    /// Never answers (for two minutes): the client's timeout must end it.
    Hang,
    /// Reads about half the request body, then drops the connection; nothing is handled.
    DropMidBody,
    /// Handles the request, then drops the connection instead of answering: the client
    /// cannot know its request took effect.
    DropAnswer,
}

struct Rule {
    prefix: String,
    fault: Fault,
    left: u32,
}

/// The faults waiting to be injected.
#[derive(Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<Rule>>,
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults").finish_non_exhaustive()
    }
}

impl Faults {
    /// Fails the next `count` requests whose `METHOD /path` starts with `prefix`.
    pub(crate) fn add(&self, prefix: &str, fault: Fault, count: u32) {
        if let Ok(mut rules) = self.rules.lock() {
            rules.push(Rule {
                prefix: prefix.to_owned(),
                fault,
                left: count,
            });
        }
    }

    /// How many injected faults have not yet met a request.
    pub(crate) fn left(&self) -> u32 {
        self.rules
            .lock()
            .map(|rules| rules.iter().map(|r| r.left).sum())
            .unwrap_or(0)
    }

    fn take(&self, key: &str) -> Option<Fault> {
        let mut rules = self.rules.lock().ok()?;
        let rule = rules
            .iter_mut()
            .find(|r| r.left > 0 && key.starts_with(&r.prefix))?;
        rule.left -= 1;
        Some(rule.fault)
    }
}

/// A response whose body fails at once: the connection is dropped mid-answer.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("injected fault"))
    });
    Body::from_stream(failing).into_response()
}

/// The middleware that injects the faults.
pub(crate) async fn inject(
    State(faults): State<Arc<Faults>>,
    request: Request,
    next: Next,
) -> Response {
    let key = format!("{} {}", request.method(), request.uri().path());
    let Some(fault) = faults.take(&key) else {
        return next.run(request).await;
    };
    match fault {
        Fault::Status500 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Fault::DropMidBody => {
            let half = request
                .headers()
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
                / 2;
            let mut body = request.into_body().into_data_stream();
            let mut read = 0;
            while read < half {
                match body.next().await {
                    Some(Ok(chunk)) => read += chunk.len(),
                    _ => break,
                }
            }
            dropped()
        }
        Fault::DropAnswer => {
            drop(next.run(request).await);
            dropped()
        }
    }
}
