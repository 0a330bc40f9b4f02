import Foundation
#if canImport(LofavorCore)
import LofavorCore
#endif

// Shared by the app and the XCTests: the field scanner's answers. Pure Swift, no UI: the same
// five answers, reasons and tones as Android's ScanVerdict.kt.

/// What the roadside worker's scanner says about a certificate, in five plain answers.
public enum VerdictKind: Equatable {
    /// Genuine, not revoked, valid now: give assistance.
    case valid
    /// Genuine but past its end, or not valid yet: no cover today.
    case expired
    /// Genuine but withdrawn by the issuer.
    case revoked
    /// Not signed by a key this phone trusts, tampered, or not a certificate at all.
    case notGenuine
    /// No code could be read from the picture: hold the phone steady and keep scanning.
    case unreadable
}

/// How a verdict looks, never by colour alone: a colour family, a symbol and a headline.
public enum VerdictTone: Equatable {
    /// Green with a check mark.
    case good
    /// Red with a cross.
    case bad
    /// Grey with a question mark: nothing decided.
    case neutral

    /// The SF Symbol shown beside the headline.
    public var symbolName: String {
        switch self {
        case .good: return "checkmark.circle.fill"
        case .bad: return "xmark.octagon.fill"
        case .neutral: return "questionmark.circle"
        }
    }
}

/// One verdict to show.
public struct ScanVerdict: Equatable {
    /// The answer.
    public let kind: VerdictKind
    /// The member's short name ("Kari N."), for a valid certificate only: the worker matches
    /// it against a driving licence.
    public let holder: String?
    /// The cover's product name, for a valid certificate only.
    public let coverName: String?
    /// The car the cover is tied to, if it is.
    public let vehicle: String?
    /// When a valid certificate ends, when an expired one ended, when a not yet valid one
    /// starts.
    public let until: Date?
    /// True for a genuine certificate whose validity has not started.
    public let notYetValid: Bool

    /// A verdict; everything but `kind` is optional.
    public init(
        kind: VerdictKind, holder: String? = nil, coverName: String? = nil,
        vehicle: String? = nil, until: Date? = nil, notYetValid: Bool = false
    ) {
        self.kind = kind
        self.holder = holder
        self.coverName = coverName
        self.vehicle = vehicle
        self.until = until
        self.notYetValid = notYetValid
    }

    /// The colour family and symbol.
    public var tone: VerdictTone {
        switch kind {
        case .valid: return .good
        case .expired, .revoked, .notGenuine: return .bad
        case .unreadable: return .neutral
        }
    }

    /// The Localizable.strings key of the headline.
    public var headlineKey: String {
        switch kind {
        case .valid: return "scan.valid"
        case .expired: return notYetValid ? "scan.not_yet_valid" : "scan.expired"
        case .revoked: return "scan.revoked"
        case .notGenuine: return "scan.not_genuine"
        case .unreadable: return "scan.unreadable"
        }
    }

    /// Whether this decides about a certificate (everything but `unreadable`): the scanner
    /// then holds the verdict on screen until the worker scans the next one.
    public var isDecision: Bool { kind != .unreadable }

    /// The verdict for the core's answer. A code that was read but is not a certificate, is
    /// tampered, or is signed by an unknown key is `notGenuine`; only a picture with no
    /// readable code is `unreadable`.
    public init(_ verification: Verification) {
        switch verification {
        case let .valid(cover, holder, vehicle, expiresAt):
            self.init(
                kind: .valid, holder: holder, coverName: cover.productName, vehicle: vehicle,
                until: expiresAt)
        case let .expired(expiredAt):
            self.init(kind: .expired, until: expiredAt)
        case let .notYetValid(validFrom):
            self.init(kind: .expired, until: validFrom, notYetValid: true)
        case .revoked:
            self.init(kind: .revoked)
        case .untrustedIssuer:
            self.init(kind: .notGenuine)
        case .malformed:
            self.init(kind: .notGenuine)
        case .unreadable:
            self.init(kind: .unreadable)
        }
    }
}
