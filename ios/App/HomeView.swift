import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif

/// The app's first screen once the core is open: the member's account, the way to the
/// roadside certificate, to the roadside worker's scanner, to the inventory and to privacy, and the core's
/// status. After a login it brings up the consent screen while the core asks for an answer.
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
    /// Whether the first-run consent screen is up.
    @State private var showConsent = false

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
                Section {
                    NavigationLink(value: Route.inventory) {
                        Label {
                            Text("inventory.title")
                        } icon: {
                            Image(systemName: "house")
                        }
                    }
                    NavigationLink(value: Route.privacy) {
                        Label {
                            Text("privacy.title")
                        } icon: {
                            Image(systemName: "hand.raised")
                        }
                    }
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
                case .privacy:
                    PrivacyView(core: core)
                case .inventory:
                    InventoryView(core: core, locale: locale)
                }
            }
        }
        // After a login, the consent screen comes up while the core asks for an answer (a
        // purpose never answered, or its text changed in a major way): once per member.
        .task(id: loggedInMember) { await askForConsentIfDue() }
        .sheet(isPresented: $showConsent) {
            ConsentView(core: core) { showConsent = false }
        }
    }

    /// The member logged in now, by their pseudonymous id, or nil.
    private var loggedInMember: String? {
        switch login.event {
        case let .loggedIn(member)?, let .profileRefreshed(member)?:
            return member.subject
        default:
            return nil
        }
    }

    /// Opens the consent screen if a member is logged in and the core asks for an answer.
    private func askForConsentIfDue() async {
        guard loggedInMember != nil else { return }
        let consent = core.consent()
        // Offline, the catalogue the phone has decides.
        _ = try? await consent.refreshCatalogue()
        let needsAnswer = (try? await Task.detached(priority: .userInitiated) {
            try consent.screen().needsAnswer
        }.value) ?? false
        if needsAnswer { showConsent = true }
    }

    /// The screens reached from here.
    enum Route: Hashable {
        /// The member's roadside certificate.
        case certificate
        /// The roadside worker's scanner.
        case scanner
        /// Consents, the reservation, the history, export, rights requests, erasure.
        case privacy
        /// Husk Hva Du Har: the member's belongings, room by room, with photos.
        case inventory
    }
}
