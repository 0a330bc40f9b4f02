#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what it needs, then runs the Rust
# tests, the Kotlin binding tests against the real library, the checks of the shells, and the
# release library as the Android build makes it.
# Ends with one line "all: N passed, N failed".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log_dir="$root/target/test-logs"
mkdir -p "$log_dir"

# One feature set for every cargo step, so the workspace is compiled once and reused: the
# binding tests need the bindgen binary and the test hooks (a deliberate panic); the terminal
# is built with HEIC import (libheif), which the mobile library never links.
features=(--features lofavor-ffi/test-hooks,lofavor-ffi/bindgen,lofavor-cli/heic)

step() { printf '\n==> %s\n' "$*"; }

step "installing test tools"
missing=()
for pkg in libjna-java libjna-jni junit5 libheif-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml
# npm ci only when the lock file changed since the last install.
lock_stamp="$root/tests/node_modules/.lock-stamp"
lock_hash=$(sha256sum "$root/tests/package-lock.json" | cut -c1-16)
if [ "$(cat "$lock_stamp" 2>/dev/null || true)" != "$lock_hash" ]; then
  (cd "$root/tests" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$lock_stamp"
fi

step "formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets "${features[@]}" -- -D warnings

step "building the workspace (once, reused by every step below)"
cargo build --workspace --all-targets "${features[@]}"

# Runs one suite, whose output ends with "<name>: N passed, N failed", and adds its counts
# to the totals. A suite that fails without printing that line counts as one failure.
total_passed=0
total_failed=0
summary=()
suites_ok=true
run_suite() {
  local name=$1
  shift
  local log="$log_dir/$name.log"
  local status
  set +e
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  local line
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1 || true)
  [ -n "$line" ] || line="$name: 0 passed, 1 failed"
  local passed failed
  passed=$(echo "$line" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+')
  failed=$(echo "$line" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+')
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summary+=("$line")
  [ "$status" -eq 0 ] || suites_ok=false
}

# cargo test prints one "test result" line per test binary; sum them into one line.
rust_tests() {
  local status
  set +e
  cargo test --workspace "${features[@]}" 2>&1 | tee "$log_dir/cargo-test.out"
  status=${PIPESTATUS[0]}
  set -e
  local passed failed
  passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log_dir/cargo-test.out" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  failed=$(grep -Eo '[0-9]+ failed;' "$log_dir/cargo-test.out" | awk '{s+=$1} END {print s+0}')
  echo "rust: ${passed} passed, ${failed} failed"
  return "$status"
}

step "Rust tests"
run_suite rust rust_tests

step "Kotlin binding tests (JVM, real library)"
run_suite kotlin bash "$root/tests/kotlin/run.sh"

step "shells: every core name the Kotlin and Swift sources use exists in the bindings; manifests, plists and privacy manifest declare only what features use"
run_suite shells python3 "$root/tests/shells/check_shells.py"

step "release library: built as the Android build does, bindgen, size budget, 16 KB pages"
run_suite release bash "$root/tests/release/check-library.sh"

echo
printf '%s\n' "${summary[@]}"
echo "all: ${total_passed} passed, ${total_failed} failed"
if [ "$suites_ok" != true ] || [ "$total_failed" -ne 0 ]; then
  exit 1
fi
