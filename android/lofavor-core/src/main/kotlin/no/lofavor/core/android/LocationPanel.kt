package no.lofavor.core.android

import no.lofavor.core.AppLocale
import no.lofavor.core.FixSource
import no.lofavor.core.InvalidFixException
import no.lofavor.core.LocationFix
import no.lofavor.core.LocationReport
import no.lofavor.core.PermissionRequest
import no.lofavor.core.describeLocation

// Pure Kotlin, like CoreSettings: shared by the app and the JVM tests. The app's
// CertificateScreen does the Android part (the permission prompt, LocationManager); what it
// decides from the answers is here, where it is tested.

/**
 * The location permissions the certificate screen asks for, as the manifest names them.
 * Only foreground location: `ACCESS_BACKGROUND_LOCATION` is neither declared nor asked for.
 */
object LocationPermissions {
    /** Precise location (GPS). */
    const val FINE: String = "android.permission.ACCESS_FINE_LOCATION"

    /** Approximate location; Android 12+ requires asking for it together with [FINE]. */
    const val COARSE: String = "android.permission.ACCESS_COARSE_LOCATION"

    /** What the screen asks for, in one prompt (the member may grant only approximate). */
    val REQUESTED: Array<String> = arrayOf(FINE, COARSE)
}

/** What the member has allowed. */
enum class LocationAccess {
    /** Precise location. */
    PRECISE,

    /** Only approximate: the screen still shows it, and the core flags it as inaccurate. */
    APPROXIMATE,

    /** No location. */
    DENIED,
}

/**
 * The access a set of grants gives, from the permission check at start or from the answer of
 * `RequestMultiplePermissions` (permission name to granted).
 */
fun locationAccess(granted: Map<String, Boolean>): LocationAccess = when {
    granted[LocationPermissions.FINE] == true -> LocationAccess.PRECISE
    granted[LocationPermissions.COARSE] == true -> LocationAccess.APPROXIMATE
    else -> LocationAccess.DENIED
}

/**
 * The core's source for an Android location provider name (`LocationManager.GPS_PROVIDER`
 * is `"gps"`, and so on). Any other provider (`passive`, a test provider) combines others,
 * so it counts as fused.
 */
fun fixSource(provider: String?): FixSource = when (provider) {
    "gps" -> FixSource.GPS
    "network" -> FixSource.NETWORK
    else -> FixSource.FUSED
}

/**
 * The fix to hand to the core from an Android `Location`'s fields, or null when the location
 * has no accuracy: a position whose uncertainty nobody knows is not one to read out to a
 * rescue service, so the screen waits for the next one.
 *
 * @param timeUnixMs When the position was measured, Unix milliseconds by the system clock
 *   (the app derives it from `Location.elapsedRealtimeNanos`, as `Location.time` may come
 *   from the satellite clock).
 */
fun locationFix(
    latitude: Double,
    longitude: Double,
    accuracyM: Float?,
    timeUnixMs: Long,
    provider: String?,
): LocationFix? {
    val accuracy = accuracyM ?: return null
    return LocationFix(latitude, longitude, accuracy.toDouble(), timeUnixMs, fixSource(provider))
}

/** What the location part of the certificate screen shows. */
sealed interface LocationPanel {
    /**
     * The member has not allowed location: show the core's [reason] and a button that brings
     * up the platform's prompt. Nothing is asked before the member presses it.
     */
    data class NeedsPermission(val reason: String) : LocationPanel

    /** The member said no: show [reason] again, and that the certificate works without it. */
    data class Denied(val reason: String) : LocationPanel

    /** Allowed, waiting for the first fix. */
    data object Waiting : LocationPanel

    /** Allowed, but location is switched off on the phone: offer its settings. */
    data object LocationOff : LocationPanel

    /** The core's description of the latest fix. */
    data class Shown(val report: LocationReport) : LocationPanel

    /** The core refused the fix; [kind] is the stable kind (`latitude_out_of_range`, …). */
    data class Refused(val kind: String) : LocationPanel
}

/**
 * What the panel shows, from what the screen knows.
 *
 * @param access What the member has allowed, as the platform says now.
 * @param refusedHere Whether the member answered no to the prompt on this screen (then the
 *   reason shows again with the way to the settings, instead of the first explanation).
 * @param updatesStarted Whether location updates run (false: location is off on the phone).
 * @param described The latest fix as the core described it ([describePanel]), if any.
 * @param request The core's permission request, whose reason is shown before any prompt.
 */
fun locationPanel(
    access: LocationAccess,
    refusedHere: Boolean,
    updatesStarted: Boolean,
    described: LocationPanel?,
    request: PermissionRequest,
): LocationPanel = when {
    access == LocationAccess.DENIED && refusedHere -> LocationPanel.Denied(request.reason)
    access == LocationAccess.DENIED -> LocationPanel.NeedsPermission(request.reason)
    !updatesStarted -> LocationPanel.LocationOff
    described != null -> described
    else -> LocationPanel.Waiting
}

/**
 * The panel for [fix] at [nowUnixMs]: the core's report, or the kind of its refusal. Called
 * for each new fix and again every [REDESCRIBE_EVERY_MS], so a fix turns stale on screen
 * while the member waits.
 */
fun describePanel(fix: LocationFix, nowUnixMs: Long, locale: AppLocale): LocationPanel = try {
    LocationPanel.Shown(describeLocation(fix, nowUnixMs, locale))
} catch (e: InvalidFixException) {
    LocationPanel.Refused(e.kind)
}

/** How often the screen describes the last fix again, so its age and stale flag stay true. */
const val REDESCRIBE_EVERY_MS: Long = 10_000

/**
 * The stable kind of a refused fix, for the screen and diagnostics; exhaustive, so a kind
 * added to the core breaks this build until the shell names it.
 */
val InvalidFixException.kind: String
    get() = when (this) {
        is InvalidFixException.NotFinite -> "not_finite"
        is InvalidFixException.LatitudeOutOfRange -> "latitude_out_of_range"
        is InvalidFixException.LongitudeOutOfRange -> "longitude_out_of_range"
        is InvalidFixException.NegativeAccuracy -> "negative_accuracy"
        is InvalidFixException.TimeOutOfRange -> "time_out_of_range"
    }
