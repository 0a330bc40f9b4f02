import AVFoundation
import SwiftUI
import UIKit

/// "Take photo": the system camera (UIImagePickerController with the camera source). The
/// camera is asked for only when the member taps "take photo" (`askForCamera`), with the
/// NSCameraUsageDescription that covers both the scanner and this; the photo is written to
/// the import folder as JPEG without its metadata and goes nowhere else (not to the library).
struct InventoryCamera: UIViewControllerRepresentable {
    /// Called with the photo's file, or nil when the member cancelled or it could not be
    /// written; the caller closes the sheet the camera is shown in.
    let onTaken: (URL?) -> Void

    /// Whether the camera may be used, asking the member the first time. Called at the tap.
    static func askForCamera() async -> Bool {
        switch AVCaptureDevice.authorizationStatus(for: .video) {
        case .authorized:
            return true
        case .notDetermined:
            return await AVCaptureDevice.requestAccess(for: .video)
        case .denied, .restricted:
            return false
        @unknown default:
            return false
        }
    }

    /// Whether this device has a camera at all (the button shows only then).
    static var available: Bool {
        UIImagePickerController.isSourceTypeAvailable(.camera)
    }

    func makeUIViewController(context: Context) -> UIImagePickerController {
        let picker = UIImagePickerController()
        picker.sourceType = .camera
        picker.cameraCaptureMode = .photo
        picker.delegate = context.coordinator
        return picker
    }

    func updateUIViewController(_ controller: UIImagePickerController, context: Context) {}

    func makeCoordinator() -> Coordinator {
        Coordinator(onTaken: onTaken)
    }

    /// Receives the photo.
    final class Coordinator: NSObject, UIImagePickerControllerDelegate, UINavigationControllerDelegate {
        let onTaken: (URL?) -> Void

        init(onTaken: @escaping (URL?) -> Void) {
            self.onTaken = onTaken
        }

        func imagePickerController(_ picker: UIImagePickerController, didFinishPickingMediaWithInfo info: [UIImagePickerController.InfoKey: Any]) {
            let image = info[.originalImage] as? UIImage
            // UIImage's JPEG carries no location; drawn upright first (at the photo's own
            // scale, not the screen's), so no orientation tag is needed.
            let data = image.flatMap { image in
                let format = UIGraphicsImageRendererFormat()
                format.scale = image.scale
                return UIGraphicsImageRenderer(size: image.size, format: format)
                    .image { _ in image.draw(at: .zero) }
                    .jpegData(compressionQuality: 0.92)
            }
            onTaken(PhotoFiles.write(data, index: 0))
        }

        func imagePickerControllerDidCancel(_ picker: UIImagePickerController) {
            onTaken(nil)
        }
    }
}
