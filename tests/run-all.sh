#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what it needs, then runs the Rust
# tests, the Kotlin binding tests against the real library, and the checks of the shells.
# Ends with one line "all: N passed, N failed".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log_dir="$root/target/test-logs"
mkdir -p "$log_dir"

# One feature set for every cargo step, so the workspace is compiled once and reused: the
# binding tests need the bindgen binary and the test hooks (a deliberate panic).
features=(--features lofavor-ffi/test-hooks,lofavor-ffi/bindgen)

step() { printf '\n==> %s\n' "$*"; }

step "installing test tools"
missing=()
for pkg in libjna-java libjna-jni junit5; do
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

step "Rust tests"
set +e
cargo test --workspace "${features[@]}" 2>&1 | tee "$log_dir/cargo-test.log"
rust_status=${PIPESTATUS[0]}
set -e
rust_passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log_dir/cargo-test.log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
rust_failed=$(grep -Eo '[0-9]+ failed;' "$log_dir/cargo-test.log" | awk '{s+=$1} END {print s+0}')
echo "rust: ${rust_passed} passed, ${rust_failed} failed"

step "Kotlin binding tests (JVM, real library)"
set +e
bash "$root/tests/kotlin/run.sh" 2>&1 | tee "$log_dir/kotlin.log"
kotlin_status=${PIPESTATUS[0]}
set -e
kotlin_passed=$(grep -Eo '^kotlin: [0-9]+ passed' "$log_dir/kotlin.log" | grep -Eo '[0-9]+' || echo 0)
kotlin_failed=$(grep -Eo '^kotlin: [0-9]+ passed, [0-9]+ failed' "$log_dir/kotlin.log" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)

step "shells: Swift bindings generate; manifests and plists declare only what features use"
set +e
python3 "$root/tests/shells/check_shells.py" 2>&1 | tee "$log_dir/shells.log"
shells_status=${PIPESTATUS[0]}
set -e
shells_passed=$(grep -Eo '^shells: [0-9]+ passed' "$log_dir/shells.log" | grep -Eo '[0-9]+' || echo 0)
shells_failed=$(grep -Eo '^shells: [0-9]+ passed, [0-9]+ failed' "$log_dir/shells.log" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)

passed=$((rust_passed + kotlin_passed + shells_passed))
failed=$((rust_failed + kotlin_failed + shells_failed))
echo
echo "rust: ${rust_passed} passed, ${rust_failed} failed"
echo "kotlin: ${kotlin_passed} passed, ${kotlin_failed} failed"
echo "shells: ${shells_passed} passed, ${shells_failed} failed"
echo "all: ${passed} passed, ${failed} failed"
if [ "$rust_status" -ne 0 ] || [ "$kotlin_status" -ne 0 ] || [ "$shells_status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
