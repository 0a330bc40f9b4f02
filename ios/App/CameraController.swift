import AVFoundation
import CoreMedia
import CoreVideo
import Foundation
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The scanner's camera: the back camera into an `AVCaptureVideoDataOutput` delivering
/// full-range 4:2:0 bi-planar frames, whose first plane is the luma (Y) the core reads QR
/// codes from.
///
/// Threads: the session is configured, started and stopped on its own serial queue (those
/// calls block); frames arrive on a second serial queue. A frame is copied out of the
/// camera's buffer only when the gate lets it through (no check under way, no verdict on
/// screen), so the camera's buffers go straight back to it, and late frames are discarded
/// by the output itself rather than queued. Nothing of a frame is stored or logged.
final class CameraController: NSObject, AVCaptureVideoDataOutputSampleBufferDelegate, @unchecked Sendable {
    /// The session, for the preview layer.
    let session = AVCaptureSession()

    private let sessionQueue = DispatchQueue(label: "no.lofavor.scanner.session")
    private let sampleQueue = DispatchQueue(label: "no.lofavor.scanner.frames")
    private let gate: FrameGate
    /// Receives a frame's width, height and luma bytes on the frame queue, after the gate let
    /// it through; it must call `gate.finish()` when its check is done.
    private let onFrame: @Sendable (Int, Int, Data) -> Void
    /// Touched on `sessionQueue` only.
    private var configured = false

    /// A camera whose frames go through `gate` to `onFrame`.
    init(gate: FrameGate, onFrame: @escaping @Sendable (Int, Int, Data) -> Void) {
        self.gate = gate
        self.onFrame = onFrame
        super.init()
    }

    /// Configures the session the first time and starts it; false when this device has no
    /// usable back camera. Call only once camera access is granted.
    func start() async -> Bool {
        await withCheckedContinuation { continuation in
            sessionQueue.async { [self] in
                if !configured {
                    configured = configure()
                }
                if configured && !session.isRunning {
                    session.startRunning()
                }
                continuation.resume(returning: configured)
            }
        }
    }

    /// Stops the session (when the scanner goes away or the app leaves the foreground).
    func stop() {
        sessionQueue.async { [self] in
            if session.isRunning {
                session.stopRunning()
            }
        }
    }

    /// The back wide-angle camera into a video data output of luma-first frames.
    private func configure() -> Bool {
        guard let device = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
              let input = try? AVCaptureDeviceInput(device: device)
        else { return false }
        session.beginConfiguration()
        defer { session.commitConfiguration() }
        // 720p is plenty for a QR code held up to the phone and keeps each search short.
        if session.canSetSessionPreset(.hd1280x720) {
            session.sessionPreset = .hd1280x720
        }
        guard session.canAddInput(input) else { return false }
        session.addInput(input)
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [
            kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange,
        ]
        output.alwaysDiscardsLateVideoFrames = true
        output.setSampleBufferDelegate(self, queue: sampleQueue)
        guard session.canAddOutput(output) else { return false }
        session.addOutput(output)
        return true
    }

    func captureOutput(
        _ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer, from connection: AVCaptureConnection
    ) {
        guard gate.tryStart() else { return }
        guard let frame = Self.luma(of: sampleBuffer) else {
            gate.finish()
            return
        }
        onFrame(frame.width, frame.height, frame.luma)
    }

    /// The luma plane of a full-range bi-planar frame, `width * height` bytes without row
    /// padding; nil for any other format.
    private static func luma(of sampleBuffer: CMSampleBuffer) -> (width: Int, height: Int, luma: Data)? {
        guard let pixels = CMSampleBufferGetImageBuffer(sampleBuffer),
              CVPixelBufferGetPixelFormatType(pixels) == kCVPixelFormatType_420YpCbCr8BiPlanarFullRange,
              CVPixelBufferGetPlaneCount(pixels) >= 1,
              CVPixelBufferLockBaseAddress(pixels, .readOnly) == kCVReturnSuccess
        else { return nil }
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return nil }
        let width = CVPixelBufferGetWidthOfPlane(pixels, 0)
        let height = CVPixelBufferGetHeightOfPlane(pixels, 0)
        let bytesPerRow = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        guard let luma = LumaPlane.copy(
            from: UnsafeRawPointer(base), width: width, height: height, bytesPerRow: bytesPerRow)
        else { return nil }
        return (width, height, luma)
    }
}
