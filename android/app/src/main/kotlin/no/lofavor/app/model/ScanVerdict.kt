package no.lofavor.app.model

import java.time.Instant
import no.lofavor.core.Verification

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** What the field scanner tells the worker about a certificate, in five plain answers. */
enum class VerdictKind {
    /** Genuine, not revoked, valid now: give assistance. */
    VALID,

    /** Genuine but past its end, or not valid yet: no cover today. */
    EXPIRED,

    /** Genuine but withdrawn by the issuer. */
    REVOKED,

    /** Not signed by a key the worker's phone trusts, tampered, or not a certificate at all. */
    NOT_GENUINE,

    /** No code could be read from the picture: hold the phone steady and try again. */
    UNREADABLE,
}

/**
 * How a verdict looks: a colour family, a symbol and a headline, so it is never told by colour
 * alone (a colour-blind worker in sunlight reads the symbol and the words).
 */
enum class VerdictTone {
    /** Green, with a check mark. */
    GOOD,

    /** Red, with a cross. */
    BAD,

    /** Neutral grey, with a question mark: nothing decided. */
    NEUTRAL,
}

/**
 * One verdict to show.
 *
 * @property kind The answer.
 * @property holder The member's short name ("Kari N."), for a valid certificate only: the
 *   worker matches it against a driving licence.
 * @property coverName The cover's product name, for a valid certificate only.
 * @property vehicle The car the cover is tied to, if it is.
 * @property until When a valid certificate ends; when an expired one ended; when a not yet
 *   valid one starts.
 * @property notYetValid True for a genuine certificate whose validity has not started.
 */
data class ScanVerdict(
    val kind: VerdictKind,
    val holder: String? = null,
    val coverName: String? = null,
    val vehicle: String? = null,
    val until: Instant? = null,
    val notYetValid: Boolean = false,
) {
    /** The colour family and symbol of this verdict. */
    val tone: VerdictTone
        get() = when (kind) {
            VerdictKind.VALID -> VerdictTone.GOOD
            VerdictKind.EXPIRED, VerdictKind.REVOKED, VerdictKind.NOT_GENUINE -> VerdictTone.BAD
            VerdictKind.UNREADABLE -> VerdictTone.NEUTRAL
        }

    /** The symbol shown beside the headline: ✓, ✗ or ?. */
    val symbol: String
        get() = when (tone) {
            VerdictTone.GOOD -> "\u2713"
            VerdictTone.BAD -> "\u2717"
            VerdictTone.NEUTRAL -> "?"
        }

    /** The string resource of the headline. */
    val headlineResource: String
        get() = when (kind) {
            VerdictKind.VALID -> "scan_valid"
            VerdictKind.EXPIRED -> if (notYetValid) "scan_not_yet_valid" else "scan_expired"
            VerdictKind.REVOKED -> "scan_revoked"
            VerdictKind.NOT_GENUINE -> "scan_not_genuine"
            VerdictKind.UNREADABLE -> "scan_unreadable"
        }

    /** Whether this is a decision about a certificate (everything but [VerdictKind.UNREADABLE]). */
    val isDecision: Boolean get() = kind != VerdictKind.UNREADABLE
}

/**
 * The verdict for the core's answer. A code that was read but is not a certificate, is
 * tampered, or is signed by an unknown key is [VerdictKind.NOT_GENUINE]; only a picture with
 * no readable code is [VerdictKind.UNREADABLE].
 */
fun Verification.toVerdict(): ScanVerdict = when (this) {
    is Verification.Valid -> ScanVerdict(
        kind = VerdictKind.VALID,
        holder = holder,
        coverName = cover.productName,
        vehicle = vehicle,
        until = expiresAt,
    )
    is Verification.Expired -> ScanVerdict(VerdictKind.EXPIRED, until = expiredAt)
    is Verification.NotYetValid -> ScanVerdict(VerdictKind.EXPIRED, until = validFrom, notYetValid = true)
    is Verification.Revoked -> ScanVerdict(VerdictKind.REVOKED)
    is Verification.UntrustedIssuer -> ScanVerdict(VerdictKind.NOT_GENUINE)
    is Verification.Malformed -> ScanVerdict(VerdictKind.NOT_GENUINE)
    is Verification.Unreadable -> ScanVerdict(VerdictKind.UNREADABLE)
}
