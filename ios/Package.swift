// swift-tools-version:5.9
// Tools version 5.9 keeps the Swift 5 language mode (Swift 6's strict concurrency checking
// would only add noise over the generated bindings) while building with the Swift 6 toolchain.

import Foundation
import PackageDescription

/// True when the XCFramework was built with `--test-hooks` and the tests that need the hooks
/// (a deliberate panic in the core) should be compiled: `LOFAVOR_TEST_HOOKS=1 swift test`.
/// CI builds the XCFramework once, without hooks, for the app and these tests alike; the
/// panic checks then run in the Kotlin binding tests against the same Rust glue.
let testHooks = ProcessInfo.processInfo.environment["LOFAVOR_TEST_HOOKS"] == "1"

/// The LOfavør core for Swift: the Rust library as an XCFramework, the Swift bindings uniffi
/// generates for it, and the Apple implementations of the core's platform services.
///
/// `bash ios/build-xcframework.sh` must run first: it writes `LofavorCoreFFI.xcframework` and
/// `Sources/LofavorCore/LofavorCore.swift`, neither of which is committed.
let package = Package(
    name: "LofavorCore",
    // iOS 17: the app's version (its models use Observation). macOS 13: what `swift test` runs on.
    platforms: [.iOS(.v17), .macOS(.v13)],
    products: [
        /// The generated bindings: `LofavorCore`, `CoreConfig`, `LofavorError`, ...
        .library(name: "LofavorCore", targets: ["LofavorCore"]),
        /// Keychain-backed `SecureStore` and `os.Logger`-backed `Logger` for the apps.
        .library(name: "LofavorCoreApple", targets: ["LofavorCoreApple"]),
    ],
    targets: [
        /// `liblofavor_ffi.a` per platform with the C header and module map of the FFI.
        .binaryTarget(name: "LofavorCoreFFI", path: "LofavorCoreFFI.xcframework"),
        .target(
            name: "LofavorCore",
            dependencies: ["LofavorCoreFFI"],
            path: "Sources/LofavorCore",
            exclude: ["README.md"],
            // A static library carries no link instructions of its own: the frameworks its
            // Rust and C code call are named here. Security: SQLCipher's CommonCrypto
            // provider, rustls, the keyring Keychain store. CoreFoundation: the same, and
            // SQLCipher's Apple build. SystemConfiguration: network reachability and proxy
            // settings of the HTTP stack.
            linkerSettings: [
                .linkedFramework("Security"),
                .linkedFramework("CoreFoundation"),
                .linkedFramework("SystemConfiguration"),
            ]
        ),
        .target(
            name: "LofavorCoreApple",
            dependencies: ["LofavorCore"],
            path: "Sources/LofavorCoreApple"
        ),
        .testTarget(
            name: "LofavorCoreTests",
            dependencies: ["LofavorCore", "LofavorCoreApple"],
            path: "Tests/LofavorCoreTests",
            swiftSettings: testHooks ? [.define("LOFAVOR_TEST_HOOKS")] : []
        ),
    ]
)
