"""What the shells may ask the phone for: the Android manifests' permissions, the iOS
Info.plist's usage descriptions and privacy manifest, and which source files may ask for the
camera. Each function raises AssertionError with the reason when a rule is broken; the
tables of what is allowed live in check_shells.py, beside their reasons.
"""

from __future__ import annotations

import plistlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from source_text import blank_code

ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
TOOLS_NS = "{http://schemas.android.com/tools}"

# Never declared, whatever a feature wants: the phone number and identity, shared storage and
# media (photos come through the system picker, which needs no permission), and location in
# the background (the app never follows the member).
# The old inventory app asked for the phone state; this one must not, in any of its forms
# (READ_PHONE_STATE, READ_BASIC_/READ_PRECISE_/READ_PRIVILEGED_PHONE_STATE).
FORBIDDEN_ANDROID = re.compile(
    r"android\.permission\.(?:READ_(?:\w+_)?PHONE_STATE|READ_PHONE_NUMBERS|READ_EXTERNAL_STORAGE|WRITE_EXTERNAL_STORAGE"
    r"|MANAGE_EXTERNAL_STORAGE|MANAGE_MEDIA|READ_MEDIA_\w+|ACCESS_MEDIA_LOCATION|ACCESS_BACKGROUND_LOCATION"
    r"|FOREGROUND_SERVICE_LOCATION)\b")

# Never in the iOS Info.plist, whatever a feature wants: the inventory picks photos with
# PHPickerViewController, which runs outside the app and needs no photo-library permission,
# and it saves nothing to the library.
FORBIDDEN_IOS = ("NSPhotoLibraryUsageDescription", "NSPhotoLibraryAddUsageDescription")

# The calls that bring up the camera prompt, which only the field scanner and the inventory's
# "take photo" may make. The inventory needs it although the system camera app takes the
# photo: an app that declares CAMERA (the scanner does) may start ACTION_IMAGE_CAPTURE only
# with it granted, so the inventory asks for it at the tap on "take photo", and only there.
CAMERA_FILES = ("Scanner", "InventoryCamera")
CAMERA_REQUESTS = {
    ".kt": re.compile(r"\bManifest\s*\.\s*permission\s*\.\s*CAMERA\b|android\.permission\.CAMERA\b"),
    ".swift": re.compile(r"\bAVCaptureDevice\s*\.\s*requestAccess\b|\brequestAccess\s*\(\s*for\s*:\s*\.video\b"),
}
# The core's reason for the camera, which only the scanner shows before it asks (tests may
# read it to compare it with the platform's texts).
CAMERA_REASON = re.compile(r"\bcameraPermissionRequest\s*\(")
SKIP_PARTS = {"build", ".build", ".gradle", "Generated", ".swiftpm", "node_modules"}


def shell_files(root: Path, shell: str, suffixes: set[str]) -> list[Path]:
    """The hand-written files of a shell with one of `suffixes` (no build outputs, no
    generated bindings)."""
    return sorted(p for p in (root / shell).rglob("*")
                  if p.is_file() and p.suffix in suffixes
                  and not SKIP_PARTS & set(p.relative_to(root / shell).parts)
                  and "Sources/LofavorCore/" not in p.as_posix())


def android_manifests(root: Path) -> list[Path]:
    """Every AndroidManifest.xml of the project: the app's and each library module's."""
    return [p for p in shell_files(root, "android", {".xml"}) if p.name == "AndroidManifest.xml"]


def declared_permissions(manifest: Path) -> set[str]:
    """The permissions a manifest asks for; entries that remove a permission merged from a
    library (`tools:node="remove"`) ask for nothing."""
    tree = ET.parse(manifest).getroot()
    return {
        e.get(f"{ANDROID_NS}name")
        for tag in ("uses-permission", "uses-permission-sdk-23")
        for e in tree.iter(tag)
        if e.get(f"{TOOLS_NS}node") != "remove"
    }


