import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

/// What the scanner and the certificate screen decide without a camera or a screen: the
/// verdict for each answer of the core, the luma copy, the one-frame gate, the status line.
final class ScannerLogicTests: XCTestCase {
    private let cover = RoadsideCover(
        product: CoverProduct.veihjelpPluss, productName: "Veihjelp Pluss",
        validFrom: "2026-01-01", validTo: "2026-12-31")
    private let when = Date(timeIntervalSince1970: 1_790_000_000)

    /// Each answer of the core is one of the five verdicts, with colour family and headline.
    func testEachAnswerIsOneOfFiveVerdicts() {
        let valid = ScanVerdict(.valid(cover: cover, holder: "Kari N.", vehicle: "EL 12345", expiresAt: when))
        XCTAssertEqual(valid.kind, .valid)
        XCTAssertEqual(valid.holder, "Kari N.")
        XCTAssertEqual(valid.coverName, "Veihjelp Pluss")
        XCTAssertEqual(valid.vehicle, "EL 12345")
        XCTAssertEqual(valid.until, when)
        XCTAssertEqual(valid.tone, .good)
        XCTAssertEqual(valid.headlineKey, "scan.valid")

        let expired = ScanVerdict(.expired(expiredAt: when))
        XCTAssertEqual(expired.kind, .expired)
        XCTAssertEqual(expired.tone, .bad)
        XCTAssertNil(expired.holder, "only a valid certificate shows the holder")
        XCTAssertEqual(expired.headlineKey, "scan.expired")

        let early = ScanVerdict(.notYetValid(validFrom: when))
        XCTAssertEqual(early.kind, .expired)
        XCTAssertTrue(early.notYetValid)
        XCTAssertEqual(early.headlineKey, "scan.not_yet_valid")

        XCTAssertEqual(ScanVerdict(.revoked).kind, .revoked)
        XCTAssertEqual(ScanVerdict(.untrustedIssuer).kind, .notGenuine)
        XCTAssertEqual(ScanVerdict(.untrustedIssuer).tone, .bad)
    }

    /// A frame without a readable code keeps the scanner scanning; a code that was read and
    /// is not a certificate is not genuine.
    func testUnreadableFramesAreNoDecision() {
        for reason in ["no QR code found", "several QR codes found", "frame too large"] {
            let verdict = ScanVerdict(.unreadable(reason: reason))
            XCTAssertEqual(verdict.kind, .unreadable, reason)
            XCTAssertFalse(verdict.isDecision, reason)
            XCTAssertEqual(verdict.tone, .neutral, reason)
        }
        let notACertificate = ScanVerdict(.malformed(reason: "not Base45"))
        XCTAssertEqual(notACertificate.kind, .notGenuine)
        XCTAssertTrue(notACertificate.isDecision)
    }

    /// The luma copy drops the row padding and keeps every pixel in place.
    func testTheLumaCopyDropsRowPadding() throws {
        let width = 5, height = 3, bytesPerRow = 8
        var padded = [UInt8](repeating: 0xEE, count: bytesPerRow * height)
        for y in 0..<height {
            for x in 0..<width {
                padded[y * bytesPerRow + x] = UInt8(y * 10 + x)
            }
        }
        let luma = try XCTUnwrap(padded.withUnsafeBytes { raw in
            LumaPlane.copy(from: try XCTUnwrap(raw.baseAddress), width: width, height: height, bytesPerRow: bytesPerRow)
        })
        XCTAssertEqual(luma.count, width * height)
        XCTAssertEqual(Array(luma), [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24])

        let tight = [UInt8](0..<6)
        let same = tight.withUnsafeBytes { raw in
            raw.baseAddress.flatMap { LumaPlane.copy(from: $0, width: 3, height: 2, bytesPerRow: 3) }
        }
        XCTAssertEqual(same.map { Array($0) }, tight)
        let impossible = tight.withUnsafeBytes { raw in
            raw.baseAddress.flatMap { LumaPlane.copy(from: $0, width: 4, height: 1, bytesPerRow: 3) }
        }
        XCTAssertNil(impossible, "rows shorter than the width")
    }

    /// The gate lets one frame through at a time, none while closed, and the next after
    /// the check is done.
    func testTheGateLetsOneFrameThroughAtATime() {
        let gate = FrameGate()
        XCTAssertTrue(gate.tryStart())
        XCTAssertFalse(gate.tryStart(), "a frame while one is checked is dropped")
        gate.finish()
        gate.setOpen(false)
        XCTAssertFalse(gate.tryStart(), "no frames while a verdict is on screen")
        gate.setOpen(true)
        XCTAssertTrue(gate.tryStart())
        gate.finish()

        // From many threads at once, never two checks together.
        let inFlight = ManagedCounter()
        DispatchQueue.concurrentPerform(iterations: 2_000) { _ in
            if gate.tryStart() {
                XCTAssertEqual(inFlight.add(1), 1)
                _ = inFlight.add(-1)
                gate.finish()
            }
        }
    }

    /// The certificate screen's status line: valid, expires in N days, expired.
    func testTheStatusLineSaysValidExpiresInOrExpired() {
        XCTAssertEqual(CertificateStatusLine(.valid).key, "certificate.status_valid")
        XCTAssertNil(CertificateStatusLine(.valid).days)
        let soon = CertificateStatusLine(.expiresSoon(days: 3))
        XCTAssertEqual(soon.key, "certificate.status_expires_in %lld")
        XCTAssertEqual(soon.days, 3)
        XCTAssertFalse(soon.isExpired)
        XCTAssertTrue(CertificateStatusLine(.expired).isExpired)
    }
}

/// A counter several threads change under a lock; `add` returns the new value.
private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func add(_ delta: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += delta
        return value
    }
}
