package no.lofavor.core.tests

import no.lofavor.core.AppLocale
import no.lofavor.core.Compass
import no.lofavor.core.FixSource
import no.lofavor.core.FormatKind
import no.lofavor.core.InvalidFixException
import no.lofavor.core.LocationFix
import no.lofavor.core.Permission
import no.lofavor.core.describeLocation
import no.lofavor.core.gazetteerAttribution
import no.lofavor.core.locationPermissionRequest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import kotlin.math.asin
import kotlin.math.atan2
import kotlin.math.cos
import kotlin.math.sin

/**
 * The location exports (describeLocation, locationPermissionRequest) against the real
 * library: the records arrive whole, time crosses as Unix milliseconds, a refused fix is a
 * typed exception. The formats themselves are tested in Rust; here only the glue.
 */
class LocationBindingsTest {
    private val now = 1_790_000_000_000L

    private fun fix(
        latitude: Double,
        longitude: Double,
        accuracyM: Double = 8.0,
        ageMs: Long = 5_000,
    ) = LocationFix(latitude, longitude, accuracyM, now - ageMs, FixSource.FUSED)

    @Test
    fun `a fix near Dombås comes back with every format and UTM in zone 32`() {
        val report = describeLocation(fix(62.0742, 9.1254), now, AppLocale.NB)
        assertEquals(
            listOf(
                FormatKind.DECIMAL_DEGREES,
                FormatKind.DEGREES_MINUTES_SECONDS,
                FormatKind.DEGREES_DECIMAL_MINUTES,
                FormatKind.UTM,
            ),
            report.formats.map { it.kind },
        )
        val utm = report.formats.single { it.kind == FormatKind.UTM }
        assertEquals("32V 506552 6882452", utm.value)
        assertEquals("62.07420° N, 9.12540° Ø", report.formats.first().value)
        assertEquals("Desimalgrader", report.formats.first().label)
        val numbers = report.utm ?: error("no UTM position")
        assertEquals(32.toUByte(), numbers.zone)
        assertEquals("V", numbers.band)
        assertEquals(506552.13, numbers.eastingM, 0.01)
        assertEquals(6882452.48, numbers.northingM, 0.01)
    }

    @Test
    fun `Tromsø is written in zone 33, as Norwegian dispatch expects, not its standard 34`() {
        val report = describeLocation(fix(69.6496, 18.9560), now, AppLocale.EN)
        assertEquals("33W 653445 7731767", report.formats.single { it.kind == FormatKind.UTM }.value)
        assertEquals(33.toUByte(), report.utm?.zone)
        assertEquals("Decimal degrees", report.formats.first().label)
        assertEquals("at Tromsø", report.nearestPlace?.text)
    }

    @Test
    fun `a point 3300 m north-east of Dombås is named so, in each language`() {
        // Dombås in the embedded gazetteer (GeoNames), and the point 3.3 km along bearing 45°
        val (lat, lon) = destination(62.07554, 9.12785, 45.0, 3300.0)
        val nb = describeLocation(fix(lat, lon), now, AppLocale.NB).nearestPlace!!
        assertTrue("NØ for Dombås" in nb.text, nb.text)
        assertEquals("3,3 km NØ for Dombås", nb.text)
        assertEquals("Dombås", nb.name)
        assertEquals("NO", nb.country)
        assertEquals(Compass.NE, nb.compass)
        assertEquals(3300.0, nb.distanceM, 5.0)
        assertEquals(45.0, nb.bearingDeg, 0.5)
        assertEquals("Nærmeste sted", nb.label)
        assertEquals("3.3 km NE of Dombås", describeLocation(fix(lat, lon), now, AppLocale.EN).nearestPlace?.text)
        assertEquals("Nærmaste stad", describeLocation(fix(lat, lon), now, AppLocale.NN).nearestPlace?.label)
    }

