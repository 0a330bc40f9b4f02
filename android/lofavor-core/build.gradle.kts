// The Rust core as an Android library: the native library for each ABI (built by cargo-ndk),
// the Kotlin bindings generated from it, and the Android implementations of the platform
// services (Keystore secure store, Logcat logger) in src/main/kotlin.
//
// Needs on PATH: cargo with the Android targets, cargo-ndk, and an NDK that cargo-ndk finds
// (ANDROID_NDK_HOME, or the newest one under the SDK's ndk/ folder).

import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

// The Gradle root is android/; the Cargo workspace is the repository root above it.
val repoRoot: File = rootProject.projectDir.parentFile

// Where cargo writes host builds: CARGO_TARGET_DIR if set (relative paths are relative to
// the workspace, where cargo runs), else the workspace's target/.
val cargoTargetDir: File = providers.environmentVariable("CARGO_TARGET_DIR").orNull
    ?.takeIf { it.isNotBlank() }
    ?.let { File(it).takeIf(File::isAbsolute) ?: repoRoot.resolve(it) }
    ?: repoRoot.resolve("target")

// The library built for this machine: the bindgen reads the exported API (uniffi metadata)
// from it in library mode. Its name depends on the OS that runs the build.
// uniffi finds that metadata through the library's symbol table. The workspace's release
// profile strips debug info only (strip = "debuginfo") and keeps the symbols, so the library
// `cargo build --release -p lofavor-ffi` leaves in target/release is one the bindgen can read;
// the libraries the app ships are stripped when they are packaged (AGP strips the .so files
// in jniLibs), not by cargo. A fully stripped library would fail here with
// "No UniFFI metadata found".
val hostLibrary: File = cargoTargetDir.resolve("release").resolve(
    System.getProperty("os.name").lowercase().let { os ->
        when {
            os.contains("mac") -> "liblofavor_ffi.dylib"
            os.contains("windows") -> "lofavor_ffi.dll"
            else -> "liblofavor_ffi.so"
        }
    },
)

val jniLibsDir: File = file("src/main/jniLibs")
val uniffiOutDir: File = layout.buildDirectory.dir("generated/uniffi").get().asFile

// (a) liblofavor_ffi.so for each ABI, into src/main/jniLibs/<abi>/ where AGP packages it.
// Cargo is the incremental build for Rust, so this task declares no outputs and always
// runs (a no-op cargo build takes seconds). Declaring the source folder as an output would
// make Gradle demand that every task reading src/main depend on this one.
// --platform matches minSdk: the library links against the API level the app supports.
// cargo-ndk adds the 16 KB page alignment Android 15 needs when the NDK is older than r28.
val cargoNdkBuild = tasks.register<Exec>("cargoNdkBuild") {
    group = "rust"
    description = "Builds liblofavor_ffi.so for arm64-v8a, armeabi-v7a and x86_64 with cargo-ndk."
    workingDir = repoRoot
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
        "--platform", "26",
        "-o", jniLibsDir.absolutePath,
        "build", "--release", "-p", "lofavor-ffi",
    )
}

// (b) Library mode needs a host build of the same crate: same features, so the same API.
val cargoHostBuild = tasks.register<Exec>("cargoHostBuild") {
    group = "rust"
    description = "Builds liblofavor_ffi for this machine, for the bindgen to read."
    workingDir = repoRoot
    commandLine("cargo", "build", "--release", "-p", "lofavor-ffi")
}

// The workspace's own bindgen, pinned with the uniffi the library is built with. It writes
// no/lofavor/core/lofavor.kt under build/generated/uniffi. --no-format: no ktlint needed.
val generateUniffiBindings = tasks.register<Exec>("generateUniffiBindings") {
    group = "rust"
    description = "Generates the Kotlin bindings from the host library (uniffi library mode)."
    dependsOn(cargoHostBuild)
    workingDir = repoRoot
    inputs.file(hostLibrary).withPropertyName("hostLibrary").withPathSensitivity(PathSensitivity.NONE)
    inputs.file(repoRoot.resolve("bindings/uniffi.toml")).withPropertyName("uniffiConfig")
        .withPathSensitivity(PathSensitivity.NONE)
    inputs.file(repoRoot.resolve("Cargo.lock")).withPropertyName("cargoLock")
        .withPathSensitivity(PathSensitivity.NONE)
    outputs.dir(uniffiOutDir).withPropertyName("bindings")
    commandLine(
        "cargo", "run", "-p", "lofavor-ffi", "--features", "bindgen", "--bin", "uniffi-bindgen", "--",
        "generate", "--language", "kotlin", "--no-format",
        "--out-dir", uniffiOutDir.absolutePath,
        hostLibrary.absolutePath,
    )
    // A file of an older API must not linger next to the new one.
    doFirst { uniffiOutDir.deleteRecursively() }
}

android {
    namespace = "no.lofavor.core.android"
    compileSdk = 36

    defaultConfig {
        minSdk = 26
        // R8 rules the app applies when it minifies: JNA and the bindings bind by name.
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    sourceSets {
        getByName("main") {
            // (b) The generated bindings compile as part of this module.
            java.srcDir(uniffiOutDir)
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

// Every variant needs both the native libraries and the bindings before anything else.
tasks.named("preBuild") {
    dependsOn(cargoNdkBuild, generateUniffiBindings)
}

dependencies {
    // (c) JNA as an AAR (net.java.dev.jna:jna:<version>@aar): it carries libjnidispatch.so
    // for the Android ABIs. `api`, because the bindings' public types build on JNA.
    api(libs.jna) {
        artifact {
            type = "aar"
        }
    }
    // The bindings' suspend functions (checkServer) run on kotlinx.coroutines.
    api(libs.kotlinx.coroutines.android)
}
