//! Log lines go to the platform's logger (Logcat, os_log, standard error).
//!
//! The core logs through the `log` facade. One forwarding logger is installed for the whole
//! process; it sends each record to the platform [`Logger`] registered last. Panics are
//! logged here too (where they happened, never their message, which could quote data) so
//! that a panic caught at the FFI boundary still leaves a trace in the platform log.

use std::sync::{Arc, Once, RwLock};

/// How serious a log line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something unexpected that the core recovered from.
    Warn,
    /// A milestone worth keeping in the platform log.
    Info,
    /// Detail for developers.
    Debug,
}

/// The platform's log sink.
///
/// Messages never contain personal data: the core writes them that way. An implementation
/// must not call back into the core (see [`crate::platform`]).
pub trait Logger: Send + Sync {
    /// Writes one line.
    fn log(&self, level: LogLevel, target: &str, message: &str);
}

/// The desktop default: lines on standard error.
#[derive(Debug, Default, Clone, Copy)]
pub struct StderrLogger;

impl Logger for StderrLogger {
    fn log(&self, level: LogLevel, target: &str, message: &str) {
        eprintln!("[{level:?} {target}] {message}");
    }
}

static SINK: RwLock<Option<Arc<dyn Logger>>> = RwLock::new(None);
static INSTALL: Once = Once::new();

struct Forwarder;

impl log::Log for Forwarder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        level_allowed(metadata.target(), metadata.level())
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let sink = match SINK.read() {
            Ok(guard) => guard.clone(),
            Err(_) => return,
        };
        if let Some(sink) = sink {
            let level = match record.level() {
                log::Level::Error => LogLevel::Error,
                log::Level::Warn => LogLevel::Warn,
                log::Level::Info => LogLevel::Info,
                log::Level::Debug | log::Level::Trace => LogLevel::Debug,
            };
            sink.log(level, record.target(), &record.args().to_string());
        }
    }

    fn flush(&self) {}
}

/// Our own crates log at info and above; dependencies only warnings, because their debug
/// lines may quote URLs or headers.
fn level_allowed(target: &str, level: log::Level) -> bool {
    if target.starts_with("lofavor") {
        level <= log::Level::Info
    } else {
        level <= log::Level::Warn
    }
}

/// Sends the core's log lines to `logger` from now on, and makes sure panics are logged.
/// Safe to call more than once; the last logger wins.
pub fn install_logger(logger: Arc<dyn Logger>) {
    if let Ok(mut sink) = SINK.write() {
        *sink = Some(logger);
    }
    INSTALL.call_once(|| {
        // Another logger may already be installed by the host program; then ours stays off
        // and the host's logger gets the lines.
        if log::set_boxed_logger(Box::new(Forwarder)).is_ok() {
            log::set_max_level(log::LevelFilter::Info);
        }
        install_panic_hook();
    });
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".into());
        log::error!(target: "lofavor_core::panic", "panic at {place}");
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Capture(Mutex<Vec<(LogLevel, String, String)>>);

    impl Logger for Capture {
        fn log(&self, level: LogLevel, target: &str, message: &str) {
            self.0
                .lock()
                .unwrap()
                .push((level, target.to_owned(), message.to_owned()));
        }
    }

    #[test]
    fn forwards_our_lines_and_panics_but_not_dependency_chatter() {
        let capture = Arc::new(Capture::default());
        install_logger(capture.clone());
        log::info!(target: "lofavor_core::test", "hello {}", 1);
        log::info!(target: "hyper::proto", "dependency detail");
        let _ = std::panic::catch_unwind(|| panic!("a message that is not logged"));
        let lines = capture.0.lock().unwrap().clone();
        assert!(lines.contains(&(
            LogLevel::Info,
            "lofavor_core::test".into(),
            "hello 1".into()
        )));
        assert!(!lines.iter().any(|(_, t, _)| t.starts_with("hyper")));
        let panic_line = lines
            .iter()
            .find(|(_, t, _)| t == "lofavor_core::panic")
            .expect("panic logged");
        assert!(panic_line.2.contains("logging.rs"), "{}", panic_line.2);
        assert!(!panic_line.2.contains("not logged"));
    }
}