    @Test
    fun `an old and vague fix is flagged stale and inaccurate, with warnings, and a good one is not`() {
        val good = describeLocation(fix(62.0742, 9.1254), now, AppLocale.NB).quality
        assertFalse(good.stale)
        assertFalse(good.inaccurate)
        assertEquals(5.toULong(), good.ageS)
        assertTrue(good.warnings.isEmpty())

        // time crosses as milliseconds: 3 minutes old is stale, 119 s is not
        val bad = describeLocation(fix(62.0742, 9.1254, accuracyM = 850.0, ageMs = 180_000), now, AppLocale.NB)
        assertTrue(bad.quality.stale)
        assertTrue(bad.quality.inaccurate)
        assertEquals(180.toULong(), bad.quality.ageS)
        assertEquals(2, bad.quality.warnings.size)
        assertTrue(bad.quality.warnings.any { "850" in it }, bad.quality.warnings.toString())
        assertFalse(describeLocation(fix(62.0742, 9.1254, ageMs = 119_000), now, AppLocale.NB).quality.stale)
        // the warnings are in the SMS too
        bad.quality.warnings.forEach { assertTrue(it in bad.shareText, it) }
        // a fix from a clock ahead of the device's is not stale, and its age is 0
        assertEquals(0.toULong(), describeLocation(fix(62.0742, 9.1254, ageMs = -30_000), now, AppLocale.NB).quality.ageS)
        // a fix before 1970 crosses too (negative milliseconds), and is very stale
        assertTrue(describeLocation(fix(62.0742, 9.1254).copy(timeUnixMs = -1_000), now, AppLocale.NB).quality.stale)
    }

    @Test
    fun `the share text carries the formats, the place and a geo URI with the uncertainty`() {
        val report = describeLocation(fix(62.0742, 9.1254, accuracyM = 12.4), now, AppLocale.NB)
        assertEquals("geo:62.07420,9.12540;u=13", report.geoUri)
        assertTrue(report.shareText.lines().last() == report.geoUri, report.shareText)
        assertTrue("UTM 32V 506552 6882452" in report.shareText, report.shareText)
        assertTrue(report.nearestPlace!!.text in report.shareText)
        assertTrue("GeoNames" in report.attribution)
        assertEquals(gazetteerAttribution(), report.attribution)
    }

    @Test
    fun `a fix the core refuses is a typed exception without the values`() {
        val e = assertThrows<InvalidFixException.LatitudeOutOfRange> {
            describeLocation(fix(91.5, 9.1254), now, AppLocale.NB)
        }
        assertFalse(e.message.orEmpty().contains("91"))
        assertThrows<InvalidFixException.LongitudeOutOfRange> { describeLocation(fix(62.0, 181.0), now, AppLocale.NB) }
        assertThrows<InvalidFixException.NotFinite> { describeLocation(fix(Double.NaN, 9.0), now, AppLocale.NB) }
        assertThrows<InvalidFixException.NegativeAccuracy> {
            describeLocation(fix(62.0, 9.0, accuracyM = -1.0), now, AppLocale.NB)
        }
    }

    @Test
    fun `the permission is location when in use, precise, with a reason in each language`() {
        val reasons = AppLocale.entries.map { locale ->
            val request = locationPermissionRequest(locale)
            assertEquals(Permission.LOCATION_WHEN_IN_USE, request.permission)
            assertTrue(request.precise)
            assertTrue(request.reason.length > 20, request.reason)
            request.reason
        }
        assertEquals(3, reasons.toSet().size, "one reason per language: $reasons")
        // the reason promises what the manifests keep: no location in the background
        assertTrue("aldri i bakgrunnen" in reasons[0], reasons[0])
        assertTrue("never follows" in reasons[2], reasons[2])
    }

    @Test
    fun `the iOS prompt carries the core's reason in each language`() {
        // Info.plist and InfoPlist.strings cannot ask the core at run time: they hold a copy
        val root = Path.of(System.getProperty("lofavor.root") ?: error("run through tests/kotlin/run.sh"))
        for ((locale, folder) in listOf(AppLocale.NB to "nb", AppLocale.NN to "nn", AppLocale.EN to "en")) {
            val strings = Files.readString(root.resolve("ios/App/$folder.lproj/InfoPlist.strings"))
            val text = Regex("\"NSLocationWhenInUseUsageDescription\"\\s*=\\s*\"([^\"]*)\";").find(strings)
                ?.groupValues?.get(1) ?: error("no usage description for $folder")
            assertEquals(locationPermissionRequest(locale).reason, text, folder)
        }
    }

    /** The point `distanceM` from a start along `bearingDeg` on the sphere the core uses. */
    private fun destination(lat: Double, lon: Double, bearingDeg: Double, distanceM: Double): Pair<Double, Double> {
        val d = distanceM / 6_371_008.8
        val p1 = Math.toRadians(lat)
        val l1 = Math.toRadians(lon)
        val b = Math.toRadians(bearingDeg)
        val p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(b))
        val l2 = l1 + atan2(sin(b) * sin(d) * cos(p1), cos(d) - sin(p1) * sin(p2))
        return Math.toDegrees(p2) to Math.toDegrees(l2)
    }
}
