//! The HTTP client, retry/backoff, and the one authorised request path. Knows no
//! capability: each capability owns its wire types.
//!
//! One `reqwest` client (rustls, no OpenSSL on mobile) with timeouts and redirects off:
//! OAuth endpoints must never be followed to another host silently. Every request is built
//! in [`ApiClient::request_accepting`], so adding a per-request header later (a DPoP proof) is a change
//! in one place. Requests on the member's behalf go through [`MemberApi`] (`authorized`),
//! which asks the transfer gate ([`TransferGate`], `disclosure`) before anything is sent.

mod authorized;
mod disclosure;
mod error;
mod retry;
pub mod wire;

pub use authorized::{AccessTokens, ApiError, ApiRequest, MemberApi, TokenFuture};
pub use disclosure::{
    DataCategory, Disclosure, ORDER_PURPOSE, Partner, Recipient, Refusal, SERVICE_PURPOSE,
    ServiceOnly, Transfer, TransferGate,
};

use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use url::Url;

pub use error::NetError;
pub use retry::RetryPolicy;

/// Timeouts of the HTTP layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetConfig {
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub request_timeout: Duration,
    /// Retries of idempotent requests.
    pub retry: RetryPolicy,
}

impl Default for NetConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// The core's HTTP client: rustls, the timeouts of `config`, and redirects off (an OAuth
/// or API endpoint is never followed to another place silently).
pub fn http_client(config: &NetConfig) -> Result<reqwest::Client, NetError> {
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("lofavor-core/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| NetError::from_reqwest(&e))
}

/// A client of the member API at one base URL.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: Url,
    config: NetConfig,
}

impl ApiClient {
    /// A client for `base` (which should end in `/`).
    pub fn new(base: Url, config: NetConfig) -> Result<Self, NetError> {
        let http = http_client(&config)?;
        Ok(Self::with_client(http, base, config))
    }

    /// A client for `base` on an existing HTTP client (one per core: building one loads the
    /// TLS roots, which is not free at start-up).
    pub fn with_client(http: reqwest::Client, base: Url, config: NetConfig) -> Self {
        Self { http, base, config }
    }

    /// The HTTP client underneath, to share with login.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The one place a request is built, asking for the media type `accept`. With
    /// `access_token`, it carries the member's bearer token (RFC 6750); a sender-constrained
    /// proof (DPoP, RFC 9449) would be added here, next to it.
    fn request_accepting(
        &self,
        method: Method,
        path: &str,
        access_token: Option<&str>,
        accept: &str,
    ) -> Result<RequestBuilder, NetError> {
        let url = self
            .base
            .join(path)
            .map_err(|_| NetError::BadUrl("path does not join onto the base URL".into()))?;
        let request = self
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, accept);
        Ok(match access_token {
            Some(token) => request.bearer_auth(token),
            None => request,
        })
    }

    /// `GET path` as JSON, retried on transient failures.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, NetError> {
        self.get_json_as(path, None).await
    }

    /// `GET path` as JSON on behalf of the member holding `access_token` (`None`: anonymous),
    /// retried on transient failures. A refused token is `Status { status: 401 }`.
    pub async fn get_json_as<T: DeserializeOwned>(
        &self,
        path: &str,
        access_token: Option<&str>,
    ) -> Result<T, NetError> {
        self.json_as(Method::GET, path, access_token, None).await
    }

    /// `method path` with an optional JSON `body`, read as JSON. Only `GET` is retried on
    /// transient failures: another method may not be idempotent, so its caller decides.
    pub(crate) async fn json_as<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        access_token: Option<&str>,
        body: Option<&serde_json::Value>,
    ) -> Result<T, NetError> {
        let body = match body {
            Some(json) => Body::Json(json),
            None => Body::None,
        };
        let bytes = self
            .exchange(Exchange {
                method,
                path,
                access_token,
                body,
                accept: "application/json",
                timeout: None,
                max_bytes: MAX_JSON_BYTES,
            })
            .await?;
        serde_json::from_slice(&bytes)
            .map_err(|_| NetError::Decode("body is not the expected JSON".into()))
    }

    /// One request and its answer's body as bytes, within `max_bytes`. Only `GET` is retried
    /// on transient failures.
    pub(crate) async fn exchange(&self, x: Exchange<'_>) -> Result<Vec<u8>, NetError> {
        let once = || async {
            let mut request =
                self.request_accepting(x.method.clone(), x.path, x.access_token, x.accept)?;
            request = match x.body {
                Body::None => request,
                Body::Json(json) => request.json(json),
                Body::Bytes(bytes) => request
                    .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                    .body(bytes.to_vec()),
            };
            if let Some(timeout) = x.timeout {
                request = request.timeout(timeout);
            }
            read_capped(send(request).await?, x.max_bytes).await
        };
        if x.method == Method::GET {
            self.config.retry.run(once).await
        } else {
            once().await
        }
    }

    /// `GET path` as raw bytes of the media type `accept` (CBOR lists), anonymous, retried on
    /// transient failures; at most `max_bytes` are accepted.
    pub async fn get_bytes(
        &self,
        path: &str,
        accept: &str,
        max_bytes: usize,
    ) -> Result<Vec<u8>, NetError> {
        self.config
            .retry
            .run(|| async {
                let response =
                    send(self.request_accepting(Method::GET, path, None, accept)?).await?;
                read_capped(response, max_bytes).await
            })
            .await
    }

    /// `GET /health`, with the time it took (retries included).
    pub async fn health(&self) -> Result<(wire::HealthResponse, Duration), NetError> {
        let started = Instant::now();
        let health = self.get_json::<wire::HealthResponse>("health").await?;
        Ok((health, started.elapsed()))
    }
}

/// The most a JSON answer of the member API may weigh; its answers are a few kilobytes (an
/// inventory page of changes is the largest).
pub(crate) const MAX_JSON_BYTES: usize = 4 * 1024 * 1024;

/// A request body.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body<'a> {
    /// None.
    None,
    /// JSON.
    Json(&'a serde_json::Value),
    /// Raw bytes (`application/octet-stream`).
    Bytes(&'a [u8]),
}

/// What [`ApiClient::exchange`] sends and how it reads the answer.
#[derive(Debug, Clone)]
pub(crate) struct Exchange<'a> {
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) access_token: Option<&'a str>,
    pub(crate) body: Body<'a>,
    pub(crate) accept: &'a str,
    /// Shorter than the client's own request timeout, for this request only.
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_bytes: usize,
}

/// The body of `response`, refused as soon as it exceeds `max_bytes`: by its
/// `Content-Length` before reading, and while it streams in when it has none (chunked), so
/// a server can never make the app hold more than `max_bytes` of its answer.
async fn read_capped(
    mut response: reqwest::Response,
    max_bytes: usize,
) -> Result<Vec<u8>, NetError> {
    let too_large = || NetError::Decode("response too large".into());
    if response
        .content_length()
        .is_some_and(|len| len > max_bytes as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| NetError::from_reqwest(&e))?
    {
        if chunk.len() > max_bytes.saturating_sub(body.len()) {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Sends `request`; an answer outside 2xx is `NetError::Status`.
async fn send(request: RequestBuilder) -> Result<reqwest::Response, NetError> {
    let response = request
        .send()
        .await
        .map_err(|e| NetError::from_reqwest(&e))?;
    let status = response.status();
    if status.is_success() {
        Ok(response)
    } else {
        Err(NetError::Status {
            status: status.as_u16(),
        })
    }
}

#[cfg(test)]
mod tests;
