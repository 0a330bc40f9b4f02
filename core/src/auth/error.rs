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
        /// The OAuth error code (`invalid_scope`, `server_error`, ...).
        code: String,
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
        /// The OAuth error code.
        code: String,
    },
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
        /// The OAuth error code.
        code: String,
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
