#!/usr/bin/env python3
"""Checks of the Android and iOS shells that need no Android SDK and no Xcode.

- The Swift bindings generate from the built library, and every case of a core type that
  the Swift sources name exists in them (a renamed error kind would break the iOS build).
- The Android manifest declares only the permissions the app's features use, keeps member
  data out of backups, refuses cleartext traffic, and routes the login redirect.
- The iOS Info.plist asks for no permission the app does not use, keeps ATS on, and routes
  the login redirect.
- The CI workflows for the hosted runners are valid YAML and build what they claim.

Prints one line per check and ends with "shells: N passed, N failed".
"""

from __future__ import annotations

import plistlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "target" / "debug"
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"

# What each shell may ask for, and why. A feature that needs more adds it here, with its
# reason, in the same change that adds the permission to the manifest.
ANDROID_PERMISSIONS = {
    "android.permission.INTERNET": "the member API and the OpenID issuer",
}
IOS_USAGE_DESCRIPTIONS: dict[str, str] = {}
REDIRECT_SCHEME = "no.lofavor.app"

results: list[tuple[str, str | None]] = []


def check(name: str):
    """Runs the decorated function as a named check; an AssertionError fails it."""

    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as e:
            results.append((name, str(e) or "assertion failed"))
        except Exception as e:  # a crash of the check is a failure too, with its reason
            results.append((name, f"{type(e).__name__}: {e}"))
        return fn

    return wrap


def generated_swift() -> str:
    out = ROOT / "target" / "swift-bindings"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    subprocess.run(
        [str(TARGET / "uniffi-bindgen"), "generate", "--no-format", "--language", "swift",
         "--out-dir", str(out), str(TARGET / "liblofavor_ffi.so")],
        check=True, capture_output=True,
    )
    for name in ("LofavorCore.swift", "LofavorCoreFFI.h", "LofavorCoreFFI.modulemap"):
        assert (out / name).is_file(), f"bindgen did not write {name}"
    return (out / "LofavorCore.swift").read_text()


SWIFT = ""


@check("swift bindings generate in library mode")
def _swift_generates():
    global SWIFT
    SWIFT = generated_swift()
    assert "public protocol SecureStore" in SWIFT
    assert "open class LofavorCore" in SWIFT
    assert "func checkServer() async throws" in SWIFT


def swift_cases(enum: str) -> set[str]:
    """The case names of a generated Swift enum."""
    match = re.search(rf"enum {enum}\b[^{{]*\{{(.*?)\n\}}", SWIFT, re.S)
    assert match, f"enum {enum} not in the generated Swift"
    return set(re.findall(r"^\s*case\s+`?(\w+)`?", match.group(1), re.M))


@check("swift sources name only cases the bindings have")
def _swift_names():
    assert SWIFT, "no generated Swift"
    sources = [p for p in (ROOT / "ios").rglob("*.swift")
               if "Sources/LofavorCore/" not in p.as_posix() and ".build" not in p.parts]
    assert sources, "no Swift sources under ios/"
    used = 0
    for enum in ("LofavorError", "SecureStoreError", "SecureStoreChoice", "AppLocale", "LogLevel"):
        cases = swift_cases(enum)
        for path in sources:
            for case in re.findall(rf"\b{enum}\.(\w+)", path.read_text()):
                used += 1
                assert case in cases, f"{path.relative_to(ROOT)} uses {enum}.{case}; bindings have {sorted(cases)}"
    assert used > 0, "the Swift sources name no core type at all"


def manifest() -> ET.Element:
    path = ROOT / "android" / "app" / "src" / "main" / "AndroidManifest.xml"
    assert path.is_file(), "android/app/src/main/AndroidManifest.xml is missing"
    return ET.parse(path).getroot()


@check("android manifest declares only the permissions features use")
def _android_permissions():
    declared = {
        e.get(f"{ANDROID_NS}name")
        for tag in ("uses-permission", "uses-permission-sdk-23")
        for e in manifest().iter(tag)
    }
    extra = declared - ANDROID_PERMISSIONS.keys()
    assert not extra, f"permissions no feature uses: {sorted(extra)}"
    missing = ANDROID_PERMISSIONS.keys() - declared
    assert not missing, f"permissions features need but the manifest lacks: {sorted(missing)}"
    assert "android.permission.ACCESS_BACKGROUND_LOCATION" not in declared


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
    path = ROOT / "ios" / "App" / "Info.plist"
    assert path.is_file(), "ios/App/Info.plist is missing"
    return plistlib.loads(path.read_bytes())


@check("ios Info.plist asks for no permission the app does not use")
def _ios_usage():
    usage = {k for k in info_plist() if k.startswith("NS") and k.endswith("UsageDescription")}
    extra = usage - IOS_USAGE_DESCRIPTIONS.keys()
    assert not extra, f"usage descriptions no feature uses: {sorted(extra)}"
    modes = info_plist().get("UIBackgroundModes", [])
    assert "location" not in modes, "background location"


@check("ios keeps App Transport Security on and routes the login redirect")
def _ios_ats_redirect():
    plist = info_plist()
    ats = plist.get("NSAppTransportSecurity", {})
    assert not ats.get("NSAllowsArbitraryLoads", False), "NSAllowsArbitraryLoads is on"
    for domain in ats.get("NSExceptionDomains", {}):
        assert domain in ("localhost", "127.0.0.1"), f"ATS exception for {domain}"
    schemes = {s for t in plist.get("CFBundleURLTypes", []) for s in t.get("CFBundleURLSchemes", [])}
    assert REDIRECT_SCHEME in schemes, f"no URL type for {REDIRECT_SCHEME}: {schemes}"


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


def main() -> int:
    failed = 0
    for name, error in results:
        if error is None:
            print(f"ok    {name}")
        else:
            failed += 1
            print(f"FAIL  {name}: {error}")
    print(f"shells: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
