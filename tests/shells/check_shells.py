#!/usr/bin/env python3
"""Checks of the Android and iOS shells that need no Android SDK and no Xcode.

- The Kotlin and Swift bindings generate from the built library, and what the shells' sources
  use of the core exists in them (kotlin_sources.py, and the Swift checks here): every import,
  enum case and variant they name, every core function, constructor and method they call
  (with its argument names or labels), every field they read of a value whose core type the
  sources show, every callback interface they implement (a rename would break the build on
  the hosted runner, the first place these sources compile).
- The Android manifests (app and library) declare only the permissions the app's features
  use and never the phone's identity, shared storage, media or background location; the app
  keeps member data out of backups, refuses cleartext traffic, and routes the login redirect.
- The iOS Info.plist asks only for the permissions features use, each explained in nb, nn
  and en, keeps ATS on, routes the login redirect; its privacy manifest declares no tracking
  (permissions.py).
- Only the field scanner's and the inventory camera's files ask for the camera.
- The inventory picks photos with the system pickers (PickVisualMedia, PHPickerViewController),
  and nothing reads the photo library itself; no phone-state, storage or media permission on
  Android, no photo-library usage description on iOS (permissions.py).
- Every Swift `switch` over a core enum or error names all its cases or has a `default`
  (swift_switches.py): a case added to the core would otherwise first break the macOS build.
- The consent screen's "accept all" and "refuse all" have equal weight in both shells: the
  same component, arguments and modifiers (consent_buttons.py).
- Nothing anywhere asks for location in the background: no permission, key, mode, service or
  API call for it in either shell.
- The texts of both shells exist in all three languages (nb, nn, en).
- The CI workflows for the hosted runners are valid YAML and build what they claim.
- Self-tests (test_checks.py) show each of these checks reports a deliberate mistake and
  accepts the right code beside it.

Prints one line per check and ends with "shells: N passed, N failed".
"""

from __future__ import annotations

import os
import plistlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import consent_buttons  # noqa: E402  (the modules beside this file)
import permissions  # noqa: E402
import swift_switches  # noqa: E402
import test_checks  # noqa: E402
from kotlin_api import KotlinApi  # noqa: E402
from kotlin_sources import check_kotlin  # noqa: E402
from swift_api import SwiftApi, check_swift, without_comments  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# Where cargo built the library: CARGO_TARGET_DIR as cargo reads it (relative to the
# workspace), else the workspace's target/.
TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
if not TARGET_DIR.is_absolute():
    TARGET_DIR = ROOT / TARGET_DIR
TARGET = TARGET_DIR / "debug"
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"

# What each shell may ask for, and why. A feature that needs more adds it here, with its
# reason, in the same change that adds the permission to the manifest.
ANDROID_PERMISSIONS = {
    "android.permission.INTERNET": "the member API and the OpenID issuer",
    "android.permission.ACCESS_FINE_LOCATION":
        "the roadside certificate screen shows where the member is, while it is open",
    "android.permission.ACCESS_COARSE_LOCATION":
        "asked for with ACCESS_FINE_LOCATION, as Android 12+ requires; the member may grant only it",
    "android.permission.CAMERA":
        "the roadside worker's field scanner reads the certificate's QR code; the inventory's 'take photo' "
        "starts the system camera, which an app declaring CAMERA may do only with it granted; asked for "
        "only on those two screens",
}
IOS_USAGE_DESCRIPTIONS: dict[str, str] = {
    "NSLocationWhenInUseUsageDescription":
        "the roadside certificate view shows where the member is, while it is on screen",
    "NSCameraUsageDescription":
        "the roadside worker's scanner reads a certificate's QR code, while it is open; the inventory "
        "takes a photo of a belonging when the member taps 'take photo'",
}
LOCALES = ("nb", "nn", "en")
REDIRECT_SCHEME = "no.lofavor.app"

# (name, failure or None, what a passing check saw: a count that shows it is not blind)
results: list[tuple[str, str | None, str | None]] = []


def check(name: str):
    """Runs the decorated function as a named check; an AssertionError fails it. What the
    function returns, if anything, is shown beside a pass."""

    def wrap(fn):
        try:
            seen = fn()
            results.append((name, None, seen))
        except AssertionError as e:
            results.append((name, str(e) or "assertion failed", None))
        except Exception as e:  # a crash of the check is a failure too, with its reason
            results.append((name, f"{type(e).__name__}: {e}", None))
        return fn

    return wrap


