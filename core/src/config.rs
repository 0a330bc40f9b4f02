//! What a shell tells the core when it opens it.

use std::path::PathBuf;

use url::Url;

use crate::roadside::certificate::{TrustAnchors, TrustError};

/// The languages the apps speak. Norwegian Bokmål is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// Norsk bokmål.
    #[default]
    Nb,
    /// Norsk nynorsk.
    Nn,
    /// English.
    En,
}

impl Locale {
    /// The BCP 47 language tag.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Nb => "nb",
            Locale::Nn => "nn",
            Locale::En => "en",
        }
    }

    /// Parses a BCP 47 tag such as `nb`, `nn-NO` or `en-GB`; `no` counts as Bokmål.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let language = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match language.as_str() {
            "nb" | "no" => Some(Locale::Nb),
            "nn" => Some(Locale::Nn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// Where the core keeps secrets (the database key, later the refresh token).
///
/// The choice is always explicit: the core never falls back from a real keystore to a
/// stand-in on its own, because a member's secrets would then quietly live somewhere
/// weaker than the app promised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecureStoreChoice {
    /// The operating system's keystore through keyring-core: Apple keychain, Android
    /// keystore, Linux keyutils, Windows credential manager.
    OsKeystore,
    /// The shell passes its own implementation in [`crate::platform::Platform`] (the mobile
    /// shells do: Keychain on iOS, Keystore-backed storage on Android).
    ShellProvided,
    /// Desktop/CI stand-in: secrets in a file only the user can read, at `path`. Not secure
    /// against anyone who can read that file; for development machines without a keystore.
    InsecureFileStandIn {
        /// The file that holds the secrets; keep it outside the data directory.
        path: PathBuf,
    },
    /// Test stand-in: secrets in memory, gone when the process ends.
    MemoryStandIn,
}

/// Everything the core needs to know to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreConfig {
    /// Directory for the encrypted database and other local files; created if missing.
    pub data_dir: PathBuf,
    /// Base URL of the member API, e.g. `https://api.lofavor.no/`.
    pub api_base_url: String,
    /// The OpenID issuer identifier (used by login).
    pub oidc_issuer: String,
    /// The OAuth client id of this app at the issuer.
    pub oidc_client_id: String,
    /// The redirect URI registered for this app (a private-use scheme on mobile).
    pub redirect_uri: String,
    /// The language of texts the core produces.
    pub locale: Locale,
    /// Where secrets live.
    pub secure_store: SecureStoreChoice,
    /// The trust anchors of this deployment: the P-256 public keys (base64 of the DER
    /// SubjectPublicKeyInfo, PEM armour allowed) that may sign the roadside trust list. They
    /// ship with the app; a trust list signed by any other key is refused. Empty: the app
    /// never checks certificates as a field worker (every trust list is refused).
    pub trust_anchors: Vec<String>,
}

