import ImageIO
import PhotosUI
import SwiftUI
import UniformTypeIdentifiers

/// "Choose photos": the system photo picker (PHPickerViewController). It runs outside the
/// app and hands over only the photos the member picked, so the app asks for no photo-library
/// permission and has no NSPhotoLibraryUsageDescription. Created without a photo library, so
/// the results carry no asset identifiers either.
struct InventoryPhotoPicker: UIViewControllerRepresentable {
    /// The most photos one pick takes.
    static let limit = 50
    /// Closes the sheet the picker is shown in (at once, while the photos are copied).
    let close: () -> Void
    /// Called with the picked photos as files ready for the core (nil for one that could not
    /// be read), in the order picked; not called when the member cancelled.
    let onPicked: ([URL?]) -> Void

    func makeUIViewController(context: Context) -> PHPickerViewController {
        var configuration = PHPickerConfiguration()
        configuration.filter = .images
        configuration.selectionLimit = Self.limit
        configuration.selection = .ordered
        // The picker may hand over HEIC as it is: the app converts it itself (below).
        configuration.preferredAssetRepresentationMode = .current
        let picker = PHPickerViewController(configuration: configuration)
        picker.delegate = context.coordinator
        return picker
    }

    func updateUIViewController(_ controller: PHPickerViewController, context: Context) {}

    func makeCoordinator() -> Coordinator {
        Coordinator(close: close, onPicked: onPicked)
    }

    /// Receives the pick and copies each photo out before the picker's files go.
    final class Coordinator: NSObject, PHPickerViewControllerDelegate {
        let close: () -> Void
        let onPicked: ([URL?]) -> Void

        init(close: @escaping () -> Void, onPicked: @escaping ([URL?]) -> Void) {
            self.close = close
            self.onPicked = onPicked
        }

        func picker(_ picker: PHPickerViewController, didFinishPicking results: [PHPickerResult]) {
            close()
            guard !results.isEmpty else { return }
            let onPicked = onPicked
            Task {
                var files: [URL?] = []
                for (i, result) in results.enumerated() {
                    files.append(await PhotoFiles.copy(result.itemProvider, index: i))
                }
                await MainActor.run { onPicked(files) }
            }
        }
    }
}

/// Photos made ready for the core, which takes JPEG and PNG only.
enum PhotoFiles {
    /// Where the copies wait for the core, in the temporary directory; removed after each import.
    static var directory: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("import", isDirectory: true)
    }

    /// Copies the picked photo to the import folder: a JPEG or PNG as it is, anything else
    /// (HEIC from the camera roll, …) converted to JPEG with ImageIO. Nil when it cannot be read.
    static func copy(_ provider: NSItemProvider, index: Int) async -> URL? {
        let type = [UTType.jpeg, UTType.png, UTType.image].first { provider.hasItemConformingToTypeIdentifier($0.identifier) }
        guard let type else { return nil }
        return await withCheckedContinuation { continuation in
            // The file handed over exists only until this handler returns: read it here.
            _ = provider.loadFileRepresentation(forTypeIdentifier: type.identifier) { url, _ in
                guard let url, let data = try? Data(contentsOf: url) else {
                    continuation.resume(returning: nil)
                    return
                }
                let isPlain = type == .jpeg || type == .png
                continuation.resume(returning: PhotoFiles.write(isPlain ? data : PhotoFiles.jpeg(from: data), index: index, png: type == .png))
            }
        }
    }

    /// Writes `data` as the `index`-th photo of the import folder, protected while the phone is locked.
    static func write(_ data: Data?, index: Int, png: Bool = false) -> URL? {
        guard let data else { return nil }
        let dir = directory
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("photo-\(UUID().uuidString)-\(index).\(png ? "png" : "jpg")")
        do {
            try data.write(to: url, options: [.atomic, .completeFileProtection])
            return url
        } catch {
            return nil
        }
    }

    /// `data` (HEIC or any format ImageIO reads) as JPEG, with no metadata: only the pixels
    /// and their orientation go across, so no location (GPS), camera or owner data does.
    static func jpeg(from data: Data) -> Data? {
        guard let source = CGImageSourceCreateWithData(data as CFData, nil), CGImageSourceGetCount(source) > 0 else {
            return nil
        }
        // Decoded upright at up to 4096 px (the core makes 2048 px renditions), so the
        // orientation tag, which is metadata, is not needed.
        let options: [CFString: Any] = [
            kCGImageSourceCreateThumbnailFromImageAlways: true,
            kCGImageSourceCreateThumbnailWithTransform: true,
            kCGImageSourceThumbnailMaxPixelSize: 4096,
        ]
        guard let image = CGImageSourceCreateThumbnailAtIndex(source, 0, options as CFDictionary) else { return nil }
        let out = NSMutableData()
        guard let destination = CGImageDestinationCreateWithData(out as CFMutableData, UTType.jpeg.identifier as CFString, 1, nil) else {
            return nil
        }
        // Only the quality: no properties of the source are copied.
        CGImageDestinationAddImage(destination, image, [kCGImageDestinationLossyCompressionQuality: 0.92] as CFDictionary)
        guard CGImageDestinationFinalize(destination) else { return nil }
        return out as Data
    }
}
