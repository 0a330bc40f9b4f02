//! What can go wrong logging in. Messages name the step, never a token or a code.

use crate::platform::SecureStoreError;
use crate::store::StoreError;

/// The login's detailed error.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The member cancelled at the provider (`error=access_denied`).
    #[error("the member cancelled the login")]
    Cancelled,
    /// The provider answered the authorization request with another error.
    #[error("the provider refused the login ({code})")]
    ProviderRefused {
        /// The OAuth error code (`invalid_scope`, `server_error`, ...), one of the codes of
        /// the standards (see [`known_error_code`]): never text from the redirect itself.
        code: &'static str,
    },
    /// The redirect's `state` matches no login this app started (or one already completed).
    #[error("the redirect does not belong to a login this app started")]
    UnknownState,
    /// The login was started more than ten minutes ago.
    #[error("the login took too long; start it again")]
    Expired,
    /// The redirect's `iss` is not this app's issuer (RFC 9207): a mix-up attack or a
    /// misconfigured provider.
    #[error("the redirect comes from another issuer")]
    IssuerMismatch,
    /// The redirect is not at the redirect URI the login was started with, or has no code.
    #[error("the redirect is malformed: {0}")]
    MalformedRedirect(&'static str),
    /// The provider's discovery document or keys could not be fetched.
    #[error("the provider cannot be reached")]
    Unreachable,
    /// The provider's discovery document does not follow the standard.
    #[error("the provider's metadata is invalid")]
    BadMetadata,
    /// The token endpoint refused the code (expired, reused, wrong verifier).
    #[error("the provider refused the code ({code})")]
    CodeRefused {
        /// The OAuth error code (see [`known_error_code`]).
        code: &'static str,
    },
    /// The token endpoint's answer cannot be used (an access-token lifetime past the end of
    /// the clock). Refused before anything of it is kept.
    #[error("the provider's token response is unusable: {0}")]
    TokenResponseInvalid(&'static str),
    /// The ID token failed validation (signature, algorithm, issuer, audience, expiry, nonce).
    #[error("the ID token is invalid: {0}")]
    IdTokenInvalid(String),
    /// There is no session: nobody is logged in on this installation.
    #[error("nobody is logged in")]
    NotLoggedIn,
    /// The provider ended the session (refresh refused with `invalid_grant`); the member
    /// must log in again.
    #[error("the session has ended; log in again")]
    SessionEnded,
    /// The provider refused a refresh for another reason; the session is kept.
    #[error("the provider refused to refresh the session ({code})")]
    RefreshRefused {
        /// The OAuth error code (see [`known_error_code`]).
        code: &'static str,
    },
    /// The member API described another member than the one logged in.
    #[error("the member API answered about another member")]
    ProfileMismatch,
    /// Logout would lose local changes the server has not got yet.
    #[error(
        "{count} local change(s) are not yet synced ({what}); logging out now would lose them. \
         Sync first, or log out with force"
    )]
    UnsyncedChanges {
        /// How many changes.
        count: u64,
        /// What they are ("inventory changes").
        what: String,
    },
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The secure store failed.
    #[error(transparent)]
    SecureStore(#[from] SecureStoreError),
}

/// The error codes of OAuth 2.0 (RFC 6749 §4.1.2.1 and §5.2) and OpenID Connect Core (§3.1.2.6)
/// that a provider may send to this app.
const KNOWN_ERROR_CODES: [&str; 19] = [
    "invalid_request",
    "unauthorized_client",
    "access_denied",
    "unsupported_response_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
    "invalid_client",
    "invalid_grant",
    "unsupported_grant_type",
    "interaction_required",
    "login_required",
    "account_selection_required",
    "consent_required",
    "invalid_request_uri",
    "invalid_request_object",
    "request_not_supported",
    "request_uri_not_supported",
    "registration_not_supported",
];

/// What an error shows of a provider's error `code`: the code itself when it is one of the
/// standard codes, otherwise a fixed text. The code arrives in a redirect anyone can craft
/// (or from a provider's extension), so its text never reaches an error reason or a log line.
pub(crate) fn known_error_code(code: &str) -> &'static str {
    KNOWN_ERROR_CODES
        .iter()
        .find(|known| **known == code)
        .copied()
        .unwrap_or("an error code outside the standards")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_standard_error_codes_reach_a_reason() {
        assert_eq!(known_error_code("invalid_scope"), "invalid_scope");
        assert_eq!(known_error_code("login_required"), "login_required");
        let crafted = "Kari Nordmann is a member of Fellesforbundet ".repeat(100);
        let shown = AuthError::ProviderRefused {
            code: known_error_code(&crafted),
        }
        .to_string();
        assert!(!shown.contains("Kari"), "{shown}");
        assert!(shown.len() < 100, "{shown}");
        // Near misses are not codes either.
        assert_eq!(
            known_error_code("invalid_scope "),
            known_error_code("unknown")
        );
    }
}
