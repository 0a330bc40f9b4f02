//! Shared helpers of the issuer and member-API tests: a browser-like HTTP client, PKCE, and a
//! login through the member picker the way the core and the CLI demo drive it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses a subset

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lofavor_server::{RunningServer, ServerConfig};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The loopback redirect URI the tests register as (any port is allowed).
pub const REDIRECT: &str = "http://127.0.0.1:53123/callback";
/// The client the tests log in as.
pub const CLIENT: &str = "lofavor-cli";
/// The scopes the core asks for.
pub const SCOPE: &str = "openid profile offline_access membership";

/// A started server and its data directory (kept alive with it).
pub struct Server {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
}

impl Server {
    pub fn base(&self) -> String {
        self.server.base_url()
    }
    pub fn issuer(&self) -> String {
        self.server.issuer_url().to_owned()
    }
}

/// A server with the embedded issuer, adjusted by `tweak`.
pub async fn start_with(tweak: impl FnOnce(&mut ServerConfig)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut config = ServerConfig::loopback(dir.path());
    tweak(&mut config);
    let server = lofavor_server::start(config).await.unwrap();
    Server { server, dir }
}

/// A server with the embedded issuer and default settings.
pub async fn start() -> Server {
    start_with(|_| {}).await
}

/// An HTTP client like a browser's, but one that shows redirects instead of following them.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// An authorization request's parameters; tests change some before sending.
pub struct AuthRequest {
    pub params: Vec<(String, String)>,
    pub verifier: String,
}

impl AuthRequest {
    /// The request the core sends.
    pub fn new() -> Self {
        let (verifier, challenge) = pkce();
        let params = [
            ("response_type", "code"),
            ("client_id", CLIENT),
            ("redirect_uri", REDIRECT),
            ("scope", SCOPE),
            ("state", "state-123"),
            ("nonce", "nonce-456"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        Self { params, verifier }
    }

    /// Sets (or with `None` removes) a parameter.
    pub fn set(mut self, name: &str, value: Option<&str>) -> Self {
        self.params.retain(|(k, _)| k != name);
        if let Some(v) = value {
            self.params.push((name.to_owned(), v.to_owned()));
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// GET /oidc/authorize.
    pub async fn send(&self, http: &reqwest::Client, issuer: &str) -> reqwest::Response {
        http.get(format!("{issuer}/authorize"))
            .query(&self.params)
            .send()
            .await
            .unwrap()
    }
}

/// The value of the hidden input `name` in the form that also holds `member=<member>`, or in
/// the first form with `name` when `member` is `None`.
pub fn hidden_input(html: &str, form_with: &str, name: &str) -> Option<String> {
    let form = html
        .split("<form")
        .skip(1)
        .find(|f| f.contains(form_with))?;
    let needle = format!("name=\"{name}\" value=\"");
    let start = form.find(&needle)? + needle.len();
    let end = form[start..].find('"')? + start;
    Some(form[start..end].to_owned())
}

/// The `Location` of a redirect, parsed.
pub fn location(response: &reqwest::Response) -> url::Url {
    assert_eq!(response.status(), 303, "expected a redirect");
    url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap()
}

/// A query parameter of `url`.
pub fn query(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Picks `member` on the picker page of `request`; returns the redirect back to the client.
pub async fn pick(
    http: &reqwest::Client,
    issuer: &str,
    request: &AuthRequest,
    member: &str,
) -> url::Url {
    let page = request.send(http, issuer).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let form_marker = format!("name=\"member\" value=\"{member}\"");
    let request_id = hidden_input(&html, &form_marker, "request").expect("a form for the member");
    let decided = http
        .post(format!("{issuer}/authorize/decision"))
        .form(&[("request", request_id.as_str()), ("member", member)])
        .send()
        .await
        .unwrap();
    location(&decided)
}

/// POST /oidc/token with `form`.
pub async fn token(
    http: &reqwest::Client,
    issuer: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    http.post(format!("{issuer}/token"))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Exchanges `code` as the core does.
pub async fn redeem(
    http: &reqwest::Client,
    issuer: &str,
    code: &str,
    verifier: &str,
) -> reqwest::Response {
    token(
        http,
        issuer,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("client_id", CLIENT),
        ],
    )
    .await
}

/// A whole login as `member` with `scope`; returns the token response.
pub async fn login_with_scope(issuer: &str, member: &str, scope: &str) -> Value {
    let http = http();
    let request = AuthRequest::new().set("scope", Some(scope));
    let back = pick(&http, issuer, &request, member).await;
    let code = query(&back, "code").unwrap();
    let response = redeem(&http, issuer, &code, &request.verifier).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// A whole login as `member` with the core's scopes.
pub async fn login(issuer: &str, member: &str) -> Value {
    login_with_scope(issuer, member, SCOPE).await
}

/// GET /v1/me with `token` (if any).
pub async fn me(base: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = http().get(format!("{base}v1/me"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The access token of a whole login as `member` with the core's scopes.
pub async fn access(issuer: &str, member: &str) -> String {
    login(issuer, member).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sends `method path` (path without the leading slash) with `token` and a JSON `body`;
/// returns the status and the JSON answer (`Null` when the answer is not JSON).
pub async fn call(
    base: &str,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = http().request(method, format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// POST with a JSON body and a token.
pub async fn post(base: &str, path: &str, token: &str, body: &Value) -> (u16, Value) {
    call(base, reqwest::Method::POST, path, Some(token), Some(body)).await
}

/// GET with a token.
pub async fn get(base: &str, path: &str, token: &str) -> (u16, Value) {
    call(base, reqwest::Method::GET, path, Some(token), None).await
}

/// The member pseudonym of the contract: SHA-256 of the label and the subject, first 16
/// bytes as lowercase hex, computed here independently of the server.
pub fn pseudonym(sub: &str) -> String {
    let mut input = b"lofavor consent subject\0".to_vec();
    input.extend_from_slice(sub.as_bytes());
    Sha256::digest(&input)[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
