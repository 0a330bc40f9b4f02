//! The OpenID Provider as this app knows it: its discovery document and signing keys,
//! fetched once per core and kept in memory. When an ID token names a key the cached set
//! lacks (the provider rotated its keys), the key set is fetched again, once, and at most
//! once a minute: tokens naming unknown keys cannot make the app hammer the provider.

use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreClaimName, CoreClaimType, CoreClientAuthMethod,
    CoreErrorResponseType, CoreGenderClaim, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseMode, CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreSubjectIdentifierType, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalProviderMetadata, ClaimsVerificationError, Client, ClientId, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken, IdTokenClaims, IdTokenFields,
    IssuerUrl, JsonWebKeySet, Nonce, ProviderMetadata, RedirectUrl, SignatureVerificationError,
    StandardErrorResponse, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};

use super::AuthError;
use super::member::LofavorClaims;

/// Discovery fields beyond OpenID Connect Discovery that this app reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ExtraProviderMetadata {
    /// RFC 9207: whether the provider puts `iss` in its authorization responses. When it
    /// says so, a redirect without `iss` is refused.
    #[serde(default)]
    pub(crate) authorization_response_iss_parameter_supported: Option<bool>,
    /// RFC 7009 token revocation (RFC 8414 metadata).
    #[serde(default)]
    pub(crate) revocation_endpoint: Option<String>,
    /// OpenID Connect RP-Initiated Logout.
    #[serde(default)]
    pub(crate) end_session_endpoint: Option<String>,
}

impl AdditionalProviderMetadata for ExtraProviderMetadata {}

/// Discovery metadata as this app reads it.
pub(crate) type ProviderMeta = ProviderMetadata<
    ExtraProviderMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The ID token with this app's extra claim (the membership).
pub(crate) type LofavorIdToken = IdToken<
    LofavorClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The claims of a validated ID token.
pub(crate) type LofavorIdTokenClaims = IdTokenClaims<LofavorClaims, CoreGenderClaim>;

/// A token endpoint response whose ID token carries this app's extra claim.
pub(crate) type LofavorTokenResponse = StandardTokenResponse<
    IdTokenFields<
        LofavorClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

/// The `openidconnect` client for this app's claims, with the endpoints discovery gives.
pub(crate) type OidcClient = Client<
    LofavorClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    LofavorTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Signature algorithms an ID token may use. Never `none`, never HMAC: a public client has
/// no secret, so an HMAC "signature" would prove nothing.
const ALLOWED_ALGORITHMS: [CoreJwsSigningAlgorithm; 6] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
];

/// The shortest time between two fetches of the key set for an unknown key.
const KEY_REFETCH_COOLDOWN: Duration = Duration::from_secs(60);

/// The provider of one core: its identity, and what discovery said about it.
pub(crate) struct Provider {
    issuer: IssuerUrl,
    client_id: ClientId,
    http: reqwest::Client,
    metadata: tokio::sync::Mutex<Option<ProviderMeta>>,
    /// When the key set was last fetched again for an unknown key.
    keys_refetched_at: std::sync::Mutex<Option<Instant>>,
}

impl Provider {
    /// The provider at `issuer`, for the app registered as `client_id`.
    pub(crate) fn new(issuer: IssuerUrl, client_id: ClientId, http: reqwest::Client) -> Self {
        Self {
            issuer,
            client_id,
            http,
            metadata: tokio::sync::Mutex::new(None),
            keys_refetched_at: std::sync::Mutex::new(None),
        }
    }

    /// The issuer identifier.
    pub(crate) fn issuer(&self) -> &IssuerUrl {
        &self.issuer
    }

    /// The app's client id.
    pub(crate) fn client_id(&self) -> &ClientId {
        &self.client_id
    }

