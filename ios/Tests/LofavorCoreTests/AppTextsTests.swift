import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

/// The app's texts against the core: every failure the core can report has a message in
/// each language, and the permission prompts carry the core's reasons. Reads the app's
/// .strings files from the source tree (they are not part of the package).
final class AppTextsTests: XCTestCase {
    /// `ios/App`, found from this file (ios/Tests/LofavorCoreTests/AppTextsTests.swift).
    private let appFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // LofavorCoreTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // ios
        .appendingPathComponent("App")

    /// The app's languages and the core's locale for each.
    private let languages: [(folder: String, locale: AppLocale)] = [
        ("nb", AppLocale.nb), ("nn", AppLocale.nn), ("en", AppLocale.en),
    ]

    /// A .strings table of the app, parsed by Foundation as iOS will read it.
    private func table(_ language: String, _ name: String) throws -> [String: String] {
        let url = appFolder.appendingPathComponent("\(language).lproj/\(name).strings")
        let data = try Data(contentsOf: url)
        let plist = try PropertyListSerialization.propertyList(from: data, format: nil)
        return try XCTUnwrap(plist as? [String: String], "\(url.lastPathComponent) is not a table")
    }

    /// One value of every case of the core's error, so a case added to the core breaks this
    /// file until the app has a message for it.
    private let everyLofavorError: [LofavorError] = [
        LofavorError.InvalidConfig(reason: "r"), LofavorError.SecureStoreUnavailable(reason: "r"),
        LofavorError.DatabaseKeyMissing(reason: "r"), LofavorError.DatabaseWrongKey(reason: "r"),
        LofavorError.DatabaseCorrupt(reason: "r"), LofavorError.DatabaseTooNew(reason: "r"),
        LofavorError.DataDirectoryBusy(reason: "r"), LofavorError.Storage(reason: "r"),
        LofavorError.Network(reason: "r"), LofavorError.Server(reason: "r"),
        .Protocol(reason: "r"), LofavorError.LoginCancelled(reason: "r"),
        LofavorError.LoginInvalid(reason: "r"), LofavorError.LoginRejected(reason: "r"),
        LofavorError.NotLoggedIn(reason: "r"), LofavorError.SessionEnded(reason: "r"),
        LofavorError.UnsyncedChanges(reason: "r"), LofavorError.InvalidInput(reason: "r"),
        LofavorError.CertificateUnavailable(reason: "r"), LofavorError.TrustListMissing(reason: "r"),
        LofavorError.ConsentRequired(reason: "r"),
        LofavorError.ExplicitConfirmationRequired(reason: "r"), LofavorError.NotFound(reason: "r"),
        LofavorError.DecisionRefused(reason: "r"), LofavorError.Tampered(reason: "r"),
        LofavorError.Expired(reason: "r"), LofavorError.Internal(reason: "r"),
    ]

    /// Every kind the core can report maps to its own message key, and every message key is
    /// in the nb, nn and en tables with a text that is not the kind itself.
    func testEveryFailureHasAMessageInEveryLanguage() throws {
        let kinds = everyLofavorError.map { $0.kind }
        XCTAssertEqual(kinds, ErrorMessages.lofavorKinds, "the app's list of kinds is the core's")
        XCTAssertEqual(Set(kinds.map { ErrorMessages.key(forKind: $0) }).count, kinds.count)
        XCTAssertEqual(ErrorMessages.key(forKind: "latitude_out_of_range"), "error.invalid_fix")
        XCTAssertEqual(ErrorMessages.key(forKind: coreFailureKind(InvalidFixError.NotFinite)), "error.invalid_fix")
        XCTAssertEqual(ErrorMessages.key(forKind: "no_such_kind"), "error.unexpected")
        for (language, _) in languages {
            let strings = try table(language, "Localizable")
            for key in ErrorMessages.messageKeys {
                let text = try XCTUnwrap(strings[key], "\(language) has no \(key)")
                XCTAssertFalse(text.contains("_"), "\(language) \(key) reads like a raw kind: \(text)")
                XCTAssertGreaterThan(text.count, 10, "\(language) \(key)")
            }
        }
    }

    /// The tables have the same keys in every language, with the same placeholders.
    func testTheTablesMatchAcrossLanguages() throws {
        let nb = try table("nb", "Localizable")
        for language in ["nn", "en"] {
            let other = try table(language, "Localizable")
            XCTAssertEqual(Set(other.keys), Set(nb.keys), language)
            for (key, text) in nb {
                let placeholders = { (s: String) in s.components(separatedBy: "%").count }
                XCTAssertEqual(placeholders(other[key] ?? ""), placeholders(text), "\(language) \(key)")
            }
        }
        for key in ["scan.valid", "scan.expired", "scan.not_yet_valid", "scan.revoked", "scan.not_genuine",
                    "scan.unreadable", "certificate.status_valid", "certificate.status_expired",
                    "certificate.status_expires_in %lld"] {
            XCTAssertNotNil(nb[key], key)
        }
    }

    /// Only database_key_missing and database_corrupt lead to the recovery screen.
    func testOnlyUnreadableDataLeadsToRecovery() {
        let recovering = ErrorMessages.lofavorKinds.filter { ErrorMessages.needsRecovery(kind: $0) }
        XCTAssertEqual(recovering, ["database_key_missing", "database_corrupt"])
    }

    /// The system prompts (InfoPlist.strings) say what the core says, in each language: the
    /// location reason is the core's. The camera prompt is the app's own: iOS shows one camera
    /// reason for the whole app, and two features ask (the scanner, which shows the core's
    /// scanner reason on its screen first, and the inventory's "take photo"), so it names both.
    func testThePermissionPromptsCarryTheCoresReasons() throws {
        var cameraTexts = Set<String>()
        for (language, locale) in languages {
            let strings = try table(language, "InfoPlist")
            let cameraText = try XCTUnwrap(strings["NSCameraUsageDescription"], language)
            XCTAssertTrue(cameraText.contains("QR"), "\(language): the scanner is not named")
            XCTAssertTrue(cameraText.contains("Husk Hva Du Har"), "\(language): the inventory is not named")
            cameraTexts.insert(cameraText)
            XCTAssertEqual(
                strings["NSLocationWhenInUseUsageDescription"], locationPermissionRequest(locale: locale).reason,
                language)
        }
        XCTAssertEqual(cameraTexts.count, languages.count, "one camera reason per language")
        let camera = cameraPermissionRequest(locale: AppLocale.nb)
        XCTAssertEqual(camera.permission, Permission.cameraWhileScanning)
        XCTAssertFalse(camera.precise)
    }
}
