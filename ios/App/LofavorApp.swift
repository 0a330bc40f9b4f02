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

/// The LOfavør member app: the member's account (login, logout), a status screen that shows
/// the core is there, its store is encrypted and the member API answers, and the roadside
/// certificate with the location.
@main
struct LofavorApp: App {
    @StateObject private var holder = CoreHolder()

    var body: some Scene {
        WindowGroup {
            StatusView(holder: holder)
        }
    }
}

/// Opens the core once per process, at launch, and keeps it for the app's lifetime.
///
/// Opening reads the database key from the Keychain and opens SQLCipher, so it runs off the
/// main thread; the screen shows "opening" until it is done.
final class CoreHolder: ObservableObject {
    /// Where opening the core stands.
    enum Phase {
        /// Not open yet.
        case opening
        /// Open, with what the core said about itself right after.
        case open(LofavorCore, CoreInfo)
        /// Opening failed; `kind` is the stable kind (`database_key_missing`, …), for the
        /// screen. The reason text stays out of the UI.
        case failed(kind: String)
    }

    /// Where opening the core stands; changes on the main thread only.
    @Published private(set) var phase: Phase = .opening

    /// Starts opening the core in the background.
    init() {
        DispatchQueue.global(qos: .userInitiated).async { [weak self] in
            let phase = CoreHolder.openCore()
            DispatchQueue.main.async { self?.phase = phase }
        }
    }

    /// The open core, if opening has succeeded.
    var core: LofavorCore? {
        if case let .open(core, _) = phase { return core }
        return nil
    }

    private static func openCore() -> Phase {
        do {
            let config = try AppSettings.coreConfig()
            let core = try LofavorCore(
                config: config,
                secureStore: KeychainSecureStore(),
                logger: OSLogLogger()
            )
            let info = try core.info()
            return .open(core, info)
        } catch {
            return .failed(kind: coreFailureKind(error))
        }
    }
}
