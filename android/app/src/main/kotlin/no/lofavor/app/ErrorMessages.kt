package no.lofavor.app

import androidx.annotation.StringRes
import androidx.compose.runtime.Composable
import androidx.compose.ui.res.stringResource
import no.lofavor.app.model.ErrorText

/**
 * The string resource of each [ErrorText]. Exhaustive, so a text without a resource does not
 * compile; the JVM tests check that each maps to the resource of its own name and that every
 * resource exists in nb, nn and en.
 */
@StringRes
fun ErrorText.resId(): Int = when (this) {
    ErrorText.INVALID_CONFIG -> R.string.error_invalid_config
    ErrorText.SECURE_STORE_UNAVAILABLE -> R.string.error_secure_store_unavailable
    ErrorText.DATABASE_KEY_MISSING -> R.string.error_database_key_missing
    ErrorText.DATABASE_WRONG_KEY -> R.string.error_database_wrong_key
    ErrorText.DATABASE_CORRUPT -> R.string.error_database_corrupt
    ErrorText.DATABASE_TOO_NEW -> R.string.error_database_too_new
    ErrorText.DATA_DIRECTORY_BUSY -> R.string.error_data_directory_busy
    ErrorText.STORAGE -> R.string.error_storage
    ErrorText.NETWORK -> R.string.error_network
    ErrorText.SERVER -> R.string.error_server
    ErrorText.PROTOCOL -> R.string.error_protocol
    ErrorText.LOGIN_CANCELLED -> R.string.error_login_cancelled
    ErrorText.LOGIN_INVALID -> R.string.error_login_invalid
    ErrorText.LOGIN_REJECTED -> R.string.error_login_rejected
    ErrorText.NOT_LOGGED_IN -> R.string.error_not_logged_in
    ErrorText.SESSION_ENDED -> R.string.error_session_ended
    ErrorText.UNSYNCED_CHANGES -> R.string.error_unsynced_changes
    ErrorText.INVALID_INPUT -> R.string.error_invalid_input
    ErrorText.CERTIFICATE_UNAVAILABLE -> R.string.error_certificate_unavailable
    ErrorText.TRUST_LIST_MISSING -> R.string.error_trust_list_missing
    ErrorText.CONSENT_REQUIRED -> R.string.error_consent_required
    ErrorText.EXPLICIT_CONFIRMATION_REQUIRED -> R.string.error_explicit_confirmation_required
    ErrorText.NOT_FOUND -> R.string.error_not_found
    ErrorText.DECISION_REFUSED -> R.string.error_decision_refused
    ErrorText.TAMPERED -> R.string.error_tampered
    ErrorText.EXPIRED -> R.string.error_expired
    ErrorText.INTERNAL -> R.string.error_internal
    ErrorText.UNEXPECTED -> R.string.error_unexpected
    ErrorText.NO_BROWSER -> R.string.error_no_browser
}

/** The message of [text] in the app's language. */
@Composable
fun errorMessage(text: ErrorText): String = stringResource(text.resId())
