//! The configuration records and their conversions into the core's types.

use std::path::PathBuf;

/// The languages the apps speak. Named `AppLocale` so it does not shadow Foundation's
/// `Locale` in Swift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AppLocale {
    /// Norsk bokmål (default).
    Nb,
    /// Norsk nynorsk.
    Nn,
    /// English.
    En,
}

impl From<AppLocale> for lofavor_core::Locale {
    fn from(l: AppLocale) -> Self {
        match l {
            AppLocale::Nb => Self::Nb,
            AppLocale::Nn => Self::Nn,
            AppLocale::En => Self::En,
        }
    }
}

impl From<lofavor_core::Locale> for AppLocale {
    fn from(l: lofavor_core::Locale) -> Self {
        match l {
            lofavor_core::Locale::Nb => Self::Nb,
            lofavor_core::Locale::Nn => Self::Nn,
            lofavor_core::Locale::En => Self::En,
        }
    }
}

/// Where the core keeps secrets; see `lofavor_core::SecureStoreChoice`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SecureStoreChoice {
    /// The OS keystore through keyring-core.
    OsKeystore,
    /// The `SecureStore` the shell passes to the constructor (Keychain, Keystore).
    ShellProvided,
    /// Desktop/CI stand-in: a file only its owner can read. Not secure.
    InsecureFileStandIn {
        /// The file, outside the data directory.
        path: String,
    },
    /// Test stand-in: memory only.
    MemoryStandIn,
}

impl From<SecureStoreChoice> for lofavor_core::SecureStoreChoice {
    fn from(c: SecureStoreChoice) -> Self {
        match c {
            SecureStoreChoice::OsKeystore => Self::OsKeystore,
            SecureStoreChoice::ShellProvided => Self::ShellProvided,
            SecureStoreChoice::InsecureFileStandIn { path } => Self::InsecureFileStandIn {
                path: PathBuf::from(path),
            },
            SecureStoreChoice::MemoryStandIn => Self::MemoryStandIn,
        }
    }
}

/// Everything the core needs to open; see `lofavor_core::CoreConfig`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CoreConfig {
    /// Directory for the encrypted database (the app's private files directory).
    pub data_dir: String,
    /// Base URL of the member API.
    pub api_base_url: String,
    /// The OpenID issuer.
    pub oidc_issuer: String,
    /// The app's OAuth client id.
    pub oidc_client_id: String,
    /// The registered redirect URI.
    pub redirect_uri: String,
    /// The language of the core's texts.
    pub locale: AppLocale,
    /// Where secrets live.
    pub secure_store: SecureStoreChoice,
    /// The deployment's trust anchors (P-256 public keys, base64 DER SubjectPublicKeyInfo)
    /// that may sign the roadside trust list; see `lofavor_core::CoreConfig::trust_anchors`.
    pub trust_anchors: Vec<String>,
}

impl From<CoreConfig> for lofavor_core::CoreConfig {
    fn from(c: CoreConfig) -> Self {
        Self {
            data_dir: PathBuf::from(c.data_dir),
            api_base_url: c.api_base_url,
            oidc_issuer: c.oidc_issuer,
            oidc_client_id: c.oidc_client_id,
            redirect_uri: c.redirect_uri,
            locale: c.locale.into(),
            secure_store: c.secure_store.into(),
            trust_anchors: c.trust_anchors,
        }
    }
}
