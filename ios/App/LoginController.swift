import AuthenticationServices
import Foundation
import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// Login and logout for the app. The core does the protocol; this opens the URL the core
/// returns in `ASWebAuthenticationSession` (the system browser, RFC 8252, never a web view),
/// hands the redirect back, and publishes the core's session events for the screens.
@MainActor
final class LoginController: NSObject, ObservableObject {
    /// The session as the core last reported it (`nil` until the core has said).
    @Published private(set) var event: SessionEvent?
    /// The kind of the last failure to show (`network`, `login_invalid`, …).
    @Published private(set) var problem: String?
    /// True while logout waits for the member to accept losing unsynced changes.
    @Published var confirmForcedLogout = false

    private var subscription: SessionSubscription?
    private var browser: ASWebAuthenticationSession?
    private var anchor: WindowAnchor?

    /// Starts listening to `core`'s session events; kept for the app's lifetime.
    func attach(_ core: LofavorCore) {
        guard subscription == nil else { return }
        let relay = EventRelay { [weak self] event in
            Task { @MainActor in self?.event = event }
        }
        subscription = try? core.auth().subscribeSession(listener: relay)
    }

    /// Opens the issuer's login page and completes the login with its redirect.
    func logIn(_ core: LofavorCore) {
        Task {
            do {
                let url = try await core.auth().beginLogin()
                guard let start = URL(string: url) else { return }
                let redirect = try await open(start)
                _ = try await core.auth().completeLogin(redirectUrl: redirect.absoluteString)
                problem = nil
            } catch let error as ASWebAuthenticationSessionError where error.code == .canceledLogin {
                problem = nil // the member closed the sheet
            } catch {
                let kind = coreFailureKind(error)
                problem = kind == "login_cancelled" ? nil : kind
            }
        }
    }

    /// Logs out; with unsynced changes, asks first and logs out only when `force`.
    func logOut(_ core: LofavorCore, force: Bool = false) {
        Task {
            do {
                let outcome = try await core.auth().logout(force: force)
                confirmForcedLogout = false
                if let end = outcome.endSessionUrl.flatMap(URL.init(string:)) {
                    _ = try? await open(end)
                }
            } catch {
                let kind = coreFailureKind(error)
                if kind == "unsynced_changes" { confirmForcedLogout = true } else { problem = kind }
            }
        }
    }

    /// Shows `url` in the system browser until it redirects to the app's scheme.
    private func open(_ url: URL) async throws -> URL {
        try await withCheckedThrowingContinuation { continuation in
            let session = ASWebAuthenticationSession(
                url: url, callbackURLScheme: AppSettings.redirectScheme
            ) { callback, error in
                if let callback {
                    continuation.resume(returning: callback)
                } else {
                    continuation.resume(throwing: error ?? ASWebAuthenticationSessionError(.canceledLogin))
                }
            }
            let anchor = WindowAnchor(
                window: UIApplication.shared.connectedScenes
                    .compactMap { ($0 as? UIWindowScene)?.windows.first { $0.isKeyWindow } }
                    .first ?? UIWindow())
            self.anchor = anchor
            session.presentationContextProvider = anchor
            // The issuer's cookies stay out of Safari: a shared phone does not stay logged in.
            session.prefersEphemeralWebBrowserSession = true
            browser = session
            session.start()
        }
    }
}

/// The window the browser sheet is presented over, found on the main thread when the sheet
/// opens (ASWebAuthenticationSession asks for it from its own context).
private final class WindowAnchor: NSObject, ASWebAuthenticationPresentationContextProviding {
    private let window: UIWindow

    init(window: UIWindow) {
        self.window = window
    }

    func presentationAnchor(for session: ASWebAuthenticationSession) -> ASPresentationAnchor {
        window
    }
}

/// Hands the core's events (delivered on a core thread) to a closure.
private final class EventRelay: SessionListener, @unchecked Sendable {
    private let deliver: (SessionEvent) -> Void

    init(_ deliver: @escaping (SessionEvent) -> Void) {
        self.deliver = deliver
    }

    func onSessionEvent(event: SessionEvent) {
        deliver(event)
    }
}
