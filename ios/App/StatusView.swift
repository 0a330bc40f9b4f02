import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The first screen: the core's version, whether its store is encrypted, and a button that
/// asks the member API whether it is up. Failures show their stable kind, never a reason text.
struct StatusView: View {
    /// The app's one core.
    @ObservedObject var holder: CoreHolder

    /// The last server check.
    @State private var check: ServerCheck = .idle

    /// Login and the session (the app has this one screen, so it lives as long as the app).
    @StateObject private var login = LoginController()

    /// Where a server check stands.
    enum ServerCheck {
        /// Not asked yet.
        case idle
        /// Waiting for the answer.
        case running
        /// The member API answered.
        case answered(ServerStatus)
        /// The check failed; `kind` is the stable kind (`network`, `server`, …).
        case failed(kind: String)
    }

    var body: some View {
        NavigationView {
            List {
                if let core = holder.core {
                    AccountView(core: core, login: login)
                }
                Section {
                    NavigationLink(destination: MemberCertificateView(core: holder.core, locale: AppSettings.appLocale)) {
                        Text("certificate.title")
                    }
                }
                Section {
                    row("status.core_version", Text(verbatim: coreVersion()))
                    switch holder.phase {
                    case .opening:
                        row("status.store", Text("status.opening"))
                    case let .open(_, info):
                        row("status.encrypted", yesNo(info.databaseEncrypted))
                        row("status.schema", Text(verbatim: String(info.schemaVersion)))
                    case let .failed(kind):
                        row("status.store", Text("status.failed \(kind)"))
                    }
                } header: {
                    Text("status.section.core")
                }
                Section {
                    Button {
                        Task { await runCheck() }
                    } label: {
                        Text("status.check_server")
                    }
                    .disabled(holder.core == nil || isRunning)
                    checkResult
                } header: {
                    Text("status.section.server")
                }
            }
            .navigationTitle(Text("app.title"))
        }
        .navigationViewStyle(.stack)
    }

    /// The outcome of the last check, if there was one.
    @ViewBuilder private var checkResult: some View {
        switch check {
        case .idle:
            EmptyView()
        case .running:
            row("status.server", Text("status.checking"))
        case let .answered(status):
            row("status.server", Text(verbatim: "\(status.service) \(status.version)"))
            row("status.database", yesNo(status.databaseOk))
            row("status.round_trip", Text("status.milliseconds \(Int(clamping: status.roundTripMs))"))
        case let .failed(kind):
            row("status.server", Text("status.failed \(kind)"))
        }
    }

    private var isRunning: Bool {
        if case .running = check { return true }
        return false
    }

    /// Awaits the core's async `checkServer()` and shows what came back.
    @MainActor private func runCheck() async {
        guard let core = holder.core else { return }
        check = .running
        do {
            let status = try await core.checkServer()
            check = .answered(status)
        } catch {
            check = .failed(kind: coreFailureKind(error))
        }
    }

    /// "Yes" or "No" in the member's language.
    private func yesNo(_ value: Bool) -> Text {
        Text(value ? LocalizedStringKey("status.yes") : LocalizedStringKey("status.no"))
    }

    /// One line of the list: a title and its value.
    private func row(_ title: LocalizedStringKey, _ value: Text) -> some View {
        HStack {
            Text(title)
            Spacer()
            value.foregroundColor(.secondary)
        }
    }
}
