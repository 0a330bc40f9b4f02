//! The one authorised request path to the member API: every request made on the member's
//! behalf goes through [`MemberApi::send`], which asks the transfer gate, adds the access
//! token, refreshes it once when the API refuses it (401) and tries again, and maps errors.
//! A capability never handles tokens or a 401 itself.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::disclosure::{Disclosure, ServiceOnly, TransferGate};
use super::{ApiClient, Body, Exchange, MAX_JSON_BYTES, NetError};

/// The future an [`AccessTokens`] implementation returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, crate::Error>> + Send + 'a>>;

/// Where the authorised path gets the member's access token. The login capability implements
/// it; its failures arrive already as the core's public error (`not_logged_in`,
/// `session_ended`, `network`, ...), so this module needs to know nothing of login.
pub trait AccessTokens: Send + Sync {
    /// A usable access token, refreshed ahead of its expiry.
    fn access_token(&self) -> TokenFuture<'_>;
    /// The member API refused `token` (401): it must not be handed out again.
    fn refused(&self, token: &str);
}

/// Why a request on the authorised path failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No access token could be had (nobody logged in, the session ended, the provider
    /// unreachable).
    #[error(transparent)]
    NoToken(crate::Error),
    /// The transfer gate refused the request; nothing was sent.
    #[error("not sent: {0}")]
    NotPermitted(&'static str),
    /// The member API failed or refused.
    #[error(transparent)]
    Net(#[from] NetError),
}

impl ApiError {
    /// Whether the failure is "no network" (the member API or the provider unreachable).
    pub fn is_offline(&self) -> bool {
        match self {
            ApiError::NoToken(e) => e.kind() == crate::ErrorKind::Network,
            ApiError::Net(e) => matches!(e, NetError::Unreachable(_) | NetError::Timeout),
            ApiError::NotPermitted(_) => false,
        }
    }

    /// Whether trying again later may succeed: no network, or the member API failing on its
    /// side (5xx). A refusal (4xx) or the gate's "no" is final.
    pub fn is_transient(&self) -> bool {
        self.is_offline() || self.status().is_some_and(|s| s >= 500)
    }

    /// The HTTP status the member API answered, if it answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Net(NetError::Status { status }) => Some(*status),
            _ => None,
        }
    }
}

/// What a request carries.
#[derive(Debug, Clone)]
enum RequestBody {
    None,
    Json(serde_json::Value),
    Bytes(Vec<u8>),
}

/// One request on the member's behalf.
#[derive(Debug, Clone)]
pub struct ApiRequest<'a> {
    method: Method,
    path: &'a str,
    body: RequestBody,
    disclosure: Disclosure,
    timeout: Option<std::time::Duration>,
}

impl<'a> ApiRequest<'a> {
    /// `GET path`; retried on transient failures.
    pub fn get(path: &'a str, disclosure: Disclosure) -> Self {
        Self {
            method: Method::GET,
            path,
            body: RequestBody::None,
            disclosure,
            timeout: None,
        }
    }

    /// `POST path` without a body; not retried (a POST may not be idempotent).
    pub fn post(path: &'a str, disclosure: Disclosure) -> Self {
        Self {
            method: Method::POST,
            path,
            body: RequestBody::None,
            disclosure,
            timeout: None,
        }
    }

    /// `DELETE path`; not retried.
    pub fn delete(path: &'a str, disclosure: Disclosure) -> Self {
        Self {
            method: Method::DELETE,
            path,
            body: RequestBody::None,
            disclosure,
            timeout: None,
        }
    }

    /// `POST path` with `body` as JSON. What `body` holds must be what `disclosure` says.
    pub fn post_json(
        path: &'a str,
        body: &impl Serialize,
        disclosure: Disclosure,
    ) -> Result<Self, NetError> {
        let body = serde_json::to_value(body)
            .map_err(|_| NetError::Decode("request body does not serialise".into()))?;
        Ok(Self {
            method: Method::POST,
            path,
            body: RequestBody::Json(body),
            disclosure,
            timeout: None,
        })
    }