def generate(language: str, files: tuple[str, ...]) -> str:
    """Runs the workspace's bindgen on the debug library in library mode, into a directory of
    its own (runs side by side do not race), checks it wrote `files`, and returns the first."""
    with tempfile.TemporaryDirectory(prefix=f"{language}-bindings-") as tmp:
        out = Path(tmp)
        subprocess.run(
            [str(TARGET / "uniffi-bindgen"), "generate", "--no-format", "--language", language,
             "--out-dir", str(out), str(TARGET / "liblofavor_ffi.so")],
            check=True, capture_output=True,
        )
        for name in files:
            assert (out / name).is_file(), f"bindgen did not write {name}"
        return (out / files[0]).read_text()


def generated_swift() -> str:
    """The Swift the bindgen writes from the debug library (and its header and module map)."""
    return generate("swift", ("LofavorCore.swift", "LofavorCoreFFI.h", "LofavorCoreFFI.modulemap"))


SWIFT = ""


@check("swift bindings generate in library mode")
def _swift_generates():
    global SWIFT
    SWIFT = generated_swift()
    assert "public protocol SecureStore" in SWIFT
    assert "open class LofavorCore" in SWIFT
    assert "func checkServer() async throws" in SWIFT


def generated_kotlin() -> str:
    """The Kotlin the bindgen writes from the debug library, as the Android build generates it."""
    return generate("kotlin", ("no/lofavor/core/lofavor.kt",))


KOTLIN: KotlinApi | None = None


@check("kotlin bindings generate in library mode")
def _kotlin_generates():
    global KOTLIN
    KOTLIN = KotlinApi(generated_kotlin())
    assert "LofavorCore" in KOTLIN.objects and "SecureStore" in KOTLIN.callbacks, "no core object in the Kotlin"
    assert KOTLIN.records and KOTLIN.enums and KOTLIN.sealed and KOTLIN.functions, "the Kotlin reads as empty"


def kotlin_sources() -> dict[str, str]:
    """The hand-written Kotlin of the Android shell, by path."""
    return {str(p.relative_to(ROOT)): p.read_text()
            for p in permissions.shell_files(ROOT, "android", {".kt"})}


def jvm_test_kotlin() -> dict[str, str]:
    """The Kotlin of the JVM binding tests, which kotlinc compiles against the bindings here."""
    return {str(p.relative_to(ROOT)): p.read_text() for p in sorted((ROOT / "tests/kotlin/src").rglob("*.kt"))}


@check("kotlin sources use only methods, arguments, constructors, cases and fields the bindings have")
def _kotlin_api():
    assert KOTLIN, "no generated Kotlin"
    sources = kotlin_sources()
    assert sources, "no Kotlin sources under android/"
    problems, counts = check_kotlin(KOTLIN, sources)
    assert not problems, "\n      " + "\n      ".join(problems)
    kinds = ("methods", "fields", "functions", "constructors", "enum cases", "callback implementations")
    for what in kinds:
        assert counts[what] > 0, f"no core {what} found in the Kotlin sources: the check has gone blind"
    return "checked: " + ", ".join(f"{counts[what]} {what}" for what in kinds)


def swift_sources() -> dict[str, str]:
    """The hand-written Swift under ios/ (the app, the Apple services, the XCTests), by path."""
    return {str(p.relative_to(ROOT)): p.read_text() for p in sorted((ROOT / "ios").rglob("*.swift"))
            if "Sources/LofavorCore/" not in p.as_posix() and ".build" not in p.parts}


@check("swift sources use only functions, methods, labels, constructors, cases and fields the bindings have")
def _swift_api():
    assert SWIFT, "no generated Swift"
    api = SwiftApi(SWIFT)
    for name in ("describeLocation", "locationPermissionRequest", "localeFromTag"):
        assert name in api.functions, f"the bindings export no {name}"
    assert "LofavorCore" in api.objects and "SecureStore" in api.protocols, "no core object in the Swift"
    sources = swift_sources()
    assert sources, "no Swift sources under ios/"
    problems, checked = check_swift(api, sources)
    assert not problems, "\n      " + "\n      ".join(problems)
    for what, count in checked.items():
        assert count > 0, f"no core {what} found in the Swift sources: the check has gone blind"
    return "checked: " + ", ".join(f"{count} {what}" for what, count in checked.items())


