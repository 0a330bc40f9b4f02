package no.lofavor.core.tests

import no.lofavor.core.AppLocale
import no.lofavor.core.FixSource
import no.lofavor.core.FormatKind
import no.lofavor.core.locationPermissionRequest
import no.lofavor.core.android.LocationAccess
import no.lofavor.core.android.LocationPanel
import no.lofavor.core.android.LocationPermissions
import no.lofavor.core.android.ModuleRun
import no.lofavor.core.android.QrModules
import no.lofavor.core.android.describePanel
import no.lofavor.core.android.locationAccess
import no.lofavor.core.android.locationFix
import no.lofavor.core.android.locationPanel
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The certificate screen's platform-free Kotlin (android/lofavor-core/.../LocationPanel.kt
 * and QrModules.kt), compiled with these tests and run against the real library.
 */
class CertificateScreenSharedCodeTest {
    private val now = 1_790_000_000_000L

    @Test
    fun `the screen asks for fine and coarse location only, and reads the member's answer`() {
        assertEquals(
            listOf("android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"),
            LocationPermissions.REQUESTED.toList(),
        )
        assertFalse(LocationPermissions.REQUESTED.any { "BACKGROUND" in it })
        assertEquals(
            LocationAccess.PRECISE,
            locationAccess(mapOf(LocationPermissions.FINE to true, LocationPermissions.COARSE to true)),
        )
        // Android 12+: the member picked "approximate" in the prompt
        assertEquals(
            LocationAccess.APPROXIMATE,
            locationAccess(mapOf(LocationPermissions.FINE to false, LocationPermissions.COARSE to true)),
        )
        assertEquals(
            LocationAccess.DENIED,
            locationAccess(mapOf(LocationPermissions.FINE to false, LocationPermissions.COARSE to false)),
        )
        assertEquals(LocationAccess.DENIED, locationAccess(emptyMap()))
    }

    @Test
    fun `without access the panel shows the core's reason first, and again after a no`() {
        val request = locationPermissionRequest(AppLocale.NN)
        fun panel(access: LocationAccess, refusedHere: Boolean = false, started: Boolean = true, described: LocationPanel? = null) =
            locationPanel(access, refusedHere, started, described, request)
        assertEquals(LocationPanel.NeedsPermission(request.reason), panel(LocationAccess.DENIED))
        assertEquals(LocationPanel.Denied(request.reason), panel(LocationAccess.DENIED, refusedHere = true))
        assertTrue("veghjelpsbeviset" in request.reason, request.reason)
        // allowed: waiting for a fix, then the fix; location switched off wins over an old fix
        assertEquals(LocationPanel.Waiting, panel(LocationAccess.APPROXIMATE))
        val refused = LocationPanel.Refused("not_finite")
        assertEquals(refused, panel(LocationAccess.PRECISE, described = refused))
        assertEquals(LocationPanel.LocationOff, panel(LocationAccess.PRECISE, started = false, described = refused))
        // revoked in the settings while a fix was shown: the reason again, no position
        assertEquals(LocationPanel.NeedsPermission(request.reason), panel(LocationAccess.DENIED, described = refused))
    }

    @Test
    fun `an Android location becomes a fix, and one without accuracy is not used`() {
        val fix = locationFix(62.0742, 9.1254, 7.5f, now - 2_000, "gps")!!
        assertEquals(FixSource.GPS, fix.source)
        assertEquals(7.5, fix.accuracyM)
        assertEquals(now - 2_000, fix.timeUnixMs)
        assertEquals(FixSource.NETWORK, locationFix(62.0, 9.0, 900f, now, "network")!!.source)
        assertEquals(FixSource.FUSED, locationFix(62.0, 9.0, 9f, now, "fused")!!.source)
        assertEquals(FixSource.FUSED, locationFix(62.0, 9.0, 9f, now, "passive")!!.source)
        assertNull(locationFix(62.0, 9.0, null, now, "gps"))

        val shown = describePanel(fix, now, AppLocale.NB) as LocationPanel.Shown
        assertEquals("32V 506552 6882452", shown.report.formats.single { it.kind == FormatKind.UTM }.value)
        // the same fix, described again three minutes on, has gone stale on screen
        val later = describePanel(fix, now + 180_000, AppLocale.NB) as LocationPanel.Shown
        assertTrue(later.report.quality.stale)
        assertEquals(
            LocationPanel.Refused("latitude_out_of_range"),
            describePanel(fix.copy(latitude = 95.0), now, AppLocale.NB),
        )
        assertEquals(LocationPanel.Refused("not_finite"), describePanel(fix.copy(accuracyM = Double.NaN), now, AppLocale.NB))
    }

    @Test
    fun `the QR drawing covers exactly the dark modules, inside a four-module quiet zone`() {
        // a 5 x 5 pattern with runs at the edges, in the middle and a lone module
        val rows = listOf("##.##", ".....", "#####", "..#..", "#...#")
        val qr = QrModules(5, rows.flatMap { row -> row.map { it == '#' } })
        val q = QrModules.QUIET_ZONE
        assertEquals(4, q)
        assertEquals(13, qr.sideWithQuietZone)
        assertEquals(
            listOf(
                ModuleRun(q + 0, q + 0, 2), ModuleRun(q + 3, q + 0, 2),
                ModuleRun(q + 0, q + 2, 5),
                ModuleRun(q + 2, q + 3, 1),
                ModuleRun(q + 0, q + 4, 1), ModuleRun(q + 4, q + 4, 1),
            ),
            qr.darkRuns(),
        )
        // every dark module is covered once, no light one at all
        val covered = qr.darkRuns().flatMap { run -> (run.x until run.x + run.length).map { it - q to run.y - q } }
        val dark = (0 until 5).flatMap { y -> (0 until 5).filter { x -> qr.isDark(x, y) }.map { it to y } }
        assertEquals(dark.sortedWith(compareBy({ it.second }, { it.first })), covered)
        // a matrix that is not square is refused
        assertThrows<IllegalArgumentException> { QrModules(5, List(24) { false }) }
        assertThrows<IllegalArgumentException> { QrModules(0, emptyList()) }
    }
}
