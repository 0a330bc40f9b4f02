import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

/// The location exports from Swift: the same checks as
/// tests/kotlin/src/no/lofavor/core/tests/LocationBindingsTest.kt, plus the QR geometry the
/// certificate view draws. No core and no server needed: the exports are pure.
final class LocationBindingsTests: XCTestCase {
    private let now: Int64 = 1_790_000_000_000

    private func fix(_ latitude: Double, _ longitude: Double, accuracyM: Double = 8, ageMs: Int64 = 5_000) -> LocationFix {
        LocationFix(
            latitude: latitude, longitude: longitude, accuracyM: accuracyM,
            timeUnixMs: now - ageMs, source: FixSource.fused)
    }

    /// A fix near Dombås comes back with every format, UTM in zone 32.
    func testAFixNearDombasHasEveryFormatAndUtmInZone32() throws {
        let report = try describeLocation(fix: fix(62.0742, 9.1254), nowUnixMs: now, locale: AppLocale.nb)
        XCTAssertEqual(report.formats.map { $0.kind }, [
            FormatKind.decimalDegrees, FormatKind.degreesMinutesSeconds,
            FormatKind.degreesDecimalMinutes, FormatKind.utm,
        ])
        XCTAssertEqual(report.formats.last?.value, "32V 506552 6882452")
        let utm = try XCTUnwrap(report.utm)
        XCTAssertEqual(utm.zone, 32)
        XCTAssertEqual(utm.band, "V")
    }

    /// Tromsø is written in zone 33, as Norwegian dispatch expects.
    func testTromsoIsInZone33() throws {
        let report = try describeLocation(fix: fix(69.6496, 18.9560), nowUnixMs: now, locale: AppLocale.en)
        XCTAssertEqual(report.formats.last?.value, "33W 653445 7731767")
        XCTAssertEqual(report.nearestPlace?.text, "at Tromsø")
    }

    /// An old, vague fix is stale and inaccurate, with its warnings in the share text.
    func testAnOldVagueFixIsFlagged() throws {
        let report = try describeLocation(
            fix: fix(62.0742, 9.1254, accuracyM: 850, ageMs: 180_000), nowUnixMs: now, locale: AppLocale.nb)
        XCTAssertTrue(report.quality.stale)
        XCTAssertTrue(report.quality.inaccurate)
        XCTAssertEqual(report.quality.ageS, 180)
        XCTAssertEqual(report.quality.warnings.count, 2)
        for warning in report.quality.warnings {
            XCTAssertTrue(report.shareText.contains(warning), warning)
        }
        XCTAssertTrue(report.shareText.hasSuffix(report.geoUri), report.shareText)
        XCTAssertEqual(report.geoUri, "geo:62.07420,9.12540;u=850")
    }

    /// A fix the core refuses is a typed error with its kind.
    func testARefusedFixIsATypedError() {
        XCTAssertThrowsError(try describeLocation(fix: fix(91.5, 9.1254), nowUnixMs: now, locale: AppLocale.nb)) { error in
            XCTAssertEqual(error as? InvalidFixError, InvalidFixError.LatitudeOutOfRange)
            XCTAssertEqual(coreFailureKind(error), "latitude_out_of_range")
        }
        XCTAssertThrowsError(try describeLocation(fix: fix(.nan, 9), nowUnixMs: now, locale: AppLocale.nb)) { error in
            XCTAssertEqual(coreFailureKind(error), "not_finite")
        }
    }

    /// The permission is location when in use, precise, with a reason per language.
    func testThePermissionIsWhenInUseWithAReasonPerLanguage() {
        let reasons = [AppLocale.nb, AppLocale.nn, AppLocale.en].map { locale -> String in
            let request = locationPermissionRequest(locale: locale)
            XCTAssertEqual(request.permission, Permission.locationWhenInUse)
            XCTAssertTrue(request.precise)
            return request.reason
        }
        XCTAssertEqual(Set(reasons).count, 3)
    }

    /// The QR drawing covers exactly the dark modules, inside a four-module quiet zone.
    func testQrRunsCoverTheDarkModules() throws {
        let rows = ["##.##", ".....", "#####", "..#..", "#...#"]
        let qr = try XCTUnwrap(QrModules(size: 5, modules: rows.flatMap { row in row.map { $0 == "#" } }))
        let q = QrModules.quietZone
        XCTAssertEqual(qr.sideWithQuietZone, 13)
        XCTAssertEqual(qr.darkRuns(), [
            QrModules.Run(x: q, y: q, length: 2), QrModules.Run(x: q + 3, y: q, length: 2),
            QrModules.Run(x: q, y: q + 2, length: 5),
            QrModules.Run(x: q + 2, y: q + 3, length: 1),
            QrModules.Run(x: q, y: q + 4, length: 1), QrModules.Run(x: q + 4, y: q + 4, length: 1),
        ])
        XCTAssertNil(QrModules(size: 5, modules: Array(repeating: false, count: 24)))
        XCTAssertNil(QrModules(size: 0, modules: []))
    }
}
