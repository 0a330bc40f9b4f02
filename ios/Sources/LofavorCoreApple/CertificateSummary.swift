import Foundation
#if canImport(LofavorCore)
import LofavorCore
#endif

// Shared by the app and the XCTests: how the certificate screen states a certificate's
// status. Pure Swift, no UI.

/// The status line beside the member's QR code: valid, expires in N days, or expired.
public struct CertificateStatusLine: Equatable {
    /// The Localizable.strings key: `certificate.status_valid`,
    /// `certificate.status_expires_in %lld` (with `days`) or `certificate.status_expired`.
    public let key: String
    /// Whole days left, for `expires in`; nil otherwise.
    public let days: Int?
    /// True when the certificate no longer helps at the roadside: the screen shows renewal
    /// first.
    public let isExpired: Bool

    /// The line for `status` as the core read it.
    public init(_ status: CertificateStatus) {
        switch status {
        case .valid:
            self.init(key: "certificate.status_valid", days: nil, isExpired: false)
        case let .expiresSoon(days):
            self.init(key: "certificate.status_expires_in %lld", days: Int(days), isExpired: false)
        case .expired:
            self.init(key: "certificate.status_expired", days: nil, isExpired: true)
        }
    }

    private init(key: String, days: Int?, isExpired: Bool) {
        self.key = key
        self.days = days
        self.isExpired = isExpired
    }
}
