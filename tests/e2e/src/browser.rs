//! A headless browser for the provider's login pages: an HTTP client with a cookie jar that
//! follows redirects itself and fills the development login and consent forms, stopping at
//! the app's redirect URI as the system browser would hand it back to the app.

use url::Url;

/// Why the browser could not complete the interaction.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// An HTTP failure.
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    /// A page did not look like the provider's login or consent page.
    #[error("unexpected page at {url}: status {status}")]
    UnexpectedPage {
        /// Where.
        url: String,
        /// Its status.
        status: u16,
    },
    /// Too many hops without reaching the redirect URI.
    #[error("no redirect to the app after {0} hops")]
    TooManyHops(usize),
}

/// A browser session (one cookie jar).
#[derive(Debug, Clone)]
pub struct HeadlessBrowser {
    http: reqwest::Client,
}

impl Default for HeadlessBrowser {
    fn default() -> Self {
        Self::new()
    }
}

impl HeadlessBrowser {
    /// A browser with an empty cookie jar.
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { http }
    }

    /// Opens `authorization_url`, logs in as `account` (consenting when asked), and returns
    /// the URL the provider sends the browser to that starts with `redirect_prefix`.
    pub async fn log_in(
        &self,
        authorization_url: &str,
        account: &str,
        redirect_prefix: &str,
    ) -> Result<String, BrowserError> {
        let mut url = authorization_url.to_owned();
        for _ in 0..20 {
            if url.starts_with(redirect_prefix) {
                return Ok(url);
            }
            let response = self.http.get(&url).send().await?;
            let status = response.status();
            if status.is_redirection() {
                url = next_location(&url, &response)?;
                continue;
            }
            let page = response.text().await?;
            let Some(action) = form_action(&page) else {
                return Err(BrowserError::UnexpectedPage {
                    url,
                    status: status.as_u16(),
                });
            };
            let action_url = resolve(&url, &action)?;
            // The provider's forms carry what step they are in hidden fields (`prompt`);
            // the login form also asks for an account and a password (any password).
            let mut form = hidden_inputs(&page);
            if page.contains("name=\"login\"") {
                form.push(("login".into(), account.to_owned()));
                form.push(("password".into(), "any".into()));
            }
            let response = self.http.post(&action_url).form(&form).send().await?;
            if !response.status().is_redirection() {
                return Err(BrowserError::UnexpectedPage {
                    url: action_url,
                    status: response.status().as_u16(),
                });
            }
            url = next_location(&action_url, &response)?;
        }
        Err(BrowserError::TooManyHops(20))
    }

    /// Opens the reference server's member picker at `authorization_url`, picks `member`,
    /// and returns the redirect the issuer answers with (to the app).
    pub async fn pick_member(
        &self,
        authorization_url: &str,
        member: &str,
    ) -> Result<String, BrowserError> {
        let response = self.http.get(authorization_url).send().await?;
        let status = response.status();
        let page = response.text().await?;
        let wanted = format!("name=\"member\" value=\"{member}\"");
        let form = page
            .split("<form")
            .find(|form| form.contains(&wanted))
            .ok_or_else(|| BrowserError::UnexpectedPage {
                url: authorization_url.to_owned(),
                status: status.as_u16(),
            })?;
        let request = hidden_inputs(&format!("<form{form}"))
            .into_iter()
            .find(|(k, _)| k == "request")
            .map(|(_, v)| v)
            .unwrap_or_default();
        let action = resolve(
            authorization_url,
            &form_action(&format!("<form{form}")).unwrap_or_default(),
        )?;
        let response = self
            .http
            .post(&action)
            .form(&[("request", request.as_str()), ("member", member)])
            .send()
            .await?;
        next_location(&action, &response)
    }

    /// Opens `url` and returns where the provider redirects (for logout and error pages).
    pub async fn follow_once(&self, url: &str) -> Result<Option<String>, BrowserError> {
        let response = self.http.get(url).send().await?;
        if response.status().is_redirection() {
            Ok(Some(next_location(url, &response)?))
        } else {
            Ok(None)
        }
    }
}

fn next_location(base: &str, response: &reqwest::Response) -> Result<String, BrowserError> {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| BrowserError::UnexpectedPage {
            url: base.to_owned(),
            status: response.status().as_u16(),
        })?;
    resolve(base, location)
}

fn resolve(base: &str, reference: &str) -> Result<String, BrowserError> {
    // A private-use scheme redirect is absolute already; join handles both.
    Url::parse(base)
        .and_then(|b| b.join(reference))
        .map(String::from)
        .map_err(|_| BrowserError::UnexpectedPage {
            url: reference.to_owned(),
            status: 0,
        })
}

/// The `name`/`value` pairs of the hidden inputs of a page.
fn hidden_inputs(page: &str) -> Vec<(String, String)> {
    page.split("<input")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            if !tag.contains("type=\"hidden\"") {
                return None;
            }
            Some((
                attribute(tag, "name")?,
                attribute(tag, "value").unwrap_or_default(),
            ))
        })
        .collect()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')?;
    Some(tag[start..start + end].replace("&amp;", "&"))
}

/// The `action` of the first form of a page.
fn form_action(page: &str) -> Option<String> {
    let form = &page[page.find("<form")?..];
    attribute(&form[..form.find('>')?], "action")
}
