//! Husk Hva Du Har: `/v1/inventory/changes` (the merged records of items and photos) and
//! `/v1/inventory/blobs/{sha256}` (photo renditions, uploaded in chunks at offsets).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::json::{JsonBody, answer, error};
use crate::AppState;
use crate::access::Authenticated;
use crate::inventory::Inventory;
use crate::inventory::blobs::{BlobError, Status};
use crate::inventory::records::{self, Change, Record};

/// Largest chunk of a blob upload (the app sends 256 KiB).
const MAX_CHUNK: usize = 1024 * 1024;

/// Largest batch of changes (100 changes of long texts).
const MAX_CHANGES_BODY: usize = 2 * 1024 * 1024;

/// The inventory routes with their body limits.
pub(crate) fn routes() -> Router<AppState> {
    let changes = Router::new()
        .route("/v1/inventory/changes", get(list).post(push))
        .layer(DefaultBodyLimit::max(MAX_CHANGES_BODY));
    let blobs = Router::new()
        .route("/v1/inventory/blobs/{sha}", get(blob).put(append))
        .route("/v1/inventory/blobs/{sha}/status", get(status))
        .layer(DefaultBodyLimit::max(MAX_CHUNK));
    changes.merge(blobs)
}

fn failed() -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "server_error",
        "the inventory store failed",
    )
}

/// Runs `f` on the blocking pool with the inventory.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Inventory) -> T + Send + 'static,
) -> Option<T> {
    let inventory = Arc::clone(&state.inventory);
    tokio::task::spawn_blocking(move || f(&inventory))
        .await
        .ok()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Batch {
    changes: Vec<Change>,
}

#[derive(Debug, Serialize)]
struct Applied {
    records: Vec<Record>,
}

/// `POST /v1/inventory/changes`: applies a batch of changes, all or none; the merged records.
pub(crate) async fn push(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    JsonBody(batch): JsonBody<Batch>,
) -> Response {
    if batch.changes.len() > 500 {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "at most 500 changes",
        );
    }
    if let Some(why) = batch.changes.iter().find_map(|c| records::check(c).err()) {
        return error(StatusCode::BAD_REQUEST, "bad_request", why);
    }
    let member = claims.sub;
    let done = blocking(&state, move |inv| {
        // A photo's record only once its blobs are whole: the server never holds a record of
        // a photo it cannot hand back.
        let missing = batch.changes.iter().any(|c| {
            c.entity == "photo"
                && !c.deleted
                && ["large", "thumb"].iter().any(|k| {
                    !c.fields
                        .get(*k)
                        .and_then(|v| v.as_str())
                        .is_some_and(|sha| inv.blobs.complete(&member, sha))
                })
        });
        if missing {
            return Ok(Err(()));
        }
        let mut db = inv.db.lock().map_err(|_| ())?;
        let tx = db.transaction().map_err(|_| ())?;
        let mut records = Vec::new();
        for change in &batch.changes {
            if let Some(r) = records::apply(&tx, &member, change).map_err(|_| ())? {
                records.retain(|x: &Record| !(x.entity == r.entity && x.id == r.id));
                records.push(r);
            }
        }
        tx.commit().map_err(|_| ())?;
        Ok(Ok(records))
    })
    .await;
    match done {
        Some(Ok(Ok(records))) => answer(StatusCode::OK, &Applied { records }),
        Some(Ok(Err(()))) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "blob_missing",
            "a photo's blobs are not uploaded whole",
        ),
        Some(Err(())) | None => failed(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Since {
    since: Option<i64>,
}

/// `GET /v1/inventory/changes?since=SEQ`: the member's records changed after `SEQ`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    query: Result<Query<Since>, QueryRejection>,
) -> Response {
    let Ok(Query(Since { since })) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "since is a whole number",
        );
    };
    let since = since.unwrap_or(0).max(0);
    let member = claims.sub;
    let page = blocking(&state, move |inv| {
        let db = inv.db.lock().ok()?;
        records::since(&db, &member, since).ok()
    })
    .await
    .flatten();
    match page {
        Some((records, more)) => {
            let latest = records.last().map_or(since, |r| r.seq);
            answer(
                StatusCode::OK,
                &json!({ "records": records, "latest": latest, "more": more }),
            )
        }
        None => failed(),
    }
}

fn blob_answer(result: Option<Result<Status, BlobError>>) -> Response {
    match result {
        Some(Ok(s)) => answer(
            StatusCode::OK,
            &json!({ "received": s.received, "complete": s.complete }),
        ),
        Some(Err(BlobError::Offset(received))) => answer(
            StatusCode::CONFLICT,
            &json!({ "error": "offset", "message": "the upload stands elsewhere",
                     "received": received, "complete": false }),
        ),
        Some(Err(BlobError::Mismatch)) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
            "the bytes do not match the hash; the upload was discarded",
        ),
        Some(Err(BlobError::Bad(why))) => error(StatusCode::BAD_REQUEST, "bad_request", why),
        Some(Err(BlobError::Io)) | None => failed(),
    }
}

/// `GET /v1/inventory/blobs/{sha}/status`: how much of the blob the server holds.
pub(crate) async fn status(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    Path(sha): Path<String>,
) -> Response {
    blob_answer(blocking(&state, move |inv| inv.blobs.status(&claims.sub, &sha)).await)
}

#[derive(Debug, Deserialize)]
pub(crate) struct At {
    offset: u64,
    total: u64,
}

/// `PUT /v1/inventory/blobs/{sha}?offset=N&total=T`: appends a chunk at `N`.
pub(crate) async fn append(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    Path(sha): Path<String>,
    query: Result<Query<At>, QueryRejection>,
    body: Bytes,
) -> Response {
    let Ok(Query(At { offset, total })) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "offset and total are whole numbers",
        );
    };
    blob_answer(
        blocking(&state, move |inv| {
            inv.blobs.append(&claims.sub, &sha, offset, total, &body)
        })
        .await,
    )
}

/// `GET /v1/inventory/blobs/{sha}`: the bytes of a whole blob.
pub(crate) async fn blob(
    State(state): State<AppState>,
    Authenticated(claims): Authenticated,
    Path(sha): Path<String>,
) -> Response {
    match blocking(&state, move |inv| inv.blobs.read(&claims.sub, &sha)).await {
        Some(Ok(Some(bytes))) => (
            [
                (CONTENT_TYPE, "application/octet-stream"),
                (CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
        Some(Ok(None)) => error(StatusCode::NOT_FOUND, "not_found", "no such blob"),
        Some(Err(BlobError::Bad(why))) => error(StatusCode::BAD_REQUEST, "bad_request", why),
        Some(Err(_)) | None => failed(),
    }
}
