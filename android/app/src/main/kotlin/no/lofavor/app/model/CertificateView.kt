package no.lofavor.app.model

import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import no.lofavor.core.CertificateStatus
import no.lofavor.core.LofavorException
import no.lofavor.core.MemberCertificate

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** What the certificate screen shows where the QR code goes. */
sealed interface CertificateView {
    /** Being read or fetched. */
    data object Loading : CertificateView

    /** The certificate, with its holder, cover, expiry and [status]. */
    data class Shown(val certificate: MemberCertificate, val status: StatusLine) : CertificateView

    /** The member has no certificate on this phone and none could be fetched (offline on first use, or no cover). */
    data object NoCertificate : CertificateView

    /** Nobody is logged in: log in to get the certificate. */
    data object NeedsLogin : CertificateView

    /** Reading or fetching failed for another reason: shown as an error, with [text]. */
    data class Failed(val text: ErrorText) : CertificateView
}

/** The certificate's status in words: valid, expires in N days, or expired. */
data class StatusLine(val kind: StatusKind, val days: Int = 0)

/** The three statuses the screen tells apart. */
enum class StatusKind {
    /** Valid for a week or more. */
    VALID,

    /** Valid, ending within a week: renewed when online. */
    EXPIRES_SOON,

    /** No longer valid. */
    EXPIRED,
}

/** The core's status as a [StatusLine]. */
fun CertificateStatus.toStatusLine(): StatusLine = when (this) {
    CertificateStatus.Valid -> StatusLine(StatusKind.VALID)
    is CertificateStatus.ExpiresSoon -> StatusLine(StatusKind.EXPIRES_SOON, days.coerceAtMost(Int.MAX_VALUE.toUInt()).toInt())
    CertificateStatus.Expired -> StatusLine(StatusKind.EXPIRED)
}

/**
 * The view for the outcome of reading or renewing the certificate. Only the core's
 * `certificate_unavailable` means "no certificate yet"; every other failure is an error.
 */
fun certificateView(outcome: Result<MemberCertificate>): CertificateView = outcome.fold(
    onSuccess = { CertificateView.Shown(it, it.status.toStatusLine()) },
    onFailure = {
        when (it) {
            is LofavorException.CertificateUnavailable -> CertificateView.NoCertificate
            is LofavorException.NotLoggedIn, is LofavorException.SessionEnded -> CertificateView.NeedsLogin
            else -> CertificateView.Failed(errorText(it))
        }
    },
)

/**
 * The last day the certificate is valid, in [zone], for "valid until": the day of the instant
 * it ends.
 */
fun expiryDay(expiresAt: Instant, zone: ZoneId): LocalDate = expiresAt.atZone(zone).toLocalDate()
