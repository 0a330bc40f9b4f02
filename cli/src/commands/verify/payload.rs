//! The payload text `lofavor verify` checks: from the command line, from standard input
//! (`--payload -`) or from a file (`--payload-file FILE`). Whitespace around it is not part
//! of a payload (a file or a pipe usually ends in a newline) and is dropped; what is read is
//! bounded, so a stray file or stream cannot exhaust memory.

use std::io::Read;
use std::path::Path;

use lofavor_core::ErrorKind;

use crate::error::{CliError, ShellKind};

/// The most bytes read from a file or standard input: far above the longest payload a QR
/// code holds (4296 alphanumeric characters at version 40).
const MAX_PAYLOAD_BYTES: u64 = 64 * 1024;

/// The payload `--payload TEXT` gives; `-` reads standard input to its end.
pub fn from_argument(text: &str) -> Result<String, CliError> {
    if text == "-" {
        read_bounded(std::io::stdin().lock(), "standard input")
    } else {
        trimmed(text)
    }
}

/// The payload in the file at `path`.
pub fn from_file(path: &Path) -> Result<String, CliError> {
    let file = std::fs::File::open(path).map_err(|e| {
        CliError::shell(
            ShellKind::File,
            format!("cannot read the payload file: {e}"),
        )
    })?;
    read_bounded(file, "the payload file")
}

/// At most [`MAX_PAYLOAD_BYTES`] of `reader` as trimmed text; `what` names it in errors.
fn read_bounded(reader: impl Read, what: &str) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_PAYLOAD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::shell(ShellKind::File, format!("cannot read {what}: {e}")))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_PAYLOAD_BYTES {
        return Err(CliError::core_kind(
            ErrorKind::InvalidInput,
            format!("{what} holds more than {MAX_PAYLOAD_BYTES} bytes: not a payload"),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::core_kind(
            ErrorKind::InvalidInput,
            format!("{what} is not text: not a payload"),
        )
    })?;
    trimmed(&text)
}

/// `text` without the whitespace around it; nothing left is an error, not a verdict.
fn trimmed(text: &str) -> Result<String, CliError> {
    match text.trim() {
        "" => Err(CliError::core_kind(
            ErrorKind::InvalidInput,
            "the payload is empty",
        )),
        payload => Ok(payload.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn whitespace_around_a_payload_is_dropped_and_inside_it_kept() {
        assert_eq!(from_argument("VH1:ABC\n").unwrap(), "VH1:ABC");
        assert_eq!(read_bounded(&b"  VH1:A B\r\n"[..], "x").unwrap(), "VH1:A B");
    }

    #[test]
    fn empty_huge_and_binary_input_are_refused_with_invalid_input() {
        for input in [
            b" \n".to_vec(),
            vec![b'A'; 64 * 1024 + 1],
            vec![0xff, 0xfe, b'A'],
        ] {
            let refused = read_bounded(&input[..], "x").unwrap_err();
            assert_eq!(refused.kind().as_str(), "invalid_input");
        }
        assert!(read_bounded(&vec![b'A'; 64 * 1024][..], "x").is_ok());
    }

    #[test]
    fn a_missing_file_is_a_file_error() {
        let dir = tempfile::tempdir().unwrap();
        let refused = from_file(&dir.path().join("none.txt")).unwrap_err();
        assert_eq!(refused.kind().as_str(), "file");
    }
}
