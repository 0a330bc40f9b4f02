package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.core.CertificateStatus
import no.lofavor.core.CoverProduct
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.OnlineStatus
import no.lofavor.core.Verification
import no.lofavor.core.android.kind
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/**
 * The roadside certificate through the bindings, against the real reference server binary:
 * a member logs in at the server's own issuer, fetches the certificate with its QR code, and a
 * worker's core checks it offline from the cached lists, from the payload and from a camera
 * frame, and looks it up online. Every async export of the certificate is called here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateBindingsTest {
    private lateinit var server: ReferenceServer

    @BeforeAll
    fun startServer() {
        server = ReferenceServer()
    }

    @AfterAll
    fun stopServer() {
        server.close()
    }

    private fun config(dir: Path, api: String = server.baseUrl) =
        testConfig(dir, api).copy(oidcIssuer = server.baseUrl + "oidc", trustAnchors = listOf(server.trustAnchor))

    @Test
    fun `a member's certificate verifies offline through the bindings and a changed one does not`(
        @TempDir memberDir: Path,
        @TempDir workerDir: Path,
    ) {
        val certificate = LofavorCore(config(memberDir), KotlinSecureStore(), null).use { member ->
            logInAtReferenceServer(server, member, "kari")
            val certificate = runBlocking { member.roadside().certificate() }
            assertEquals("Kari N.", certificate.holder)
            assertEquals(CoverProduct.VEIHJELP_PLUSS, certificate.cover.product)
            assertEquals("EV12345", certificate.vehicle)
            assertEquals(CertificateStatus.Valid, certificate.status)
            assertEquals((certificate.qr.size * certificate.qr.size).toInt(), certificate.qr.modules.size)
            assertTrue(certificate.payload.startsWith("VH1:"))
            assertEquals(certificate.certificateId, member.roadside().cachedCertificate()?.certificateId)
            val renewed = runBlocking { member.roadside().renewCertificate() }
            assertFalse(renewed.certificateId == certificate.certificateId)
            renewed
        }

        val store = KotlinSecureStore()
        LofavorCore(config(workerDir), store, null).use { worker ->
            // First run: no trust list yet is a typed error, not a verdict.
            val missing = assertThrows<LofavorException.TrustListMissing> {
                worker.roadside().verifyCertificate(certificate.payload)
            }
            assertEquals("trust_list_missing", missing.kind)
            val material = runBlocking { worker.roadside().refreshTrustMaterial() }
            assertEquals(1u, material.keys)
            assertEquals(0u, material.revoked)
            // The trust list came signed by the server's anchor, which the worker's config names.
            assertEquals(1uL, material.trustListSequence)
            assertFalse(material.revocationsStale)
            assertNotNull(worker.roadside().trustMaterial())
            assertEquals(OnlineStatus.VALID, runBlocking { worker.roadside().lookupCertificateOnline(certificate.payload) })
        }

        // Offline now: the member API is unreachable; the cached lists are enough.
        LofavorCore(config(workerDir, "http://127.0.0.1:9/"), store, null).use { worker ->
            val verdict = worker.roadside().verifyCertificate(certificate.payload)
            assertTrue(verdict is Verification.Valid, "$verdict")
            verdict as Verification.Valid
            assertEquals("Kari N.", verdict.holder)
            assertEquals("EV12345", verdict.vehicle)
            assertEquals(CoverProduct.VEIHJELP_PLUSS, verdict.cover.product)

            val chars = certificate.payload.toCharArray()
            val at = chars.size / 2
            chars[at] = if (chars[at] == 'A') 'B' else 'A'
            val altered = worker.roadside().verifyCertificate(String(chars))
            assertFalse(altered is Verification.Valid, "$altered")

            val (width, height, luma) = qrFrame(certificate.qr.size.toInt(), certificate.qr.modules)
            val fromCamera = worker.roadside().verifyCertificateImage(width.toUInt(), height.toUInt(), luma)
            assertTrue(fromCamera is Verification.Valid, "$fromCamera")
            val wrongSize = worker.roadside().verifyCertificateImage(width.toUInt(), height.toUInt(), luma.copyOf(10))
            assertTrue(wrongSize is Verification.Unreadable, "$wrongSize")

            val offline = assertThrows<LofavorException.Network> {
                runBlocking { worker.roadside().lookupCertificateOnline(certificate.payload) }
            }
            assertEquals("network", offline.kind)
            val notPayload = assertThrows<LofavorException.InvalidInput> {
                runBlocking { worker.roadside().lookupCertificateOnline("hello") }
            }
            assertEquals("invalid_input", notPayload.kind)
        }
    }

    @Test
    fun `with nothing cached and no network the certificate is unavailable`(@TempDir dir: Path) {
        val store = KotlinSecureStore()
        LofavorCore(config(dir), store, null).use { logInAtReferenceServer(server, it, "ola") }
        LofavorCore(config(dir, "http://127.0.0.1:9/"), store, null).use { core ->
            val error = assertThrows<LofavorException.CertificateUnavailable> {
                runBlocking { core.roadside().certificate() }
            }
            assertEquals("certificate_unavailable", error.kind)
        }
    }
}
