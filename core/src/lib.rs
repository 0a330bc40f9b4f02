//! # lofavor-core
//!
//! All behaviour of the LOfavør member app and the "Husk Hva Du Har" app, shared by the
//! Android and iOS shells (through `lofavor-ffi`) and the `lofavor` terminal shell.
//!
//! The crate knows nothing of FFI, screens or a particular platform. Platform services the
//! core needs (a keystore, a logger) are traits in [`platform`], implemented by each shell
//! and handed to [`Core::open`].
//!
//! One folder per capability; each owns its tables, wire types and internal errors, which
//! convert into the one public [`Error`] in [`error`].

pub mod auth;
pub mod config;
pub mod consent;
pub mod error;
mod handle;
mod info;
pub mod inventory;
pub mod net;
pub mod platform;
pub mod roadside;
mod runtime;
pub mod store;

/// The one conversion between `SystemTime` and Unix seconds (from `lofavor-certificate`).
pub use lofavor_certificate::time;

pub use config::{CoreConfig, Locale, SecureStoreChoice};
pub use error::{Error, ErrorKind, Result};
pub use handle::{Core, schema};
pub use info::{CoreInfo, ServerStatus};
