package no.lofavor.app.model

import java.time.Duration
import java.time.Instant
import no.lofavor.core.LofavorException
import no.lofavor.core.TrustMaterial
import no.lofavor.core.Verification

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** What the field scanner shows. */
sealed interface ScannerState {
    /**
     * Frames are being checked. [unreadable] is true once a frame held no readable code, so
     * the screen can say "no code found yet" instead of a blank.
     */
    data class Scanning(val unreadable: Boolean = false) : ScannerState

    /** A decision about a certificate, held until the worker asks for the next scan. */
    data class Showing(val verdict: ScanVerdict) : ScannerState

    /**
     * No trust list on this phone yet: the worker must go online once to fetch it. This is not
     * a verdict: without the list no certificate can be judged, least of all as not genuine.
     */
    data object NoTrustList : ScannerState

    /** A check failed for another reason; [text] says which. Scanning resumes on request. */
    data class Failed(val text: ErrorText) : ScannerState
}

/** What happens to the scanner. */
sealed interface ScannerEvent {
    /** The core checked a frame. */
    data class Checked(val verification: Verification) : ScannerEvent

    /** The core refused to check a frame. */
    data class CheckFailed(val error: Throwable) : ScannerEvent

    /** The worker asks for the next scan. */
    data object ScanNext : ScannerEvent

    /** The trust and revocation lists were fetched. */
    data object TrustRefreshed : ScannerEvent
}

/** Whether frames from the camera should go to the core in this state. */
val ScannerState.acceptsFrames: Boolean
    get() = this is ScannerState.Scanning

/**
 * The state after [event]. A decision stays on screen until [ScannerEvent.ScanNext], so a
 * verdict does not flicker while the phone moves; a result of a frame that was already in
 * flight when the decision came is dropped.
 */
fun ScannerState.after(event: ScannerEvent): ScannerState = when (event) {
    is ScannerEvent.Checked -> when (this) {
        is ScannerState.Scanning -> {
            val verdict = event.verification.toVerdict()
            if (verdict.isDecision) ScannerState.Showing(verdict) else ScannerState.Scanning(unreadable = true)
        }
        else -> this
    }
    is ScannerEvent.CheckFailed -> when {
        this !is ScannerState.Scanning -> this
        event.error is LofavorException.TrustListMissing -> ScannerState.NoTrustList
        else -> ScannerState.Failed(errorText(event.error))
    }
    ScannerEvent.ScanNext -> if (this is ScannerState.NoTrustList) this else ScannerState.Scanning()
    ScannerEvent.TrustRefreshed -> if (this is ScannerState.NoTrustList || this is ScannerState.Failed) ScannerState.Scanning() else this
}

/** A length of time in the largest unit that keeps it readable ("3 hours", "2 days"). */
data class Age(val unit: AgeUnit, val count: Long)

/** The unit of an [Age]. */
enum class AgeUnit {
    /** Under an hour. */
    MINUTES,

    /** Under two days. */
    HOURS,

    /** Two days or more. */
    DAYS,
}

/** [seconds] as an [Age]; a negative age (a clock set back) counts as none. */
fun ageOf(seconds: Long): Age {
    val s = seconds.coerceAtLeast(0)
    return when {
        s < 3_600 -> Age(AgeUnit.MINUTES, s / 60)
        s < 48 * 3_600 -> Age(AgeUnit.HOURS, s / 3_600)
        else -> Age(AgeUnit.DAYS, s / 86_400)
    }
}

/**
 * How old the lists the scanner judges by are.
 *
 * @property trustList Since the trust list was fetched.
 * @property revocations Since the issuer signed the revocation list, or null when there is none.
 * @property revocationsStale Whether the core calls the revocation list stale (or missing): a
 *   revoked certificate may then still read as valid, and the screen says so.
 */
data class TrustAges(val trustList: Age, val revocations: Age?, val revocationsStale: Boolean)

/** The ages of [material] at [now], or null when there is no trust list yet. */
fun trustAges(material: TrustMaterial?, now: Instant): TrustAges? {
    material ?: return null
    return TrustAges(
        trustList = ageOf(Duration.between(material.trustListFetchedAt, now).seconds),
        revocations = material.revocationsAgeSeconds?.let { ageOf(it.coerceAtMost(Long.MAX_VALUE.toULong()).toLong()) },
        revocationsStale = material.revocationsStale,
    )
}

/** What the scanner screen shows about the camera permission. */
sealed interface CameraPanel {
    /** Not asked yet: the core's [reason] and a button that brings up the prompt. */
    data class Explain(val reason: String) : CameraPanel

    /** Refused: the reason again, "ask again" and the app's settings. */
    data class Denied(val reason: String) : CameraPanel

    /** Granted: the viewfinder and the checks. */
    data object Ready : CameraPanel
}

/**
 * The camera panel: [granted] as the platform says now, [refusedHere] after the worker
 * refused the prompt on this screen, [reason] the core's text (`cameraPermissionRequest`).
 */
fun cameraPanel(granted: Boolean, refusedHere: Boolean, reason: String): CameraPanel = when {
    granted -> CameraPanel.Ready
    refusedHere -> CameraPanel.Denied(reason)
    else -> CameraPanel.Explain(reason)
}
