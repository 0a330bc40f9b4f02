import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

/// Records session events, as the app's view model receives them.
final class RecordingListener: SessionListener, @unchecked Sendable {
    private let lock = NSLock()
    private var received: [SessionEvent] = []

    func onSessionEvent(event: SessionEvent) {
        lock.lock()
        received.append(event)
        lock.unlock()
    }

    /// The events so far.
    var events: [SessionEvent] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Waits up to five seconds for `count` events.
    func waitFor(count: Int) async -> [SessionEvent] {
        for _ in 0..<500 where events.count < count {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return events
    }
}

/// Does not follow redirects: the last one leads to the app's private-use scheme, which is
/// what ASWebAuthenticationSession hands back to the app.
private final class NoRedirects: NSObject, URLSessionTaskDelegate {
    func urlSession(
        _ session: URLSession, task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// The member picks `member` on the reference server's development login page; returns the
/// redirect to the app.
func pickMember(_ authorizationURL: String, member: String) async throws -> String {
    let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
    let (pageData, _) = try await session.data(from: try XCTUnwrap(URL(string: authorizationURL)))
    let page = String(decoding: pageData, as: UTF8.self)
    let form = try XCTUnwrap(
        page.components(separatedBy: "<form").first { $0.contains("value=\"\(member)\"") })
    let marker = "name=\"request\" value=\""
    let start = try XCTUnwrap(form.range(of: marker)).upperBound
    let request = String(form[start...].prefix { $0 != "\"" })
    var post = URLRequest(
        url: try XCTUnwrap(URL(string: "/oidc/authorize/decision", relativeTo: URL(string: authorizationURL))))
    post.httpMethod = "POST"
    post.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "content-type")
    post.httpBody = Data("request=\(request)&member=\(member)".utf8)
    let (_, response) = try await session.data(for: post)
    let http = try XCTUnwrap(response as? HTTPURLResponse)
    return try XCTUnwrap(http.value(forHTTPHeaderField: "Location"))
}

/// Login through the bindings at the reference server's issuer, as the iOS app does it: the
/// same checks as tests/kotlin/src/no/lofavor/core/tests/LoginBindingsTest.kt.
final class LoginTests: XCTestCase {
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

    func testAMemberLogsInIsToldToListenersAndLogsOut() async throws {
        let server = try ReferenceServer.shared()
        let base = testConfig(dir, apiBaseUrl: server.baseURL)
        // The bindings' records are immutable (uniffi.toml): a copy with the server's issuer.
        let config = CoreConfig(
            dataDir: base.dataDir, apiBaseUrl: base.apiBaseUrl, oidcIssuer: server.baseURL + "oidc",
            oidcClientId: "lofavor-ios", redirectUri: base.redirectUri, locale: base.locale,
            secureStore: base.secureStore, trustAnchors: base.trustAnchors
        )
        let store = SwiftSecureStore()
        let listener = RecordingListener()
        try await withCoreAsync(config, store: store) { core in
            let subscription = try core.auth().subscribeSession(listener: listener)
            let first = await listener.waitFor(count: 1)
            XCTAssertEqual(first.first, .loggedOut(reason: .notLoggedIn))

            let url = try await core.auth().beginLogin()
            XCTAssertTrue(url.contains("code_challenge_method=S256"), url)
            let back = try await pickMember(url, member: "kari")
            XCTAssertTrue(back.hasPrefix("no.lofavor.app:/oauth2redirect"), back)
            let member = try await core.auth().completeLogin(redirectUrl: back)
            XCTAssertEqual(member.subject, "kari")
            XCTAssertEqual(member.name, "Kari Nordmann")
            XCTAssertEqual(member.membership?.union, "Fellesforbundet")
            XCTAssertEqual(try core.auth().member(), member)

            let profile = try await core.auth().refreshProfile()
            XCTAssertEqual(profile.subject, "kari")
            let token = try await core.auth().accessToken()
            XCTAssertFalse(token.isEmpty)

            let outcome = try await core.auth().logout(force: false)
            XCTAssertTrue(outcome.revoked)
            XCTAssertNil(try core.auth().member())
            let events = await listener.waitFor(count: 4)
            XCTAssertEqual(events.last, .loggedOut(reason: .memberLoggedOut))
            await assertThrowsLofavorErrorAsync("not_logged_in") { _ = try await core.auth().accessToken() }
            subscription.cancel()
        }
    }
}
