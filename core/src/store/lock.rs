//! The data directory's lock: one process opens the store at a time.
//!
//! A first open creates the key, the header and the database in steps that must not
//! interleave with another process doing the same (two keys, one header: a database that no
//! key opens). The lock is an advisory lock on a file in the data directory, taken with a
//! bounded wait; the operating system releases it when the process dies, so a killed opener
//! never leaves the directory locked.
//!
//! Through `fs4` (`flock` on Unix, `LockFileEx` on Windows), not std's `File::try_lock`: std
//! answers `Unsupported` on Android before Rust 1.98.

use std::fs::{File, OpenOptions};

use fs4::{FileExt, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use super::StoreError;

/// The lock file's name inside the data directory (empty; only its lock matters).
pub(crate) const LOCK_FILE: &str = "open.lock";

/// How long an opener waits for another to finish before it answers
/// [`StoreError::Busy`]. An open takes milliseconds; this allows for dozens in a row.
pub(crate) const OPEN_WAIT: Duration = Duration::from_secs(10);

/// The held lock; released when dropped.
#[derive(Debug)]
pub(crate) struct OpenLock {
    _file: Option<File>,
}

impl OpenLock {
    /// Takes the lock of `dir`, waiting up to `wait` for another opener to finish.
    pub(crate) fn acquire(dir: &Path, wait: Duration) -> Result<Self, StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(LOCK_FILE))?;
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(2);
        loop {
            // Spelled out: std's inherent `File::try_lock` would otherwise be chosen.
            match FileExt::try_lock(&file) {
                Ok(()) => return Ok(Self { _file: Some(file) }),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                    // A file system without locks: open as before rather than not at all.
                    log::warn!(target: "lofavor_core::store", "the data directory cannot be locked here");
                    return Ok(Self { _file: None });
                }
                Err(TryLockError::Error(e)) => return Err(e.into()),
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(StoreError::Busy);
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_opener_waits_a_bounded_time_and_is_told_busy() {
        let dir = tempfile::tempdir().unwrap();
        let held = OpenLock::acquire(dir.path(), OPEN_WAIT).unwrap();
        let started = Instant::now();
        let err = OpenLock::acquire(dir.path(), Duration::from_millis(200)).unwrap_err();
        assert!(matches!(err, StoreError::Busy), "{err}");
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(200), "{waited:?}");
        assert!(waited < Duration::from_secs(2), "{waited:?}");
        drop(held);
        OpenLock::acquire(dir.path(), Duration::from_millis(200)).unwrap();
    }

    #[test]
    fn the_lock_is_taken_over_as_soon_as_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let held = OpenLock::acquire(dir.path(), OPEN_WAIT).unwrap();
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || OpenLock::acquire(&path, OPEN_WAIT).is_ok());
        std::thread::sleep(Duration::from_millis(100));
        drop(held);
        assert!(waiter.join().unwrap());
    }
}