@check("swift switches over a core enum or error name every case, or have a default")
def _swift_switches():
    assert SWIFT, "no generated Swift"
    problems, checked = swift_switches.incomplete_switches(SwiftApi(SWIFT).enums, swift_sources())
    assert not problems, "\n      " + "\n      ".join(problems)
    assert checked > 0, "no switch over a core enum found: the check has gone blind"
    return f"checked: {checked} switches"


def manifest() -> ET.Element:
    """The app's AndroidManifest.xml."""
    path = ROOT / "android" / "app" / "src" / "main" / "AndroidManifest.xml"
    assert path.is_file(), "android/app/src/main/AndroidManifest.xml is missing"
    return ET.parse(path).getroot()


@check("android manifests (app and library) declare only the permissions features use")
def _android_permissions():
    permissions.check_android_permissions(ROOT, ANDROID_PERMISSIONS)


@check("android app installs on phones without the hardware its permissions imply")
def _android_features():
    permissions.check_features_optional(ROOT)


@check("android app keeps member data out of backups and refuses cleartext")
def _android_backup():
    app = manifest().find("application")
    assert app is not None, "no <application>"
    assert app.get(f"{ANDROID_NS}allowBackup") == "false", "allowBackup must be false"
    assert app.get(f"{ANDROID_NS}usesCleartextTraffic") in (None, "false"), "cleartext traffic allowed"
    config = app.get(f"{ANDROID_NS}networkSecurityConfig")
    if config:
        name = config.removeprefix("@xml/")
        text = (ROOT / "android/app/src/main/res/xml" / f"{name}.xml").read_text()
        tree = ET.fromstring(text)
        base = tree.find("base-config")
        assert base is None or base.get("cleartextTrafficPermitted") != "true", "cleartext allowed by default"
        for domain_config in tree.iter("domain-config"):
            if domain_config.get("cleartextTrafficPermitted") == "true":
                hosts = {d.text for d in domain_config.iter("domain")}
                assert hosts <= {"127.0.0.1", "localhost"}, f"cleartext to {hosts}"


@check("android app routes the login redirect scheme")
def _android_redirect():
    schemes = {
        data.get(f"{ANDROID_NS}scheme")
        for activity in manifest().iter("activity")
        for intent in activity.iter("intent-filter")
        if any(c.get(f"{ANDROID_NS}name") == "android.intent.category.BROWSABLE" for c in intent.iter("category"))
        for data in intent.iter("data")
    }
    assert REDIRECT_SCHEME in schemes, f"no BROWSABLE intent filter for {REDIRECT_SCHEME}: {schemes}"


def info_plist() -> dict:
    """The iOS app's Info.plist."""
    path = ROOT / "ios" / "App" / "Info.plist"
    assert path.is_file(), "ios/App/Info.plist is missing"
    return plistlib.loads(path.read_bytes())


@check("ios Info.plist asks only for the permissions features use, each in nb, nn and en")
def _ios_usage():
    permissions.check_ios_usage(ROOT / "ios" / "App", IOS_USAGE_DESCRIPTIONS, LOCALES)


@check("ios Info.plist answers the export-compliance question")
def _ios_export_compliance():
    permissions.check_ios_export_compliance(ROOT / "ios" / "App")


@check("ios privacy manifests parse, declare no tracking and every required-reason API the app calls")
def _ios_privacy_manifest():
    manifests = permissions.privacy_manifests(ROOT)
    assert ROOT / "ios/App/PrivacyInfo.xcprivacy" in manifests, "ios/App/PrivacyInfo.xcprivacy is missing"
    for path in manifests:
        permissions.check_privacy_manifest(path)
    permissions.check_required_reasons(ROOT / "ios/App/PrivacyInfo.xcprivacy", swift_sources())


@check("only the field scanner's and the inventory camera's files ask for the camera")
def _camera_only_in_scanner():
    files = {str(p.relative_to(ROOT)): p.read_text()
             for shell in ("android", "ios") for p in permissions.shell_files(ROOT, shell, {".kt", ".swift"})}
    found = permissions.camera_requests_outside_scanner(files)
    assert not found, f"camera asked for outside a camera file: {found}"


