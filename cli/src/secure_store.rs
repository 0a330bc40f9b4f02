//! Which secure store holds a data directory's database key, remembered in the directory.
//!
//! The key of the encrypted store lives in one secure store (the OS keystore, the stand-in
//! file, or memory). A command that opens the directory with another store finds no key and
//! fails with `database_key_missing`, which tells a newcomer nothing of the flag they left
//! out: `lofavor --data-dir D demo` keeps its key in the stand-in file, and a plain
//! `lofavor --data-dir D certificate show` would look in the OS keystore. So the first time
//! a command opens a directory, the store it used is written to a small note in it
//! (`secure-store.json`: the store's name, nothing secret), and later commands use that store
//! when `--secure-store` is not given. A flag that names another store is refused with the
//! flag that opens the directory, before anything is opened.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use lofavor_core::SecureStoreChoice;
use lofavor_core::store::DATABASE_FILE;
use serde::{Deserialize, Serialize};

use crate::args::SecureStoreArg;
use crate::error::{CliError, ShellKind};

/// The note's file name in the data directory.
const NOTE_FILE: &str = "secure-store.json";

/// What the note holds.
#[derive(Debug, Serialize, Deserialize)]
struct Note {
    /// The store the directory's key is in, by its `--secure-store` name.
    secure_store: SecureStoreArg,
}

/// The note's path in `data_dir`.
fn note_path(data_dir: &Path) -> PathBuf {
    data_dir.join(NOTE_FILE)
}

/// The core's directory inside `data_dir`.
pub fn core_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("core")
}

/// The flag that opens a directory whose key is in `store`.
pub fn flag(store: SecureStoreArg) -> String {
    let name = store
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default();
    format!("--secure-store {name}")
}

/// What people call `store`.
fn described(store: SecureStoreArg) -> &'static str {
    match store {
        SecureStoreArg::OsKeystore => "the OS keystore",
        SecureStoreArg::InsecureFile => "the stand-in file beside the data directory",
        SecureStoreArg::Memory => "memory (forgotten when that command ended)",
    }
}

/// The store the directory remembers, if it has a database and a note. A note that cannot
/// be read is an error only when it is needed (no `--secure-store`).
fn remembered(data_dir: &Path) -> Result<Option<SecureStoreArg>, CliError> {
    if !core_dir(data_dir).join(DATABASE_FILE).exists() {
        // No database yet (or it was removed): whatever a note says holds no key.
        return Ok(None);
    }
    let text = match std::fs::read_to_string(note_path(data_dir)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::shell(
                ShellKind::DataDir,
                format!("cannot read {NOTE_FILE} in the data directory: {e}"),
            ));
        }
    };
    serde_json::from_str::<Note>(&text)
        .map(|note| Some(note.secure_store))
        .map_err(|_| {
            CliError::shell(
                ShellKind::DataDir,
                format!("{NOTE_FILE} in the data directory is damaged"),
            )
            .with_hint("Pass --secure-store to say where this directory's key is.")
        })
}

/// The store to open `data_dir` with: `flag` if given, else the one the directory
/// remembers, else `default`. A flag that contradicts the directory is a usage error naming
/// the flag that opens it.
pub fn resolve(
    flag_given: Option<SecureStoreArg>,
    data_dir: &Path,
    default: SecureStoreArg,
) -> Result<SecureStoreArg, CliError> {
    let kept = match (flag_given, remembered(data_dir)) {
        (None, Err(e)) => return Err(e),
        // The flag says where the key is; a damaged note is rewritten once it opens.
        (Some(_), Err(_)) => None,
        (_, Ok(kept)) => kept,
    };
    match (flag_given, kept) {
        (Some(given), Some(kept)) if given != kept => Err(CliError::shell(
            ShellKind::SecureStoreMismatch,
            format!(
                "this data directory keeps its database key in {}: open it with {} \
                 (or without --secure-store), not with {}",
                described(kept),
                flag(kept),
                flag(given)
            ),
        )),
        (Some(given), _) => Ok(given),
        (None, Some(kept)) => Ok(kept),
        (None, None) => Ok(default),
    }
}

