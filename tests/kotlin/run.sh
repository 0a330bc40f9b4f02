#!/usr/bin/env bash
# The Kotlin binding tests on the JVM, against the real compiled library.
#
# Expects the workspace built with `--features lofavor-ffi/test-hooks,lofavor-ffi/bindgen`
# (tests/run-all.sh does that). Generates the Kotlin bindings in library mode, compiles them
# once into a jar (reused while the generated source is unchanged), compiles the tests, and
# runs them with JUnit 5 and JNA. Ends with a line "kotlin: N passed, N failed".
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/kotlin"
build="$here/build"
target="${CARGO_TARGET_DIR:-$root/target}/debug"
lib="$target/liblofavor_ffi.so"
kotlin_home="$root/tests/node_modules/kotlin-compiler"
kotlinc="$kotlin_home/bin/kotlinc"
# Where Debian put the jars and JNA's native part (asked, not assumed: multiarch differs).
java_libs=$(dirname "$(dpkg -L junit5 | grep '/junit-platform-console-standalone.jar$' | head -n 1)")
jni_dir=$(dirname "$(dpkg -L libjna-jni | grep '/libjnidispatch[^/]*\.so$' | head -n 1)")

[ -x "$kotlinc" ] || { echo "kotlinc missing: run tests/run-all.sh (it installs it)"; exit 1; }
[ -f "$lib" ] || { echo "missing $lib: build lofavor-ffi first"; exit 1; }

mkdir -p "$build/generated"
rm -rf "$build/generated"/*
"$target/uniffi-bindgen" generate --no-format --language kotlin --out-dir "$build/generated" "$lib" >/dev/null
generated="$build/generated/no/lofavor/core/lofavor.kt"

classpath_compile="$java_libs/jna.jar:$kotlin_home/lib/kotlinx-coroutines-core-jvm.jar"
junit="$java_libs/junit-jupiter-api.jar:$java_libs/junit-platform-commons.jar:$java_libs/opentest4j.jar:$java_libs/apiguardian-api.jar"

# The bindings jar: rebuilt only when the generated Kotlin changes.
stamp=$(sha256sum "$generated" | cut -c1-16)
bindings_jar="$build/lofavor-bindings-$stamp.jar"
if [ ! -f "$bindings_jar" ]; then
  rm -f "$build"/lofavor-bindings-*.jar
  echo "compiling the Kotlin bindings ($(wc -l < "$generated") lines)"
  "$kotlinc" -nowarn -jvm-target 17 -cp "$classpath_compile" -d "$bindings_jar" "$generated"
fi

# The Android shell's platform-free Kotlin is compiled and tested with the binding tests.
shared_android="$root/android/lofavor-core/src/main/kotlin/no/lofavor/core/android"
shared_sources=("$shared_android/CoreSettings.kt" "$shared_android/ErrorKind.kt"
  "$shared_android/SessionState.kt" "$shared_android/LocationPanel.kt" "$shared_android/QrModules.kt")
# The app's screen models (scanner, certificate, login guard, error texts, routes, consent and
# privacy screens, the inventory's form and import): no android.*.
app_model="$root/android/app/src/main/kotlin/no/lofavor/app/model"
shared_sources+=("$app_model/ErrorText.kt" "$app_model/ScanVerdict.kt" "$app_model/LumaFrame.kt"
  "$app_model/ScannerState.kt" "$app_model/LoginGuard.kt" "$app_model/CertificateView.kt" "$app_model/Route.kt"
  "$app_model/ConsentFlow.kt" "$app_model/PrivacyView.kt"
  "$app_model/Kroner.kt" "$app_model/InventoryForm.kt" "$app_model/ImportState.kt")
for source in "${shared_sources[@]}"; do
  if grep -Eq '^import (android|androidx)\.' "$source"; then
    echo "$source imports android: it cannot be tested on the JVM"; exit 1
  fi
done

echo "compiling the Kotlin tests"
tests_jar="$build/lofavor-binding-tests.jar"
"$kotlinc" -nowarn -jvm-target 17 -cp "$bindings_jar:$classpath_compile:$junit:$kotlin_home/lib/kotlin-stdlib.jar" \
  -d "$tests_jar" "$here"/src/no/lofavor/core/tests/*.kt "${shared_sources[@]}"

server_bin="$target/lofavor-server"
[ -x "$server_bin" ] || { echo "missing $server_bin"; exit 1; }

report="$build/junit-report"
rm -rf "$report"
set +e
java -Djava.library.path="$jni_dir" \
  -Djna.library.path="$target" \
  -Dlofavor.server="$server_bin" \
  -Dlofavor.oidcProvider="$root/tests/oidc/provider.mjs" \
  -Dlofavor.root="$root" \
  -Dlofavor.benchmark="${LOFAVOR_BENCHMARK:-2}" \
  -jar "$java_libs/junit-platform-console-standalone.jar" \
  --class-path "$tests_jar:$bindings_jar:$classpath_compile:$kotlin_home/lib/kotlin-stdlib.jar" \
  --scan-class-path "$tests_jar" --disable-ansi-colors \
  --details=tree --disable-banner --reports-dir "$report" 2>&1 | tee "$build/junit.log"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -Eo '\[ *[0-9]+ tests successful *\]' "$build/junit.log" | grep -Eo '[0-9]+' || echo 0)
failed=$(grep -Eo '\[ *[0-9]+ tests failed *\]' "$build/junit.log" | grep -Eo '[0-9]+' || echo 0)
echo "kotlin: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