@check("the inventory picks photos with the system pickers; nothing reads the photo library")
def _photo_pickers():
    files = {str(p.relative_to(ROOT)): p.read_text()
             for shell in ("android", "ios") for p in permissions.shell_files(ROOT, shell, {".kt", ".swift"})}
    problems = permissions.check_photo_pickers(files)
    assert not problems, "\n      " + "\n      ".join(problems)


@check("the consent screen's 'accept all' and 'refuse all' look the same in both shells")
def _equal_consent_choices():
    files = {str(p.relative_to(ROOT)): p.read_text()
             for shell in ("android", "ios") for p in permissions.shell_files(ROOT, shell, {".kt", ".swift"})}
    problems, drawn = consent_buttons.check_equal_choices(files)
    assert not problems, "\n      " + "\n      ".join(problems)
    return f"{drawn} files draw both"


@check("ios keeps App Transport Security on and routes the login redirect")
def _ios_ats_redirect():
    plist = info_plist()
    ats = plist.get("NSAppTransportSecurity", {})
    assert not ats.get("NSAllowsArbitraryLoads", False), "NSAllowsArbitraryLoads is on"
    for domain in ats.get("NSExceptionDomains", {}):
        assert domain in ("localhost", "127.0.0.1"), f"ATS exception for {domain}"
    schemes = {s for t in plist.get("CFBundleURLTypes", []) for s in t.get("CFBundleURLSchemes", [])}
    assert REDIRECT_SCHEME in schemes, f"no URL type for {REDIRECT_SCHEME}: {schemes}"


# What would read the location in the background, in any file of either shell.
BACKGROUND_LOCATION = {
    "android": ("ACCESS_BACKGROUND_LOCATION", "FOREGROUND_SERVICE_LOCATION", 'foregroundServiceType="location"',
                "startForegroundService", "requestBackgroundLocation"),
    "ios": ("NSLocationAlwaysUsageDescription", "NSLocationAlwaysAndWhenInUseUsageDescription",
            "requestAlwaysAuthorization", "allowsBackgroundLocationUpdates",
            "startMonitoringSignificantLocationChanges", "startMonitoringVisits",
            "showsBackgroundLocationIndicator", "CLBackgroundActivitySession"),
}


def shell_files(shell: str) -> list[Path]:
    """The hand-written files of a shell (not build outputs, not generated bindings)."""
    skip = {"build", ".build", ".gradle", "Generated", ".swiftpm"}
    return [p for p in (ROOT / shell).rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT / shell).parts)
            and "Sources/LofavorCore/" not in p.as_posix()
            and p.suffix in {".kt", ".kts", ".xml", ".swift", ".plist", ".strings", ".yml", ".toml", ".pro"}]


@check("no shell asks for location in the background")
def _no_background_location():
    for shell, needles in BACKGROUND_LOCATION.items():
        files = shell_files(shell)
        assert files, f"no files under {shell}/"
        for path in files:
            text = path.read_text()
            # the manifest and plist comments may say what is left out; only code and keys count
            text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
            text = without_comments(text) if path.suffix in {".kt", ".kts", ".swift"} else text
            for needle in needles:
                assert needle not in text, f"{path.relative_to(ROOT)} has {needle}"
    for service in manifest().iter("service"):
        assert "location" not in (service.get(f"{ANDROID_NS}foregroundServiceType") or ""), "location service"
    plist = info_plist()
    assert "location" not in plist.get("UIBackgroundModes", []), "UIBackgroundModes has location"
    assert not any(k.startswith("NSLocationAlways") for k in plist), "an Always location key"


def android_strings(folder: str) -> dict[str, str]:
    """The translatable strings of one values folder of the app."""
    path = ROOT / "android/app/src/main/res" / folder / "strings.xml"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    return {e.get("name"): "".join(e.itertext()) for e in ET.parse(path).getroot().iter("string")
            if e.get("translatable") != "false"}


def apple_strings(path: Path) -> dict[str, str]:
    """The keys and texts of a .strings file."""
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    text = re.sub(r"/\*.*?\*/", " ", path.read_text(), flags=re.S)
    return dict(re.findall(r'^\s*"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;', text, re.M))


