import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The certificate screen with the member's certificate: the cached one (offline), renewed by
/// the core when online and due. Until there is one (logged out, never online), the screen
/// says so and still shows the location.
struct MemberCertificateView: View {
    /// The app's one core, if open.
    let core: LofavorCore?
    /// The language of the core's texts.
    let locale: AppLocale

    @State private var qr: QrModules?

    var body: some View {
        CertificateView(qr: qr, locale: locale)
            .task {
                guard let core, let certificate = try? await core.roadside().certificate() else { return }
                qr = QrModules(size: Int(certificate.qr.size), modules: certificate.qr.modules)
            }
    }
}
