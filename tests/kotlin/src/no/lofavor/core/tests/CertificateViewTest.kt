package no.lofavor.core.tests

import no.lofavor.app.model.CertificateView
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.Route
import no.lofavor.app.model.StatusKind
import no.lofavor.app.model.StatusLine
import no.lofavor.app.model.backFrom
import no.lofavor.app.model.certificateView
import no.lofavor.app.model.expiryDay
import no.lofavor.app.model.routeFrom
import no.lofavor.app.model.toStatusLine
import no.lofavor.core.CertificateStatus
import no.lofavor.core.LofavorException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

/** The certificate screen's model and the app's routes. */
class CertificateViewTest {
    @Test
    fun `the status reads valid, expires in N days, or expired`() {
        assertEquals(StatusLine(StatusKind.VALID), CertificateStatus.Valid.toStatusLine())
        assertEquals(StatusLine(StatusKind.EXPIRES_SOON, 3), CertificateStatus.ExpiresSoon(3u).toStatusLine())
        assertEquals(StatusLine(StatusKind.EXPIRED), CertificateStatus.Expired.toStatusLine())
        for ((language, folder) in APP_LANGUAGES) {
            val strings = AppStrings(folder)
            assertNotNull(strings.plurals["certificate_status_expires_in"]?.get("other"), "expires-in plural in $language")
            assertNotNull(strings.strings["certificate_status_valid"], language)
            assertNotNull(strings.strings["certificate_status_expired"], language)
        }
    }

    @Test
    fun `only certificate_unavailable means no certificate yet, every other failure is an error`() {
        assertEquals(CertificateView.NoCertificate, certificateView(Result.failure(LofavorException.CertificateUnavailable("none"))))
        assertEquals(CertificateView.NeedsLogin, certificateView(Result.failure(LofavorException.NotLoggedIn("no"))))
        assertEquals(CertificateView.NeedsLogin, certificateView(Result.failure(LofavorException.SessionEnded("ended"))))
        assertEquals(CertificateView.Failed(ErrorText.NETWORK), certificateView(Result.failure(LofavorException.Network("down"))))
        assertEquals(CertificateView.Failed(ErrorText.STORAGE), certificateView(Result.failure(LofavorException.Storage("full"))))
        assertEquals(CertificateView.Failed(ErrorText.UNEXPECTED), certificateView(Result.failure(IllegalStateException())))
    }

    @Test
    fun `the expiry day is the day of the end in the phone's zone`() {
        val end = Instant.parse("2026-12-31T23:30:00Z")
        assertEquals(LocalDate.parse("2026-12-31"), expiryDay(end, ZoneId.of("UTC")))
        assertEquals(LocalDate.parse("2027-01-01"), expiryDay(end, ZoneId.of("Europe/Oslo")))
    }

    @Test
    fun `a saved route survives, an unknown one falls back home, back leads home`() {
        for (route in Route.entries) assertEquals(route, routeFrom(route.name))
        assertEquals(Route.HOME, routeFrom(null))
        assertEquals(Route.HOME, routeFrom("SETTINGS_FROM_AN_OLDER_VERSION"))
        assertEquals(Route.HOME, backFrom(Route.SCANNER))
        assertEquals(Route.HOME, backFrom(Route.CERTIFICATE))
        assertNull(backFrom(Route.HOME))
        assertNull(backFrom(Route.RECOVERY), "back must not skip past the recovery screen into a broken app")
    }
}