def check_android_permissions(root: Path, allowed: dict[str, str]):
    """Every manifest asks only for allowed permissions, never for a forbidden one, and the
    app's asks for all of them (a feature's permission is declared by the app)."""
    forbidden_allowed = [p for p in allowed if FORBIDDEN_ANDROID.fullmatch(p)]
    assert not forbidden_allowed, f"the allowed list names forbidden permissions: {forbidden_allowed}"
    manifests = android_manifests(root)
    app = root / "android/app/src/main/AndroidManifest.xml"
    assert app in manifests, "android/app/src/main/AndroidManifest.xml is missing"
    assert len(manifests) > 1, "the library module's manifest is missing"
    for manifest in manifests:
        where = manifest.relative_to(root)
        declared = declared_permissions(manifest)
        forbidden = sorted(p for p in declared if FORBIDDEN_ANDROID.fullmatch(p or ""))
        assert not forbidden, f"{where} asks for {forbidden}"
        extra = declared - allowed.keys()
        assert not extra, f"{where} asks for permissions no feature uses: {sorted(extra)}"
        # A forbidden name anywhere else (a service's permission, a meta-data value) too,
        # except in comments and in entries that remove it.
        text = re.sub(r"<!--.*?-->", " ", manifest.read_text(), flags=re.S)
        text = re.sub(r"<[^>]*tools:node\s*=\s*\"remove\"[^>]*>", " ", text)
        found = FORBIDDEN_ANDROID.search(text)
        assert not found, f"{where} names {found.group(0)}"
    missing = allowed.keys() - declared_permissions(app)
    assert not missing, f"permissions features need but the app's manifest lacks: {sorted(missing)}"


# Permissions from which Play infers a required hardware feature, and that feature: without
# `required="false"` a phone lacking it could not install the app at all.
IMPLIED_FEATURES = {"android.permission.CAMERA": ("android.hardware.camera", "android.hardware.camera.any")}


def check_features_optional(root: Path):
    """Each hardware feature the app's permissions imply is declared optional."""
    app = root / "android/app/src/main/AndroidManifest.xml"
    tree = ET.parse(app).getroot()
    features = {e.get(f"{ANDROID_NS}name"): e.get(f"{ANDROID_NS}required") for e in tree.iter("uses-feature")}
    for permission in declared_permissions(app) & IMPLIED_FEATURES.keys():
        names = IMPLIED_FEATURES[permission]
        assert any(features.get(n) == "false" for n in names), \
            f"{permission} makes {names[0]} required: declare it with android:required=\"false\""
        assert not any(features.get(n) not in (None, "false") for n in names), f"{names[0]} is declared required"


def plist(path: Path) -> dict:
    """A property list, XML or binary."""
    assert path.is_file(), f"{path} is missing"
    try:
        return plistlib.loads(path.read_bytes())
    except Exception as e:  # expat's and plistlib's own errors: the file is not a plist
        raise AssertionError(f"{path.name} does not parse as a property list: {e}") from e


def apple_strings(path: Path) -> dict[str, str]:
    """The keys and texts of a .strings file."""
    assert path.is_file(), f"{path} is missing"
    text = re.sub(r"/\*.*?\*/", " ", path.read_text(), flags=re.S)
    text = re.sub(r"^\s*//[^\n]*", " ", text, flags=re.M)
    return dict(re.findall(r'^\s*"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;', text, re.M))


def usage_descriptions(info: dict) -> set[str]:
    """The permission usage descriptions of an Info.plist."""
    return {k for k in info if k.startswith("NS") and k.endswith("UsageDescription")}


def check_ios_usage(app: Path, allowed: dict[str, str], locales: tuple[str, ...]):
    """Info.plist asks only for allowed permissions, each with its reason in every
    language, never for the photo library; no location in the background."""
    forbidden_allowed = [k for k in allowed if k in FORBIDDEN_IOS]
    assert not forbidden_allowed, f"the allowed list names forbidden usage descriptions: {forbidden_allowed}"
    info = plist(app / "Info.plist")
    usage = usage_descriptions(info)
    forbidden = sorted(k for k in info if k in FORBIDDEN_IOS)
    assert not forbidden, f"Info.plist asks for the photo library: {forbidden}"
    extra = usage - allowed.keys()
    assert not extra, f"Info.plist has usage descriptions no feature uses: {sorted(extra)}"
    for key in usage:
        assert str(info[key]).strip(), f"Info.plist's {key} is empty"
    for locale in locales:
        strings = apple_strings(app / f"{locale}.lproj" / "InfoPlist.strings")
        missing = usage - strings.keys()
        assert not missing, f"{locale}.lproj/InfoPlist.strings lacks {sorted(missing)}"
        stray = usage_descriptions(strings) - usage
        assert not stray, f"{locale}.lproj/InfoPlist.strings has {sorted(stray)}, which Info.plist does not ask for"
        for key in usage:
            assert len(strings[key].strip()) > 40, f"{locale}.lproj/InfoPlist.strings: {key} is too short to be a reason"
    modes = info.get("UIBackgroundModes", [])
    assert "location" not in modes, "UIBackgroundModes has location"
    assert not any(k.startswith("NSLocationAlways") for k in info), "an Always location key"


