//! The terminal shell's errors and exit codes.
//!
//! A failure carries a stable, machine-readable kind and a reason. Failures of the core keep
//! the core's own kind ([`lofavor_core::ErrorKind::as_str`]); the few failures that belong
//! to the shell alone (a file it reads, the embedded server, the login listener, ...) have
//! kinds of their own, listed in [`ShellKind`]. With `--json` a failure is printed as
//! `{"error": {"kind": ..., "reason": ...}}` as the last line of standard error (log lines
//! may come before it), so scripts switch on the kind
//! instead of matching text. The exit code says which of a handful of outcomes it was; the
//! codes are listed in `lofavor --help` ([`EXIT_CODES_HELP`]) and in the README.

use std::fmt;
use std::process::ExitCode;

use lofavor_core::ErrorKind;

/// The exit codes, as `lofavor --help` lists them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success (for verify: the certificate is valid)
  1  verify: the certificate is not valid (expired, revoked, not genuine, not a certificate)
  2  usage: bad arguments, or a flag that contradicts the data directory
  3  the command failed (the error's kind says why)
  4  network: the member API or the issuer could not be reached
  5  serve: refused to listen on an address other machines can reach (see --allow-remote)

With --json a failure is the last line of standard error (after any warnings):
{\"error\": {\"kind\": \"...\", \"reason\": \"...\"}}; the kinds are stable names.";

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did what was asked.
    Success,
    /// `verify` checked the certificate and it is not valid: an answer, not a failure.
    CertificateNotValid,
}

impl Outcome {
    /// The process's exit code for this outcome.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::CertificateNotValid => ExitCode::from(1),
        }
    }
}

/// The exit code of a usage error (the same as clap's).
pub const EXIT_USAGE: u8 = 2;
/// The exit code of a failed command.
pub const EXIT_FAILED: u8 = 3;
/// The exit code of a command that could not reach the network.
pub const EXIT_NETWORK: u8 = 4;
/// The exit code of `serve` refusing an address other machines can reach (the same as the
/// `lofavor-server` program's).
pub const EXIT_EXPOSED: u8 = lofavor_server::EXIT_EXPOSED;

/// Failures that belong to the terminal shell, not to the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellKind {
    /// Arguments that parse but cannot be used (an unknown locale, an empty payload flag).
    Usage,
    /// `--secure-store` names another store than the one this data directory keeps its
    /// key in.
    SecureStoreMismatch,
    /// The data directory, or a note the shell keeps in it, cannot be read or written.
    DataDir,
    /// A file named on the command line cannot be read or written.
    File,
    /// The reference server (embedded, or `lofavor serve`) could not start.
    ServerStart,
    /// `lofavor serve` refused an address other machines can reach while the development
    /// issuer (no password, every member listed) would be served there.
    ExposedBind,
    /// The loopback listener for the login redirect could not listen, or stopped.
    LoginListener,
    /// No browser came back to the loopback listener in time.
    LoginTimeout,
    /// A check the demo makes did not hold (the store not encrypted, the certificate not
    /// verifying).
    CheckFailed,
}

impl ShellKind {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ShellKind::Usage => "usage",
            ShellKind::SecureStoreMismatch => "secure_store_mismatch",
            ShellKind::DataDir => "data_dir",
            ShellKind::File => "file",
            ShellKind::ServerStart => "server_start",
            ShellKind::ExposedBind => "exposed_bind",
            ShellKind::LoginListener => "login_listener",
            ShellKind::LoginTimeout => "login_timeout",
            ShellKind::CheckFailed => "check_failed",
        }
    }
}

/// What kind of failure: the core's, or the shell's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A failure the core reported, with its stable kind.
    Core(ErrorKind),
    /// A failure of the shell itself.
    Shell(ShellKind),
}

impl Kind {
    /// The stable name printed with `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Core(kind) => kind.as_str(),
            Kind::Shell(kind) => kind.as_str(),
        }
    }

    /// The exit code for a failure of this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Shell(ShellKind::Usage | ShellKind::SecureStoreMismatch) => EXIT_USAGE,
            Kind::Core(ErrorKind::Network) => EXIT_NETWORK,
            Kind::Shell(ShellKind::ExposedBind) => EXIT_EXPOSED,
            _ => EXIT_FAILED,
        }
    }
}

/// A failed command: its kind, a reason, and for people a hint of what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    kind: Kind,
    reason: String,
    hint: Option<String>,
}

impl CliError {
    /// A failure of the shell itself.
    pub fn shell(kind: ShellKind, reason: impl Into<String>) -> Self {
        Self {
            kind: Kind::Shell(kind),
            reason: reason.into(),
            hint: None,
        }
    }

    /// A failure with one of the core's kinds that the shell itself found (a page the demo's
    /// stand-in browser could not load is a `network` failure, whoever noticed it).
    pub fn core_kind(kind: ErrorKind, reason: impl Into<String>) -> Self {
        Self {
            kind: Kind::Core(kind),
            reason: reason.into(),
            hint: None,
        }
    }

    /// A usage error.
    pub fn usage(reason: impl Into<String>) -> Self {
        Self::shell(ShellKind::Usage, reason)
    }

    /// This error with a line of advice for people (not printed with `--json`).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Its reason.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Its advice for people, if any.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The process's exit code for it.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.kind.exit_code())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.reason)
    }
}

impl From<lofavor_core::Error> for CliError {
    fn from(e: lofavor_core::Error) -> Self {
        Self::core_kind(e.kind(), e.reason())
    }
}

/// A value the shell itself turns into JSON could not be: a bug, reported as the core
/// reports its own.
impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        Self::core_kind(ErrorKind::Internal, format!("cannot write JSON: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_failures_keep_the_core_kind_and_the_exit_codes_are_distinct() {
        let network = CliError::core_kind(ErrorKind::Network, "no route");
        assert_eq!(network.kind().as_str(), "network");
        assert_eq!(network.kind().exit_code(), EXIT_NETWORK);
        let missing = CliError::core_kind(ErrorKind::DatabaseKeyMissing, "gone");
        assert_eq!(missing.kind().as_str(), "database_key_missing");
        assert_eq!(missing.kind().exit_code(), EXIT_FAILED);
        assert_eq!(CliError::usage("x").kind().exit_code(), EXIT_USAGE);
        assert_eq!(
            CliError::shell(ShellKind::SecureStoreMismatch, "x")
                .kind()
                .exit_code(),
            EXIT_USAGE
        );
        assert_eq!(missing.to_string(), "database_key_missing: gone");
    }

    #[test]
    fn shell_kinds_are_snake_case() {
        for kind in [
            ShellKind::Usage,
            ShellKind::SecureStoreMismatch,
            ShellKind::DataDir,
            ShellKind::File,
            ShellKind::ServerStart,
            ShellKind::LoginListener,
            ShellKind::LoginTimeout,
            ShellKind::CheckFailed,
        ] {
            let name = kind.as_str();
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
    }
}
