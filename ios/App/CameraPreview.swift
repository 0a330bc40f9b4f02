import AVFoundation
import SwiftUI
import UIKit

/// What the camera sees, so the worker can aim at the QR code. Decorative for VoiceOver: the
/// verdict below it is what counts.
struct CameraPreview: UIViewRepresentable {
    /// The running capture session.
    let session: AVCaptureSession

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer?.session = session
        view.previewLayer?.videoGravity = .resizeAspectFill
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}

    /// A view backed by a preview layer.
    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }

        /// The backing layer (always a preview layer, by `layerClass`).
        var previewLayer: AVCaptureVideoPreviewLayer? { layer as? AVCaptureVideoPreviewLayer }
    }
}
