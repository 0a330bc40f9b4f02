//! The demo's stand-in for the member at the browser: it opens the development issuer's
//! member picker, picks a member and follows the redirect to the loopback listener — the
//! clicks a person makes. Only for the reference server's picker page; a real issuer's
//! login is done by a person in a real browser.

use url::Url;

/// Opens `authorization_url`, picks `member_id`, and delivers the redirect to the app.
pub async fn pick_member(authorization_url: &str, member_id: &str) -> Result<(), String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("no HTTP client: {e}"))?;
    let page_url = Url::parse(authorization_url).map_err(|_| "not a URL".to_string())?;
    let page = http
        .get(page_url.clone())
        .send()
        .await
        .map_err(|e| format!("the login page did not load: {e}"))?
        .text()
        .await
        .map_err(|e| format!("the login page did not load: {e}"))?;
    let member_field = format!("name=\"member\" value=\"{member_id}\"");
    let form = page
        .split("<form")
        .find(|form| form.contains(&member_field))
        .ok_or_else(|| format!("the login page offers no member '{member_id}'"))?;
    let request = hidden_value(form, "request").ok_or("the login page has no request id")?;
    let action = attribute(form, "action").ok_or("the login form has no action")?;
    let decision = page_url
        .join(&action)
        .map_err(|_| "the login form's action is not a URL".to_string())?;
    let answer = http
        .post(decision)
        .form(&[("request", request.as_str()), ("member", member_id)])
        .send()
        .await
        .map_err(|e| format!("the login form was not accepted: {e}"))?;
    let redirect = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| format!("the issuer answered {} without a redirect", answer.status()))?
        .to_owned();
    http.get(&redirect)
        .send()
        .await
        .map_err(|e| format!("the app's listener did not answer: {e}"))?;
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
