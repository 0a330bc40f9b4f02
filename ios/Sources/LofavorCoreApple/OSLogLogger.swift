import os
#if canImport(LofavorCore)
import LofavorCore
#endif

/// The core's `Logger` on Apple's unified logging: one `os.Logger` per log target, subsystem
/// `no.lofavor.core`, category = the Rust target (`lofavor_core`, `lofavor_core::store`, …),
/// so Console.app and `log stream --predicate 'subsystem == "no.lofavor.core"'` can filter
/// by part of the core.
///
/// Messages are logged with `privacy: .public`: the core never writes personal data (no
/// names, national identity numbers, tokens, coordinates, and never union membership) into a
/// log line, so there is nothing to redact, and redacted lines would be useless in a
/// sysdiagnose from the field.
///
/// Re-entrancy: the core may hold a lock while it logs. Nothing here may call back into the
/// core (no `LofavorCore` method).
///
/// `CoreLogger` is the core's `Logger` protocol; the alias keeps it apart from `os.Logger`.
public final class OSLogLogger: CoreLogger {
    /// The unified-logging subsystem of the core's lines.
    public static let defaultSubsystem = "no.lofavor.core"

    private let subsystem: String

    /// A logger that writes under `subsystem`.
    public init(subsystem: String = OSLogLogger.defaultSubsystem) {
        self.subsystem = subsystem
    }

    /// Writes one line of the core at the matching unified-logging level.
    public func log(level: LogLevel, target: String, message: String) {
        // os.Logger values are cheap handles onto a cached os_log_t: no cache of our own.
        let logger = os.Logger(subsystem: subsystem, category: target)
        switch level {
        case LogLevel.error:
            logger.error("\(message, privacy: .public)")
        case LogLevel.warn:
            logger.warning("\(message, privacy: .public)")
        case LogLevel.info:
            logger.info("\(message, privacy: .public)")
        case LogLevel.debug:
            logger.debug("\(message, privacy: .public)")
        }
    }
}