/// Remembers that `data_dir`'s key is in `store`, once the core opened with it. Written
/// through a temporary file and a rename, so a concurrent command never reads half a note.
pub fn remember(data_dir: &Path, store: SecureStoreArg) -> Result<(), CliError> {
    if matches!(remembered(data_dir), Ok(Some(kept)) if kept == store) {
        return Ok(());
    }
    let failed = |e: std::io::Error| {
        CliError::shell(
            ShellKind::DataDir,
            format!("cannot write {NOTE_FILE} in the data directory: {e}"),
        )
    };
    let text = serde_json::to_string(&Note {
        secure_store: store,
    })?;
    let mut file = tempfile::NamedTempFile::new_in(data_dir).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.persist(note_path(data_dir))
        .map_err(|e| failed(e.error))?;
    Ok(())
}

/// The core's configuration for `store`. The stand-in file sits beside the data directory,
/// not inside it, so copying the directory does not copy its key.
pub fn choice(store: SecureStoreArg, data_dir: &Path) -> SecureStoreChoice {
    match store {
        SecureStoreArg::OsKeystore => SecureStoreChoice::OsKeystore,
        SecureStoreArg::Memory => SecureStoreChoice::MemoryStandIn,
        SecureStoreArg::InsecureFile => {
            let mut name = data_dir.file_name().unwrap_or_default().to_os_string();
            name.push(".stand-in-secrets.json");
            SecureStoreChoice::InsecureFileStandIn {
                path: data_dir.with_file_name(name),
            }
        }
    }
}

/// Advice for a core that would not open with `store`.
pub fn hint_for(kind: lofavor_core::ErrorKind, store: SecureStoreArg) -> Option<String> {
    use lofavor_core::ErrorKind;
    match (kind, store) {
        (ErrorKind::SecureStoreUnavailable, SecureStoreArg::OsKeystore) => Some(
            "This machine has no usable OS keystore. Run with --secure-store insecure-file \
             (a stand-in file readable only by you) or --secure-store memory."
                .into(),
        ),
        (ErrorKind::DatabaseKeyMissing, SecureStoreArg::Memory) => Some(
            "This data directory was made with --secure-store memory, whose key is forgotten \
             when a command ends: its data cannot be opened again. Use another data directory \
             to start afresh."
                .into(),
        ),
        (ErrorKind::DatabaseKeyMissing, _) => Some(format!(
            "The database key is not in {}. If the directory was made with another \
             --secure-store, pass that one; the data is kept untouched.",
            described(store)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A data directory with a database file, as the core leaves it.
    fn opened_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(core_dir(dir.path())).unwrap();
        std::fs::write(core_dir(dir.path()).join(DATABASE_FILE), b"x").unwrap();
        dir
    }

    #[test]
    fn a_directory_remembers_its_store_and_refuses_another_flag() {
        let dir = opened_dir();
        let data = dir.path();
        assert_eq!(
            resolve(None, data, SecureStoreArg::OsKeystore).unwrap(),
            SecureStoreArg::OsKeystore
        );
        remember(data, SecureStoreArg::InsecureFile).unwrap();
        assert_eq!(
            resolve(None, data, SecureStoreArg::OsKeystore).unwrap(),
            SecureStoreArg::InsecureFile
        );
        assert_eq!(
            resolve(
                Some(SecureStoreArg::InsecureFile),
                data,
                SecureStoreArg::Memory
            )
            .unwrap(),
            SecureStoreArg::InsecureFile
        );
        let refused = resolve(
            Some(SecureStoreArg::OsKeystore),
            data,
            SecureStoreArg::Memory,
        )
        .unwrap_err();
        assert_eq!(refused.kind().as_str(), "secure_store_mismatch");
        assert!(
            refused.reason().contains("--secure-store insecure-file"),
            "{}",
            refused.reason()
        );
    }

    #[test]
    fn a_note_without_a_database_holds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        remember(dir.path(), SecureStoreArg::Memory).unwrap();
        assert_eq!(
            resolve(
                Some(SecureStoreArg::OsKeystore),
                dir.path(),
                SecureStoreArg::Memory
            )
            .unwrap(),
            SecureStoreArg::OsKeystore
        );
    }

    #[test]
    fn a_damaged_note_needs_the_flag() {
        let dir = opened_dir();
        std::fs::write(dir.path().join(NOTE_FILE), b"{not json").unwrap();
        let refused = resolve(None, dir.path(), SecureStoreArg::OsKeystore).unwrap_err();
        assert_eq!(refused.kind().as_str(), "data_dir");
        assert_eq!(
            resolve(
                Some(SecureStoreArg::Memory),
                dir.path(),
                SecureStoreArg::OsKeystore
            )
            .unwrap(),
            SecureStoreArg::Memory
        );
    }
}
