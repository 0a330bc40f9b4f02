import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

/// The bindings, against the real compiled library and the real reference server: the same
/// checks as tests/kotlin/src/no/lofavor/core/tests/CoreBindingsTest.kt, from Swift.
///
/// Needs `LOFAVOR_SERVER_BIN` naming the reference server binary; the panic check also needs
/// the library built with the test hooks (see `LOFAVOR_TEST_HOOKS` in Package.swift).
final class CoreBindingsTests: XCTestCase {
    /// A fresh temporary directory per test, removed afterwards.
    private var dir: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        dir = try makeTemporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let dir {
            try? FileManager.default.removeItem(at: dir)
        }
        try super.tearDownWithError()
    }

    override class func tearDown() {
        ReferenceServer.stopShared()
        super.tearDown()
    }

    /// Opens a core in a temporary directory and reports an encrypted store (sync export).
    func testOpensACoreInATemporaryDirectoryAndReportsAnEncryptedStore() async throws {
        let store = SwiftSecureStore()
        try withCore(testConfig(dir), store: store) { core in
            let info = try core.info()
            XCTAssertEqual(info.coreVersion, coreVersion())
            XCTAssertEqual(info.locale, AppLocale.nb)
            XCTAssertGreaterThanOrEqual(info.schemaVersion, 1)
            XCTAssertTrue(info.cipherVersion.hasPrefix("4."), info.cipherVersion)
            XCTAssertTrue(info.databaseEncrypted)
        }
        let header = try Data(contentsOf: dir.appendingPathComponent("lofavor.db")).prefix(15)
        let text = String(bytes: header, encoding: .isoLatin1) ?? ""
        XCTAssertFalse(text.hasPrefix("SQLite format"), "the database file has a plaintext header")
    }

    /// The database key lives in the Swift secure store and opens the store again.
    func testTheDatabaseKeyLivesInTheSwiftSecureStoreAndOpensTheStoreAgain() async throws {
        let store = SwiftSecureStore()
        try withCore(testConfig(dir), store: store) { _ in }
        let secrets = store.snapshot
        XCTAssertEqual(secrets.count, 1)
        let (name, key) = try XCTUnwrap(secrets.first)
        XCTAssertTrue(name.hasPrefix("db-key."), name)
        XCTAssertEqual(key.count, 32)
        XCTAssertTrue(store.recordedCalls.contains("put"), "\(store.recordedCalls)")

        // The key is not in any file of the data directory.
        let files = try FileManager.default.contentsOfDirectory(
            at: dir, includingPropertiesForKeys: [.isRegularFileKey])
        for file in files {
            guard try file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else {
                continue
            }
            let bytes = try Data(contentsOf: file)
            XCTAssertNil(bytes.range(of: key), "the key is in \(file.lastPathComponent)")
        }

        try withCore(testConfig(dir), store: store) { core in
            XCTAssertTrue(try core.info().databaseEncrypted)
        }
        XCTAssertEqual(store.snapshot[name], key, "the key was not replaced")
    }

    /// A wrong key and a missing key are typed errors.
    func testAWrongKeyAndAMissingKeyAreTypedErrors() async throws {
        let store = SwiftSecureStore()
        try withCore(testConfig(dir), store: store) { _ in }
        XCTAssertEqual(store.snapshot.count, 1)
        let name = try XCTUnwrap(store.snapshot.keys.first)

        let wrong = SwiftSecureStore(secrets: [name: Data(repeating: 7, count: 32)])
        let e1 = assertThrowsLofavorError("database_wrong_key") {
            try LofavorCore(config: testConfig(dir), secureStore: wrong, logger: nil)
        }
        if let e1 {
            XCTAssertFalse(e1.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        }

        let empty = SwiftSecureStore()
        assertThrowsLofavorError("database_key_missing") {
            try LofavorCore(config: testConfig(dir), secureStore: empty, logger: nil)
        }
        XCTAssertTrue(empty.snapshot.isEmpty, "no new key was made over existing data")

        try withCore(testConfig(dir), store: store) { core in
            XCTAssertTrue(try core.info().databaseEncrypted)
        }
    }

    /// A locked keystore surfaces as a typed error, declared or not.
    func testALockedKeystoreSurfacesAsATypedErrorDeclaredOrNot() async throws {
        assertThrowsLofavorError("secure_store_unavailable") {
            try LofavorCore(
                config: testConfig(dir), secureStore: LockedSecureStore(unexpected: false), logger: nil)
        }
        let e = assertThrowsLofavorError("secure_store_unavailable") {
            try LofavorCore(
                config: testConfig(dir), secureStore: LockedSecureStore(unexpected: true), logger: nil)
        }
        if let e {
            XCTAssertFalse(e.reason.contains("exploded"), "foreign error text is not passed on: \(e.reason)")
        }
    }

    /// Configuration mistakes are typed errors.
    func testConfigurationMistakesAreTypedErrors() async throws {
        assertThrowsLofavorError("invalid_config") {
            try LofavorCore(
                config: testConfig(dir, apiBaseUrl: "http://api.example.no/"),
                secureStore: SwiftSecureStore(), logger: nil)
        }
        assertThrowsLofavorError("invalid_config") {
            // ShellProvided without a store.
            try LofavorCore(config: testConfig(dir), secureStore: nil, logger: nil)
        }
        assertThrowsLofavorError("invalid_config") {
            // A stand-in chosen, and a store passed as well.
            try LofavorCore(
                config: testConfig(dir, secureStore: SecureStoreChoice.memoryStandIn),
                secureStore: SwiftSecureStore(), logger: nil)
        }
        try withCore(testConfig(dir, secureStore: SecureStoreChoice.memoryStandIn), store: nil) { core in
            XCTAssertTrue(try core.info().databaseEncrypted)
        }
    }

    /// The async export checks the reference server, also from 20 concurrent tasks.
    func testAsyncExportChecksTheReferenceServer() async throws {
        let server = try ReferenceServer.shared()
        let config = testConfig(dir, apiBaseUrl: server.baseURL)
        try await withCoreAsync(config, store: SwiftSecureStore()) { core in
            let status = try await core.checkServer()
            XCTAssertEqual(status.service, "lofavor-server")
            XCTAssertTrue(status.databaseOk)

            // Many concurrent calls from Swift tasks all complete on the core's runtime.
            let all = try await withThrowingTaskGroup(of: ServerStatus.self) { group -> [ServerStatus] in
                for _ in 0..<20 {
                    group.addTask { try await core.checkServer() }
                }
                var statuses: [ServerStatus] = []
                for try await status in group {
                    statuses.append(status)
                }
                return statuses
            }
            XCTAssertEqual(all.count, 20)
            XCTAssertTrue(all.allSatisfy { $0.service == "lofavor-server" }, "\(all)")
        }
    }

    /// The async export against nobody listening is a network error.
    func testAsyncExportAgainstNobodyListeningIsANetworkError() async throws {
        let port = try freeLoopbackPort()
        try await withCoreAsync(
            testConfig(dir, apiBaseUrl: "http://127.0.0.1:\(port)/"), store: SwiftSecureStore()
        ) { core in
            let e = await assertThrowsLofavorErrorAsync("network") {
                try await core.checkServer()
            }
            if let e {
                XCTAssertFalse(e.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            }
        }
    }

    #if LOFAVOR_TEST_HOOKS
    /// A panic in the core is an error, not a crash, and the core keeps working. Needs the
    /// library built with `--test-hooks` and `LOFAVOR_TEST_HOOKS=1 swift test`: the app build
    /// that CI tests has no hook to panic with.
    func testAPanicInTheCoreIsAnErrorAndTheCoreKeepsWorking() async throws {
        try await withCoreAsync(testConfig(dir), store: SwiftSecureStore()) { core in
            // uniffi throws a panic in a sync call as its UniffiInternalError.rustPanic(message).
            do {
                try core.triggerPanicForTests()
                XCTFail("the deliberate panic did not throw")
            } catch let error as LofavorError {
                XCTFail("a panic must not look like a typed error: \(error)")
            } catch {
                XCTAssertTrue(
                    String(reflecting: type(of: error)).contains("UniffiInternalError"),
                    String(reflecting: type(of: error)))
                let text = "\(error.localizedDescription) \(String(describing: error))"
                XCTAssertTrue(text.contains("deliberate panic"), text)
                XCTAssertEqual(coreFailureKind(error), "internal")
            }

            // In an async export, the core turns the panic into LofavorError.Internal.
            await assertThrowsLofavorErrorAsync("internal") {
                try await core.triggerAsyncPanicForTests()
            }

            XCTAssertTrue(try core.info().databaseEncrypted)
        }
    }
    #endif

    /// Log lines reach the Swift logger, without personal data.
    func testLogLinesReachTheSwiftLoggerWithoutPersonalData() async throws {
        let logger = CollectingLogger()
        try withCore(testConfig(dir), store: SwiftSecureStore(), logger: logger) { _ in }
        let lines = logger.lines
        XCTAssertTrue(
            lines.contains { $0.target.hasPrefix("lofavor_core") && $0.message.contains("core opened") },
            "\(lines)")
        // macOS reaches the temporary directory through a symbolic link: check both spellings.
        let paths = [dir.path, dir.resolvingSymlinksInPath().path]
        XCTAssertFalse(
            lines.contains { line in paths.contains { line.message.contains($0) } },
            "no paths in log lines: \(lines)")
    }

    /// The top-level functions.
    func testTopLevelFunctions() async throws {
        XCTAssertEqual(localeFromTag(tag: "nn-NO"), AppLocale.nn)
        XCTAssertEqual(localeFromTag(tag: "no"), AppLocale.nb)
        XCTAssertNil(localeFromTag(tag: "sv-SE"))
        XCTAssertNotNil(
            coreVersion().range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression), coreVersion())
    }
}