/// Why a configuration was refused. Messages name the field, never its value.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// The field is empty.
    #[error("{0} is empty")]
    Empty(&'static str),
    /// The field is not an absolute URL of an allowed scheme.
    #[error("{field} is not a valid {expected} URL")]
    BadUrl {
        /// The field's name.
        field: &'static str,
        /// What kind of URL was expected.
        expected: &'static str,
    },
    /// The secure-store choice does not match what the platform supplied.
    #[error("{0}")]
    SecureStoreMismatch(&'static str),
    /// A trust anchor is not a P-256 public key in the expected text form, or there are too
    /// many or duplicates.
    #[error("trust_anchors: {0}")]
    BadTrustAnchor(&'static str),
}

/// A validated configuration: the URLs parsed once.
#[derive(Debug, Clone)]
pub(crate) struct ValidConfig {
    pub(crate) raw: CoreConfig,
    pub(crate) api_base_url: Url,
    pub(crate) trust_anchors: TrustAnchors,
    /// The issuer exactly as configured (its text is compared with the provider's discovery
    /// document character for character), parsed once here.
    pub(crate) oidc_issuer: openidconnect::IssuerUrl,
}

impl CoreConfig {
    /// Checks every field; the URLs must be absolute http(s) URLs (plain http only for
    /// loopback hosts, which is what development and tests use).
    pub(crate) fn validate(&self) -> Result<ValidConfig, ConfigError> {
        if self.data_dir.as_os_str().is_empty() {
            return Err(ConfigError::Empty("data_dir"));
        }
        if self.oidc_client_id.trim().is_empty() {
            return Err(ConfigError::Empty("oidc_client_id"));
        }
        let api_base_url = parse_web_url(&self.api_base_url, "api_base_url")?;
        // Parsed once, and kept with its exact text (a plain `Url` would add a `/`).
        if self.oidc_issuer.trim().is_empty() {
            return Err(ConfigError::Empty("oidc_issuer"));
        }
        let oidc_issuer = openidconnect::IssuerUrl::new(self.oidc_issuer.clone())
            .map_err(|_| web_url_expected("oidc_issuer"))?;
        check_web_url(oidc_issuer.url(), "oidc_issuer")?;
        // A private-use scheme (`no.lofavor.app:/oauth2redirect`) or a loopback URL.
        Url::parse(&self.redirect_uri).map_err(|_| ConfigError::BadUrl {
            field: "redirect_uri",
            expected: "redirect",
        })?;
        let trust_anchors = TrustAnchors::from_texts(&self.trust_anchors).map_err(|e| match e {
            TrustError::BadAnchor(reason) => ConfigError::BadTrustAnchor(reason),
            _ => ConfigError::BadTrustAnchor("not usable"),
        })?;
        Ok(ValidConfig {
            raw: self.clone(),
            api_base_url: with_trailing_slash(api_base_url),
            trust_anchors,
            oidc_issuer,
        })
    }
}

fn parse_web_url(text: &str, field: &'static str) -> Result<Url, ConfigError> {
    if text.trim().is_empty() {
        return Err(ConfigError::Empty(field));
    }
    let url = Url::parse(text).map_err(|_| web_url_expected(field))?;
    check_web_url(&url, field)?;
    Ok(url)
}

fn web_url_expected(field: &'static str) -> ConfigError {
    ConfigError::BadUrl {
        field,
        expected: "https (or loopback http)",
    }
}

/// An https URL, or plain http on a loopback host.
fn check_web_url(url: &Url, field: &'static str) -> Result<(), ConfigError> {
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(web_url_expected(field)),
    }
}

/// Joining a relative path onto a base without a trailing slash drops the base's last
/// segment (`https://h/api` + `health` = `https://h/health`); normalise once here.
fn with_trailing_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> CoreConfig {
        CoreConfig {
            data_dir: PathBuf::from("member-data"),
            api_base_url: "https://api.example.no/v1".into(),
            oidc_issuer: "https://login.example.no".into(),
            oidc_client_id: "lofavor-app".into(),
            redirect_uri: "no.lofavor.app:/oauth2redirect".into(),
            locale: Locale::Nb,
            secure_store: SecureStoreChoice::MemoryStandIn,
            trust_anchors: vec![ANCHOR.into()],
        }
    }

    /// A P-256 public key as base64 DER SubjectPublicKeyInfo.
    const ANCHOR: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEoNCVNXYCcMcGeS1btubvf48Nak9ssUU/CqO26JU1fzunYR6oq4LRywLUcdGpJRli4Yp/FXlGYVfn4/Go7HFt+g==";

    #[test]
    fn trust_anchors_are_parsed_and_bad_ones_refused_by_field_name() {
        let valid = config().validate().unwrap();
        assert_eq!(valid.trust_anchors.keys().len(), 1);
        let mut c = config();
        c.trust_anchors = vec![];
        assert!(c.validate().unwrap().trust_anchors.is_empty());
        let mut c = config();
        c.trust_anchors = vec!["secret-ish not a key".into()];
        let e = c.validate().unwrap_err();
        assert!(matches!(e, ConfigError::BadTrustAnchor(_)));
        assert!(e.to_string().starts_with("trust_anchors"), "{e}");
        assert!(!e.to_string().contains("secret-ish"), "{e}");
        let mut c = config();
        c.trust_anchors = vec![ANCHOR.into(), ANCHOR.into()];
        assert!(matches!(c.validate(), Err(ConfigError::BadTrustAnchor(_))));
    }

    #[test]
    fn accepts_https_and_private_use_redirect() {
        let valid = config().validate().unwrap();
        assert_eq!(valid.api_base_url.as_str(), "https://api.example.no/v1/");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let mut c = config();
        c.api_base_url = "http://127.0.0.1:8080".into();
        assert!(c.validate().is_ok());
        c.api_base_url = "http://localhost:8080".into();
        assert!(c.validate().is_ok());
        c.api_base_url = "http://api.example.no".into();
        assert_eq!(
            c.validate().unwrap_err(),
            ConfigError::BadUrl {
                field: "api_base_url",
                expected: "https (or loopback http)"
            }
        );
    }

    #[test]
    fn refuses_empty_fields_and_names_only_the_field() {
        let mut c = config();
        c.oidc_client_id = " ".into();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "oidc_client_id is empty"
        );
        let mut c = config();
        c.oidc_issuer = "not a url with secret-ish text".into();
        let msg = c.validate().unwrap_err().to_string();
        assert!(!msg.contains("secret-ish"), "{msg}");
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::from_tag("nn-NO"), Some(Locale::Nn));
        assert_eq!(Locale::from_tag("no"), Some(Locale::Nb));
        assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("sv"), None);
        assert_eq!(Locale::default(), Locale::Nb);
    }
}
