//! Wire types of the login capability's member API endpoints, as `server/openapi.yaml`
//! describes them.

use serde::Deserialize;

use super::Membership;

/// The API path of the member's profile (`GET`).
pub(crate) const ME_PATH: &str = "v1/me";

/// `GET /v1/me`: the member as the member API knows them.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct MeResponse {
    /// The member's subject at the issuer.
    pub(crate) subject: String,
    /// The member's name.
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// The member's union membership (special-category data; never logged).
    #[serde(default)]
    pub(crate) membership: Option<Membership>,
}

impl std::fmt::Debug for MeResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeResponse").finish_non_exhaustive()
    }
}
