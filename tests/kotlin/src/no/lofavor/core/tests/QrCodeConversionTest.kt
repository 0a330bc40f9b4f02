package no.lofavor.core.tests

import no.lofavor.core.QrCode
import no.lofavor.core.android.toQrModules
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The core's exported QR code becomes what the Android certificate screen draws. */
class QrCodeConversionTest {
    @Test
    fun `modules keep their place row by row`() {
        val qr = QrCode(3u, listOf(true, false, false, false, true, false, false, false, true)).toQrModules()
        assertEquals(3, qr.size)
        assertTrue(qr.isDark(0, 0))
        assertTrue(qr.isDark(1, 1))
        assertFalse(qr.isDark(1, 0))
        assertTrue(qr.isDark(2, 2))
    }
}
