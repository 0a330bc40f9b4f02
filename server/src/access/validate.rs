//! Validation of a JWT access token (RFC 9068 §4) against a key set.

use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use super::{AccessClaims, TokenError};

/// The signature algorithms accepted: asymmetric only, never `none` or HMAC (a public key
/// used as an HMAC secret would let anyone sign).
const ALLOWED: &[Algorithm] = &[Algorithm::RS256, Algorithm::PS256, Algorithm::ES256];

/// Checks `token`: algorithm allow-list, `typ` `at+jwt`, a `kid` in `keys` whose algorithm and
/// key type fit, the signature, `iss`, `aud`, and `exp` with `leeway`.
pub(crate) fn validate(
    token: &str,
    keys: &JwkSet,
    issuer: &str,
    audience: &str,
    leeway: Duration,
) -> Result<AccessClaims, TokenError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
    if !ALLOWED.contains(&header.alg) {
        return Err(TokenError::Rejected("signature algorithm not accepted"));
    }
    // RFC 9068 §4: only access tokens, so an ID token cannot be replayed as one.
    let typ_ok = header.typ.as_deref().is_some_and(|t| {
        t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
    });
    if !typ_ok {
        return Err(TokenError::Rejected("not an access token (typ)"));
    }
    let kid = header
        .kid
        .as_deref()
        .ok_or(TokenError::Rejected("no key id"))?;
    let jwk = keys.find(kid).ok_or(TokenError::UnknownKey)?;
    if let Some(alg) = jwk.common.key_algorithm
        && Algorithm::try_from(alg).ok() != Some(header.alg)
    {
        return Err(TokenError::Rejected("key is for another algorithm"));
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|_| TokenError::Rejected("unusable key"))?;
    if key.family() != header.alg.family() {
        return Err(TokenError::Rejected("key is for another algorithm"));
    }
    let mut validation = Validation::new(header.alg);
    validation.leeway = leeway.as_secs();
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<AccessClaims>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::InvalidSignature => TokenError::Rejected("bad signature"),
            ErrorKind::InvalidIssuer => TokenError::Rejected("wrong issuer"),
            ErrorKind::InvalidAudience => TokenError::Rejected("wrong audience"),
            ErrorKind::MissingRequiredClaim(_) => {
                TokenError::Rejected("a required claim is missing")
            }
            _ => TokenError::Rejected("token not valid"),
        })
}
