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
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
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
    private val http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

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

    private fun form(vararg fields: Pair<String, String>) = fields.joinToString("&") { (k, v) ->
        "${URLEncoder.encode(k, Charsets.UTF_8)}=${URLEncoder.encode(v, Charsets.UTF_8)}"
    }

    /** Logs [member] in by picking them on the issuer's picker page, as the browser would. */
    private fun logIn(core: LofavorCore, member: String) {
        val url = runBlocking { core.auth().beginLogin() }
        val page = http.send(HttpRequest.newBuilder(URI(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
        assertEquals(200, page.statusCode())
        val memberForm = page.body().split("<form").first { it.contains("name=\"member\" value=\"$member\"") }
        val request = Regex("name=\"request\" value=\"([^\"]*)\"").find(memberForm)!!.groupValues[1]
        val decided = http.send(
            HttpRequest.newBuilder(URI(server.baseUrl + "oidc/authorize/decision"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("request" to request, "member" to member)))
                .build(),
            HttpResponse.BodyHandlers.ofString(),
        )
        assertEquals(303, decided.statusCode())
        runBlocking { core.auth().completeLogin(decided.headers().firstValue("location").orElseThrow()) }
    }

    /** The QR code drawn as a camera would see it: `scale` pixels a module, 4 modules of quiet zone. */
    private fun frame(size: Int, modules: List<Boolean>, scale: Int = 4): Triple<Int, Int, ByteArray> {
        val side = (size + 8) * scale
        val luma = ByteArray(side * side) { 255.toByte() }
        for (y in 0 until size) for (x in 0 until size) {
            if (!modules[y * size + x]) continue
            for (dy in 0 until scale) for (dx in 0 until scale) {
                luma[((y + 4) * scale + dy) * side + (x + 4) * scale + dx] = 0
            }
        }
        return Triple(side, side, luma)
    }

    @Test
    fun `a member's certificate verifies offline through the bindings and a changed one does not`(
        @TempDir memberDir: Path,
        @TempDir workerDir: Path,
    ) {
        val certificate = LofavorCore(config(memberDir), KotlinSecureStore(), null).use { member ->
            logIn(member, "kari")
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

            val (width, height, luma) = frame(certificate.qr.size.toInt(), certificate.qr.modules)
            val fromCamera = worker.roadside().verifyCertificateImage(width.toUInt(), height.toUInt(), luma)
            assertTrue(fromCamera is Verification.Valid, "$fromCamera")
            val wrongSize = worker.roadside().verifyCertificateImage(width.toUInt(), height.toUInt(), luma.copyOf(10))
            assertTrue(wrongSize is Verification.Malformed, "$wrongSize")

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
        LofavorCore(config(dir), store, null).use { logIn(it, "ola") }
        LofavorCore(config(dir, "http://127.0.0.1:9/"), store, null).use { core ->
            val error = assertThrows<LofavorException.CertificateUnavailable> {
                runBlocking { core.roadside().certificate() }
            }
            assertEquals("certificate_unavailable", error.kind)
        }
    }
}
