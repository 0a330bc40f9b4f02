//! Photo blobs: chunked, resumable uploads and checked downloads, keyed by the SHA-256 of
//! the bytes. The server appends a chunk only at the offset it has reached (else 409 with
//! what it has), checks the whole against the hash, and keeps a finished blob once.

use sha2::{Digest, Sha256};

use super::wire::BlobStatus;
use std::time::Duration;

use super::{disclosure, retry, transient};
use crate::error::{Error, ErrorKind, Result};
use crate::net::{ApiRequest, Disclosure, MemberApi};

/// Bytes per chunk: small enough to finish on a poor mobile link within the timeout, large
/// enough that a 2048 px photo is a handful of requests.
pub(crate) const CHUNK: usize = 256 * 1024;

/// The largest blob accepted in either direction (a rendition is well under it).
pub(crate) const MAX_BLOB: usize = 16 * 1024 * 1024;

/// The hex SHA-256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn status(api: &MemberApi, timeout: Duration, sha: &str) -> Result<BlobStatus> {
    let path = format!("v1/inventory/blobs/{sha}/status");
    // A GET: the authorised path retries it with backoff itself.
    Ok(api
        .send::<BlobStatus>(ApiRequest::get(&path, disclosure()).with_timeout(timeout))
        .await?)
}

/// Uploads `bytes` as blob `sha` from where the server stopped; whether any byte was sent
/// (`false`: the server had it whole already).
pub(crate) async fn upload(
    api: &MemberApi,
    timeout: Duration,
    sha: &str,
    bytes: &[u8],
) -> Result<bool> {
    let total = bytes.len();
    let mut state = status(api, timeout, sha).await?;
    let mut sent = false;
    // Every round either moves the offset forward or re-reads it; a server that keeps
    // answering 409 without moving is given up on.
    let mut rounds = 0;
    while !state.complete {
        rounds += 1;
        if rounds > 4 * (total / CHUNK + 4) {
            return Err(Error::new(
                ErrorKind::Protocol,
                "the photo upload makes no progress",
            ));
        }
        let offset = usize::try_from(state.received).unwrap_or(usize::MAX);
        if offset > total {
            return Err(Error::new(
                ErrorKind::Protocol,
                "the server holds more of a photo than it has",
            ));
        }
        let end = total.min(offset + CHUNK);
        let path = format!("v1/inventory/blobs/{sha}?offset={offset}&total={total}");
        let chunk = bytes.get(offset..end).unwrap_or_default();
        let put = retry()
            .run_while(transient, || {
                api.send::<BlobStatus>(
                    ApiRequest::put_bytes(&path, chunk.to_vec(), disclosure())
                        .with_timeout(timeout * 2),
                )
            })
            .await;
        sent = true;
        state = match put {
            Ok(state) => state,
            // Another attempt got there first (an answer lost on the way back): ask.
            Err(e) if e.status() == Some(409) => status(api, timeout, sha).await?,
            Err(e) if e.status() == Some(422) => {
                return Err(Error::new(
                    ErrorKind::Protocol,
                    "the server refused a photo: its bytes do not match their hash",
                ));
            }
            Err(e) => return Err(e.into()),
        };
    }
    Ok(sent)
}

/// Downloads blob `sha`, checked against its hash.
pub(crate) async fn download(api: &MemberApi, timeout: Duration, sha: &str) -> Result<Vec<u8>> {
    let path = format!("v1/inventory/blobs/{sha}");
    let bytes = api
        .send_for_bytes(
            ApiRequest::get(&path, Disclosure::Nothing).with_timeout(timeout * 2),
            MAX_BLOB,
        )
        .await
        .map_err(Error::from)?;
    if sha256(&bytes) != sha {
        return Err(Error::new(
            ErrorKind::Tampered,
            "a downloaded photo does not match its hash",
        ));
    }
    Ok(bytes)
}
