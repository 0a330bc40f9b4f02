import Foundation
import Observation
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// Opens the core once per process, at launch, and keeps it for the app's lifetime; when the
/// member's data cannot be read on this phone, starts again after the member confirmed it.
///
/// Opening reads the database key from the Keychain and opens SQLCipher, so it runs off the
/// main thread; the screen shows "opening" until it is done.
@Observable
@MainActor
final class CoreHolder {
    /// Where opening the core stands.
    enum Phase {
        /// Not open yet.
        case opening
        /// Open, with what the core said about itself right after.
        case open(LofavorCore, CoreInfo)
        /// Opening failed; `kind` is the stable kind (`database_key_missing`, …), which the
        /// screens turn into a message. The reason text stays out of the UI.
        case failed(kind: String)
    }

    /// Where opening the core stands.
    private(set) var phase: Phase = .opening

    /// The language the core was opened with: the app's.
    let locale: AppLocale = AppSettings.appLocale

    /// Starts opening the core in the background.
    init() {
        open()
    }

    /// The open core, if opening has succeeded.
    var core: LofavorCore? {
        if case let .open(core, _) = phase { return core }
        return nil
    }

    /// Opens the core (again, after a failure worth retrying as it is).
    func open() {
        if case .open = phase { return }
        phase = .opening
        Task {
            phase = await Task.detached(priority: .userInitiated) { CoreHolder.openCore() }.value
        }
    }

    /// Erases the member's data on this phone and opens an empty core: only after the member
    /// confirmed it on the recovery screen, and only for a failure that leaves the data
    /// unreadable here (`ErrorMessages.needsRecovery`). The member logs in again afterwards
    /// and the certificate is fetched again; nothing on the server is touched.
    func startAgain() {
        guard case let .failed(kind) = phase, ErrorMessages.needsRecovery(kind: kind) else { return }
        phase = .opening
        Task {
            phase = await Task.detached(priority: .userInitiated) { () -> Phase in
                do {
                    try CoreHolder.eraseLocalData()
                } catch {
                    return .failed(kind: "storage")
                }
                return CoreHolder.openCore()
            }.value
        }
    }

    /// Opens the core with the app's configuration, Keychain and unified logging.
    nonisolated private static func openCore() -> Phase {
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

    /// Removes the data directory's contents and the core's Keychain items (database key and
    /// tokens). No core is open: opening failed, so nothing holds the files or the lock.
    nonisolated private static func eraseLocalData() throws {
        let dir = try AppSettings.dataDirectory()
        let files = FileManager.default
        for item in try files.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) {
            try files.removeItem(at: item)
        }
        try KeychainSecureStore().deleteAll()
    }
}
