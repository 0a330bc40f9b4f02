package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.PurposeState
import no.lofavor.core.android.kind
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/**
 * Consents and privacy rights through the bindings, against the real reference server binary:
 * the screen model the shells draw, the explicit-confirmation rule, the history with the
 * server's signed receipts, partner sharing and orders, the rights requests, access, export
 * and erasure on the device. Every async export of the consent handle (and `eraseDevice`) is
 * called here at least once: a missing runtime would be a crash on a phone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentBindingsTest {
    private lateinit var server: ReferenceServer

    @BeforeAll
    fun startServer() {
        server = ReferenceServer()
    }

    @AfterAll
    fun stopServer() {
        server.close()
    }

    private fun config(dir: Path) =
        testConfig(dir, server.baseUrl).copy(oidcIssuer = server.baseUrl + "oidc", trustAnchors = listOf(server.trustAnchor))

    @Test
    fun `every async export of consents and erasure is called by these tests`() {
        // A suspend function compiles to a method whose last parameter is the continuation.
        fun asyncExports(type: Class<*>) = type.methods
            .filter { m -> m.parameterTypes.lastOrNull() == kotlin.coroutines.Continuation::class.java }
            .map { it.name }.toSet()
        val consent = asyncExports(no.lofavor.core.ConsentHandleInterface::class.java)
        assertTrue(consent.size >= 14, "found only $consent")
        val source = java.nio.file.Files.readString(
            repositoryRoot.resolve("tests/kotlin/src/no/lofavor/core/tests/ConsentBindingsTest.kt"),
        )
        for (name in consent) assertTrue("consent.$name(" in source, "ConsentHandle.$name is never called here")
        assertTrue("eraseDevice" in asyncExports(no.lofavor.core.LofavorCoreInterface::class.java))
        assertTrue("core.eraseDevice(" in source)
    }

    @Test
    fun `a partner consent needs the explicit confirmation, and its receipts verify and a changed one does not`(@TempDir dir: Path) {
        LofavorCore(config(dir), KotlinSecureStore(), null).use { core ->
            logInAtReferenceServer(server, core, "kari")
            val consent = core.consent()

            val screen = consent.screen()
            assertTrue(screen.needsAnswer, "a first start asks")
            assertTrue(screen.purposes.isNotEmpty())
            assertTrue(screen.purposes.none { it.switchedOn }, "pre-ticked: ${screen.purposes.filter { it.switchedOn }.map { it.id }}")
            assertTrue(screen.purposes.all { it.state == PurposeState.NOT_ASKED })
            val partners = screen.purposes.filter { it.partnerSharing }
            assertTrue(partners.isNotEmpty(), "no partner rows")
            for (row in partners) {
                val confirmation = row.explicitConfirmation
                assertNotNull(confirmation, "${row.id} has no explicit confirmation")
                confirmation!!
                assertTrue(confirmation.title.isNotBlank() && confirmation.body.isNotBlank())
                assertTrue(row.partnerName!! in confirmation.confirmLabel || row.partnerName!! in confirmation.body, "the dialog names the partner")
            }
            assertTrue(screen.purposes.filter { !it.partnerSharing }.all { it.explicitConfirmation == null })
            assertTrue(screen.firstLayer.acceptAllLabel.isNotBlank() && screen.firstLayer.refuseAllLabel.isNotBlank())
            assertFalse(screen.reservation.reserved)

            val partner = partners.first()
            val before = consent.history().filter { it.madeHere }.map { it.recordId }
            val refused = assertThrows<LofavorException.ExplicitConfirmationRequired> {
                runBlocking { consent.set(partner.id, true, false, "test.consent") }
            }
            assertEquals("explicit_confirmation_required", refused.kind)
            assertEquals(before, consent.history().filter { it.madeHere }.map { it.recordId }, "a refused yes was recorded")
            assertFalse(consent.screen().purposes.first { it.id == partner.id }.switchedOn)

            val given = runBlocking { consent.set(partner.id, true, true, "test.consent") }
            assertEquals("given", given.decision)
            assertEquals(partner.id, given.purpose)
            assertTrue(consent.screen().purposes.first { it.id == partner.id }.switchedOn)
            val withdrawn = runBlocking { consent.set(partner.id, false, false, "test.consent") }
            assertEquals("withdrawn", withdrawn.decision, "no to a yes is a withdrawal")
            val row = consent.screen().purposes.first { it.id == partner.id }
            assertEquals(PurposeState.WITHDRAWN, row.state)
            assertFalse(row.switchedOn)

            val report = runBlocking { consent.sync() }
            assertEquals(0u, report.pending)
            assertEquals(0u, report.rejected)
            // Other tests log the same member in on other "devices" of the same server: sync
            // brings their decisions here too, marked as made elsewhere.
            val history = consent.history().filter { it.madeHere }
            assertEquals(before.size + 2, history.size)
            assertEquals(listOf(withdrawn.recordId, given.recordId), history.take(2).map { it.recordId }, "newest first")
            assertEquals(listOf("withdrawn", "given"), history.take(2).map { it.decision })
            for (entry in history.take(2)) {
                assertEquals("synced", entry.state, entry.recordId)
                assertNotNull(entry.receipt, "no receipt for ${entry.recordId}")
                assertTrue(entry.madeHere)
            }

            runBlocking { consent.refreshCatalogue() }
            val claims = consent.verifyReceipt(history[0].receipt!!)
            assertEquals(partner.id, claims.purpose)
            assertEquals("withdrawn", claims.decision)
            assertEquals(withdrawn.recordId, claims.recordId)
            val givenClaims = consent.verifyReceipt(history[1].receipt!!)
            assertEquals("given", givenClaims.decision)
            assertTrue(givenClaims.explicit, "the receipt of the yes records the explicit confirmation")
            assertEquals(partner.noticeVersion, givenClaims.noticeVersion)
            assertFalse(claims.subject.contains("kari", ignoreCase = true), "the receipt names the member")

            // One byte changed, at the start, the middle and the end: never verified.
            val receipt = history[0].receipt!!
            for (at in listOf(receipt.size / 2, receipt.size - 1, 12)) {
                val altered = receipt.copyOf()
                altered[at] = (altered[at].toInt() xor 0x01).toByte()
                val e = assertThrows<LofavorException.Tampered> { consent.verifyReceipt(altered) }
                assertEquals("tampered", e.kind)
            }
            // The receipts document carries both, in base64url, with the key to check them.
            val receipts = String(consent.exportReceipts())
            assertTrue("lofavor-consent-receipts/1" in receipts, receipts.take(200))
            assertTrue(withdrawn.recordId in receipts && given.recordId in receipts)
        }
    }

    @Test
    fun `accept all needs the explicit confirmation, refuse all withdraws, and analytics and sharing follow the consents`(@TempDir dir: Path) {
        LofavorCore(config(dir), KotlinSecureStore(), null).use { core ->
            logInAtReferenceServer(server, core, "ola")
            val consent = core.consent()
            val purposes = consent.screen().purposes
            val refused = assertThrows<LofavorException.ExplicitConfirmationRequired> {
                runBlocking { consent.acceptAll(false) }
            }
            assertEquals("explicit_confirmation_required", refused.kind)
            assertTrue(consent.history().isEmpty(), "accept all without the confirmation recorded something")
            assertFalse(consent.track("screen.privacy"), "an event was kept without consent")

            val accepted = runBlocking { consent.acceptAll(true) }
            assertEquals(purposes.map { it.id }.toSet(), accepted.map { it.purpose }.toSet())
            assertTrue(accepted.all { it.decision == "given" })
            val after = consent.screen()
            assertFalse(after.needsAnswer, "answered, and still asked")
            assertTrue(after.purposes.all { it.switchedOn && it.state == PurposeState.GIVEN })
            assertTrue(consent.track("screen.privacy"), "analytics consented to, and the event dropped")

            val partnerId = purposes.first { it.partnerSharing }.id.removePrefix("partner_sharing.")
            runBlocking { consent.shareWithPartner(partnerId) }
            val unknown = assertThrows<LofavorException.NotFound> { runBlocking { consent.shareWithPartner("no_such_partner") } }
            assertEquals("not_found", unknown.kind)

            val reserved = runBlocking { consent.setReservation(true) }
            assertEquals("given", reserved.decision)
            assertTrue(consent.screen().reservation.reserved)
            runBlocking { consent.setReservation(false) }
            assertFalse(consent.screen().reservation.reserved)

            val withdrawn = runBlocking { consent.refuseAll() }
            assertEquals(purposes.size, withdrawn.size)
            assertTrue(withdrawn.all { it.decision == "withdrawn" }, withdrawn.map { it.decision }.toString())
            assertTrue(consent.screen().purposes.none { it.switchedOn })
            assertFalse(consent.track("screen.privacy"))
            val noConsent = assertThrows<LofavorException.ConsentRequired> { runBlocking { consent.shareWithPartner(partnerId) } }
            assertEquals("consent_required", noConsent.kind)
        }
    }

    @Test
    fun `partner orders show everything before anything is sent, and a preview is confirmed once`(@TempDir dir: Path) {
        LofavorCore(config(dir), KotlinSecureStore(), null).use { core ->
            logInAtReferenceServer(server, core, "kari")
            val consent = core.consent()
            val offers = runBlocking { consent.offers() }
            assertTrue(offers.isNotEmpty(), "no offers")
            val offer = offers.first()
            val preview = runBlocking { consent.prepareOrder(offer.id) }
            assertEquals(offer.id, preview.offerId)
            assertTrue(preview.fields.isNotEmpty() && preview.fields.all { it.label.isNotBlank() })
            assertTrue(preview.nothingSentYet.isNotBlank() && preview.confirmLabel.isNotBlank())
            assertTrue(preview.expiresAt > System.currentTimeMillis() / 1000)
            val sent = runBlocking { consent.confirmOrder(preview.id) }
            assertEquals(offer.partner, sent.partner)
            assertEquals("sent", sent.status)
            assertEquals(sent.orderId, runBlocking { consent.confirmOrder(preview.id) }.orderId, "a retry is a second order")
            assertThrows<LofavorException.NotFound> { runBlocking { consent.prepareOrder("no_such_offer") } }
            assertThrows<LofavorException.NotFound> { runBlocking { consent.confirmOrder("no_such_preview") } }
        }
    }

    @Test
    fun `rights requests carry their deadline, access and export hold the decisions, and erasure empties the device`(@TempDir dir: Path) {
        LofavorCore(config(dir), KotlinSecureStore(), null).use { core ->
            logInAtReferenceServer(server, core, "kari")
            val consent = core.consent()
            val given = runBlocking { consent.set(consent.screen().purposes.first { !it.partnerSharing }.id, true, false, "test.privacy") }

            val request = runBlocking { consent.request("rectification", "Adressen min er feil.") }
            assertEquals("rectification", request.kind)
            assertTrue(request.kindLabel.isNotBlank() && request.statusLabel.isNotBlank())
            val due = request.dueAt
            val received = request.receivedAt
            assertTrue(due != null && received != null, "a request LOfavør received has no deadline")
            due!!
            received!!
            assertTrue(due - received in 28L * 86_400..31L * 86_400, "one month to answer: ${due - received} s")
            assertNotNull(request.dueLabel)
            val listed = runBlocking { consent.requests() }
            assertEquals(request.id, listed.first().id)
            assertEquals(request.dueAt, listed.first().dueAt)
            val bad = assertThrows<LofavorException.InvalidInput> { runBlocking { consent.request("no_such_right", null) } }
            assertEquals("invalid_input", bad.kind)

            val access = runBlocking { consent.access() }
            assertTrue(access.serverReached)
            assertTrue(access.device.isNotEmpty() && access.processing.isNotEmpty())
            assertTrue(access.device.flatMap { it.entries }.any { it.value == given.recordId }, "the decision is not in the access report")
            val export = String(runBlocking { consent.export() })
            assertTrue("lofavor-export/1" in export, export.take(200))
            assertTrue(given.recordId in export)

            runBlocking { core.eraseDevice() }
            assertNull(core.auth().member(), "still logged in after erasure")
            assertTrue(consent.history().isEmpty(), "decisions left on the device")
            assertTrue(consent.screen().needsAnswer)
            assertThrows<LofavorException.NotLoggedIn> { runBlocking { consent.set(given.purpose, true, false, "test.privacy") } }
        }
    }
}
