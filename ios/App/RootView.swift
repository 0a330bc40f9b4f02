import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// What the app shows by where opening the core stands: a wait, the recovery screen when the
/// member's data cannot be read here, the failure with a retry, or the app.
struct RootView: View {
    /// The app's one core.
    let holder: CoreHolder

    var body: some View {
        switch holder.phase {
        case .opening:
            ProgressView {
                Text("status.opening")
            }
        case let .failed(kind):
            if ErrorMessages.needsRecovery(kind: kind) {
                RecoveryView(kind: kind) { holder.startAgain() }
            } else {
                OpenFailedView(kind: kind) { holder.open() }
            }
        case let .open(core, info):
            HomeView(core: core, info: info, locale: holder.locale)
        }
    }
}

/// The core could not be opened for a reason worth retrying as it is (a busy data directory,
/// a locked keychain before the first unlock, a bug): the message and a retry.
struct OpenFailedView: View {
    /// The stable kind of the failure.
    let kind: String
    /// Opens the core again.
    let retry: () -> Void

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    Text("open.failed_title")
                        .font(.title2.bold())
                        .accessibilityAddTraits(.isHeader)
                    ErrorMessage(kind: kind)
                    Button {
                        retry()
                    } label: {
                        Text("open.retry")
                    }
                    .buttonStyle(.borderedProminent)
                }
                .frame(maxWidth: .infinity, alignment: .leading)
                .padding()
            }
            .navigationTitle(Text("app.title"))
        }
    }
}

/// A failure's message in the member's language, never its raw kind, marked as an error for
/// the eye (symbol and colour) and for VoiceOver (the text says it).
struct ErrorMessage: View {
    /// The stable kind (`network`, `database_corrupt`, …), as `coreFailureKind` names it.
    let kind: String

    var body: some View {
        Label {
            Text(LocalizedStringKey(ErrorMessages.key(forKind: kind)))
                .fixedSize(horizontal: false, vertical: true)
        } icon: {
            Image(systemName: "exclamationmark.triangle.fill")
                .accessibilityHidden(true)
        }
        .foregroundStyle(.red)
    }
}