def check_ios_export_compliance(app: Path):
    """Info.plist answers the export-compliance question (the app uses only exempt,
    standard encryption: HTTPS and the database's), so App Store Connect does not hold every
    build for it."""
    info = plist(app / "Info.plist")
    assert "ITSAppUsesNonExemptEncryption" in info, "Info.plist lacks ITSAppUsesNonExemptEncryption"
    assert isinstance(info["ITSAppUsesNonExemptEncryption"], bool), "ITSAppUsesNonExemptEncryption is not a boolean"


def privacy_manifests(root: Path) -> list[Path]:
    """The privacy manifests of the iOS shell."""
    return [p for p in (root / "ios").rglob("PrivacyInfo.xcprivacy")
            if not SKIP_PARTS & set(p.relative_to(root / "ios").parts)]


def check_privacy_manifest(path: Path):
    """A privacy manifest parses, says the app does not track, and gives each required-reason
    API it lists a reason."""
    manifest = plist(path)
    assert isinstance(manifest, dict), f"{path.name} is not a dictionary"
    assert manifest.get("NSPrivacyTracking") is False, f"{path.name}: NSPrivacyTracking is not false"
    assert not manifest.get("NSPrivacyTrackingDomains"), f"{path.name} lists tracking domains"
    for entry in manifest.get("NSPrivacyAccessedAPITypes", []):
        api = entry.get("NSPrivacyAccessedAPIType", "")
        assert api.startswith("NSPrivacyAccessedAPICategory"), f"{path.name}: {api!r} is not an API category"
        assert entry.get("NSPrivacyAccessedAPITypeReasons"), f"{path.name}: {api} has no reason"
    for entry in manifest.get("NSPrivacyCollectedDataTypes", []):
        assert entry.get("NSPrivacyCollectedDataTypeTracking") is not True, f"{path.name}: collected data used for tracking"


# Swift APIs Apple lists as needing a declared reason, by the category that declares it.
REQUIRED_REASON_APIS = {
    "NSPrivacyAccessedAPICategoryUserDefaults": re.compile(r"\bUserDefaults\b|@AppStorage\b"),
    "NSPrivacyAccessedAPICategoryFileTimestamp": re.compile(
        r"\b(?:creationDate|modificationDate|contentModificationDate|attributesOfItem|fileModificationDate"
        r"|fileCreationDate|creationDateKey|contentModificationDateKey)\b"),
    "NSPrivacyAccessedAPICategorySystemBootTime": re.compile(r"\bsystemUptime\b|\bmach_absolute_time\b"),
    "NSPrivacyAccessedAPICategoryDiskSpace": re.compile(
        r"\bvolume(?:Available|Total)Capacity\w*\b|\bsystemFreeSize\b|\bsystemSize\b|\bstatfs\b"),
    "NSPrivacyAccessedAPICategoryActiveKeyboards": re.compile(r"\bactiveInputModes\b"),
}


def check_required_reasons(path: Path, swift: dict[str, str]):
    """Every required-reason API the Swift sources call is declared in the privacy manifest,
    with a reason code of Apple's form (`CA92.1`)."""
    manifest = plist(path)
    declared = {}
    for entry in manifest.get("NSPrivacyAccessedAPITypes", []):
        declared[entry.get("NSPrivacyAccessedAPIType")] = entry.get("NSPrivacyAccessedAPITypeReasons", [])
    for category, reasons in declared.items():
        bad = [r for r in reasons if not re.fullmatch(r"[0-9A-F]{4}\.\d", r)]
        assert not bad, f"{path.name}: {category} has reasons that are not Apple's codes: {bad}"
    for category, pattern in REQUIRED_REASON_APIS.items():
        users = [where for where, text in swift.items() if pattern.search(blank_code(text, keep_templates=False))]
        assert not users or category in declared, f"{path.name} does not declare {category}, which {users} use"


