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

/// Where the app finds the member API and how it is registered at the OpenID issuer, plus the
/// per-device part of the core's configuration (data directory, language).
enum AppSettings {
    /// The OAuth client id the iOS app is registered under.
    static let clientID = "lofavor-ios"

    /// The private-use URI scheme of the login redirect (the app's id); Info.plist routes it.
    static let redirectScheme = "no.lofavor.app"

    /// The redirect URI registered at the issuer (RFC 8252 §7.1).
    static let redirectURI = "\(redirectScheme):/oauth2redirect"

    /// Base URL of the member API: `LofavorApiBaseURL` in Info.plist. The default is the
    /// reference server on the development Mac (`lofavor serve`), which the Simulator reaches
    /// on loopback; the core allows plain http only there.
    static var apiBaseURL: String {
        infoString("LofavorApiBaseURL") ?? "http://127.0.0.1:8080/"
    }

    /// The OpenID issuer: `LofavorOidcIssuer` in Info.plist; by default the reference
    /// server's development issuer at `<api>/oidc`.
    static var oidcIssuer: String {
        infoString("LofavorOidcIssuer")
            ?? (apiBaseURL.hasSuffix("/") ? apiBaseURL : apiBaseURL + "/") + "oidc"
    }

    /// The deployment's trust anchors, `LofavorTrustAnchors` in Info.plist (P-256 public keys,
    /// base64 DER SubjectPublicKeyInfo, separated by spaces): the keys that may sign the
    /// roadside trust list. They ship with the app and never come from the network. None by
    /// default: a development build checks no certificates until the reference server's
    /// anchor (`lofavor serve` prints it) is set.
    static var trustAnchors: [String] {
        (infoString("LofavorTrustAnchors") ?? "").split(separator: " ").map(String.init)
    }

    /// The language of the core's texts: the member's preferred language if the core speaks
    /// it, Norwegian Bokmål otherwise (the same choice `coreConfig()` makes).
    static var appLocale: AppLocale {
        localeFromTag(tag: Foundation.Locale.preferredLanguages.first ?? "nb") ?? AppLocale.nb
    }

    /// The configuration to open the core with: Keychain-backed secrets, the data directory
    /// in Application Support, and the member's preferred language if the core speaks it
    /// (Norwegian Bokmål otherwise).
    static func coreConfig() throws -> CoreConfig {
        let dataDir = try dataDirectory()
        return CoreConfig(
            dataDir: dataDir.path,
            apiBaseUrl: apiBaseURL,
            oidcIssuer: oidcIssuer,
            oidcClientId: clientID,
            redirectUri: redirectURI,
            locale: appLocale,
            secureStore: SecureStoreChoice.shellProvided,
            trustAnchors: trustAnchors
        )
    }

    /// `Application Support/LofavorCore`, excluded from iCloud and device backups: the
    /// database is encrypted with a key that never leaves this device, so a backup of it could
    /// not be opened anywhere else and would only carry member data off the phone.
    static func dataDirectory() throws -> URL {
        let support = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var dir = support.appendingPathComponent("LofavorCore", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Set at every launch: a restore or migration may have cleared it.
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try dir.setResourceValues(values)
        return dir
    }

    private static func infoString(_ key: String) -> String? {
        guard let value = Bundle.main.object(forInfoDictionaryKey: key) as? String,
              !value.isEmpty
        else { return nil }
        return value
    }
}
