"""Self-tests of the shell checks: each feeds a deliberately wrong snippet to a check and
asserts the mistake is reported, and feeds the right snippet beside it and asserts nothing
is. A check that reports nothing for a rename (gone blind) or something for correct code
(too eager) fails here, before it misleads anyone about the real sources.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable

import consent_buttons
import permissions
import kotlin_sources
import swift_api
import swift_switches
from kotlin_sources import check_kotlin
from swift_api import check_swift

KOTLIN_HEADER = """
package no.lofavor.app

import kotlinx.coroutines.Deferred
import no.lofavor.core.AppLocale
import no.lofavor.core.FixSource
import no.lofavor.core.LocationFix
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.Member
import no.lofavor.core.SessionEvent
import no.lofavor.core.SessionListener
import no.lofavor.core.Verification
import no.lofavor.core.describeLocation
import no.lofavor.core.locationPermissionRequest
"""

# (what is wrong, the right code, the wrong code, a word the report must contain)
KOTLIN_CASES = [
    ("kotlin: an unknown method on a core object",
     "suspend fun f(core: LofavorCore) = core.auth().beginLogin()",
     "suspend fun f(core: LofavorCore) = core.auth().startLogin()",
     "AuthHandle.startLogin"),
    ("kotlin: an unknown method reached through Deferred.await and a lambda",
     "fun f(core: Deferred<LofavorCore>) { runCatching { core }.onSuccess { c -> c.await().roadside().cachedCertificate() } }",
     "fun f(core: Deferred<LofavorCore>) { runCatching { core }.onSuccess { c -> c.await().roadside().cachedCert() } }",
     "RoadsideHandle.cachedCert"),
    ("kotlin: a wrong named argument of a method",
     "suspend fun f(core: LofavorCore) = core.auth().logout(force = true)",
     "suspend fun f(core: LofavorCore) = core.auth().logout(forced = true)",
     "forced ="),
    ("kotlin: a method called without its argument",
     "suspend fun f(core: LofavorCore) = core.auth().completeLogin(\"x\")",
     "suspend fun f(core: LofavorCore) = core.auth().completeLogin()",
     "redirectUrl"),
    ("kotlin: a wrong plain enum case",
     "val l = AppLocale.NN",
     "val l = AppLocale.NO",
     "AppLocale.NO"),
    ("kotlin: a wrong error variant",
     "fun f(e: Throwable) = e is LofavorException.Network",
     "fun f(e: Throwable) = e is LofavorException.NetworkError",
     "LofavorException.NetworkError"),
    ("kotlin: a wrong enum-with-data variant",
     "fun f(v: Verification) = v is Verification.UntrustedIssuer",
     "fun f(v: Verification) = v is Verification.Untrusted",
     "Verification.Untrusted"),
    ("kotlin: a wrong record field",
     "fun f(member: Member) = member.name ?: member.subject",
     "fun f(member: Member) = member.displayName ?: member.subject",
     "Member.displayName"),
    ("kotlin: a wrong field of a field of a call's result",
     "suspend fun f(core: LofavorCore) = core.roadside().certificate().cover.productName",
     "suspend fun f(core: LofavorCore) = core.roadside().certificate().cover.name",
     "RoadsideCover.name"),
    ("kotlin: a wrong field of a variant after a smart cast",
     "fun f(core: LofavorCore) = when (val v = core.roadside().verifyCertificate(\"p\")) {\n"
     "    is Verification.Valid -> v.holder\n    else -> null\n}",
     "fun f(core: LofavorCore) = when (val v = core.roadside().verifyCertificate(\"p\")) {\n"
     "    is Verification.Valid -> v.holderName\n    else -> null\n}",
     "holderName"),
    ("kotlin: a wrong field of a list element",
     "fun f(fix: LocationFix) { for (format in describeLocation(fix, 0L, AppLocale.NB).formats) format.label }",
     "fun f(fix: LocationFix) { for (format in describeLocation(fix, 0L, AppLocale.NB).formats) format.text }",
     "LabelledFormat.text"),
    ("kotlin: a wrong named argument of a top-level function",
     "fun f(fix: LocationFix) = describeLocation(fix = fix, nowUnixMs = 0L, locale = AppLocale.NB)",
     "fun f(fix: LocationFix) = describeLocation(fix = fix, nowMs = 0L, locale = AppLocale.NB)",
     "nowMs ="),
    ("kotlin: a top-level function called without an argument",
     "val r = locationPermissionRequest(AppLocale.NB)",
     "val r = locationPermissionRequest()",
     "locale"),
    ("kotlin: a wrong named argument of a record constructor",
     "val f = LocationFix(latitude = 1.0, longitude = 2.0, accuracyM = 3.0, timeUnixMs = 0L, source = FixSource.GPS)",
     "val f = LocationFix(latitude = 1.0, longitude = 2.0, accuracy = 3.0, timeUnixMs = 0L, source = FixSource.GPS)",
     "accuracy ="),
    ("kotlin: too many arguments to an object's constructor",
     "fun f(c: no.lofavor.core.CoreConfig) = LofavorCore(c, null, null)",
     "fun f(c: no.lofavor.core.CoreConfig) = LofavorCore(c, null, null, true)",
     "LofavorCore"),
    ("kotlin: a wrong import",
     "val x = 1",
     "import no.lofavor.core.MemberProfile\nval x = 1",
     "MemberProfile"),
    ("kotlin: a callback that overrides a method the interface lacks",
     "val l = object : SessionListener { override fun onSessionEvent(event: SessionEvent) {} }",
     "val l = object : SessionListener { override fun onEvent(event: SessionEvent) {} }",
     "onEvent"),
    ("kotlin: a wrong field read through an extension's implicit receiver",
     "fun Verification.holderOrNull(): String? = when (this) {\n    is Verification.Valid -> holder\n    else -> null\n}",
     "fun Verification.holderOrNull(): String? = when (this) {\n    is Verification.Valid -> holderName\n    else -> null\n}",
     "holderName"),
    ("kotlin: a wrong method behind a property of function type",
     "class C(private val load: () -> Deferred<LofavorCore>) { suspend fun f() = load().await().auth().hasSession() }",
     "class C(private val load: () -> Deferred<LofavorCore>) { suspend fun f() = load().await().auth().isLoggedIn() }",
     "AuthHandle.isLoggedIn"),
    ("kotlin: a wrong field in Result.fold's success lambda",
     "fun f(r: Result<Member>) = r.fold(onSuccess = { it.subject }, onFailure = { it.message })",
     "fun f(r: Result<Member>) = r.fold(onSuccess = { it.id }, onFailure = { it.message })",
     "Member.id"),
    ("kotlin: a wrong field of a sealed value not narrowed here",
     "fun f(e: SessionEvent) = (e as SessionEvent.LoggedIn).member.subject",
     "fun f(e: SessionEvent) = (e as SessionEvent.LoggedIn).profile",
     "SessionEvent.LoggedIn.profile"),
]


def kotlin_case(api_of: Callable, good: str, bad: str, word: str) -> Callable[[], None]:
    """A self-test: the right Kotlin passes, the wrong one is reported as `word`."""
    def test():
        api = api_of()
        assert api, "no generated Kotlin"
        problems, _ = check_kotlin(api, {"Good.kt": KOTLIN_HEADER + good})
        assert not problems, f"the right code is reported: {problems}"
        problems, _ = check_kotlin(api, {"Bad.kt": KOTLIN_HEADER + bad})
        assert problems, "the mistake is not reported"
        assert any(word in p for p in problems), f"reported, but not as {word!r}: {problems}"
    return test


SWIFT_HEADER = "import Foundation\nimport LofavorCore\n\n"

SWITCH_PAYLOAD = """func f(v: Verification) -> String? {{
    switch v {{
    {}:
        return {} + "\\(expiresAt)"
    default:
        return nil
    }}
}}"""

# (what is wrong, the right code, the wrong code, a word the report must contain)
SWIFT_CASES = [
    ("swift: an unknown method on a core object",
     "func f(core: LofavorCore) async throws -> String { try await core.auth().beginLogin() }",
     "func f(core: LofavorCore) async throws -> String { try await core.auth().startLogin() }",
     "AuthHandle.startLogin"),
    ("swift: a wrong argument label of a method",
     "func f(core: LofavorCore) async throws { _ = try await core.auth().logout(force: true) }",
     "func f(core: LofavorCore) async throws { _ = try await core.auth().logout(forced: true) }",
     "logout(forced:)"),
    ("swift: a method called without its label",
     "func f(core: LofavorCore, url: String) async throws { _ = try await core.auth().completeLogin(redirectUrl: url) }",
     "func f(core: LofavorCore, url: String) async throws { _ = try await core.auth().completeLogin(url) }",
     "completeLogin(_:)"),
    ("swift: a wrong constructor label of a core object",
     "func f(c: CoreConfig) throws -> LofavorCore { try LofavorCore(config: c, secureStore: nil, logger: nil) }",
     "func f(c: CoreConfig) throws -> LofavorCore { try LofavorCore(config: c, store: nil, logger: nil) }",
     "LofavorCore(config:store:logger:)"),
    ("swift: a wrong initializer label of a record",
     "let fix = LocationFix(latitude: 1, longitude: 2, accuracyM: 3, timeUnixMs: 0, source: .gps)",
     "let fix = LocationFix(latitude: 1, longitude: 2, accuracy: 3, timeUnixMs: 0, source: .gps)",
     "LocationFix(latitude:longitude:accuracy:"),
    ("swift: a wrong case in a record's initializer",
     "let fix = LocationFix(latitude: 1, longitude: 2, accuracyM: 3, timeUnixMs: 0, source: .gps)",
     "let fix = LocationFix(latitude: 1, longitude: 2, accuracyM: 3, timeUnixMs: 0, source: .satellite)",
     ".satellite"),
    ("swift: a wrong enum case by name",
     "let l = AppLocale.nn",
     "let l = AppLocale.no",
     "AppLocale.no"),
    ("swift: a wrong error case",
     "func f(e: Error) -> Bool { if case LofavorError.Network = e { return true }; return false }",
     "func f(e: Error) -> Bool { if case LofavorError.NetworkError = e { return true }; return false }",
     "LofavorError.NetworkError"),
    ("swift: a wrong case in a switch over a core enum",
     "extension Verification {\n    var ok: Bool {\n        switch self {\n        case .valid: return true\n"
     "        case .expired, .notYetValid, .revoked, .untrustedIssuer, .malformed: return false\n        }\n    }\n}",
     "extension Verification {\n    var ok: Bool {\n        switch self {\n        case .valid: return true\n"
     "        case .expired, .notYetValid, .revoked, .untrusted, .malformed: return false\n        }\n    }\n}",
     ".untrusted"),
    ("swift: a wrong field of a payload bound in a switch",
     SWITCH_PAYLOAD.format("case let .valid(cover, holder, vehicle, expiresAt)", "cover.productName"),
     SWITCH_PAYLOAD.format("case let .valid(cover, holder, vehicle, expiresAt)", "cover.name"),
     "RoadsideCover"),
    ("swift: a payload pattern with a part fewer than the case has",
     SWITCH_PAYLOAD.format("case let .valid(cover, holder, vehicle, expiresAt)", "cover.productName"),
     SWITCH_PAYLOAD.format("case let .valid(cover, holder, expiresAt)", "cover.productName"),
     "matches .valid("),
    ("swift: a payload pattern with a wrong label",
     SWITCH_PAYLOAD.format("case .valid(cover: let cover, holder: _, vehicle: _, expiresAt: _)", "cover.productName"),
     SWITCH_PAYLOAD.format("case .valid(cover: let cover, name: _, vehicle: _, expiresAt: _)", "cover.productName"),
     "matches .valid(name:)"),
    ("swift: a wrong record field",
     "func f(member: Member) -> String { member.name ?? member.subject }",
     "func f(member: Member) -> String { member.displayName ?? member.subject }",
     "member.displayName"),
    ("swift: a wrong field at the end of a chain of calls",
     "func f(core: LofavorCore) async throws -> String { try await core.roadside().certificate().cover.productName }",
     "func f(core: LofavorCore) async throws -> String { try await core.roadside().certificate().cover.name }",
     "RoadsideCover"),
    ("swift: a wrong method on a closure's parameter typed by the shell's own function",
     "func withCore(_ body: (LofavorCore) throws -> Void) {}\n"
     "func f() { withCore { core in _ = try core.roadside().cachedCertificate() } }",
     "func withCore(_ body: (LofavorCore) throws -> Void) {}\n"
     "func f() { withCore { core in _ = try core.roadside().cachedCert() } }",
     "RoadsideHandle.cachedCert"),
    ("swift: a wrong label of a top-level function",
     "func f(fix: LocationFix) throws { _ = try describeLocation(fix: fix, nowUnixMs: 0, locale: .nb) }",
     "func f(fix: LocationFix) throws { _ = try describeLocation(fix: fix, now: 0, locale: .nb) }",
     "describeLocation(fix:now:locale:)"),
    ("swift: a callback that misses a method of its protocol",
     "final class S: SecureStore {\n    func get(name: String) throws -> Data? { nil }\n"
     "    func put(name: String, secret: Data) throws {}\n    func delete(name: String) throws {}\n}",
     "final class S: SecureStore {\n    func get(name: String) throws -> Data? { nil }\n"
     "    func put(name: String, value: Data) throws {}\n    func delete(name: String) throws {}\n}",
     "put(name:value:)"),
]


def swift_case(api_of: Callable, good: str, bad: str, word: str) -> Callable[[], None]:
    """A self-test: the right Swift passes, the wrong one is reported as `word`."""
    def test():
        api = api_of()
        assert api, "no generated Swift"
        problems, _ = check_swift(api, {"ios/Sources/Good.swift": SWIFT_HEADER + good})
        assert not problems, f"the right code is reported: {problems}"
        problems, _ = check_swift(api, {"ios/Sources/Bad.swift": SWIFT_HEADER + bad})
        assert problems, "the mistake is not reported"
        assert any(word in p for p in problems), f"reported, but not as {word!r}: {problems}"
    return test


def write(root: Path, files: dict[str, str]):
    """Writes `files` (path to text) under `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
          xmlns:tools="http://schemas.android.com/tools">
{}
</manifest>
"""
ALLOWED = {"android.permission.INTERNET": "the API", "android.permission.CAMERA": "the scanner"}


def uses(*names: str, remove: bool = False) -> str:
    """`<uses-permission>` lines for `names`, optionally as removals."""
    extra = ' tools:node="remove"' if remove else ""
    return "\n".join(f'    <uses-permission android:name="{n}"{extra} />' for n in names)


def features_case() -> None:
    """The camera permission passes with an optional camera feature and fails without."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        camera = uses("android.permission.CAMERA")
        optional = '    <uses-feature android:name="android.hardware.camera" android:required="false" />'
        write(root, {"android/app/src/main/AndroidManifest.xml": MANIFEST.format(camera + "\n" + optional)})
        permissions.check_features_optional(root)
        write(root, {"android/app/src/main/AndroidManifest.xml": MANIFEST.format(camera)})
        try:
            permissions.check_features_optional(root)
        except AssertionError as e:
            assert "android.hardware.camera" in str(e), f"refused, but not for the camera: {e}"
        else:
            raise AssertionError("CAMERA without an optional camera feature is accepted")


def manifest_case(app: str, library: str, word: str | None) -> Callable[[], None]:
    """A self-test of the manifest check on an app and a library manifest."""
    def test():
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write(root, {"android/app/src/main/AndroidManifest.xml": MANIFEST.format(app),
                         "android/lofavor-core/src/main/AndroidManifest.xml": MANIFEST.format(library)})
            try:
                permissions.check_android_permissions(root, ALLOWED)
            except AssertionError as e:
                assert word, f"the right manifests are refused: {e}"
                assert word in str(e), f"refused, but not for {word!r}: {e}"
                return
            assert not word, f"manifests with {word} are accepted"
    return test


GOOD_APP = uses("android.permission.INTERNET", "android.permission.CAMERA")
MANIFEST_CASES = [
    ("manifest: the allowed permissions, and a library's storage permission removed, pass",
     GOOD_APP + "\n" + uses("android.permission.READ_EXTERNAL_STORAGE", remove=True), "", None),
    ("manifest: a permission not in the allowed list", GOOD_APP + "\n" + uses("android.permission.VIBRATE"), "",
     "VIBRATE"),
    ("manifest: the phone state in the library's manifest", GOOD_APP,
     uses("android.permission.READ_PHONE_STATE"), "READ_PHONE_STATE"),
    ("manifest: the phone number", GOOD_APP + "\n" + uses("android.permission.READ_PHONE_NUMBERS"), "",
     "READ_PHONE_NUMBERS"),
    ("manifest: shared storage", GOOD_APP + "\n" + uses("android.permission.WRITE_EXTERNAL_STORAGE"), "",
     "WRITE_EXTERNAL_STORAGE"),
    ("manifest: media images", GOOD_APP + "\n" + uses("android.permission.READ_MEDIA_IMAGES"), "",
     "READ_MEDIA_IMAGES"),
    ("manifest: all files", GOOD_APP + "\n" + uses("android.permission.MANAGE_EXTERNAL_STORAGE"), "",
     "MANAGE_EXTERNAL_STORAGE"),
    ("manifest: background location", GOOD_APP + "\n" + uses("android.permission.ACCESS_BACKGROUND_LOCATION"), "",
     "ACCESS_BACKGROUND_LOCATION"),
    ("manifest: an allowed permission missing from the app", uses("android.permission.INTERNET"), "", "CAMERA"),
    ("manifest: the basic phone state", GOOD_APP + "\n" + uses("android.permission.READ_BASIC_PHONE_STATE"), "",
     "READ_BASIC_PHONE_STATE"),
    ("manifest: the phone state in the app", GOOD_APP + "\n" + uses("android.permission.READ_PHONE_STATE"), "",
     "READ_PHONE_STATE"),
    ("manifest: shared storage read", GOOD_APP + "\n" + uses("android.permission.READ_EXTERNAL_STORAGE"), "",
     "READ_EXTERNAL_STORAGE"),
    ("manifest: media video", GOOD_APP, uses("android.permission.READ_MEDIA_VIDEO"), "READ_MEDIA_VIDEO"),
    ("manifest: partial media access", GOOD_APP + "\n" + uses("android.permission.READ_MEDIA_VISUAL_USER_SELECTED"),
     "", "READ_MEDIA_VISUAL_USER_SELECTED"),
]

INFO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>{}</dict></plist>
"""
REASON = "A reason long enough to say why the app asks, and when it does so."
IOS_ALLOWED = {"NSCameraUsageDescription": "the scanner"}


def ios_case(info: str, strings: dict[str, str], word: str | None, privacy: str | None = None,
             also_allowed: dict[str, str] | None = None) -> Callable[[], None]:
    """A self-test of the plist checks on an Info.plist, its translations and a privacy
    manifest, with `also_allowed` added to the allowed usage descriptions."""
    def test():
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            files = {"ios/App/Info.plist": INFO.format(info)}
            for locale in ("nb", "nn", "en"):
                files[f"ios/App/{locale}.lproj/InfoPlist.strings"] = strings.get(locale, "")
            if privacy is not None:
                files["ios/App/PrivacyInfo.xcprivacy"] = INFO.format(privacy)
            write(root, files)
            try:
                permissions.check_ios_usage(root / "ios/App", {**IOS_ALLOWED, **(also_allowed or {})},
                                            ("nb", "nn", "en"))
                permissions.check_ios_export_compliance(root / "ios/App")
                for path in permissions.privacy_manifests(root):
                    permissions.check_privacy_manifest(path)
            except AssertionError as e:
                assert word, f"the right plist is refused: {e}"
                assert word in str(e), f"refused, but not for {word!r}: {e}"
                return
            assert not word, f"a plist with {word} is accepted"
    return test


CAMERA_KEY = f"<key>NSCameraUsageDescription</key><string>{REASON}</string>"
ENCRYPTION = "<key>ITSAppUsesNonExemptEncryption</key><false/>"
ALL_STRINGS = {loc: f'"NSCameraUsageDescription" = "{REASON}";\n' for loc in ("nb", "nn", "en")}
NO_TRACKING = "<key>NSPrivacyTracking</key><false/><key>NSPrivacyAccessedAPITypes</key><array><dict>" \
              "<key>NSPrivacyAccessedAPIType</key><string>NSPrivacyAccessedAPICategoryUserDefaults</string>" \
              "<key>NSPrivacyAccessedAPITypeReasons</key><array><string>CA92.1</string></array></dict></array>"
IOS_CASES = [
    ("plist: allowed usage, translated, export answer, no tracking pass",
     CAMERA_KEY + ENCRYPTION, ALL_STRINGS, None, NO_TRACKING),
    ("plist: a usage description not in the allowed list",
     CAMERA_KEY + ENCRYPTION + f"<key>NSContactsUsageDescription</key><string>{REASON}</string>", ALL_STRINGS,
     "NSContactsUsageDescription", None),
    ("plist: a usage description without its nn translation",
     CAMERA_KEY + ENCRYPTION, {k: v for k, v in ALL_STRINGS.items() if k != "nn"}, "nn.lproj", None),
    ("plist: background location", CAMERA_KEY + ENCRYPTION +
     "<key>UIBackgroundModes</key><array><string>location</string></array>", ALL_STRINGS, "location", None),
    ("plist: no export-compliance answer", CAMERA_KEY, ALL_STRINGS, "ITSAppUsesNonExemptEncryption", None),
    ("plist: a privacy manifest that tracks", CAMERA_KEY + ENCRYPTION, ALL_STRINGS, "NSPrivacyTracking",
     "<key>NSPrivacyTracking</key><true/>"),
    ("plist: a privacy manifest that does not parse", CAMERA_KEY + ENCRYPTION, ALL_STRINGS, "does not parse",
     "<key>NSPrivacyTracking</key><false/"),
    ("plist: the photo library, even when the allowed list names it",
     CAMERA_KEY + ENCRYPTION + f"<key>NSPhotoLibraryUsageDescription</key><string>{REASON}</string>",
     {loc: v + f'"NSPhotoLibraryUsageDescription" = "{REASON}";\n' for loc, v in ALL_STRINGS.items()},
     "NSPhotoLibraryUsageDescription", None, {"NSPhotoLibraryUsageDescription": "the inventory"}),
    ("plist: adding to the photo library",
     CAMERA_KEY + ENCRYPTION + f"<key>NSPhotoLibraryAddUsageDescription</key><string>{REASON}</string>",
     ALL_STRINGS, "NSPhotoLibraryAddUsageDescription", None),
]


def required_reason_case() -> None:
    """A required-reason API passes when declared, fails when not; comments and strings call nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "PrivacyInfo.xcprivacy"
        path.write_text(INFO.format(NO_TRACKING))
        uses_defaults = {"ios/App/Settings.swift": "let d = UserDefaults.standard"}
        uses_uptime = {"ios/App/Clock.swift": "let t = ProcessInfo.processInfo.systemUptime"}
        mentions = {"ios/App/Clock.swift": "// systemUptime is not read here\nlet s = \"systemUptime\""}
        permissions.check_required_reasons(path, uses_defaults)  # declared: passes
        permissions.check_required_reasons(path, mentions)  # comments and strings call nothing
        try:
            permissions.check_required_reasons(path, uses_uptime)
        except AssertionError as e:
            assert "SystemBootTime" in str(e), f"refused, but not for the boot time: {e}"
        else:
            raise AssertionError("an undeclared systemUptime is accepted")


def camera_case() -> None:
    """Camera requests pass in scanner files and are reported anywhere else."""
    files = {
        "android/app/FieldScannerScreen.kt":
            "val p = Manifest.permission.CAMERA\nval q = \"android.permission.CAMERA\"",
        "android/app/CertificateScreen.kt": "// Manifest.permission.CAMERA is asked by the scanner only\nval x = 1",
        "ios/App/ScannerView.swift": "AVCaptureDevice.requestAccess(for: .video) { _ in }",
        "ios/App/CertificateView.swift": "let s = \"AVCaptureDevice.requestAccess\"",
        "android/app/ScannerScreen.kt": "val reason = cameraPermissionRequest(locale).reason",
        "ios/Tests/AppTextsTests.swift": "let camera = cameraPermissionRequest(locale: .nb)",
    }
    assert permissions.camera_requests_outside_scanner(files) == [], "the scanner's own requests are refused"
    files["android/app/StatusScreen.kt"] = "launcher.launch(Manifest.permission.CAMERA)"
    files["android/app/AccountScreen.kt"] = "launcher.launch(\"android.permission.CAMERA\")"
    files["ios/App/StatusView.swift"] = "await AVCaptureDevice.requestAccess(for: .video)"
    files["ios/App/AccountView.swift"] = "Text(cameraPermissionRequest(locale: .nb).reason)"
    found = permissions.camera_requests_outside_scanner(files)
    for name in ("StatusScreen.kt", "AccountScreen.kt", "StatusView.swift", "AccountView.swift"):
        assert any(name in f for f in found), f"a camera request in {name} is not reported: {found}"
    assert len(found) == 4, f"more than the four requests reported: {found}"
    # The inventory's camera file may ask (the system camera needs it once CAMERA is
    # declared); the inventory's other files may not.
    inventory = {
        "android/app/InventoryCamera.kt": "askForCamera.launch(Manifest.permission.CAMERA)",
        "ios/App/InventoryCamera.swift": "await AVCaptureDevice.requestAccess(for: .video)",
    }
    assert permissions.camera_requests_outside_scanner(inventory) == [], "the inventory camera's request is refused"
    elsewhere = {"android/app/InventoryScreens.kt": "askForCamera.launch(Manifest.permission.CAMERA)"}
    assert permissions.camera_requests_outside_scanner(elsewhere), "a camera request in another inventory file passes"


PICKER_FILES = {
    "android/app/InventoryPhotos.kt":
        "val pick = rememberLauncherForActivityResult(ActivityResultContracts.PickMultipleVisualMedia(10)) { }",
    "ios/App/InventoryPhotoPicker.swift": "let picker = PHPickerViewController(configuration: configuration)",
    "ios/App/InventoryModel.swift": "// PHPhotoLibrary.requestAuthorization is never called\nlet x = 1",
}


def picker_case() -> None:
    """The system pickers pass; an inventory without them, or any file reading the photo
    library or opening an old picker, is reported."""
    assert permissions.check_photo_pickers(PICKER_FILES) == [], "the system pickers are refused"
    bad = {
        "no picker on android": ("android/app/InventoryPhotos.kt",
                                 "val pick = rememberLauncherForActivityResult(ActivityResultContracts.GetContent()) { }",
                                 "PickVisualMedia"),
        "the gallery queried": ("android/app/InventoryPhotos.kt", PICKER_FILES["android/app/InventoryPhotos.kt"]
                                + "\nval c = resolver.query(MediaStore.Images.Media.EXTERNAL_CONTENT_URI, null, null, null)",
                                "MediaStore.Images.Media"),
        "the old pick intent": ("android/app/StatusScreen.kt", "val i = Intent(Intent.ACTION_PICK)", "ACTION_PICK"),
        "no picker on ios": ("ios/App/InventoryPhotoPicker.swift", "let picker = UIImagePickerController()",
                             "PHPickerViewController"),
        "photo library authorization": ("ios/App/InventoryModel.swift",
                                        "PHPhotoLibrary.requestAuthorization(for: .readWrite) { _ in }",
                                        "PHPhotoLibrary.requestAuthorization"),
        "the old library picker": ("ios/App/InventoryCamera.swift", "picker.sourceType = .photoLibrary", ".photoLibrary"),
    }
    for what, (where, text, word) in bad.items():
        problems = permissions.check_photo_pickers({**PICKER_FILES, where: text})
        assert any(word in p for p in problems), f"{what} not reported as {word!r}: {problems}"
    problems = permissions.check_photo_pickers({k: v for k, v in PICKER_FILES.items() if k.endswith(".kt")})
    assert problems and ".swift" in problems[0], "a shell without inventory files is not reported"


EQUAL_KOTLIN = """
    ConsentChoiceButton(text = first.acceptAllLabel, enabled = !busy, onClick = onAcceptAll)
    ConsentChoiceButton(text = first.refuseAllLabel, enabled = !busy, onClick = onRefuseAll)
"""
EQUAL_SWIFT = """
            ConsentChoiceButton(title: first.acceptAllLabel) { model.acceptAll(core) }
                .disabled(model.busy)
            ConsentChoiceButton(title: first.refuseAllLabel) { model.refuseAll(core) }
                .disabled(model.busy)
            Button { model.choose() } label: { Text(verbatim: first.chooseLabel) }
                .buttonStyle(.plain)
"""


def equal_choices_case() -> None:
    """The two labels drawn alike pass; a prominent accept, a refuse in another component, a
    modifier on one only, or a refuse left out, are each reported."""
    good = {"android/app/ConsentScreen.kt": EQUAL_KOTLIN, "ios/App/ConsentView.swift": EQUAL_SWIFT}
    problems, drawn = consent_buttons.check_equal_choices(good)
    assert problems == [] and drawn == 2, f"equal buttons reported: {problems}"
    bad = {
        "another component": ("android/app/ConsentScreen.kt",
                              EQUAL_KOTLIN.replace("ConsentChoiceButton(text = first.refuseAllLabel", "TextButtonLike(text = first.refuseAllLabel")),
        "another argument": ("android/app/ConsentScreen.kt",
                             EQUAL_KOTLIN.replace("acceptAllLabel, enabled = !busy", "acceptAllLabel, prominent = true, enabled = !busy")),
        "a modifier on one only": ("ios/App/ConsentView.swift",
                                   EQUAL_SWIFT.replace("{ model.acceptAll(core) }\n                .disabled(model.busy)",
                                                       "{ model.acceptAll(core) }\n                .disabled(model.busy)\n                .buttonStyle(.borderedProminent)")),
        "refuse left out": ("ios/App/ConsentView.swift",
                            EQUAL_SWIFT.replace("ConsentChoiceButton(title: first.refuseAllLabel) { model.refuseAll(core) }", "")),
    }
    for what, (where, text) in bad.items():
        assert text != good[where], f"the self-test's {what} changed nothing"
        problems, _ = consent_buttons.check_equal_choices({**good, where: text})
        assert len(problems) == 1 and where in problems[0], f"{what} not reported once: {problems}"
    problems, _ = consent_buttons.check_equal_choices({"android/app/ConsentScreen.kt": EQUAL_KOTLIN})
    assert problems and "ios" in problems[0], "a shell without the consent screen is not reported"


SWITCH_SWIFT = """
func word(_ state: PurposeState) -> String {
    switch state {
    case .notAsked, .needsAnswer: return "ask"
    case .given: return "yes"
    case let .refused: return "no"
    case PurposeState.withdrawn: return "no more"
    }
}
func kind(_ error: LofavorError) -> String {
    switch error {
    case let .Network(reason): return reason
    case .Internal: return "internal"
    default: return "other"
    }
}
"""


def swift_switch_case() -> None:
    """Switches naming every case, or with a default, pass; one missing a case is reported."""
    enums = {"PurposeState": {"notAsked", "given", "refused", "withdrawn", "needsAnswer"},
             "LofavorError": {"Network", "Internal", "Tampered"}}
    problems, checked = swift_switches.incomplete_switches(enums, {"ios/App/A.swift": SWITCH_SWIFT})
    assert problems == [] and checked == 2, f"complete switches reported: {problems} ({checked} checked)"
    missing = SWITCH_SWIFT.replace("    case PurposeState.withdrawn: return \"no more\"\n", "")
    problems, _ = swift_switches.incomplete_switches(enums, {"ios/App/A.swift": missing})
    assert len(problems) == 1 and "withdrawn" in problems[0], f"a missing case not reported: {problems}"
    no_default = SWITCH_SWIFT.replace("    default: return \"other\"\n", "")
    problems, _ = swift_switches.incomplete_switches(enums, {"ios/App/A.swift": no_default})
    assert len(problems) == 1 and "Tampered" in problems[0], f"a missing error case not reported: {problems}"


def renames_case(api_of: Callable, sources: Callable, module) -> Callable[[], None]:
    """Every core name the shell's real sources use (each method, field, case, variant,
    function, argument name or label, callback method), renamed in a copy of the bindings as
    a change of the core would rename it, is reported in the file that uses it."""
    check = module.check_kotlin if module is kotlin_sources else module.check_swift

    def test():
        api = api_of()
        assert api, "no generated bindings"
        texts = sources()
        uses: dict = {}
        check(api, texts, uses=uses)
        kinds = {kind for kind, _, _ in uses}
        for kind in ("method", "field", "case", "function", "callback"):
            assert kind in kinds, f"no {kind} of the core seen in the sources: the check has gone blind"
        missed = []
        for use, where in sorted(uses.items()):
            changed = module.renamed(api, use)
            if changed is None:
                # a name the bindings lack already is reported by the check of the sources;
                # any other that cannot be renamed here is a gap in this test
                if not check(api, {where: texts[where]}, context=texts)[0]:
                    missed.append(f"{use} (cannot rename)")
                continue
            problems, _ = check(changed, {where: texts[where]}, context=texts)
            if not problems:
                missed.append(f"{'.'.join(p for p in use[1:] if p)} renamed, {where} not reported")
        assert not missed, f"{len(missed)} of {len(uses)} renames not caught: {missed}"
        return f"{len(uses)} of {len(uses)} renames reported"
    return test


def compiled_kotlin_case(api_of: Callable, compiled: Callable, shell: Callable) -> Callable[[], None]:
    """The JVM tests' Kotlin compiles against the same bindings and the shell's platform-free
    files (kotlinc, tests/kotlin/run.sh), so everything the check reports there is a false
    alarm; and it must see plenty there."""
    def test():
        api = api_of()
        assert api, "no generated Kotlin"
        texts = compiled()
        assert texts, "no Kotlin under tests/kotlin/src"
        problems, counts = check_kotlin(api, texts, context={**shell(), **texts})
        assert not problems, f"reported in code that compiles: {problems}"
        assert counts["methods"] > 50 and counts["fields"] > 50, f"saw too little of the core there: {dict(counts)}"
    return test


def self_tests(kotlin_api: Callable, swift_api_of: Callable, kotlin_texts: Callable,
               swift_texts: Callable, compiled_kotlin: Callable) -> list[tuple[str, Callable[[], None]]]:
    """(name, test) for every self-test; `kotlin_api` and `swift_api_of` return the generated
    bindings' API once they have been read, `kotlin_texts` and `swift_texts` the shells'
    sources by path, `compiled_kotlin` the JVM tests' Kotlin by path."""
    tests = [(name, kotlin_case(kotlin_api, good, bad, word)) for name, good, bad, word in KOTLIN_CASES]
    tests += [(name, swift_case(swift_api_of, good, bad, word)) for name, good, bad, word in SWIFT_CASES]
    tests.append(("kotlin: nothing is reported in the JVM tests' Kotlin, which compiles against the bindings",
                  compiled_kotlin_case(kotlin_api, compiled_kotlin, kotlin_texts)))
    tests.append(("kotlin: every core name the Android sources use, renamed in the bindings, is reported",
                  renames_case(kotlin_api, kotlin_texts, kotlin_sources)))
    tests.append(("swift: every core name the iOS sources use, renamed in the bindings, is reported",
                  renames_case(swift_api_of, swift_texts, swift_api)))
    tests += [(name, manifest_case(app, lib, word)) for name, app, lib, word in MANIFEST_CASES]
    tests.append(("manifest: the camera permission without the camera declared optional", features_case))
    tests += [(case[0], ios_case(*case[1:])) for case in IOS_CASES]
    tests.append(("plist: a required-reason API the privacy manifest does not declare", required_reason_case))
    tests.append(("camera: asked for outside a scanner or inventory camera file", camera_case))
    tests.append(("photos: the inventory uses the system pickers and nothing reads the library", picker_case))
    tests.append(("swift: a switch over a core enum that misses a case", swift_switch_case))
    tests.append(("consent: 'accept all' and 'refuse all' drawn alike pass, any difference is reported",
                  equal_choices_case))
    return tests
