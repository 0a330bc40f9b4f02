import Foundation
import SwiftUI
// The Xcode project compiles the bindings and LofavorCoreApple into the app's own module,
// so there is nothing to import there; a build against the Swift package imports them.
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The LOfavør member app: the member's account (login, logout), the roadside certificate
/// with the member's position, the roadside worker's scanner, and the core's status.
@main
struct LofavorApp: App {
    /// The app's one core, opened at launch.
    @State private var holder = CoreHolder()

    var body: some Scene {
        WindowGroup {
            RootView(holder: holder)
                // Dates and numbers in the language the app's texts resolve to, the same one
                // the core speaks (AppSettings.appLocale).
                .environment(\.locale, Locale(identifier: AppSettings.resolvedLanguage))
        }
    }
}
