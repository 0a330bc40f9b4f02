//! The registered clients: public native apps (no secret) and the redirect URIs they may use.

/// A registered client.
#[derive(Debug)]
pub(crate) struct Client {
    /// Its `client_id`.
    pub(crate) id: &'static str,
}

/// The public native clients: the terminal shell and the two mobile shells.
const CLIENTS: &[Client] = &[
    Client { id: "lofavor-cli" },
    Client {
        id: "lofavor-android",
    },
    Client { id: "lofavor-ios" },
];

/// The app's private-use URI scheme redirect (RFC 8252 §7.1).
const APP_REDIRECT: &str = "no.lofavor.app:/oauth2redirect";
/// Where the app lands after logging out.
const APP_LOGGED_OUT: &str = "no.lofavor.app:/logged-out";

/// The client with this id, if registered.
pub(crate) fn find(id: &str) -> Option<&'static Client> {
    CLIENTS.iter().find(|c| c.id == id)
}

impl Client {
    /// Whether `uri` is a registered redirect URI for this client.
    pub(crate) fn allows_redirect(&self, uri: &str) -> bool {
        uri == APP_REDIRECT || is_loopback_with_path(uri, "/callback")
    }

    /// Whether `uri` is a registered post-logout redirect URI for this client.
    pub(crate) fn allows_post_logout_redirect(&self, uri: &str) -> bool {
        uri == APP_LOGGED_OUT || is_loopback_with_path(uri, "/logged-out")
    }
}

/// A loopback redirect on any port (RFC 8252 §7.3: the port is chosen by the app at run time,
/// so it is ignored when comparing). Only the IP literals count, not `localhost` (§8.3).
fn is_loopback_with_path(uri: &str, path: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    let loopback_host = matches!(
        url.host(),
        Some(url::Host::Ipv4(ip)) if ip == std::net::Ipv4Addr::LOCALHOST
    ) || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    url.scheme() == "http"
        && loopback_host
        && url.path() == path
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn loopback_port_is_ignored_but_everything_else_counts() {
        let cli = find("lofavor-cli").unwrap();
        assert!(cli.allows_redirect("http://127.0.0.1:49152/callback"));
        assert!(cli.allows_redirect("http://127.0.0.1/callback"));
        assert!(cli.allows_redirect("http://[::1]:8080/callback"));
        assert!(cli.allows_redirect("no.lofavor.app:/oauth2redirect"));
        assert!(!cli.allows_redirect("http://localhost:8080/callback"));
        assert!(!cli.allows_redirect("https://127.0.0.1:8080/callback"));
        assert!(!cli.allows_redirect("http://127.0.0.1:8080/callback?x=1"));
        assert!(!cli.allows_redirect("http://127.0.0.1:8080/other"));
        assert!(!cli.allows_redirect("http://evil.example/callback"));
        assert!(!cli.allows_redirect("no.lofavor.app:/oauth2redirect/x"));
        assert!(cli.allows_post_logout_redirect("http://127.0.0.1:1234/logged-out"));
        assert!(!cli.allows_post_logout_redirect("http://127.0.0.1:1234/callback"));
        assert!(find("someone-else").is_none());
    }
}
