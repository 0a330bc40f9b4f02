import SwiftUI
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// A QR code drawn from its module matrix, black on white whatever the appearance (scanners
/// need the contrast), with the four-module quiet zone. VoiceOver reads it as an image with a
/// label that says what it is for.
struct QRCodeView: View {
    /// The matrix to draw.
    let qr: QrModules

    var body: some View {
        let runs = qr.darkRuns()
        Canvas { context, size in
            let cell = min(size.width, size.height) / CGFloat(qr.sideWithQuietZone)
            for run in runs {
                let rect = CGRect(
                    x: CGFloat(run.x) * cell, y: CGFloat(run.y) * cell,
                    width: CGFloat(run.length) * cell, height: cell)
                context.fill(Path(rect), with: .color(.black))
            }
        }
        .aspectRatio(1, contentMode: .fit)
        .background(Color.white)
        .accessibilityElement()
        .accessibilityLabel(Text("certificate.qr_description"))
        .accessibilityAddTraits(.isImage)
    }
}