@check("the shells' texts exist in nb, nn and en")
def _texts_in_every_language():
    folders = {"nb": "values", "nn": "values-nn", "en": "values-en"}
    android = {locale: android_strings(folder) for locale, folder in folders.items()}
    for locale in LOCALES:
        assert android[locale].keys() == android["nb"].keys(), (
            f"android {locale} differs from nb: missing {sorted(android['nb'].keys() - android[locale].keys())}, "
            f"extra {sorted(android[locale].keys() - android['nb'].keys())}")
        for name, text in android[locale].items():
            assert text.strip(), f"android {locale} {name} is empty"
            # the same placeholders in every language
            assert re.findall(r"%\d\$[sd]", text) == re.findall(r"%\d\$[sd]", android["nb"][name]), \
                f"android {locale} {name} has other placeholders than nb"
    used = {n for p in (ROOT / "android/app/src/main/kotlin").rglob("*.kt")
            for n in re.findall(r"R\.string\.(\w+)", p.read_text())}
    assert {"location_allow", "location_share", "location_open_map"} <= used, "the certificate screen's texts are not used"
    all_names = set(android["nb"]) | {"app_name"}
    assert used <= all_names, f"android code uses strings no language has: {sorted(used - all_names)}"

    app = ROOT / "ios" / "App"
    ios = {locale: apple_strings(app / f"{locale}.lproj" / "Localizable.strings") for locale in LOCALES}
    for locale in LOCALES:
        assert ios[locale].keys() == ios["nb"].keys(), (
            f"ios {locale} differs from nb: missing {sorted(ios['nb'].keys() - ios[locale].keys())}, "
            f"extra {sorted(ios[locale].keys() - ios['nb'].keys())}")
    # every key the views show with Text("…") / LocalizedStringKey("…") is in the tables
    keys = set()
    for path in app.glob("*.swift"):
        for key in re.findall(r'(?:Text|LocalizedStringKey|row)\(\s*"([a-z_]+\.[^"]*)"', path.read_text()):
            keys.add(re.sub(r"\\\((?:[^()]|\([^()]*\))*\)", "%@", key))
    assert "certificate.title" in keys, "the certificate view's texts are not found"
    missing = {k for k in keys if k not in ios["nb"] and k.replace("%@", "%lld") not in ios["nb"]}
    assert not missing, f"ios views use keys no table has: {sorted(missing)}"
    for locale in LOCALES:
        infoplist = apple_strings(app / f"{locale}.lproj" / "InfoPlist.strings")
        assert infoplist.keys() == IOS_USAGE_DESCRIPTIONS.keys(), f"ios {locale} InfoPlist.strings: {sorted(infoplist)}"
        assert all(len(v) > 40 for v in infoplist.values()), f"ios {locale}: a usage description is too short"
    assert info_plist()["NSLocationWhenInUseUsageDescription"] == \
        apple_strings(app / "nb.lproj" / "InfoPlist.strings")["NSLocationWhenInUseUsageDescription"], \
        "Info.plist's usage description is not the nb text"


@check("CI workflows for the hosted runners are valid and build the shells")
def _workflows():
    wanted = {"android.yml": ("cargo ndk", "assemble"), "ios.yml": ("build-xcframework.sh", "swift test")}
    for name, needles in wanted.items():
        path = ROOT / ".github" / "workflows" / name
        assert path.is_file(), f".github/workflows/{name} is missing"
        text = path.read_text()
        doc = yaml.safe_load(text)
        assert isinstance(doc, dict) and doc.get("jobs"), f"{name} has no jobs"
        for needle in needles:
            assert needle in text, f"{name} does not run {needle!r}"


# The self-tests: each feeds a deliberately wrong snippet to a check and expects it reported
# (and the right one beside it not), so a check that has gone blind fails here.
for _name, _test in test_checks.self_tests(lambda: KOTLIN, lambda: SwiftApi(SWIFT) if SWIFT else None,
                                          kotlin_sources, swift_sources, jvm_test_kotlin):
    check(f"self-test: {_name}")(_test)


def main() -> int:
    """Prints one line per check and the totals; the exit status says whether all passed."""
    failed = 0
    for name, error, seen in results:
        if error is None:
            print(f"ok    {name}" + (f" ({seen})" if seen else ""))
        else:
            failed += 1
            print(f"FAIL  {name}: {error}")
    print(f"shells: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
