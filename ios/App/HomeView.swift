import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif

/// The app's first screen once the core is open: the member's account, the way to the
/// roadside certificate and to the roadside worker's scanner, and the core's status.
struct HomeView: View {
    /// The app's one core.
    let core: LofavorCore
    /// What the core said about itself when it opened.
    let info: CoreInfo
    /// The language of the core's texts.
    let locale: AppLocale

    /// The home screen of `core`. (Written out: the synthesised initialiser would be
    /// private, as the view keeps private state.)
    init(core: LofavorCore, info: CoreInfo, locale: AppLocale) {
        self.core = core
        self.info = info
        self.locale = locale
    }

    /// Login and the session; lives as long as the app shows this screen.
    @State private var login = LoginController()

    var body: some View {
        NavigationStack {
            List {
                AccountSection(core: core, login: login)
                Section {
                    NavigationLink(value: Route.certificate) {
                        Label {
                            Text("certificate.title")
                        } icon: {
                            Image(systemName: "qrcode")
                        }
                    }
                    NavigationLink(value: Route.scanner) {
                        Label {
                            Text("scan.title")
                        } icon: {
                            Image(systemName: "qrcode.viewfinder")
                        }
                    }
                } header: {
                    Text("home.roadside").accessibilityAddTraits(.isHeader)
                }
                StatusSection(core: core, info: info)
            }
            .navigationTitle(Text("app.title"))
            // Built when navigated to, not with the list: the scanner's camera and the
            // certificate's location reader exist only while their screen does.
            .navigationDestination(for: Route.self) { route in
                switch route {
                case .certificate:
                    MemberCertificateView(core: core, locale: locale)
                case .scanner:
                    ScannerView(core: core, locale: locale)
                }
            }
        }
    }

    /// The screens reached from here.
    enum Route: Hashable {
        /// The member's roadside certificate.
        case certificate
        /// The roadside worker's scanner.
        case scanner
    }
}
