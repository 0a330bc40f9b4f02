import Foundation
import Observation
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The member's roadside certificate for the certificate screen: loaded from the core (the
/// cached one offline, a new one when due and online), renewed on request. A failure is kept
/// as a failure, by kind, and never shown as "no certificate yet" unless that is what the
/// core said (`certificate_unavailable`).
@Observable
@MainActor
final class CertificateModel {
    /// Where loading the certificate stands.
    enum Load {
        /// Asking the core.
        case loading
        /// The certificate to show.
        case shown(MemberCertificate)
        /// The core could not give one; `kind` is the stable kind.
        case failed(kind: String)
    }

    /// Where loading the certificate stands.
    private(set) var load: Load = .loading
    /// True while a renewal is under way.
    private(set) var renewing = false
    /// The kind of the last renewal's failure; the certificate shown stays as it was.
    private(set) var renewalProblem: String?

    /// Loads the certificate to show (again).
    func reload(_ core: LofavorCore) async {
        if case .shown = load {} else { load = .loading }
        do {
            load = .shown(try await core.roadside().certificate())
        } catch {
            load = .failed(kind: coreFailureKind(error))
        }
    }

    /// Fetches a new certificate now; ignored while one is being fetched.
    func renew(_ core: LofavorCore) {
        guard !renewing else { return }
        renewing = true
        renewalProblem = nil
        Task {
            defer { renewing = false }
            do {
                load = .shown(try await core.roadside().renewCertificate())
            } catch {
                renewalProblem = coreFailureKind(error)
            }
        }
    }
}
