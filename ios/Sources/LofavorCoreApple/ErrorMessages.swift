// Shared by the app and the XCTests: which localised message a failure kind is shown with,
// and which kinds lead to the recovery screen. Pure Swift, no UI.

/// The app's words for the core's failures. Screens never show a raw kind (`network`,
/// `database_corrupt`): they look its message up by `key(forKind:)` in Localizable.strings,
/// which has one entry per key in nb, nn and en (the XCTests check every key of
/// `messageKeys` is in each table).
public enum ErrorMessages {
    /// Every kind a `LofavorError` can have (its `kind`), in the core's order (`ErrorKind::as_str`).
    public static let lofavorKinds: [String] = [
        "invalid_config", "secure_store_unavailable", "database_key_missing",
        "database_wrong_key", "database_corrupt", "database_too_new", "data_directory_busy",
        "storage", "network", "server", "protocol", "login_cancelled", "login_invalid",
        "login_rejected", "not_logged_in", "session_ended", "unsynced_changes", "invalid_input",
        "certificate_unavailable", "trust_list_missing", "consent_required",
        "explicit_confirmation_required", "not_found", "decision_refused", "tampered", "expired",
        "internal",
    ]

    /// Every kind an `InvalidFixError` can have: a position the core refused.
    public static let invalidFixKinds: [String] = [
        "not_finite", "latitude_out_of_range", "longitude_out_of_range", "negative_accuracy",
        "time_out_of_range",
    ]

    /// The key of the message for a failure of `kind`, as `coreFailureKind` names it. A
    /// refused position has one message whatever the cause (the member cannot act on the
    /// difference); a kind the app does not know has the "unexpected" message.
    public static func key(forKind kind: String) -> String {
        if lofavorKinds.contains(kind) {
            return "error.\(kind)"
        }
        if invalidFixKinds.contains(kind) {
            return "error.invalid_fix"
        }
        return "error.unexpected"
    }

    /// Every message key the app may show: the tables must have each of them.
    public static var messageKeys: Set<String> {
        Set(lofavorKinds.map { "error.\($0)" }).union(["error.invalid_fix", "error.unexpected"])
    }

    /// Whether a failure to open the core of `kind` leaves the member's data unreadable on
    /// this phone, so the app offers to start again (after an explicit confirmation):
    /// the database key is gone (a restored or migrated phone) or the database is damaged.
    /// Every other failure to open is worth retrying as it is.
    public static func needsRecovery(kind: String) -> Bool {
        kind == "database_key_missing" || kind == "database_corrupt"
    }
}
