// Shared by the app and the XCTest binding tests, like android's ErrorKind.kt.
//
// This file imports nothing but the core on purpose: here `Logger` can only mean the core's
// protocol (in a file that imports `os`, it would be ambiguous with `os.Logger`).
//
// In the Swift package the bindings are a module of their own; the app's Xcode project
// compiles the same sources into its one module instead, where there is nothing to import.
#if canImport(LofavorCore)
import LofavorCore
#endif

/// The core's `Logger` protocol under a name no other module uses, so that files which also
/// import `os` (whose `Logger` struct has the same name) can still name it.
public typealias CoreLogger = Logger

extension LofavorError {
    /// The stable, machine-readable kind of this failure (`network`, `database_wrong_key`, …),
    /// for the screen and for diagnostics. It is the kind only: a shell that shows or reports
    /// it never needs the reason text.
    ///
    /// The switch is exhaustive, so a kind added to the core breaks this build until the shell
    /// decides how to name it. The names are the core's own (`ErrorKind::as_str`), as on
    /// Android.
    public var kind: String {
        switch self {
        case LofavorError.InvalidConfig: return "invalid_config"
        case LofavorError.SecureStoreUnavailable: return "secure_store_unavailable"
        case LofavorError.DatabaseKeyMissing: return "database_key_missing"
        case LofavorError.DatabaseWrongKey: return "database_wrong_key"
        case LofavorError.DatabaseCorrupt: return "database_corrupt"
        case LofavorError.DatabaseTooNew: return "database_too_new"
        case LofavorError.DataDirectoryBusy: return "data_directory_busy"
        case LofavorError.Storage: return "storage"
        case LofavorError.Network: return "network"
        case LofavorError.Server: return "server"
        // `LofavorError.Protocol` would read as a metatype; the short form names the case.
        case .Protocol: return "protocol"
        case LofavorError.LoginCancelled: return "login_cancelled"
        case LofavorError.LoginInvalid: return "login_invalid"
        case LofavorError.LoginRejected: return "login_rejected"
        case LofavorError.NotLoggedIn: return "not_logged_in"
        case LofavorError.SessionEnded: return "session_ended"
        case LofavorError.UnsyncedChanges: return "unsynced_changes"
        case LofavorError.InvalidInput: return "invalid_input"
        case LofavorError.CertificateUnavailable: return "certificate_unavailable"
        case LofavorError.TrustListMissing: return "trust_list_missing"
        case LofavorError.ConsentRequired: return "consent_required"
        case LofavorError.ExplicitConfirmationRequired: return "explicit_confirmation_required"
        case LofavorError.NotFound: return "not_found"
        case LofavorError.DecisionRefused: return "decision_refused"
        case LofavorError.Tampered: return "tampered"
        case LofavorError.Expired: return "expired"
        case LofavorError.Internal: return "internal"
        }
    }
}

extension InvalidFixError {
    /// The stable kind of a fix the core refused (`latitude_out_of_range`, …), as on Android;
    /// exhaustive, so a kind added to the core breaks this build until the shell names it.
    public var kind: String {
        switch self {
        case InvalidFixError.NotFinite: return "not_finite"
        case InvalidFixError.LatitudeOutOfRange: return "latitude_out_of_range"
        case InvalidFixError.LongitudeOutOfRange: return "longitude_out_of_range"
        case InvalidFixError.NegativeAccuracy: return "negative_accuracy"
        case InvalidFixError.TimeOutOfRange: return "time_out_of_range"
        }
    }
}

/// The kind of any failure of a core call: a `LofavorError`'s `kind`, an `InvalidFixError`'s
/// `kind`; `internal` for a panic
/// in the core, which uniffi throws as its own `UniffiInternalError` (a type private to the
/// generated file, so it is recognised by name); `unexpected` for anything else.
public func coreFailureKind(_ error: Error) -> String {
    if let error = error as? LofavorError {
        return error.kind
    }
    if let error = error as? InvalidFixError {
        return error.kind
    }
    if String(reflecting: type(of: error)).contains("UniffiInternalError") {
        return "internal"
    }
    return "unexpected"
}