    /// The HTTP client for the provider's endpoints.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The provider's metadata with its keys, fetched once per core and kept.
    pub(crate) async fn metadata(&self) -> Result<ProviderMeta, AuthError> {
        let mut cached = self.metadata.lock().await;
        if let Some(meta) = cached.as_ref() {
            return Ok(meta.clone());
        }
        let meta = ProviderMeta::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| match e {
                openidconnect::DiscoveryError::Request(_) => AuthError::Unreachable,
                _ => AuthError::BadMetadata,
            })?;
        *cached = Some(meta.clone());
        Ok(meta)
    }

    /// Whether the key set may be fetched again now (see [`KEY_REFETCH_COOLDOWN`]); if so,
    /// the cooldown starts now, whatever the fetch's fate.
    fn may_refetch_keys(&self) -> bool {
        let Ok(mut last) = self.keys_refetched_at.lock() else {
            return false;
        };
        let now = Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < KEY_REFETCH_COOLDOWN) {
            return false;
        }
        *last = Some(now);
        true
    }

    /// Fetches the key set again and keeps it with the metadata.
    async fn refetch_keys(&self) -> Result<ProviderMeta, AuthError> {
        let meta = self.metadata().await?;
        let keys = JsonWebKeySet::fetch_async(meta.jwks_uri(), &self.http)
            .await
            .map_err(|e| match e {
                openidconnect::DiscoveryError::Request(_) => AuthError::Unreachable,
                _ => AuthError::BadMetadata,
            })?;
        let meta = meta.set_jwks(keys);
        *self.metadata.lock().await = Some(meta.clone());
        log::info!(target: "lofavor_core::auth", "provider keys fetched again");
        Ok(meta)
    }

    /// A client for `meta`, returning to `redirect` when a login needs one.
    pub(crate) fn client(
        &self,
        meta: ProviderMeta,
        redirect: Option<&str>,
    ) -> Result<OidcClient, AuthError> {
        let client = OidcClient::from_provider_metadata(meta, self.client_id.clone(), None);
        Ok(match redirect {
            Some(redirect) => client.set_redirect_uri(
                RedirectUrl::new(redirect.to_owned())
                    .map_err(|_| AuthError::MalformedRedirect("the redirect URI is not a URL"))?,
            ),
            None => client,
        })
    }

    /// Validates `token` (signature with an algorithm allow-list, issuer, audience, expiry,
    /// nonce) and returns its claims. A key the cached set lacks makes one fetch of the
    /// provider's keys and one more try, unless the keys were fetched again within the
    /// last minute.
    pub(crate) async fn validate_id_token(
        &self,
        token: &LofavorIdToken,
        nonce: &Nonce,
    ) -> Result<LofavorIdTokenClaims, AuthError> {
        let meta = self.metadata().await?;
        match self.check(token, meta, nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) if self.may_refetch_keys() => {
                let meta = self.refetch_keys().await?;
                self.check(token, meta, nonce)
                    .map_err(|e| AuthError::IdTokenInvalid(describe_claims_error(&e)))
            }
            other => other.map_err(|e| AuthError::IdTokenInvalid(describe_claims_error(&e))),
        }
    }

    fn check(
        &self,
        token: &LofavorIdToken,
        meta: ProviderMeta,
        nonce: &Nonce,
    ) -> Result<LofavorIdTokenClaims, ClaimsVerificationError> {
        let client = OidcClient::from_provider_metadata(meta, self.client_id.clone(), None);
        let verifier = client
            .id_token_verifier()
            .set_allowed_algs(ALLOWED_ALGORITHMS);
        token.claims(&verifier, nonce).cloned()
    }
}

/// The validation failure in words that carry no token content.
fn describe_claims_error(e: &ClaimsVerificationError) -> String {
    use ClaimsVerificationError as E;
    match e {
        E::Expired(_) => "expired".into(),
        E::InvalidAudience(_) => "wrong audience".into(),
        E::InvalidIssuer(_) => "wrong issuer".into(),
        E::InvalidNonce(_) => "wrong nonce".into(),
        E::SignatureVerification(SignatureVerificationError::NoMatchingKey) => {
            "signed with a key the provider does not publish".into()
        }
        E::SignatureVerification(
            SignatureVerificationError::DisallowedAlg(_)
            | SignatureVerificationError::UnsupportedAlg(_)
            | SignatureVerificationError::NoSignature,
        ) => "signature algorithm not allowed (unsigned, HMAC or unknown)".into(),
        E::SignatureVerification(_) => "bad signature".into(),
        _ => "claims rejected".into(),
    }
}
