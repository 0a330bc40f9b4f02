package no.lofavor.core.android

import no.lofavor.core.InternalException
import no.lofavor.core.LofavorException

// Pure Kotlin, like CoreSettings: shared by the app and the JVM tests.

/**
 * The stable, machine-readable kind of this failure (`network`, `database_wrong_key`, …),
 * for the screen and for diagnostics. It is the kind only: a shell that shows or reports it
 * never needs the reason text.
 *
 * The `when` is exhaustive over the sealed class, so a kind added to the core breaks this
 * build until the shell decides how to name it.
 */
val LofavorException.kind: String
    get() = when (this) {
        is LofavorException.InvalidConfig -> "invalid_config"
        is LofavorException.SecureStoreUnavailable -> "secure_store_unavailable"
        is LofavorException.DatabaseKeyMissing -> "database_key_missing"
        is LofavorException.DatabaseWrongKey -> "database_wrong_key"
        is LofavorException.DatabaseCorrupt -> "database_corrupt"
        is LofavorException.DatabaseTooNew -> "database_too_new"
        is LofavorException.DataDirectoryBusy -> "data_directory_busy"
        is LofavorException.Storage -> "storage"
        is LofavorException.Network -> "network"
        is LofavorException.Server -> "server"
        is LofavorException.Protocol -> "protocol"
        is LofavorException.LoginCancelled -> "login_cancelled"
        is LofavorException.LoginInvalid -> "login_invalid"
        is LofavorException.LoginRejected -> "login_rejected"
        is LofavorException.NotLoggedIn -> "not_logged_in"
        is LofavorException.SessionEnded -> "session_ended"
        is LofavorException.UnsyncedChanges -> "unsynced_changes"
        is LofavorException.InvalidInput -> "invalid_input"
        is LofavorException.CertificateUnavailable -> "certificate_unavailable"
        is LofavorException.TrustListMissing -> "trust_list_missing"
        is LofavorException.ConsentRequired -> "consent_required"
        is LofavorException.ExplicitConfirmationRequired -> "explicit_confirmation_required"
        is LofavorException.NotFound -> "not_found"
        is LofavorException.DecisionRefused -> "decision_refused"
        is LofavorException.Tampered -> "tampered"
        is LofavorException.Expired -> "expired"
        is LofavorException.Internal -> "internal"
    }

/**
 * The kind of any failure of a core call: a [LofavorException]'s [kind]; `internal` for a
 * panic in the core (uniffi hands it over as [InternalException]); `unexpected` otherwise.
 */
fun coreFailureKind(error: Throwable): String = when (error) {
    is LofavorException -> error.kind
    is InternalException -> "internal"
    else -> "unexpected"
}
