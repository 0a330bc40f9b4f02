import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The core's version, whether its store is encrypted, and a button that asks the member API
/// whether it is up. A failure shows its message, never its kind.
struct StatusSection: View {
    /// The app's one core.
    let core: LofavorCore
    /// What the core said about itself when it opened.
    let info: CoreInfo

    /// The status of `core`, which opened with `info`.
    init(core: LofavorCore, info: CoreInfo) {
        self.core = core
        self.info = info
    }

    /// The last server check.
    @State private var check: ServerCheck = .idle

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
        Section {
            row("status.core_version", Text(verbatim: coreVersion()))
            row("status.encrypted", yesNo(info.databaseEncrypted))
            row("status.schema", Text(verbatim: String(info.schemaVersion)))
            Button {
                Task { await runCheck() }
            } label: {
                Text("status.check_server")
            }
            .disabled(isRunning)
            checkResult
        } header: {
            Text("status.section.core").accessibilityAddTraits(.isHeader)
        }
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
            ErrorMessage(kind: kind)
        }
    }

    private var isRunning: Bool {
        if case .running = check { return true }
        return false
    }

    /// Awaits the core's async `checkServer()` and shows what came back.
    @MainActor private func runCheck() async {
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

    /// One line of the list: a title and its value, stacked when the text is too large to
    /// share a line.
    private func row(_ title: LocalizedStringKey, _ value: Text) -> some View {
        ViewThatFits(in: .horizontal) {
            HStack {
                Text(title)
                Spacer()
                value.foregroundStyle(.secondary)
            }
            VStack(alignment: .leading) {
                Text(title)
                value.foregroundStyle(.secondary)
            }
        }
    }
}
