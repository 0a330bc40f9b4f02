//! `GET /oidc/authorize` (the member picker) and `POST /oidc/authorize/decision`.
//!
//! The picker page is plain HTML meant to be filled by a program as easily as by a person:
//! one `<form method="post" action="/oidc/authorize/decision">` per member with hidden inputs
//! `request` and `member`, and a cancel form with hidden `request` and `cancel=1`.

use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::clients;
use super::html::{self, escape};
use super::oauth_error::redirect_with;
use super::params::Params;
use super::scope;
use super::store::{CodeGrant, PendingRequest};
use super::{Issuer, pkce, unix_now};
use crate::members;

/// Longest `state` or `nonce` kept (the core sends 43 characters).
const MAX_PARAM: usize = 512;

/// Where a failed request goes once client and redirect URI are trusted: back to the client.
struct ErrorRedirect<'a> {
    redirect_uri: &'a str,
    state: Option<&'a str>,
    iss: &'a str,
}

impl ErrorRedirect<'_> {
    fn send(&self, error: &str, description: &str) -> Response {
        let mut params = vec![("error", error), ("error_description", description)];
        if let Some(state) = self.state {
            params.push(("state", state));
        }
        params.push(("iss", self.iss));
        redirect_with(self.redirect_uri, &params)
    }
}

/// The authorization endpoint.
pub(crate) async fn authorize(
    State(issuer): State<Arc<Issuer>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Ok(Query(pairs)) = query else {
        return html::error(StatusCode::BAD_REQUEST, "malformed request");
    };
    let Ok(params) = Params::new(pairs) else {
        return html::error(StatusCode::BAD_REQUEST, "a parameter is repeated");
    };
    // Until client and redirect URI are known good, errors stay on this server (RFC 6749
    // §4.1.2.1): never redirect to an unregistered URI.
    let Some(client) = params.get("client_id").and_then(clients::find) else {
        return html::error(StatusCode::BAD_REQUEST, "unknown client");
    };
    let Some(redirect_uri) = params
        .get("redirect_uri")
        .filter(|uri| client.allows_redirect(uri))
    else {
        return html::error(
            StatusCode::BAD_REQUEST,
            "redirect_uri is missing or not registered for this client",
        );
    };
    let state = params.get("state").filter(|s| s.len() <= MAX_PARAM);
    let back = ErrorRedirect {
        redirect_uri,
        state,
        iss: issuer.url(),
    };
    if params.get("response_type") != Some("code") {
        return back.send("unsupported_response_type", "only response_type=code");
    }
    let requested = scope::parse(params.get("scope").unwrap_or(""));
    if !scope::has(&requested, "openid") {
        return back.send("invalid_scope", "scope must include openid");
    }
    match params.get("code_challenge_method") {
        Some("S256") => {}
        Some(_) => return back.send("invalid_request", "only code_challenge_method=S256"),
        None => return back.send("invalid_request", "PKCE with S256 is required"),
    }
    let Some(code_challenge) = params
        .get("code_challenge")
        .filter(|c| c.len() == 43 && pkce::well_formed(c))
    else {
        return back.send("invalid_request", "code_challenge missing or malformed");
    };
    let Some(state) = state else {
        return back.send("invalid_request", "state is required");
    };
    let Some(nonce) = params.get("nonce").filter(|n| n.len() <= MAX_PARAM) else {
        return back.send("invalid_request", "nonce is required");
    };
    if params
        .get("prompt")
        .is_some_and(|p| p.split(' ').any(|p| p == "none"))
    {
        // There is no session to reuse: every login goes through the picker.
        return back.send("login_required", "interaction is required");
    }
    let Ok(members) = members::all(&issuer.db).await else {
        return html::error(StatusCode::INTERNAL_SERVER_ERROR, "the issuer failed");
    };
    let request = issuer.store.put_request(PendingRequest {
        client_id: client.id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        scope: requested,
        state: state.to_owned(),
        nonce: nonce.to_owned(),
        code_challenge: code_challenge.to_owned(),
    });
    picker(&request, client.id, &members)
}

/// The member picker page.
fn picker(request: &str, client_id: &str, members: &[members::Member]) -> Response {
    let request = escape(request);
    let mut body = format!(
        "<p>Development login for <code>{}</code>. Pick the member to log in as.</p>\n<ul>\n",
        escape(client_id)
    );
    for member in members {
        body.push_str(&format!(
            "<li><form method=\"post\" action=\"/oidc/authorize/decision\">\
             <input type=\"hidden\" name=\"request\" value=\"{request}\">\
             <input type=\"hidden\" name=\"member\" value=\"{id}\">\
             <button type=\"submit\">{name}</button></form></li>\n",
            id = escape(&member.id),
            name = escape(&member.name),
        ));
    }
    body.push_str(&format!(
        "</ul>\n<form method=\"post\" action=\"/oidc/authorize/decision\">\
         <input type=\"hidden\" name=\"request\" value=\"{request}\">\
         <input type=\"hidden\" name=\"cancel\" value=\"1\">\
         <button type=\"submit\">Cancel</button></form>"
    ));
    html::page(StatusCode::OK, "Log in to LOfavør", &body)
}

/// The member's pick (or cancel) on the picker page.
pub(crate) async fn decision(
    State(issuer): State<Arc<Issuer>>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let Some(params) = form.ok().and_then(|Form(pairs)| Params::new(pairs).ok()) else {
        return html::error(StatusCode::BAD_REQUEST, "malformed form");
    };
    let Some(request) = params
        .get("request")
        .and_then(|id| issuer.store.take_request(id))
    else {
        return html::error(
            StatusCode::BAD_REQUEST,
            "this login request is unknown, used or expired; start again",
        );
    };
    let back = ErrorRedirect {
        redirect_uri: &request.redirect_uri,
        state: Some(&request.state),
        iss: issuer.url(),
    };
    if params.get("cancel").is_some() {
        return back.send("access_denied", "the member cancelled");
    }
    let member = match params.get("member") {
        Some(id) => match members::find(&issuer.db, id).await {
            Ok(Some(member)) => member,
            Ok(None) => return html::error(StatusCode::BAD_REQUEST, "unknown member"),
            Err(_) => return html::error(StatusCode::INTERNAL_SERVER_ERROR, "the issuer failed"),
        },
        None => return html::error(StatusCode::BAD_REQUEST, "no member picked"),
    };
    let code = issuer.store.put_code(CodeGrant {
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        scope: request.scope.clone(),
        nonce: request.nonce.clone(),
        code_challenge: request.code_challenge.clone(),
        subject: member.id,
        auth_time: unix_now(),
    });
    redirect_with(
        &request.redirect_uri,
        &[
            ("code", &code),
            ("state", &request.state),
            ("iss", issuer.url()),
        ],
    )
}
