import AuthenticationServices
import Foundation
import Observation
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// Login and logout for the app. The core does the protocol; this opens the URL the core
/// returns in `ASWebAuthenticationSession` (the system browser, RFC 8252, never a web view),
/// hands the redirect back once, and publishes the core's session events for the screens.
///
/// What cannot go wrong twice:
/// - One login or logout at a time: a second tap while one is under way is ignored.
/// - A redirect is handed to the core exactly once: the browser's completion resumes the
///   waiting login once (a late second call is dropped), nothing stores the redirect, and the
///   app registers no other handler for the scheme (`onOpenURL`), so a redirect delivered
///   again from outside is never replayed. The core also refuses a redirect whose login it
///   has already completed (`login_invalid`).
/// - `start()` returning false (no window to present on, another session in progress) ends
///   the login with a message and the state reset, instead of waiting forever.
@Observable
@MainActor
final class LoginController {
    /// What went wrong with the last login or logout.
    enum Problem: Equatable {
        /// The core's failure, by its stable kind (shown with its message).
        case core(kind: String)
        /// The system browser sheet could not be shown or failed.
        case browser
    }

    /// The session as the core last reported it (`nil` until the core has said).
    private(set) var event: SessionEvent?
    /// The last failure to show, if any.
    private(set) var problem: Problem?
    /// True while a login or logout is under way.
    private(set) var busy = false
    /// True while logout waits for the member to accept losing unsynced changes.
    var confirmForcedLogout = false

    /// The subscription to the core's session events, kept while the app runs.
    @ObservationIgnored private var subscription: SessionSubscription?
    /// The browser session on screen, kept so it is not released while it is shown.
    @ObservationIgnored private var browser: ASWebAuthenticationSession?
    /// Its presentation context provider (the session holds it weakly).
    @ObservationIgnored private var anchor: WindowAnchor?

    /// Starts listening to `core`'s session events; once, for the app's lifetime.
    func attach(_ core: LofavorCore) {
        guard subscription == nil else { return }
        let relay = EventRelay { [weak self] event in
            Task { @MainActor in self?.event = event }
        }
        do {
            subscription = try core.auth().subscribeSession(listener: relay)
        } catch {
            problem = .core(kind: coreFailureKind(error))
        }
    }

    /// Opens the issuer's login page and completes the login with its redirect. Ignored
    /// while a login or logout is under way.
    func logIn(_ core: LofavorCore) {
        guard !busy else { return }
        busy = true
        problem = nil
        Task {
            defer { finish() }
            do {
                let url = try await core.auth().beginLogin()
                guard let start = URL(string: url) else {
                    problem = .core(kind: "protocol")
                    return
                }
                let redirect = try await open(start)
                _ = try await core.auth().completeLogin(redirectUrl: redirect.absoluteString)
            } catch let error as ASWebAuthenticationSessionError {
                // The member closing the sheet is no failure; anything else of the browser is.
                problem = error.code == .canceledLogin ? nil : .browser
            } catch is BrowserNotStarted {
                problem = .browser
            } catch {
                let kind = coreFailureKind(error)
                problem = kind == "login_cancelled" ? nil : .core(kind: kind)
            }
        }
    }

    /// Logs out; with unsynced changes, asks first and logs out only when `force`. Ignored
    /// while a login or logout is under way.
    func logOut(_ core: LofavorCore, force: Bool = false) {
        guard !busy else { return }
        busy = true
        problem = nil
        Task {
            defer { finish() }
            do {
                let outcome = try await core.auth().logout(force: force)
                confirmForcedLogout = false
                // The issuer's end-session page; the member is logged out here already, so a
                // sheet that fails or is closed changes nothing.
                if let end = outcome.endSessionUrl.flatMap(URL.init(string:)) {
                    _ = try? await open(end)
                }
            } catch {
                let kind = coreFailureKind(error)
                if kind == "unsynced_changes" {
                    confirmForcedLogout = true
                } else {
                    problem = .core(kind: kind)
                }
            }
        }
    }

    /// Back to idle after a login or logout, whatever happened.
    private func finish() {
        busy = false
        browser = nil
        anchor = nil
    }

    /// Shows `url` in the system browser until it redirects to the app's scheme; the
    /// redirect comes back exactly once.
    private func open(_ url: URL) async throws -> URL {
        guard let window = Self.keyWindow() else { throw BrowserNotStarted() }
        let anchor = WindowAnchor(window: window)
        let once = ResumeOnce()
        return try await withCheckedThrowingContinuation { continuation in
            let session = ASWebAuthenticationSession(
                url: url, callbackURLScheme: AppSettings.redirectScheme
            ) { callback, error in
                guard once.claim() else { return }
                if let callback {
                    continuation.resume(returning: callback)
                } else {
                    continuation.resume(throwing: error ?? ASWebAuthenticationSessionError(.canceledLogin))
                }
            }
            session.presentationContextProvider = anchor
            // The issuer's cookies stay out of Safari: a shared phone does not stay logged in.
            session.prefersEphemeralWebBrowserSession = true
            self.anchor = anchor
            self.browser = session
            if !session.start(), once.claim() {
                continuation.resume(throwing: BrowserNotStarted())
            }
        }
    }

    /// The key window of the app's foreground scene, to present the browser sheet over.
    private static func keyWindow() -> UIWindow? {
        let scenes = UIApplication.shared.connectedScenes.compactMap { $0 as? UIWindowScene }
        let active = scenes.filter { $0.activationState == .foregroundActive }
        for scene in active + scenes {
            if let window = scene.windows.first(where: { $0.isKeyWindow }) ?? scene.windows.first {
                return window
            }
        }
        return nil
    }
}

/// `ASWebAuthenticationSession.start()` returned false, or there was no window to show it on.
private struct BrowserNotStarted: Error {}

/// Lets exactly one of the browser's completion and a failed start resume the login.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    /// True the first time only.
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
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
    private let deliver: @Sendable (SessionEvent) -> Void

    init(_ deliver: @escaping @Sendable (SessionEvent) -> Void) {
        self.deliver = deliver
    }

    func onSessionEvent(event: SessionEvent) {
        deliver(event)
    }
}