    /// `PUT path` with `bytes` as `application/octet-stream`; not retried here (the caller
    /// knows whether its PUT is idempotent). What `bytes` holds must be what `disclosure` says.
    pub fn put_bytes(path: &'a str, bytes: Vec<u8>, disclosure: Disclosure) -> Self {
        Self {
            method: Method::PUT,
            path,
            body: RequestBody::Bytes(bytes),
            disclosure,
            timeout: None,
        }
    }

    /// The same request, given up after `timeout` (shorter than the client's own): a large
    /// transfer on a slow network picks its own patience.
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// The member API on the member's behalf.
pub struct MemberApi {
    api: ApiClient,
    tokens: Arc<dyn AccessTokens>,
    gate: RwLock<Arc<dyn TransferGate>>,
}

impl std::fmt::Debug for MemberApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberApi").finish_non_exhaustive()
    }
}

impl MemberApi {
    /// The member API at `api`'s base URL with tokens from `tokens`. Until a consent gate is
    /// set, [`ServiceOnly`] decides.
    pub fn new(api: ApiClient, tokens: Arc<dyn AccessTokens>) -> Self {
        Self {
            api,
            tokens,
            gate: RwLock::new(Arc::new(ServiceOnly)),
        }
    }

    /// Puts `gate` in charge of every later request.
    pub fn set_gate(&self, gate: Arc<dyn TransferGate>) {
        if let Ok(mut current) = self.gate.write() {
            *current = gate;
        }
    }

    fn gate(&self) -> Arc<dyn TransferGate> {
        match self.gate.read() {
            Ok(gate) => gate.clone(),
            // A writer panicked: fall back to the strictest gate rather than none.
            Err(_) => Arc::new(ServiceOnly),
        }
    }

    /// Sends `request`, a transfer the member confirmed in the preview `confirmation`: the
    /// gate lets that preview through for this one request only, and closes again even if
    /// the call is dropped half-way.
    pub async fn send_confirmed<T: DeserializeOwned>(
        &self,
        request: ApiRequest<'_>,
        confirmation: &str,
    ) -> Result<T, ApiError> {
        struct Open(Arc<dyn TransferGate>, String);
        impl Drop for Open {
            fn drop(&mut self) {
                self.0.forget(&self.1);
            }
        }
        let gate = self.gate();
        gate.confirm(confirmation);
        let _open = Open(gate, confirmation.to_owned());
        self.send(request).await
    }

    /// Sends `request` and reads the answer as JSON. The gate is asked first; a refused access
    /// token is refreshed once and the request sent again.
    pub async fn send<T: DeserializeOwned>(&self, request: ApiRequest<'_>) -> Result<T, ApiError> {
        let bytes = self
            .exchange(&request, "application/json", MAX_JSON_BYTES)
            .await?;
        serde_json::from_slice(&bytes)
            .map_err(|_| ApiError::Net(NetError::Decode("body is not the expected JSON".into())))
    }

    /// Sends `request` and reads the answer as bytes (`application/octet-stream`), at most
    /// `max_bytes` of them; otherwise as [`MemberApi::send`].
    pub async fn send_for_bytes(
        &self,
        request: ApiRequest<'_>,
        max_bytes: usize,
    ) -> Result<Vec<u8>, ApiError> {
        self.exchange(&request, "application/octet-stream", max_bytes)
            .await
    }

    async fn exchange(
        &self,
        request: &ApiRequest<'_>,
        accept: &str,
        max_bytes: usize,
    ) -> Result<Vec<u8>, ApiError> {
        self.gate()
            .permit(&request.disclosure)
            .map_err(ApiError::NotPermitted)?;
        let mut retried = false;
        loop {
            let token = self
                .tokens
                .access_token()
                .await
                .map_err(ApiError::NoToken)?;
            let body = match &request.body {
                RequestBody::None => Body::None,
                RequestBody::Json(json) => Body::Json(json),
                RequestBody::Bytes(bytes) => Body::Bytes(bytes),
            };
            let answer = self
                .api
                .exchange(Exchange {
                    method: request.method.clone(),
                    path: request.path,
                    access_token: Some(&token),
                    body,
                    accept,
                    timeout: request.timeout,
                    max_bytes,
                })
                .await;
            match answer {
                Err(NetError::Status { status: 401 }) if !retried => {
                    self.tokens.refused(&token);
                    retried = true;
                }
                other => return Ok(other?),
            }
        }
    }
}
