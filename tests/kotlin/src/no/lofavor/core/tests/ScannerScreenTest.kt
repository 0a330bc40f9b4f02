package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.app.model.AgeUnit
import no.lofavor.app.model.CameraPanel
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.FrameGate
import no.lofavor.app.model.ScannerEvent
import no.lofavor.app.model.ScannerState
import no.lofavor.app.model.VerdictKind
import no.lofavor.app.model.VerdictTone
import no.lofavor.app.model.acceptsFrames
import no.lofavor.app.model.after
import no.lofavor.app.model.ageOf
import no.lofavor.app.model.cameraPanel
import no.lofavor.app.model.copyLuma
import no.lofavor.app.model.toVerdict
import no.lofavor.app.model.trustAges
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.MemberCertificate
import no.lofavor.core.Verification
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.Random

/**
 * The field scanner's platform-free part (verdicts, luma copy, frame gate, state machine,
 * list ages) against the real library and the real reference server: a member's real
 * certificate drawn into camera frames, noise, and a tampered payload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScannerScreenTest {
    private lateinit var server: ReferenceServer
    private lateinit var certificate: MemberCertificate
    private lateinit var workerDir: Path
    private val workerStore = KotlinSecureStore()

    private fun config(dir: Path, api: String = server.baseUrl) =
        testConfig(dir, api).copy(oidcIssuer = server.baseUrl + "oidc", trustAnchors = listOf(server.trustAnchor))

    /** A worker's core, offline: it judges by the lists it fetched while online. */
    private fun <T> offlineWorker(block: (LofavorCore) -> T): T =
        LofavorCore(config(workerDir, "http://127.0.0.1:9/"), workerStore, null).use(block)

    @BeforeAll
    fun setUp() {
        server = ReferenceServer()
        val memberDir = Files.createTempDirectory("lofavor-member")
        certificate = LofavorCore(config(memberDir), KotlinSecureStore(), null).use { member ->
            logInAtReferenceServer(server, member, "kari")
            runBlocking { member.roadside().certificate() }
        }
        workerDir = Files.createTempDirectory("lofavor-worker")
        LofavorCore(config(workerDir), workerStore, null).use { runBlocking { it.roadside().refreshTrustMaterial() } }
    }

    @AfterAll
    fun tearDown() {
        server.close()
    }

    /**
     * A `width` x `height` camera frame: grey, with the certificate's QR code drawn at
     * `scale` pixels a module in the middle, as a phone screen held up to the camera.
     */
    private fun cameraFrame(width: Int, height: Int, scale: Int): ByteArray {
        val (side, _, qr) = qrFrame(certificate.qr.size.toInt(), certificate.qr.modules, scale)
        val frame = ByteArray(width * height) { 128.toByte() }
        val left = (width - side) / 2
        val top = (height - side) / 2
        for (y in 0 until side) System.arraycopy(qr, y * side, frame, (top + y) * width + left, side)
        return frame
    }

    @Test
    fun `a real certificate in a camera frame reads as valid with the holder and cover`() {
        val (side, _, luma) = qrFrame(certificate.qr.size.toInt(), certificate.qr.modules)
        val verdict = offlineWorker { it.roadside().verifyCertificateImage(side.toUInt(), side.toUInt(), luma) }.toVerdict()
        assertEquals(VerdictKind.VALID, verdict.kind)
        assertEquals(VerdictTone.GOOD, verdict.tone)
        assertEquals("\u2713", verdict.symbol)
        assertEquals("Kari N.", verdict.holder)
        assertEquals("Veihjelp Pluss", verdict.coverName)
        assertEquals("EV12345", verdict.vehicle)
        assertEquals(certificate.expiresAt, verdict.until)

        val state = ScannerState.Scanning().after(ScannerEvent.Checked(
            offlineWorker { it.roadside().verifyCertificateImage(side.toUInt(), side.toUInt(), luma) },
        ))
        assertEquals(ScannerState.Showing(verdict), state)
        assertFalse(state.acceptsFrames, "a decision stays on screen: no more frames until 'scan next'")
    }

    @Test
    fun `a frame of noise is unreadable, never a verdict, and scanning goes on`() {
        val random = Random(7)
        val noise = ByteArray(640 * 480).also { random.nextBytes(it) }
        val answer = offlineWorker { it.roadside().verifyCertificateImage(640u, 480u, noise) }
        assertTrue(answer is Verification.Unreadable, "$answer")
        val verdict = answer.toVerdict()
        assertEquals(VerdictKind.UNREADABLE, verdict.kind)
        assertEquals(VerdictTone.NEUTRAL, verdict.tone)
        assertEquals(null, verdict.holder)
        val state = ScannerState.Scanning().after(ScannerEvent.Checked(answer))
        assertEquals(ScannerState.Scanning(unreadable = true), state)
        assertTrue(state.acceptsFrames)
        // A blank frame and a frame of the wrong size are unreadable too, not "not genuine".
        val blank = offlineWorker { it.roadside().verifyCertificateImage(64u, 64u, ByteArray(64 * 64) { -1 }) }
        assertEquals(VerdictKind.UNREADABLE, blank.toVerdict().kind)
        val short = offlineWorker { it.roadside().verifyCertificateImage(64u, 64u, ByteArray(10)) }
        assertEquals(VerdictKind.UNREADABLE, short.toVerdict().kind)
    }

    @Test
    fun `a certificate with one character changed is not genuine`() {
        val payload = certificate.payload
        var notGenuine = 0
        // Several positions: each change must come out as not genuine, never valid or unreadable.
        for (at in listOf(payload.length / 3, payload.length / 2, payload.length - 5)) {
            val chars = payload.toCharArray()
            chars[at] = if (chars[at] == 'A') 'B' else 'A'
            val verdict = offlineWorker { it.roadside().verifyCertificate(String(chars)) }.toVerdict()
            assertEquals(VerdictKind.NOT_GENUINE, verdict.kind, "change at $at")
            assertEquals(VerdictTone.BAD, verdict.tone)
            assertEquals(null, verdict.holder, "a forged certificate must not show a name")
            notGenuine++
        }
        assertEquals(3, notGenuine)
        // Not a certificate at all (any other QR code) is not genuine either.
        val other = offlineWorker { it.roadside().verifyCertificate("https://example.org/") }
        assertEquals(VerdictKind.NOT_GENUINE, other.toVerdict().kind)
    }

    @Test
    fun `without a trust list the scanner asks to go online instead of calling a certificate false`(@org.junit.jupiter.api.io.TempDir dir: Path) {
        val (side, _, luma) = qrFrame(certificate.qr.size.toInt(), certificate.qr.modules)
        val error = LofavorCore(config(dir, "http://127.0.0.1:9/"), KotlinSecureStore(), null).use { fresh ->
            assertEquals(null, fresh.roadside().trustMaterial())
            assertEquals(null, trustAges(fresh.roadside().trustMaterial(), Instant.now()))
            runCatching { fresh.roadside().verifyCertificateImage(side.toUInt(), side.toUInt(), luma) }.exceptionOrNull()
        }
        assertTrue(error is LofavorException.TrustListMissing, "$error")
        val state = ScannerState.Scanning().after(ScannerEvent.CheckFailed(error!!))
        assertEquals(ScannerState.NoTrustList, state)
        assertFalse(state.acceptsFrames)
        assertEquals(ScannerState.NoTrustList, state.after(ScannerEvent.ScanNext), "only fetching the list helps")
        assertEquals(ScannerState.Scanning(), state.after(ScannerEvent.TrustRefreshed))
        // Another failure is an error with its own message, not a verdict.
        val failed = ScannerState.Scanning().after(ScannerEvent.CheckFailed(LofavorException.Storage("disk full")))
        assertEquals(ScannerState.Failed(ErrorText.STORAGE), failed)
    }

    @Test
    fun `a frame's padded rows are copied row by row and the result still verifies`() {
        val (side, _, luma) = qrFrame(certificate.qr.size.toInt(), certificate.qr.modules)
        val rowStride = side + 48
        // The last row stops right after its last pixel, as camera buffers do.
        val plane = ByteBuffer.allocateDirect(rowStride * (side - 1) + side)
        for (y in 0 until side) {
            plane.position(y * rowStride)
            plane.put(luma, y * side, side)
            if (y < side - 1) repeat(rowStride - side) { plane.put(0x55) }
        }
        plane.position(0)
        val copied = copyLuma(side, side, rowStride, 1, plane)
        assertArrayEquals(luma, copied)
        assertEquals(0, plane.position(), "the plane's position is left alone")
        val verdict = offlineWorker { it.roadside().verifyCertificateImage(side.toUInt(), side.toUInt(), copied) }
        assertTrue(verdict is Verification.Valid, "$verdict")
        // Reading the padded plane as one block would shear the picture: the core must not accept that.
        val naive = ByteArray(side * side).also { plane.duplicate().get(it, 0, minOf(it.size, plane.limit())) }
        assertFalse(offlineWorker { it.roadside().verifyCertificateImage(side.toUInt(), side.toUInt(), naive) } is Verification.Valid)
    }

    @Test
    fun `luma copy honours the pixel stride, reuses its buffer and refuses a short plane`() {
        val plane = ByteBuffer.wrap(byteArrayOf(1, 0, 2, 0, 3, 9, 9, 9, 4, 0, 5, 0, 6))
        val into = ByteArray(6)
        val copied = copyLuma(3, 2, rowStride = 8, pixelStride = 2, plane = plane, into = into)
        assertArrayEquals(byteArrayOf(1, 2, 3, 4, 5, 6), copied)
        assertTrue(copied === into, "a buffer of the right size is reused")
        assertTrue(copyLuma(3, 2, 8, 2, plane, ByteArray(5)) !== into)
        val thrown = runCatching { copyLuma(3, 3, 8, 2, plane) }.exceptionOrNull()
        assertTrue(thrown is IllegalArgumentException, "a plane too short for its frame: $thrown")
        assertTrue(runCatching { copyLuma(10, 1, 4, 1, ByteBuffer.allocate(64)) }.exceptionOrNull() is IllegalArgumentException)
    }

    @Test
    fun `one frame at a time reaches the core, no more often than the gate allows`() {
        val gate = FrameGate(minIntervalMs = 100)
        assertTrue(gate.tryStart(1_000))
        assertFalse(gate.tryStart(1_500), "a frame is still being checked")
        gate.finish()
        assertTrue(gate.tryStart(1_500))
        gate.finish()
        assertFalse(gate.tryStart(1_550), "too soon after the last")
        assertTrue(gate.tryStart(1_600))
        // Many analyser threads at once: exactly one gets through.
        val open = FrameGate()
        val admitted = java.util.concurrent.atomic.AtomicInteger()
        val threads = (1..16).map { Thread { if (open.tryStart(0)) admitted.incrementAndGet() } }
        threads.forEach(Thread::start)
        threads.forEach(Thread::join)
        assertEquals(1, admitted.get())
    }

    @Test
    fun `a result of a frame still in flight does not replace the verdict on screen`() {
        val valid = offlineWorker {
            val (side, _, luma) = qrFrame(certificate.qr.size.toInt(), certificate.qr.modules)
            it.roadside().verifyCertificateImage(side.toUInt(), side.toUInt(), luma)
        }
        val showing = ScannerState.Scanning().after(ScannerEvent.Checked(valid))
        assertEquals(showing, showing.after(ScannerEvent.Checked(Verification.Revoked)))
        assertEquals(showing, showing.after(ScannerEvent.CheckFailed(LofavorException.Storage("x"))))
        assertEquals(ScannerState.Scanning(), showing.after(ScannerEvent.ScanNext))
        val revoked = ScannerState.Scanning().after(ScannerEvent.Checked(Verification.Revoked))
        assertEquals(VerdictKind.REVOKED, (revoked as ScannerState.Showing).verdict.kind)
        val expired = Verification.Expired(Instant.parse("2026-01-01T00:00:00Z")).toVerdict()
        assertEquals(VerdictKind.EXPIRED, expired.kind)
        assertEquals("scan_expired", expired.headlineResource)
        val early = Verification.NotYetValid(Instant.parse("2030-01-01T00:00:00Z")).toVerdict()
        assertEquals(VerdictKind.EXPIRED, early.kind)
        assertEquals("scan_not_yet_valid", early.headlineResource)
        assertEquals(VerdictKind.NOT_GENUINE, Verification.UntrustedIssuer.toVerdict().kind)
    }

    @Test
    fun `every verdict headline exists in nb, nn and en`() {
        val heads = VerdictKind.entries.map { no.lofavor.app.model.ScanVerdict(it).headlineResource } + "scan_not_yet_valid"
        for ((language, folder) in APP_LANGUAGES) {
            val strings = AppStrings(folder)
            for (head in heads) assertNotNull(strings.strings[head], "$head in $language")
        }
    }

    @Test
    fun `the scanner screen draws each verdict with the headline the model names`() {
        val screen = Files.readString(repositoryRoot.resolve("android/app/src/main/kotlin/no/lofavor/app/ScannerScreen.kt"))
        val mapping = screen.substringAfter("private fun ScanVerdict.headlineRes()").substringBefore("\n}\n")
        for (kind in VerdictKind.entries) {
            val line = mapping.lines().first { it.trim().startsWith("VerdictKind.${kind.name} ->") }
            val verdict = no.lofavor.app.model.ScanVerdict(kind)
            assertTrue(line.contains("R.string.${verdict.headlineResource}"), "$kind: $line")
        }
        assertTrue(mapping.contains("R.string.scan_not_yet_valid"))
    }

    @Test
    fun `the lists' ages come from the core's trust material`() {
        val material = offlineWorker { it.roadside().trustMaterial() }
        assertNotNull(material)
        val ages = trustAges(material, material!!.trustListFetchedAt.plusSeconds(3 * 3_600 + 5))!!
        assertEquals(AgeUnit.HOURS, ages.trustList.unit)
        assertEquals(3, ages.trustList.count)
        assertNotNull(ages.revocations, "the reference server serves a revocation list")
        assertEquals(material.revocationsStale, ages.revocationsStale)
        assertEquals(AgeUnit.MINUTES, ageOf(59 * 60).unit)
        assertEquals(AgeUnit.HOURS, ageOf(3_600).unit)
        assertEquals(47, ageOf(48 * 3_600 - 1).count)
        assertEquals(AgeUnit.DAYS, ageOf(48 * 3_600).unit)
        assertEquals(0, ageOf(-500).count, "a clock set back is not a negative age")
    }

    @Test
    fun `the camera is asked for only after the reason, and a refusal shows it again`() {
        val reason = no.lofavor.core.cameraPermissionRequest(no.lofavor.core.AppLocale.NN).reason
        assertTrue(reason.isNotBlank())
        assertNotEquals(reason, no.lofavor.core.cameraPermissionRequest(no.lofavor.core.AppLocale.EN).reason)
        assertEquals(CameraPanel.Explain(reason), cameraPanel(granted = false, refusedHere = false, reason = reason))
        assertEquals(CameraPanel.Denied(reason), cameraPanel(granted = false, refusedHere = true, reason = reason))
        assertEquals(CameraPanel.Ready, cameraPanel(granted = true, refusedHere = true, reason = reason))
    }

    @Test
    fun `benchmark - frames checked per second for a 1080p frame with a QR code`() {
        val width = 1920
        val height = 1080
        val frame = cameraFrame(width, height, scale = 8)
        val seconds = (System.getProperty("lofavor.benchmark") ?: "2").toDouble()
        offlineWorker { worker ->
            val first = worker.roadside().verifyCertificateImage(width.toUInt(), height.toUInt(), frame)
            assertTrue(first is Verification.Valid, "the benchmark frame must verify: $first")
            var frames = 0
            val start = System.nanoTime()
            val until = start + (seconds * 1e9).toLong()
            while (System.nanoTime() < until || frames < 3) {
                worker.roadside().verifyCertificateImage(width.toUInt(), height.toUInt(), frame)
                frames++
            }
            val elapsed = (System.nanoTime() - start) / 1e9
            println("scanner benchmark: %d frames of %dx%d in %.2f s = %.1f frames checked per second".format(
                frames, width, height, elapsed, frames / elapsed))
        }
    }
}
