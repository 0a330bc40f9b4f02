//! The harness of the end-to-end tests: the real OpenID Provider (npm `oidc-provider`) on a
//! loopback port, and a headless browser that logs a member in through its pages.
//!
//! The tests themselves are in `tests/`.

pub mod browser;
pub mod images;
pub mod oidc_provider;
pub mod stub_server;
