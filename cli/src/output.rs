//! Printing for people or for machines (`--json`).

use serde_json::Value;

use crate::error::CliError;

/// Where results go: text lines for people, one JSON document for machines.
pub struct Output {
    json: bool,
}

impl Output {
    /// Output in the chosen mode.
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Whether results go out as one JSON document.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// A line of text (not printed in JSON mode).
    pub fn line(&self, text: impl AsRef<str>) {
        if !self.json {
            #[allow(clippy::print_stdout)]
            {
                println!("{}", text.as_ref());
            }
        }
    }

    /// A line printed in both modes, on standard output before the JSON document: what a
    /// person must act on while the command runs (the login URL).
    pub fn always(&self, text: &str) {
        if self.json {
            eprintln!("{text}");
        } else {
            #[allow(clippy::print_stdout)]
            {
                println!("{text}");
            }
        }
    }

    /// The result document (printed only in JSON mode).
    pub fn document(&self, value: &Value) {
        if self.json {
            #[allow(clippy::print_stdout)]
            {
                println!(
                    "{}",
                    serde_json::to_string_pretty(value).unwrap_or_default()
                );
            }
        }
    }

    /// A failure, on standard error: `lofavor: kind: reason` and its hint for people, or
    /// `{"error": {"kind": ..., "reason": ...}}` with `--json`.
    pub fn error(&self, error: &CliError) {
        if self.json {
            eprintln!("{}", error_document(error));
        } else {
            eprintln!("lofavor: {error}");
            if let Some(hint) = error.hint() {
                eprintln!("{hint}");
            }
        }
    }
}

/// The JSON form of a failure: `{"error": {"kind": ..., "reason": ...}}`.
pub fn error_document(error: &CliError) -> Value {
    serde_json::json!({ "error": error_json(error) })
}

/// A failure's kind and reason as a JSON object, for documents that report one.
pub fn error_json(error: &CliError) -> Value {
    serde_json::json!({ "kind": error.kind().as_str(), "reason": error.reason() })
}
