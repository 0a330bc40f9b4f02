import Foundation

/// Why the reference server could not be started.
struct ReferenceServerError: Error, CustomStringConvertible {
    let description: String
}

/// The real reference server binary on a free loopback port, as in the Kotlin tests.
///
/// The binary's path comes from the environment variable `LOFAVOR_SERVER_BIN`
/// (`cargo build -p lofavor-server` builds it to `target/debug/lofavor-server`). A relative
/// path is tried against the working directory and then against the repository root, since
/// `swift test` may run the tests from either. macOS test host only: iOS has no `Process`.
final class ReferenceServer {
    /// Base URL of the member API, ending in `/`.
    let baseURL: String
    /// Its trust anchor (printed on start, never served), for a core that checks what the
    /// server signs (the consent catalogue, roadside lists).
    let trustAnchor: String

    private let process: Process
    private let output: FileHandle
    private let dataDir: URL

    /// Starts the server and waits for its first three stdout lines: `listening on http://…/`,
    /// its issuer, and `trust anchor …`.
    init() throws {
        let binary = try ReferenceServer.binaryURL()
        let dataDir = try makeTemporaryDirectory("lofavor-server")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--bind", "127.0.0.1:0", "--data-dir", dataDir.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        let output = stdout.fileHandleForReading

        func giveUp(_ reason: String) -> ReferenceServerError {
            ReferenceServer.terminate(process)
            try? FileManager.default.removeItem(at: dataDir)
            return ReferenceServerError(description: reason)
        }

        do {
            try process.run()
        } catch {
            throw giveUp("could not start \(binary.path): \(error)")
        }

        // A server that never says where it listens would hang the test run: stop it after a
        // while, which ends the read below with end-of-file.
        let watchdog = DispatchWorkItem {
            if process.isRunning { process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        let lines = ReferenceServer.readLines(output, count: 3)
        watchdog.cancel()

        guard let line = lines.first else {
            throw giveUp("lofavor-server exited before listening")
        }
        guard lines.count == 3, lines[2].hasPrefix("trust anchor ") else {
            throw giveUp("lofavor-server did not name its trust anchor")
        }
        let url = line.replacingOccurrences(of: "listening on ", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.hasPrefix("http://127.0.0.1:") else {
            throw giveUp("unexpected first line: \(line)")
        }
        // Keep reading what the server prints so a full pipe never blocks it; at end-of-file
        // stop, or the handler would be called again and again with nothing.
        output.readabilityHandler = { handle in
            if handle.availableData.isEmpty { handle.readabilityHandler = nil }
        }

        self.process = process
        self.output = output
        self.dataDir = dataDir
        baseURL = url.hasSuffix("/") ? url : url + "/"
        trustAnchor = String(lines[2].dropFirst("trust anchor ".count))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server and removes its data.
    func stop() {
        output.readabilityHandler = nil
        ReferenceServer.terminate(process)
        try? FileManager.default.removeItem(at: dataDir)
    }

    /// SIGTERM, then SIGKILL if the process is still there after five seconds.
    private static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The first `count` lines `handle` delivers, without their newlines; fewer at end-of-file.
    private static func readLines(_ handle: FileHandle, count: Int) -> [String] {
        var bytes = Data()
        while true {
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if lines.count > count {
                return lines.prefix(count).map { String(decoding: $0, as: UTF8.self) }
            }
            let chunk = handle.availableData // blocks until data or end-of-file
            if chunk.isEmpty {
                return lines.filter { !$0.isEmpty }.map { String(decoding: $0, as: UTF8.self) }
            }
            bytes.append(chunk)
        }
    }

    /// The server binary named by `LOFAVOR_SERVER_BIN`.
    private static func binaryURL() throws -> URL {
        guard let value = ProcessInfo.processInfo.environment["LOFAVOR_SERVER_BIN"], !value.isEmpty
        else {
            throw ReferenceServerError(description: """
            LOFAVOR_SERVER_BIN is not set: build the server with `cargo build -p lofavor-server` \
            and set LOFAVOR_SERVER_BIN=target/debug/lofavor-server
            """)
        }
        let fileManager = FileManager.default
        let candidates: [URL]
        if value.hasPrefix("/") {
            candidates = [URL(fileURLWithPath: value)]
        } else {
            // This file is ios/Tests/LofavorCoreTests/ReferenceServer.swift.
            let repositoryRoot = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent() // LofavorCoreTests
                .deletingLastPathComponent() // Tests
                .deletingLastPathComponent() // ios
                .deletingLastPathComponent()
            candidates = [
                URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent(value),
                repositoryRoot.appendingPathComponent(value),
            ]
        }
        guard let found = candidates.first(where: { fileManager.isExecutableFile(atPath: $0.path) })
        else {
            throw ReferenceServerError(
                description: "LOFAVOR_SERVER_BIN=\(value): no executable file there")
        }
        return found
    }
}

extension ReferenceServer {
    private static let sharedLock = NSLock()
    private static var sharedServer: ReferenceServer?

    /// One server for the whole test class, started on first use (the Kotlin tests start one
    /// per class, too).
    static func shared() throws -> ReferenceServer {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let server = sharedServer {
            return server
        }
        let server = try ReferenceServer()
        sharedServer = server
        return server
    }

    /// Stops the shared server, if one was started.
    static func stopShared() {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        sharedServer?.stop()
        sharedServer = nil
    }
}

/// A loopback port nobody listens on: bound to port 0 so the system picks a free one, then
/// closed again.
func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    guard fd >= 0 else { throw ReferenceServerError(description: "socket() failed") }
    defer { close(fd) }

    var address = sockaddr_in()
    address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)

    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw ReferenceServerError(description: "bind() failed") }
    let named = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw ReferenceServerError(description: "getsockname() failed") }
    return UInt16(bigEndian: address.sin_port)
}
