import SwiftUI
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The member's data on this phone cannot be read: the database key is gone (a restored or
/// migrated phone: the key never leaves the device it was made on) or the database is
/// damaged. The screen explains what happened and what starting again means, and starts
/// again only after the member confirms it in a second, explicit step. Nothing is erased
/// by opening this screen, and the member may leave the app instead.
struct RecoveryView: View {
    /// `database_key_missing` or `database_corrupt`.
    let kind: String
    /// Erases the local data and opens an empty core; called only after the confirmation.
    let startAgain: () -> Void

    /// The recovery screen for a failure of `kind`; `startAgain` runs only after the member
    /// confirmed it.
    init(kind: String, startAgain: @escaping () -> Void) {
        self.kind = kind
        self.startAgain = startAgain
    }

    /// True while the confirmation dialog is shown.
    @State private var confirming = false

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    Text("recovery.title")
                        .font(.title2.bold())
                        .accessibilityAddTraits(.isHeader)
                    ErrorMessage(kind: kind)
                    Text(
                        kind == "database_key_missing"
                            ? LocalizedStringKey("recovery.key_missing")
                            : LocalizedStringKey("recovery.corrupt"))
                    Text("recovery.what_is_lost")
                    Text("recovery.what_is_kept")
                    Button(role: .destructive) {
                        confirming = true
                    } label: {
                        Text("recovery.start_again")
                    }
                    .buttonStyle(.bordered)
                }
                .frame(maxWidth: .infinity, alignment: .leading)
                .padding()
            }
            .navigationTitle(Text("app.title"))
        }
        .confirmationDialog(
            Text("recovery.confirm_title"), isPresented: $confirming, titleVisibility: .visible
        ) {
            Button(role: .destructive) {
                startAgain()
            } label: {
                Text("recovery.confirm_erase")
            }
            Button(role: .cancel) {
            } label: {
                Text("recovery.cancel")
            }
        } message: {
            Text("recovery.confirm_message")
        }
    }
}
