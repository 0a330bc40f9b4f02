//! Wire types of the member API that belong to no capability (`/health`), as
//! `server/openapi.yaml` describes them. Each capability keeps its own in its folder.

use serde::Deserialize;

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HealthResponse {
    /// `"ok"` when the service and its database answer.
    pub status: String,
    /// The service's name.
    pub service: String,
    /// The service's version.
    pub version: String,
    /// Whether its database answered.
    pub database: bool,
}
