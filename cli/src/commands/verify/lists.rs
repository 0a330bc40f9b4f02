//! Refreshing the field worker's trust and revocation lists within a deadline.
//!
//! A check never waits for the network once it has lists to answer from: it answers from
//! the cache, then refreshes the lists for the next check within [`REFRESH_DEADLINE`]. A
//! phone without a route would otherwise wait for the HTTP layer's connect timeout and its
//! retries (tens of seconds) before the worker sees an answer. Only the very first check,
//! with nothing cached, waits for the lists, and then within [`FIRST_REFRESH_DEADLINE`].

use std::time::Duration;

use lofavor_core::roadside::TrustMaterial;
use lofavor_core::{Core, ErrorKind};

use crate::error::CliError;

/// How long a refresh may take once the check has answered from the cache.
pub const REFRESH_DEADLINE: Duration = Duration::from_millis(1500);

/// How long the first refresh may take, when there is nothing cached to answer from.
pub const FIRST_REFRESH_DEADLINE: Duration = Duration::from_secs(15);

/// Refreshes the lists, or fails with the refresh's own kind (`network` when the member API
/// could not be reached or did not answer within `deadline`, `server` when it answered with
/// an error, `protocol` when the lists did not load, ...).
pub async fn refresh_lists(core: &Core, deadline: Duration) -> Result<TrustMaterial, CliError> {
    match tokio::time::timeout(deadline, core.roadside().refresh_trust_material()).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(CliError::core_kind(
            ErrorKind::Network,
            format!(
                "the member API did not answer within {} ms",
                deadline.as_millis()
            ),
        )),
    }
}
