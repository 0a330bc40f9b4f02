//! Wire types of the member API, as `server/openapi.yaml` describes them.

use serde::Deserialize;

use crate::auth::Membership;

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

/// `GET /v1/me`: the member as the member API knows them.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct MeResponse {
    /// The member's subject at the issuer.
    pub subject: String,
    /// The member's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The member's union membership (special-category data; never logged).
    #[serde(default)]
    pub membership: Option<Membership>,
}

impl std::fmt::Debug for MeResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeResponse").finish_non_exhaustive()
    }
}
