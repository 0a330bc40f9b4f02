import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The member's roadside certificate: the QR code for the assistance worker to scan, beside it
/// who holds it, the cover, when it ends and whether it is valid; renewal; and, when the
/// member taps for it, where they are.
struct MemberCertificateView: View {
    /// The app's one core.
    let core: LofavorCore
    /// The language of the core's texts.
    let locale: AppLocale

    @State private var model = CertificateModel()
    /// Reads the position once the member asks; stopped when this screen goes away and
    /// while the app is not in the foreground.
    @State private var reader = LocationReader()
    @Environment(\.dynamicTypeSize) private var dynamicTypeSize
    @Environment(\.scenePhase) private var scenePhase

    /// The certificate screen of `core`'s member, with the core's texts in `locale`.
    init(core: LofavorCore, locale: AppLocale) {
        self.core = core
        self.locale = locale
    }

    var body: some View {
        List {
            Section {
                certificatePart
            }
            LocationSection(locale: locale, reader: reader)
        }
        .navigationTitle(Text("certificate.title"))
        .task { await model.reload(core) }
        .refreshable { await model.reload(core) }
        .onDisappear { reader.stop() }
        .onChange(of: scenePhase) { _, phase in
            reader.setForeground(phase == .active)
        }
    }

    /// The certificate, the wait for it, or why there is none.
    @ViewBuilder private var certificatePart: some View {
        switch model.load {
        case .loading:
            HStack {
                ProgressView()
                Text("certificate.loading")
            }
        case let .shown(certificate):
            certificateRows(certificate)
        case let .failed(kind):
            ErrorMessage(kind: kind)
            Button {
                Task { await model.reload(core) }
            } label: {
                Text("certificate.retry")
            }
        }
    }

    /// The QR code with the details beside it (below it at accessibility text sizes, where
    /// two columns would leave neither readable), then renewal.
    @ViewBuilder private func certificateRows(_ certificate: MemberCertificate) -> some View {
        let layout = dynamicTypeSize.isAccessibilitySize
            ? AnyLayout(VStackLayout(alignment: .leading, spacing: 16))
            : AnyLayout(HStackLayout(alignment: .top, spacing: 16))
        layout {
            if let qr = QrModules(size: Int(certificate.qr.size), modules: certificate.qr.modules) {
                QRCodeView(qr: qr)
                    .frame(minWidth: 160, maxWidth: 360)
            } else {
                ErrorMessage(kind: "internal")
            }
            CertificateDetails(certificate: certificate)
        }
        renewal(CertificateStatusLine(certificate.status))
    }

    /// Renew now; first and prominent when the certificate has expired.
    @ViewBuilder private func renewal(_ line: CertificateStatusLine) -> some View {
        Button {
            model.renew(core)
        } label: {
            HStack {
                Text("certificate.renew")
                if model.renewing {
                    Spacer()
                    ProgressView()
                }
            }
        }
        .buttonStyle(.borderless)
        .font(line.isExpired ? .headline : .body)
        .disabled(model.renewing)
        if let problem = model.renewalProblem {
            ErrorMessage(kind: problem)
        }
    }
}

/// Who holds the certificate, the cover, when it ends, and its status in words, colour and
/// symbol.
private struct CertificateDetails: View {
    let certificate: MemberCertificate

    var body: some View {
        let line = CertificateStatusLine(certificate.status)
        VStack(alignment: .leading, spacing: 8) {
            Text(verbatim: certificate.holder)
                .font(.title2.bold())
                .accessibilityAddTraits(.isHeader)
            Text(verbatim: certificate.cover.productName)
                .font(.headline)
            if let vehicle = certificate.vehicle {
                Text("certificate.vehicle \(vehicle)")
            }
            Text("certificate.expires \(certificate.expiresAt, format: Date.FormatStyle(date: .long, time: .omitted))")
            Label {
                if let days = line.days {
                    Text("certificate.status_expires_in \(days)")
                } else {
                    Text(LocalizedStringKey(line.key))
                }
            } icon: {
                Image(systemName: symbol(line)).accessibilityHidden(true)
            }
            .font(.headline)
            .foregroundStyle(color(line))
        }
        .frame(maxWidth: .infinity, alignment: .leading)
    }

    private func symbol(_ line: CertificateStatusLine) -> String {
        if line.isExpired { return "xmark.octagon.fill" }
        return line.days == nil ? "checkmark.seal.fill" : "clock.badge.exclamationmark"
    }

    private func color(_ line: CertificateStatusLine) -> Color {
        if line.isExpired { return .red }
        return line.days == nil ? .green : .orange
    }
}
