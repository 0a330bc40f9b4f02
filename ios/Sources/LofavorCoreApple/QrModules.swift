import Foundation

// Shared by the app and the XCTests, like CoreFailure.swift; needs nothing of the core.

/// A QR code as a square of modules, row by row, `true` for dark: what the certificate view
/// draws. The core renders the certificate's QR code; the app converts the core's matrix
/// record into this, so the drawing does not depend on the record's exact shape. The same
/// geometry as Android's `QrModules.kt`, which the JVM tests check.
public struct QrModules: Equatable {
    /// A horizontal run of dark modules, in module units including the quiet zone.
    public struct Run: Equatable {
        /// Column of the first module.
        public let x: Int
        /// Row.
        public let y: Int
        /// Dark modules in the run.
        public let length: Int

        /// A run at column `x`, row `y`, `length` modules long.
        public init(x: Int, y: Int, length: Int) {
            self.x = x
            self.y = y
            self.length = length
        }
    }

    /// Light modules on each side. ISO/IEC 18004 asks for 4; a screen held to a scanner has
    /// no printed margin, so the full 4 are drawn.
    public static let quietZone = 4

    /// Modules per side.
    public let size: Int
    /// `size * size` modules, row after row.
    public let modules: [Bool]

    /// A matrix, or nil when `modules` does not fill a square of `size`.
    public init?(size: Int, modules: [Bool]) {
        guard size > 0, modules.count == size * size else { return nil }
        self.size = size
        self.modules = modules
    }

    /// Modules per side including the quiet zone on both sides.
    public var sideWithQuietZone: Int { size + 2 * Self.quietZone }

    /// Whether the module in column `x`, row `y` is dark.
    public func isDark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }

    /// The dark modules as horizontal runs, offset by the quiet zone: one rectangle per run
    /// keeps the drawing small and leaves no hairline seams between neighbouring modules.
    public func darkRuns() -> [Run] {
        var runs: [Run] = []
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x, y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && isDark(x, y) { x += 1 }
                runs.append(Run(x: start + Self.quietZone, y: y + Self.quietZone, length: x - start))
            }
        }
        return runs
    }
}
