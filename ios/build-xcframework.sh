#!/bin/bash
# Builds the Rust core for Apple platforms and lays it out for Swift:
#
#   ios/LofavorCoreFFI.xcframework         liblofavor_ffi.a + C header + module map, per slice:
#                                          iOS device (arm64), iOS Simulator (arm64 + x86_64),
#                                          macOS (arm64 + x86_64, what `swift test` links)
#   ios/Sources/LofavorCore/LofavorCore.swift   the generated Swift bindings
#   ios/Generated/                         intermediate outputs (lipo'd libraries, headers)
#
# Usage: bash ios/build-xcframework.sh [--test-hooks]
#
#   --test-hooks   build lofavor-ffi with its test hooks (a deliberate panic), for running the
#                  XCTest panic checks locally (`LOFAVOR_TEST_HOOKS=1 swift test`). Without
#                  it: the app build, which has no hooks; CI builds only this one and runs the
#                  app build and the other binding tests on it.
#
# Needs macOS with Xcode (xcodebuild, lipo) and the Rust targets:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios \
#     aarch64-apple-darwin x86_64-apple-darwin
#
# Written for the bash 3.2 that macOS ships: no associative arrays, and empty arrays are
# expanded with ${a[@]+"${a[@]}"} so `set -u` does not trip over them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
generated="$here/Generated"
xcframework="$here/LofavorCoreFFI.xcframework"
swift_out="$here/Sources/LofavorCore/LofavorCore.swift"
lib="liblofavor_ffi.a"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

features=()
hooks=0
mode="app (no test hooks)"
for arg in "$@"; do
  case "$arg" in
    --test-hooks)
      features=(--features test-hooks)
      hooks=1
      mode="test (with test hooks)"
      ;;
    -h | --help)
      sed -n '2,23p' "$0"
      exit 0
      ;;
    *) fail "unknown argument '$arg' (the only option is --test-hooks)" ;;
  esac
done

# --- preconditions: say plainly what is missing instead of failing halfway ----------------
[ "$(uname -s)" = "Darwin" ] ||
  fail "this builds Apple libraries and needs macOS with Xcode; this machine runs $(uname -s)"
for tool in cargo xcodebuild lipo; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' not found (install Xcode and Rust)"
done

device_target="aarch64-apple-ios"
simulator_targets=(aarch64-apple-ios-sim x86_64-apple-ios)
macos_targets=(aarch64-apple-darwin x86_64-apple-darwin)
all_targets=("$device_target" "${simulator_targets[@]}" "${macos_targets[@]}")

if command -v rustup >/dev/null 2>&1; then
  installed=" $(rustup target list --installed | tr '\n' ' ') "
  missing=""
  for t in "${all_targets[@]}"; do
    case "$installed" in
      *" $t "*) ;;
      *) missing="$missing $t" ;;
    esac
  done
  [ -z "$missing" ] || fail "Rust targets not installed:$missing
       run: rustup target add$missing"
fi

# The Rust objects and the C code of SQLCipher are built for the same minimum OS versions
# the Swift package declares, so the linker does not warn about newer objects.
export IPHONEOS_DEPLOYMENT_TARGET=17.0
export MACOSX_DEPLOYMENT_TARGET=13.0
# On Apple targets SQLCipher uses CommonCrypto; an OpenSSL found through the environment
# (e.g. Homebrew's) must not be linked into an iOS library.
unset OPENSSL_DIR OPENSSL_LIB_DIR OPENSSL_INCLUDE_DIR

echo "building liblofavor_ffi.a for Apple platforms: $mode"

# --- 1. the static library, once per Rust target -------------------------------------------
for t in "${all_targets[@]}"; do
  step "cargo build --release -p lofavor-ffi --lib --target $t ${features[*]+${features[*]}}"
  (cd "$root" && cargo build --release -p lofavor-ffi --lib --target "$t" ${features[@]+"${features[@]}"})
  [ -f "$target_dir/$t/release/$lib" ] || fail "cargo did not produce $t/release/$lib"
done

# --- 2. one library per XCFramework slice: simulator and macOS slices are fat ----------------
step "lipo: one library per slice"
rm -rf "$generated"
mkdir -p "$generated/ios-device" "$generated/ios-simulator" "$generated/macos" \
  "$generated/headers" "$generated/swift"
cp "$target_dir/$device_target/release/$lib" "$generated/ios-device/$lib"
lipo -create \
  "$target_dir/${simulator_targets[0]}/release/$lib" \
  "$target_dir/${simulator_targets[1]}/release/$lib" \
  -output "$generated/ios-simulator/$lib"
lipo -create \
  "$target_dir/${macos_targets[0]}/release/$lib" \
  "$target_dir/${macos_targets[1]}/release/$lib" \
  -output "$generated/macos/$lib"

# --- 3. Swift bindings, in library mode, by the workspace's own bindgen ----------------------
# One thin library is enough: every slice is built from the same source and features, so the
# metadata (and the checksums the Swift code verifies at start) are the same in all of them.
step "uniffi-bindgen generate --language swift (library mode)"
(cd "$root" && cargo run --quiet -p lofavor-ffi --features bindgen --bin uniffi-bindgen -- \
  generate --no-format --language swift --out-dir "$generated/swift" \
  "$target_dir/${macos_targets[0]}/release/$lib")
for f in LofavorCore.swift LofavorCoreFFI.h LofavorCoreFFI.modulemap; do
  [ -f "$generated/swift/$f" ] || fail "bindgen did not write $f"
done

# The test hooks must be in the test build and nowhere else.
if [ "$hooks" = 1 ]; then
  grep -q "func triggerPanicForTests" "$generated/swift/LofavorCore.swift" ||
    fail "built with --test-hooks, but the bindings have no triggerPanicForTests"
else
  if grep -q "func triggerPanicForTests" "$generated/swift/LofavorCore.swift"; then
    fail "the app build exports the test hooks"
  fi
fi

# --- 4. headers + module map: Xcode and SwiftPM look for `module.modulemap` in Headers -------
cp "$generated/swift/LofavorCoreFFI.h" "$generated/headers/LofavorCoreFFI.h"
cp "$generated/swift/LofavorCoreFFI.modulemap" "$generated/headers/module.modulemap"

# --- 5. the XCFramework ----------------------------------------------------------------------
step "xcodebuild -create-xcframework"
rm -rf "$xcframework"
xcodebuild -create-xcframework \
  -library "$generated/ios-device/$lib" -headers "$generated/headers" \
  -library "$generated/ios-simulator/$lib" -headers "$generated/headers" \
  -library "$generated/macos/$lib" -headers "$generated/headers" \
  -output "$xcframework" >/dev/null

# --- 6. the generated Swift into the package's LofavorCore target ------------------------------
mkdir -p "$(dirname "$swift_out")"
cp "$generated/swift/LofavorCore.swift" "$swift_out"

step "done: $mode"
for slice in "$xcframework"/*/; do
  [ -f "$slice$lib" ] || continue
  printf '  %-28s %-16s %8d KiB\n' "$(basename "$slice")" "$(lipo -archs "$slice$lib")" \
    "$(($(stat -f %z "$slice$lib") / 1024))"
done
echo "  ios/LofavorCoreFFI.xcframework"
echo "  ios/Sources/LofavorCore/LofavorCore.swift"
