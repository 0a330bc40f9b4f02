//! The inventory's wire types, as `server/openapi.yaml` describes them (`/v1/inventory/...`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST /v1/inventory/changes`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeBatch {
    pub(crate) changes: Vec<Change>,
}

/// One change of an item or a photo.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Change {
    /// The change's own id: the server applies a change id once, so a retry after a lost
    /// answer changes nothing.
    pub(crate) change_id: String,
    /// `item` or `photo`.
    pub(crate) entity: String,
    pub(crate) id: String,
    /// The server sequence of the entity the edit was made on (0: never seen).
    pub(crate) base_seq: i64,
    pub(crate) deleted: bool,
    /// The changed fields with their values now.
    pub(crate) fields: Map<String, Value>,
}

/// A record as the server holds it after merging.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    pub(crate) entity: String,
    pub(crate) id: String,
    /// Server order of its last change.
    pub(crate) seq: i64,
    pub(crate) deleted: bool,
    pub(crate) fields: Map<String, Value>,
}

/// The answer to `POST /v1/inventory/changes`: the merged records of the changes sent.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Applied {
    pub(crate) records: Vec<Record>,
}

/// `GET /v1/inventory/changes?since=SEQ`: records changed after `SEQ`, in server order.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Page {
    pub(crate) records: Vec<Record>,
    /// The sequence to ask after next time.
    pub(crate) latest: i64,
    /// Whether more records follow.
    pub(crate) more: bool,
}

/// `GET /v1/inventory/blobs/{sha256}/status` and the answer to a `PUT` of a chunk.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BlobStatus {
    /// Bytes the server holds of the blob.
    pub(crate) received: u64,
    /// Whether the blob is whole and verified against its hash.
    pub(crate) complete: bool,
}
