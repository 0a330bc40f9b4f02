import Foundation
#if canImport(LofavorCore)
import LofavorCore
#endif

/// Where the app finds the member API and how it is registered at the OpenID issuer, plus the
/// per-device part of the core's configuration (data directory, language).
enum AppSettings {
    /// The OAuth client id the iOS app is registered under.
    static let clientID = "lofavor-ios"

    /// The private-use URI scheme of the login redirect (the app's id); Info.plist routes it.
    static let redirectScheme = "no.lofavor.app"

    /// The redirect URI registered at the issuer (RFC 8252 §7.1).
    static let redirectURI = "\(redirectScheme):/oauth2redirect"

    /// The reference server on the development Mac (`lofavor serve`), which the Simulator
    /// reaches on loopback: the default of Debug builds only.
    static let developmentAPI = "http://127.0.0.1:8080/"

    /// Base URL of the member API: `LofavorApiBaseURL` in Info.plist (set per build
    /// configuration in project.yml). A Debug build without one uses the reference server on
    /// loopback; a Release build has none to fall back on and must be given an https URL.
    static func apiBaseURL() throws -> String {
        if let url = infoString("LofavorApiBaseURL") {
            return try checked(url, "LofavorApiBaseURL")
        }
        #if DEBUG
        return developmentAPI
        #else
        throw LofavorError.InvalidConfig(reason: "this build has no LofavorApiBaseURL")
        #endif
    }

    /// The OpenID issuer: `LofavorOidcIssuer` in Info.plist; by default the reference
    /// server's development issuer at `<api>/oidc`.
    static func oidcIssuer(api: String) throws -> String {
        if let issuer = infoString("LofavorOidcIssuer") {
            return try checked(issuer, "LofavorOidcIssuer")
        }
        return (api.hasSuffix("/") ? api : api + "/") + "oidc"
    }

    /// `url` if this build may use it: anything the core accepts in Debug, https only in
    /// Release (the core itself accepts plain http to loopback, which a shipped app never
    /// needs). The build phase in project.yml refuses the same at build time.
    private static func checked(_ url: String, _ key: String) throws -> String {
        #if DEBUG
        return url
        #else
        guard url.lowercased().hasPrefix("https://") else {
            throw LofavorError.InvalidConfig(reason: "\(key) is not an https URL in a release build")
        }
        return url
        #endif
    }

    /// The deployment's trust anchors, `LofavorTrustAnchors` in Info.plist (P-256 public keys,
    /// base64 DER SubjectPublicKeyInfo, separated by spaces): the keys that may sign the
    /// roadside trust list. They ship with the app and never come from the network. None by
    /// default: a development build checks no certificates until the reference server's
    /// anchor (`lofavor serve` prints it) is set.
    static var trustAnchors: [String] {
        (infoString("LofavorTrustAnchors") ?? "").split(separator: " ").map(String.init)
    }

    /// The language of the core's texts: the one the app's own texts resolve to. iOS picks
    /// that from the member's preferred languages and the app's localisations (nb, nn, en),
    /// so an app showing Nynorsk has a core speaking Nynorsk; Bokmål if iOS offers none the
    /// core speaks (the development region).
    static var appLocale: AppLocale {
        localeFromTag(tag: resolvedLanguage) ?? AppLocale.nb
    }

    /// The localisation iOS chose for the app's texts (`nb`, `nn` or `en`).
    static var resolvedLanguage: String {
        Bundle.main.preferredLocalizations.first ?? "nb"
    }

    /// The configuration to open the core with: Keychain-backed secrets, the data directory
    /// in Application Support, and the language the app's texts resolve to.
    static func coreConfig() throws -> CoreConfig {
        let dataDir = try dataDirectory()
        let api = try apiBaseURL()
        return CoreConfig(
            dataDir: dataDir.path,
            apiBaseUrl: api,
            oidcIssuer: try oidcIssuer(api: api),
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

    /// A non-empty string value of Info.plist. An unexpanded `$(…)` counts as none.
    private static func infoString(_ key: String) -> String? {
        guard let value = Bundle.main.object(forInfoDictionaryKey: key) as? String,
              !value.isEmpty, !value.hasPrefix("$(")
        else { return nil }
        return value
    }
}
