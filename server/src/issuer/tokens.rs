//! The tokens the issuer signs: ID tokens (OpenID Connect Core §2) and JWT access tokens
//! (RFC 9068), both ES256 with the issuer's key.

use serde::{Deserialize, Serialize};

use super::Issuer;
use super::scope::has;
use crate::members::Member;

/// How long an ID token is valid.
const ID_TOKEN_TTL: u64 = 600;

/// The `lofavor_membership` claim: the member's union, given only with the `membership` scope.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct MembershipClaim {
    /// The union's name.
    pub(crate) union: String,
    /// Whether the membership is current.
    pub(crate) active: bool,
}

/// The claims about the member a scope set releases (`profile` → `name`,
/// `membership` → `lofavor_membership`).
#[derive(Debug, Clone, Serialize, Default)]
pub(crate) struct MemberClaims {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lofavor_membership: Option<MembershipClaim>,
}

impl MemberClaims {
    /// What `scope` releases of `member`.
    pub(crate) fn released(member: &Member, scope: &[String]) -> Self {
        Self {
            name: has(scope, "profile").then(|| member.name.clone()),
            lofavor_membership: if has(scope, "membership") {
                member.union.as_ref().map(|union| MembershipClaim {
                    union: union.clone(),
                    active: member.active,
                })
            } else {
                None
            },
        }
    }
}

#[derive(Debug, Serialize)]
struct IdTokenClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
    iat: u64,
    auth_time: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    #[serde(flatten)]
    member: MemberClaims,
}

#[derive(Debug, Serialize)]
struct AccessTokenClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
    iat: u64,
    jti: &'a str,
    client_id: &'a str,
    scope: String,
    auth_time: u64,
}

/// What an ID token says, apart from the issuer, the time and the signature.
pub(crate) struct IdTokenInput<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) member: &'a Member,
    pub(crate) scope: &'a [String],
    pub(crate) auth_time: u64,
    /// The login's nonce; `None` on refresh (OpenID Connect Core §12.2).
    pub(crate) nonce: Option<&'a str>,
}

impl Issuer {
    /// Signs an ID token.
    pub(crate) fn id_token(
        &self,
        input: &IdTokenInput<'_>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = super::unix_now();
        let claims = IdTokenClaims {
            iss: &self.url,
            sub: &input.member.id,
            aud: input.client_id,
            exp: now + ID_TOKEN_TTL,
            iat: now,
            auth_time: input.auth_time,
            nonce: input.nonce,
            member: MemberClaims::released(input.member, input.scope),
        };
        self.key.sign("JWT", &claims)
    }

    /// Signs an access token of `grant` for the member API and records its id. Returns the
    /// token and its lifetime in seconds.
    pub(crate) fn access_token(
        &self,
        grant: u64,
        client_id: &str,
        subject: &str,
        scope: &[String],
        auth_time: u64,
    ) -> Result<(String, u64), jsonwebtoken::errors::Error> {
        let now = super::unix_now();
        let ttl = self.access_ttl.as_secs().max(1);
        let jti = super::store::random_token();
        let claims = AccessTokenClaims {
            iss: &self.url,
            sub: subject,
            aud: crate::MEMBER_API_AUDIENCE,
            exp: now + ttl,
            iat: now,
            jti: &jti,
            client_id,
            scope: scope.join(" "),
            auth_time,
        };
        let token = self.key.sign("at+jwt", &claims)?;
        self.store.record_access_token(&jti, grant, now + ttl);
        Ok((token, ttl))
    }
}
