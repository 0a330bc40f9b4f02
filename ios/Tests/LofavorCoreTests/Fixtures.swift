import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

// The Swift counterparts of tests/kotlin/src/no/lofavor/core/tests/Fixtures.kt.

/// A keystore written in Swift, as a shell would write one; it records what the core asks of
/// it. The core calls it from its own threads, so every access holds the lock.
final class SwiftSecureStore: SecureStore, @unchecked Sendable {
    private let lock = NSLock()
    private var secrets: [String: Data]
    private var calls: [String] = []

    /// A store that starts with `secrets`.
    init(secrets: [String: Data] = [:]) {
        self.secrets = secrets
    }

    /// The secrets held right now.
    var snapshot: [String: Data] {
        locked { () -> [String: Data] in secrets }
    }

    /// The operations the core called, in order (`get`, `put`, `delete`).
    var recordedCalls: [String] {
        locked { () -> [String] in calls }
    }

    func get(name: String) throws -> Data? {
        locked { () -> Data? in
            calls.append("get")
            return secrets[name]
        }
    }

    func put(name: String, secret: Data) throws {
        locked { () -> Void in
            calls.append("put")
            secrets[name] = secret
        }
    }

    func delete(name: String) throws {
        locked { () -> Void in
            calls.append("delete")
            secrets[name] = nil
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// An error the `SecureStore` protocol does not declare, with a text that must not travel.
struct ExplodedKeystore: Error, CustomStringConvertible {
    var description: String { "keystore exploded" }
}

/// A keystore that is locked, as on a device before the first unlock after a restart; or,
/// with `unexpected`, one that throws an error the protocol does not declare.
final class LockedSecureStore: SecureStore, @unchecked Sendable {
    private let unexpected: Bool

    /// A locked store; `unexpected` makes it throw an undeclared Swift error instead.
    init(unexpected: Bool) {
        self.unexpected = unexpected
    }

    private func fail() throws -> Never {
        if unexpected {
            throw ExplodedKeystore()
        }
        throw SecureStoreError.Unavailable(reason: "device locked")
    }

    func get(name: String) throws -> Data? { try fail() }
    func put(name: String, secret: Data) throws { try fail() }
    func delete(name: String) throws { try fail() }
}

/// Collects the core's log lines.
final class CollectingLogger: CoreLogger, @unchecked Sendable {
    /// One line the core wrote.
    struct Line: CustomStringConvertible {
        let level: LogLevel
        let target: String
        let message: String
        var description: String { "\(level) \(target): \(message)" }
    }

    private let lock = NSLock()
    private var collected: [Line] = []

    /// The lines so far.
    var lines: [Line] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }

    func log(level: LogLevel, target: String, message: String) {
        lock.lock()
        defer { lock.unlock() }
        collected.append(Line(level: level, target: target, message: message))
    }
}

/// A configuration for a core in `dir` talking to `apiBaseUrl`.
func testConfig(
    _ dir: URL,
    apiBaseUrl: String = "http://127.0.0.1:9/",
    secureStore: SecureStoreChoice = SecureStoreChoice.shellProvided
) -> CoreConfig {
    CoreConfig(
        dataDir: dir.path,
        apiBaseUrl: apiBaseUrl,
        oidcIssuer: apiBaseUrl,
        oidcClientId: "lofavor-ios",
        redirectUri: "no.lofavor.app:/oauth2redirect",
        locale: AppLocale.nb,
        secureStore: secureStore,
        trustAnchors: []
    )
}

/// Opens a core, hands it to `body` and lets it go when `body` returns: the Swift form of
/// Kotlin's `LofavorCore(...).use { }`. The core closes when its last reference is gone.
@discardableResult
func withCore<T>(
    _ config: CoreConfig,
    store: SecureStore?,
    logger: CoreLogger? = nil,
    _ body: (LofavorCore) throws -> T
) throws -> T {
    let core = try LofavorCore(config: config, secureStore: store, logger: logger)
    return try body(core)
}

/// `withCore` for a body that awaits the core's async exports.
@discardableResult
func withCoreAsync<T>(
    _ config: CoreConfig,
    store: SecureStore?,
    logger: CoreLogger? = nil,
    _ body: (LofavorCore) async throws -> T
) async throws -> T {
    let core = try LofavorCore(config: config, secureStore: store, logger: logger)
    return try await body(core)
}

extension LofavorError {
    /// The reason text of any case (Kotlin's exceptions have it as a property).
    var reason: String {
        switch self {
        case let .InvalidConfig(reason), let .SecureStoreUnavailable(reason),
             let .DatabaseKeyMissing(reason), let .DatabaseWrongKey(reason),
             let .DatabaseCorrupt(reason), let .DatabaseTooNew(reason),
             let .DataDirectoryBusy(reason), let .Storage(reason),
             let .Network(reason), let .Server(reason), let .Protocol(reason),
             let .LoginCancelled(reason), let .LoginInvalid(reason), let .LoginRejected(reason),
             let .NotLoggedIn(reason), let .SessionEnded(reason), let .UnsyncedChanges(reason),
             let .InvalidInput(reason), let .CertificateUnavailable(reason),
             let .TrustListMissing(reason), let .ConsentRequired(reason),
             let .ExplicitConfirmationRequired(reason), let .NotFound(reason),
             let .DecisionRefused(reason), let .Tampered(reason), let .Expired(reason),
             let .Internal(reason):
            return reason
        }
    }
}

/// Checks what a call threw (`nil`: it threw nothing) against the expected `kind` (the
/// stable kind names of CoreFailure.swift); returns the `LofavorError` for further checks.
private func expectLofavorError(
    _ kind: String, thrown: Error?, file: StaticString, line: UInt
) -> LofavorError? {
    guard let thrown else {
        XCTFail("expected LofavorError \(kind), nothing was thrown", file: file, line: line)
        return nil
    }
    guard let error = thrown as? LofavorError else {
        XCTFail("expected LofavorError \(kind), got \(thrown)", file: file, line: line)
        return nil
    }
    XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
    return error
}

/// Runs `body`, which must throw a `LofavorError` of `kind`, and returns that error;
/// records a failure otherwise.
@discardableResult
func assertThrowsLofavorError<T>(
    _ kind: String,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () throws -> T
) -> LofavorError? {
    do {
        _ = try body()
        return expectLofavorError(kind, thrown: nil, file: file, line: line)
    } catch {
        return expectLofavorError(kind, thrown: error, file: file, line: line)
    }
}

/// `assertThrowsLofavorError` for an async `body`.
@discardableResult
func assertThrowsLofavorErrorAsync<T>(
    _ kind: String,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () async throws -> T
) async -> LofavorError? {
    do {
        _ = try await body()
        return expectLofavorError(kind, thrown: nil, file: file, line: line)
    } catch {
        return expectLofavorError(kind, thrown: error, file: file, line: line)
    }
}

/// A new empty directory under the temporary directory.
func makeTemporaryDirectory(_ prefix: String = "lofavor-tests") throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
