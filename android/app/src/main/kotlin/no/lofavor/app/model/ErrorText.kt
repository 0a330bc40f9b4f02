package no.lofavor.app.model

import no.lofavor.core.InternalException
import no.lofavor.core.LofavorException

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/**
 * A message the app shows for a failure of the core, by the name of its string resource.
 * Every kind the core can return has its own, in Bokmål, Nynorsk and English; a screen never
 * shows a raw kind such as `network`. The Android side turns each into its `R.string` id
 * with an exhaustive `when`, so a text added here without a resource does not compile.
 *
 * @property resourceName The string resource's name in `strings.xml` of each `res/values` folder.
 */
enum class ErrorText(val resourceName: String) {
    /** `invalid_config`: the app was built with an unusable configuration. */
    INVALID_CONFIG("error_invalid_config"),
    /** `secure_store_unavailable`: the phone's keystore could not be reached (locked?). */
    SECURE_STORE_UNAVAILABLE("error_secure_store_unavailable"),
    /** `database_key_missing`: the data's key is gone; see [needsRecovery]. */
    DATABASE_KEY_MISSING("error_database_key_missing"),
    /** `database_wrong_key`: the key does not open the data. */
    DATABASE_WRONG_KEY("error_database_wrong_key"),
    /** `database_corrupt`: the data file is damaged; see [needsRecovery]. */
    DATABASE_CORRUPT("error_database_corrupt"),
    /** `database_too_new`: written by a newer version of the app. */
    DATABASE_TOO_NEW("error_database_too_new"),
    /** `data_directory_busy`: another process held the data; try again. */
    DATA_DIRECTORY_BUSY("error_data_directory_busy"),
    /** `storage`: any other storage failure (disk full, ...). */
    STORAGE("error_storage"),
    /** `network`: the service could not be reached. */
    NETWORK("error_network"),
    /** `server`: the service answered with an error. */
    SERVER("error_server"),
    /** `protocol`: the service answered something unexpected. */
    PROTOCOL("error_protocol"),
    /** `login_cancelled`: the member cancelled at the provider. */
    LOGIN_CANCELLED("error_login_cancelled"),
    /** `login_invalid`: the redirect is stale or not trustworthy; start again. */
    LOGIN_INVALID("error_login_invalid"),
    /** `login_rejected`: the provider refused the login. */
    LOGIN_REJECTED("error_login_rejected"),
    /** `not_logged_in`: log in first. */
    NOT_LOGGED_IN("error_not_logged_in"),
    /** `session_ended`: the provider ended the session; log in again. */
    SESSION_ENDED("error_session_ended"),
    /** `unsynced_changes`: logging out would lose unsynced changes. */
    UNSYNCED_CHANGES("error_unsynced_changes"),
    /** `invalid_input`: the app handed the core something unusable. */
    INVALID_INPUT("error_invalid_input"),
    /** `certificate_unavailable`: no certificate on the phone and none could be fetched. */
    CERTIFICATE_UNAVAILABLE("error_certificate_unavailable"),
    /** `trust_list_missing`: the scanner has no trust list yet; go online once. */
    TRUST_LIST_MISSING("error_trust_list_missing"),
    /** `consent_required`: the member's consents do not allow this transfer. */
    CONSENT_REQUIRED("error_consent_required"),
    /** `explicit_confirmation_required`: sharing with a partner needs the second confirmation. */
    EXPLICIT_CONFIRMATION_REQUIRED("error_explicit_confirmation_required"),
    /** `not_found`: no such purpose, partner, offer or order preview (a stale screen). */
    NOT_FOUND("error_not_found"),
    /** `decision_refused`: the server refused a consent decision; it does not count. */
    DECISION_REFUSED("error_decision_refused"),
    /** `tampered`: a catalogue or receipt does not verify, or the history was altered. */
    TAMPERED("error_tampered"),
    /** `expired`: an order preview expired before it was confirmed; nothing was sent. */
    EXPIRED("error_expired"),
    /** `internal`: a bug in the core (reported, never hidden). */
    INTERNAL("error_internal"),
    /** Anything else: a failure outside the core (a bug in the app). */
    UNEXPECTED("error_unexpected"),
    /** The system has no browser to log in with. */
    NO_BROWSER("error_no_browser"),
}

/**
 * The message for a failure of the core. The `when` is exhaustive over the bindings' sealed
 * error, so a kind added to the core breaks this build until it has a message.
 */
fun errorText(error: Throwable): ErrorText = when (error) {
    is LofavorException -> when (error) {
        is LofavorException.InvalidConfig -> ErrorText.INVALID_CONFIG
        is LofavorException.SecureStoreUnavailable -> ErrorText.SECURE_STORE_UNAVAILABLE
        is LofavorException.DatabaseKeyMissing -> ErrorText.DATABASE_KEY_MISSING
        is LofavorException.DatabaseWrongKey -> ErrorText.DATABASE_WRONG_KEY
        is LofavorException.DatabaseCorrupt -> ErrorText.DATABASE_CORRUPT
        is LofavorException.DatabaseTooNew -> ErrorText.DATABASE_TOO_NEW
        is LofavorException.DataDirectoryBusy -> ErrorText.DATA_DIRECTORY_BUSY
        is LofavorException.Storage -> ErrorText.STORAGE
        is LofavorException.Network -> ErrorText.NETWORK
        is LofavorException.Server -> ErrorText.SERVER
        is LofavorException.Protocol -> ErrorText.PROTOCOL
        is LofavorException.LoginCancelled -> ErrorText.LOGIN_CANCELLED
        is LofavorException.LoginInvalid -> ErrorText.LOGIN_INVALID
        is LofavorException.LoginRejected -> ErrorText.LOGIN_REJECTED
        is LofavorException.NotLoggedIn -> ErrorText.NOT_LOGGED_IN
        is LofavorException.SessionEnded -> ErrorText.SESSION_ENDED
        is LofavorException.UnsyncedChanges -> ErrorText.UNSYNCED_CHANGES
        is LofavorException.InvalidInput -> ErrorText.INVALID_INPUT
        is LofavorException.CertificateUnavailable -> ErrorText.CERTIFICATE_UNAVAILABLE
        is LofavorException.TrustListMissing -> ErrorText.TRUST_LIST_MISSING
        is LofavorException.ConsentRequired -> ErrorText.CONSENT_REQUIRED
        is LofavorException.ExplicitConfirmationRequired -> ErrorText.EXPLICIT_CONFIRMATION_REQUIRED
        is LofavorException.NotFound -> ErrorText.NOT_FOUND
        is LofavorException.DecisionRefused -> ErrorText.DECISION_REFUSED
        is LofavorException.Tampered -> ErrorText.TAMPERED
        is LofavorException.Expired -> ErrorText.EXPIRED
        is LofavorException.Internal -> ErrorText.INTERNAL
    }
    is InternalException -> ErrorText.INTERNAL
    else -> ErrorText.UNEXPECTED
}

/**
 * Whether opening the core failed in a way only starting again can mend: the data's key is
 * gone from the keystore, or the data file is damaged. The app then shows the recovery screen,
 * which explains this and erases the local data only after the member confirms.
 */
fun needsRecovery(error: Throwable): Boolean =
    error is LofavorException.DatabaseKeyMissing || error is LofavorException.DatabaseCorrupt
