//! The few HTML pages the issuer shows: the member picker, errors, "logged out".

use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page; `title` is text, `body` is HTML the caller has escaped.
pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t}</title></head>\n<body>\n<h1>{t}</h1>\n{body}\n</body>\n</html>\n",
        t = escape(title)
    );
    (
        status,
        [
            (CACHE_CONTROL, "no-store"),
            // No scripts, no framing (clickjacking). No `form-action`: browsers apply it to the
            // redirect after the post too, which goes to the app's loopback or own scheme.
            (
                CONTENT_SECURITY_POLICY,
                "default-src 'none'; frame-ancestors 'none'",
            ),
        ],
        Html(html),
    )
        .into_response()
}

/// An error page; never a redirect, since the redirect URI may not be trusted.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    page(
        status,
        "Login error",
        &format!("<p id=\"error\">{}</p>", escape(message)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
