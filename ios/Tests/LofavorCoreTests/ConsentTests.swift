import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

/// Consents through the Swift bindings at the reference server, as the iOS app uses them: the
/// glue checks of tests/kotlin/src/no/lofavor/core/tests/ConsentBindingsTest.kt (the screen
/// model, the explicit-confirmation rule, the history with signed receipts, a changed receipt
/// refused), not a second copy of the core's logic tests.
final class ConsentTests: XCTestCase {
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

    func testAPartnerConsentNeedsTheExplicitConfirmationAndItsReceiptsVerify() async throws {
        let server = try ReferenceServer.shared()
        let base = testConfig(dir, apiBaseUrl: server.baseURL)
        // The records are immutable: a copy with the server's issuer and trust anchor.
        let config = CoreConfig(
            dataDir: base.dataDir, apiBaseUrl: base.apiBaseUrl, oidcIssuer: server.baseURL + "oidc",
            oidcClientId: base.oidcClientId, redirectUri: base.redirectUri, locale: base.locale,
            secureStore: base.secureStore, trustAnchors: [server.trustAnchor]
        )
        try await withCoreAsync(config, store: SwiftSecureStore()) { core in
            let url = try await core.auth().beginLogin()
            _ = try await core.auth().completeLogin(redirectUrl: try await pickMember(url, member: "ola"))
            let consent = core.consent()

            let screen = try consent.screen()
            XCTAssertTrue(screen.needsAnswer)
            XCTAssertFalse(screen.purposes.contains { $0.switchedOn }, "a purpose is pre-ticked")
            let partner = try XCTUnwrap(screen.purposes.first { $0.partnerSharing })
            XCTAssertNotNil(partner.explicitConfirmation)
            XCTAssertFalse(screen.firstLayer.acceptAllLabel.isEmpty)
            XCTAssertFalse(screen.firstLayer.refuseAllLabel.isEmpty)

            let before = try consent.history().filter { $0.madeHere }.count
            await assertThrowsLofavorErrorAsync("explicit_confirmation_required") {
                try await consent.set(purpose: partner.id, given: true, explicit: false, screen: "ios.test")
            }
            await assertThrowsLofavorErrorAsync("explicit_confirmation_required") {
                try await consent.acceptAll(explicit: false)
            }
            XCTAssertEqual(try consent.history().filter { $0.madeHere }.count, before, "a refused yes was recorded")

            let given = try await consent.set(purpose: partner.id, given: true, explicit: true, screen: "ios.test")
            XCTAssertEqual(given.decision, "given")
            let withdrawn = try await consent.set(purpose: partner.id, given: false, explicit: false, screen: "ios.test")
            XCTAssertEqual(withdrawn.decision, "withdrawn")
            let report = try await consent.sync()
            XCTAssertEqual(report.pending, 0)

            let mine = try consent.history().filter { $0.madeHere }
            XCTAssertEqual(mine.prefix(2).map(\.recordId), [withdrawn.recordId, given.recordId], "newest first")
            XCTAssertEqual(mine.prefix(2).map(\.state), ["synced", "synced"])
            _ = try await consent.refreshCatalogue()
            let receipt = try XCTUnwrap(mine.first?.receipt)
            let claims = try consent.verifyReceipt(receipt: receipt)
            XCTAssertEqual(claims.purpose, partner.id)
            XCTAssertEqual(claims.decision, "withdrawn")
            var altered = receipt
            let at = altered.startIndex + altered.count / 2
            altered[at] ^= 0x01
            assertThrowsLofavorError("tampered") { try consent.verifyReceipt(receipt: altered) }
            XCTAssertFalse(try consent.exportReceipts().isEmpty)
        }
    }
}
