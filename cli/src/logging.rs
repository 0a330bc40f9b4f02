//! Log lines on standard error, at the level `-v` chooses.
//!
//! The terminal shell is the host program, so it installs the process's `log` logger itself
//! (the core then forwards nothing of its own; see `lofavor_core::platform::install_logger`).
//! By default only warnings and errors are shown, so a command's output and the demo's
//! narrative are not interleaved with progress lines; `-v` adds the core's and the server's
//! milestones (info), `-vv` their detail (debug). Dependencies stay at warnings whatever the
//! level: their detail may quote URLs or headers.

use log::{Level, Log, Metadata, Record};

/// The stderr logger at one level.
struct StderrLog {
    level: Level,
}

impl Log for StderrLog {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        let max = if metadata.target().starts_with("lofavor") {
            self.level
        } else {
            Level::Warn
        };
        metadata.level() <= max
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let level = match record.level() {
                Level::Error => "Error",
                Level::Warn => "Warn",
                Level::Info => "Info",
                Level::Debug | Level::Trace => "Debug",
            };
            eprintln!("[{level} {}] {}", record.target(), record.args());
        }
    }

    fn flush(&self) {}
}

/// The level for `verbosity` times `-v`.
fn level_of(verbosity: u8) -> Level {
    match verbosity {
        0 => Level::Warn,
        1 => Level::Info,
        _ => Level::Debug,
    }
}

/// Installs the logger for the whole process; call once, before the core is opened.
pub fn install(verbosity: u8) {
    let level = level_of(verbosity);
    if log::set_boxed_logger(Box::new(StderrLog { level })).is_ok() {
        log::set_max_level(level.to_level_filter());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(verbosity: u8, target: &str, level: Level) -> bool {
        StderrLog {
            level: level_of(verbosity),
        }
        .enabled(&Metadata::builder().target(target).level(level).build())
    }

    #[test]
    fn warnings_by_default_more_with_v_and_dependencies_stay_quiet() {
        assert!(allows(0, "lofavor_core", Level::Warn));
        assert!(!allows(0, "lofavor_core", Level::Info));
        assert!(allows(1, "lofavor_core", Level::Info));
        assert!(!allows(1, "lofavor_core", Level::Debug));
        assert!(allows(2, "lofavor_server", Level::Debug));
        assert!(!allows(2, "hyper::proto", Level::Info));
        assert!(allows(2, "hyper::proto", Level::Warn));
    }
}
