//! The demo's stand-in for the member at the browser: it opens the development issuer's
//! member picker, picks a member and follows the redirect to the loopback listener — the
//! clicks a person makes. Only for the reference server's picker page; a real issuer's
//! login is done by a person in a real browser.

use lofavor_core::ErrorKind::{Internal, Network, Protocol};
use url::Url;

use crate::error::{CliError, ShellKind};

/// Opens `authorization_url`, picks `member_id`, and delivers the redirect to the app. A
/// page that does not load is a `network` failure; a page not shaped as the reference
/// issuer's picker is a `protocol` one.
pub async fn pick_member(authorization_url: &str, member_id: &str) -> Result<(), CliError> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| CliError::core_kind(Internal, format!("no HTTP client: {e}")))?;
    let page_url = Url::parse(authorization_url)
        .map_err(|_| CliError::core_kind(Protocol, "the login URL is not a URL"))?;
    let not_loaded = |e: reqwest::Error| {
        CliError::core_kind(Network, format!("the login page did not load: {e}"))
    };
    let page = http
        .get(page_url.clone())
        .send()
        .await
        .map_err(not_loaded)?
        .text()
        .await
        .map_err(not_loaded)?;
    let member_field = format!("name=\"member\" value=\"{member_id}\"");
    let malformed = |what: &str| CliError::core_kind(Protocol, what.to_owned());
    let form = page
        .split("<form")
        .find(|form| form.contains(&member_field))
        .ok_or_else(|| malformed("the login page offers no such member"))?;
    let request = hidden_value(form, "request")
        .ok_or_else(|| malformed("the login page has no request id"))?;
    let action =
        attribute(form, "action").ok_or_else(|| malformed("the login form has no action"))?;
    let decision = page_url
        .join(&action)
        .map_err(|_| malformed("the login form's action is not a URL"))?;
    let answer = http
        .post(decision)
        .form(&[("request", request.as_str()), ("member", member_id)])
        .send()
        .await
        .map_err(|e| {
            CliError::core_kind(Network, format!("the login form was not accepted: {e}"))
        })?;
    let redirect = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            malformed(&format!(
                "the issuer answered {} without a redirect",
                answer.status()
            ))
        })?
        .to_owned();
    http.get(&redirect).send().await.map_err(|e| {
        CliError::shell(
            ShellKind::LoginListener,
            format!("the app's listener did not answer: {e}"),
        )
    })?;
    Ok(())
}

/// The value of the hidden input `name` in `html`.
fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].replace("&amp;", "&"))
}

/// The value of attribute `name` in the first tag of `html`.
fn attribute(html: &str, name: &str) -> Option<String> {
    let tag = &html[..html.find('>')?];
    let marker = format!("{name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')?;
    Some(tag[start..start + end].to_owned())
}