def camera_requests_outside_scanner(files: dict[str, str]) -> list[str]:
    """The places (file:line) outside a camera file that ask for the camera, or show the
    core's reason for asking (outside tests). `files` maps a path to its text; a camera file
    is one whose name contains "Scanner" or "InventoryCamera" (CAMERA_FILES)."""
    found = []
    for where, text in files.items():
        pattern = CAMERA_REQUESTS.get(Path(where).suffix)
        if pattern is None or any(name in Path(where).name for name in CAMERA_FILES):
            continue
        code = blank_code(text, keep_templates=False)
        in_tests = bool({"Tests", "test", "tests"} & set(Path(where).parts))
        for m in list(pattern.finditer(code)) + ([] if in_tests else list(CAMERA_REASON.finditer(code))):
            found.append(f"{where}:{code.count(chr(10), 0, m.start()) + 1}: {m.group(0)}")
        # a permission named as a string is a request too: look in the strings' places
        for m in re.finditer(r'"android\.permission\.CAMERA"', text):
            if code[m.start() + 1:m.end() - 1].strip() == "" and code[m.start()] == '"':
                found.append(f"{where}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}")
    return found


# The system pickers the inventory must use (no permission: the picker runs outside the app
# and hands over only what the member picked), by shell.
PHOTO_PICKERS = {
    ".kt": re.compile(r"\bActivityResultContracts\s*\.\s*Pick(?:Multiple)?VisualMedia\b"),
    ".swift": re.compile(r"\bPHPickerViewController\b"),
}
PICKER_NAMES = {".kt": "ActivityResultContracts.PickVisualMedia or PickMultipleVisualMedia",
                ".swift": "PHPickerViewController"}
# What reads the photo library itself, or opens the old pickers that do: each needs (or
# invites) a storage, media or photo-library permission. Not in any file of either shell.
LIBRARY_ACCESS = {
    ".kt": re.compile(r"\bMediaStore\s*\.\s*(?:Images|Video|Files)\s*\.\s*Media\b|\bMediaStore\s*\.\s*Files\b"
                      r"|\bIntent\s*\.\s*ACTION_PICK\b|\bEnvironment\s*\.\s*getExternalStorage"),
    ".swift": re.compile(r"\bPHPhotoLibrary\s*\.\s*(?:requestAuthorization|authorizationStatus|shared)\b"
                         r"|\bPHAsset\s*\.\s*fetch|\bPHImageManager\b|\bUIImageWriteToSavedPhotosAlbum\b"
                         r"|\.\s*photoLibrary\b|\.\s*savedPhotosAlbum\b"),
}


def check_photo_pickers(files: dict[str, str]) -> list[str]:
    """Problems with how the shells get photos: each shell's inventory files (names containing
    "Inventory") use the system picker (PickVisualMedia on Android, PHPickerViewController on
    iOS), and no file of either reads the photo library itself or opens an older picker that
    does. `files` maps a path to its text; comments and strings do not count."""
    problems = []
    picker_seen = {suffix: False for suffix in PHOTO_PICKERS}
    inventory_seen = {suffix: False for suffix in PHOTO_PICKERS}
    for where, text in files.items():
        suffix = Path(where).suffix
        if suffix not in PHOTO_PICKERS:
            continue
        code = blank_code(text, keep_templates=False)
        if "Inventory" in Path(where).name:
            inventory_seen[suffix] = True
            picker_seen[suffix] |= bool(PHOTO_PICKERS[suffix].search(code))
        for m in LIBRARY_ACCESS[suffix].finditer(code):
            problems.append(f"{where}:{code.count(chr(10), 0, m.start()) + 1}: reads the photo library: {m.group(0)}")
    for suffix, seen in inventory_seen.items():
        if not seen:
            problems.append(f"no inventory file ({suffix}) found")
        elif not picker_seen[suffix]:
            problems.append(f"the inventory's {suffix} files do not use {PICKER_NAMES[suffix]}")
    return problems
