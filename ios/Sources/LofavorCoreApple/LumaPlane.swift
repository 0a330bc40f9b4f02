import Foundation

// Shared by the app and the XCTests: the scanner's frame handling that needs no camera.

/// The luma (Y) plane of a camera frame as the core wants it: `width * height` bytes, row by
/// row, without the padding the camera adds at the end of each row.
public enum LumaPlane {
    /// Copies `height` rows of `width` bytes from `base`, whose rows start `bytesPerRow`
    /// bytes apart (a camera pads rows for alignment, so `bytesPerRow` may exceed `width`).
    /// Nil when the geometry is impossible (no pixels, or rows shorter than `width`).
    public static func copy(
        from base: UnsafeRawPointer, width: Int, height: Int, bytesPerRow: Int
    ) -> Data? {
        guard width > 0, height > 0, bytesPerRow >= width else { return nil }
        if bytesPerRow == width {
            return Data(bytes: base, count: width * height)
        }
        var luma = Data(count: width * height)
        luma.withUnsafeMutableBytes { (target: UnsafeMutableRawBufferPointer) in
            guard let out = target.baseAddress else { return }
            for row in 0..<height {
                (out + row * width).copyMemory(from: base + row * bytesPerRow, byteCount: width)
            }
        }
        return luma
    }
}

/// Lets one frame at a time through to the core: the camera delivers frames faster than a
/// QR search takes, and a frame that arrives while one is being checked is dropped, not
/// queued (a queue would show the verdict of a picture taken seconds ago). Safe to use from
/// the camera's queue and the checking queue at once.
public final class FrameGate: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    private var open = true

    /// A gate that lets the first frame through.
    public init() {}

    /// True, and the gate is taken, when no frame is being checked and the gate is open;
    /// the caller must call `finish()` when its check is done.
    public func tryStart() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard open, !busy else { return false }
        busy = true
        return true
    }

    /// The check that `tryStart()` let through is done.
    public func finish() {
        lock.lock()
        busy = false
        lock.unlock()
    }

    /// Stops or resumes letting frames through (the scanner holds a verdict on screen, or
    /// the worker scans the next certificate). A check under way is not interrupted.
    public func setOpen(_ isOpen: Bool) {
        lock.lock()
        open = isOpen
        lock.unlock()
    }
}
