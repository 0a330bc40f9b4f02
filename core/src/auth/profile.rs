//! The member's profile from the member API (`GET /v1/me`), through the one authorised
//! request path, and the access tokens that path asks this capability for.

use super::wire::{ME_PATH, MeResponse};
use super::{Auth, Member};
use crate::error::Result;
use crate::net::{AccessTokens, ApiRequest, Disclosure, MemberApi, TokenFuture};

/// Fetches the member's profile and caches it; the session listeners hear it.
pub(crate) async fn refresh(auth: &Auth, api: &MemberApi) -> Result<Member> {
    let me: MeResponse = api
        .send(ApiRequest::get(ME_PATH, Disclosure::Nothing))
        .await?;
    let member = Member {
        subject: me.subject,
        name: me.name,
        membership: me.membership,
    };
    auth.profile_refreshed(&member)?;
    Ok(member)
}

impl AccessTokens for Auth {
    fn access_token(&self) -> TokenFuture<'_> {
        Box::pin(async move { Ok(Auth::access_token(self).await?) })
    }

    fn refused(&self, token: &str) {
        self.access_token_refused(token);
    }
}
