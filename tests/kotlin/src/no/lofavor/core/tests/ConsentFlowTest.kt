package no.lofavor.core.tests

import no.lofavor.app.model.ConsentAction
import no.lofavor.app.model.ConsentChange
import no.lofavor.app.model.ConsentFlow
import no.lofavor.app.model.ConsentLayer
import no.lofavor.app.model.ExplicitAsk
import no.lofavor.app.model.Route
import no.lofavor.app.model.backFrom
import no.lofavor.app.model.consentScreenDue
import no.lofavor.core.ConsentScreen
import no.lofavor.core.LofavorCore
import no.lofavor.core.PurposeState
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import java.nio.file.Files

/**
 * The consent screens' platform-free state (android/app/.../model/ConsentFlow.kt), on the
 * screen model the real core builds from its bundled catalogue: what shows, which taps need
 * the explicit confirmation, and exactly which decisions are sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentFlowTest {
    private lateinit var fresh: ConsentScreen

    @BeforeAll
    fun readScreen() {
        val dir = Files.createTempDirectory("consent-flow")
        try {
            fresh = LofavorCore(testConfig(dir), KotlinSecureStore(), null).use { it.consent().screen() }
        } finally {
            dir.toFile().deleteRecursively()
        }
        assertTrue(fresh.needsAnswer && fresh.purposes.size >= 3, "the bundled catalogue changed: ${fresh.purposes.map { it.id }}")
    }

    private val partner get() = fresh.purposes.first { it.explicitConfirmation != null }.id
    private val plain get() = fresh.purposes.first { it.explicitConfirmation == null }.id

    /** [fresh] with every purpose answered: [given] on (partners with their explicit yes), the rest refused. */
    private fun answered(vararg given: String): ConsentScreen = fresh.copy(
        needsAnswer = false,
        purposes = fresh.purposes.map {
            val yes = it.id in given
            it.copy(state = if (yes) PurposeState.GIVEN else PurposeState.REFUSED, switchedOn = yes)
        },
    )

    @Test
    fun `a first start shows the first layer with nothing on, and an answered one shows nothing`() {
        val flow = ConsentFlow.firstRun(fresh)
        assertEquals(ConsentLayer.FIRST, flow.layer)
        assertTrue(flow.on.isEmpty(), "pre-ticked: ${flow.on}")
        assertNull(flow.asking)
        assertEquals(ConsentLayer.DONE, ConsentFlow.firstRun(answered(plain)).layer)
        assertEquals(setOf(plain), ConsentFlow.settings(answered(plain)).on)
        assertEquals(ConsentLayer.SECOND, ConsentFlow.settings(answered()).layer)
    }

    @Test
    fun `accept all with partner purposes asks for every partner's confirmation and records nothing until yes`() {
        val partners = fresh.purposes.filter { it.explicitConfirmation != null }
        assertTrue(partners.size >= 2)
        val (asking, none) = ConsentFlow.firstRun(fresh).acceptAll()
        assertEquals(ConsentAction.None, none)
        val ask = asking.asking as ExplicitAsk.All
        assertEquals(partners.map { it.explicitConfirmation }, ask.confirmations)
        // cancelled: nothing to send, still on the first layer
        val cancelled = asking.cancel()
        assertNull(cancelled.asking)
        assertEquals(ConsentLayer.FIRST, cancelled.layer)
        assertTrue(cancelled.on.isEmpty())
        // confirmed: accept all, explicitly
        assertEquals(ConsentAction.AcceptAll(explicit = true), asking.confirm().second)
        // a catalogue without partner purposes accepts all at once, without the explicit flag
        val noPartners = fresh.copy(purposes = fresh.purposes.filter { it.explicitConfirmation == null })
        assertEquals(ConsentAction.AcceptAll(explicit = false), ConsentFlow.firstRun(noPartners).acceptAll().second)
        assertEquals(ConsentAction.RefuseAll, ConsentFlow.firstRun(fresh).refuseAll().second)
    }

    @Test
    fun `a partner switch turns on only after its confirmation, and a cancel leaves it off`() {
        val second = ConsentFlow.firstRun(fresh).choose()
        assertEquals(ConsentLayer.SECOND, second.layer)
        val asking = second.toggle(partner, true)
        assertFalse(asking.isOn(partner), "on before the confirmation")
        val ask = asking.asking as ExplicitAsk.One
        assertEquals(partner, ask.purpose)
        assertEquals(fresh.purposes.first { it.id == partner }.explicitConfirmation, ask.confirmation)
        assertFalse(asking.cancel().isOn(partner))
        assertTrue(partner !in asking.cancel().changes().filter { it.given }.map { it.purpose })

        val (confirmed, action) = asking.confirm()
        assertEquals(ConsentAction.None, action, "confirming one switch records nothing before save")
        assertTrue(confirmed.isOn(partner))
        // an ordinary purpose needs no confirmation
        val plainOn = second.toggle(plain, true)
        assertNull(plainOn.asking)
        assertTrue(plainOn.isOn(plain))
        // off forgets the confirmation: on again asks again
        val offAgain = confirmed.toggle(partner, false)
        assertFalse(offAgain.isOn(partner))
        assertTrue(offAgain.toggle(partner, true).asking is ExplicitAsk.One)
    }

    @Test
    fun `saving on the first run answers every purpose, explicit only for the partner confirmed`() {
        val flow = ConsentFlow.firstRun(fresh).choose()
            .toggle(plain, true)
            .toggle(partner, true).confirm().first
        val changes = flow.changes()
        assertEquals(fresh.purposes.map { it.id }, changes.map { it.purpose }, "every unanswered purpose is answered")
        assertEquals(ConsentChange(plain, given = true, explicit = false), changes.first { it.purpose == plain })
        assertEquals(ConsentChange(partner, given = true, explicit = true), changes.first { it.purpose == partner })
        assertTrue(changes.filter { it.purpose != plain && it.purpose != partner }.none { it.given || it.explicit })
        assertEquals(ConsentAction.Save(changes), flow.save().second)
    }

    @Test
    fun `on the privacy screen only the switches changed are sent, and a withdrawal is a no`() {
        val screen = answered(partner, plain)
        val flow = ConsentFlow.settings(screen)
        assertFalse(flow.hasChanges)
        // already given explicitly: off and on again needs no second confirmation and sends nothing
        assertNull(flow.toggle(partner, false).toggle(partner, true).asking)
        assertFalse(flow.toggle(partner, false).toggle(partner, true).hasChanges)
        val withdrawn = flow.toggle(partner, false)
        assertEquals(listOf(ConsentChange(partner, given = false, explicit = false)), withdrawn.changes())
        // saved: the core's new screen; the privacy screen stays open with the saved switches
        val after = withdrawn.saved(answered(plain))
        assertEquals(setOf(plain), after.on)
        assertFalse(after.hasChanges)
        assertEquals(ConsentLayer.DONE, after.layer)
        // a first-run flow whose answers are saved is done
        val firstRun = ConsentFlow.firstRun(fresh).choose()
        assertEquals(ConsentLayer.DONE, firstRun.saved(answered()).layer)
        assertEquals(ConsentLayer.SECOND, firstRun.saved(fresh).layer, "still asked: stays open")
    }

    @Test
    fun `back from the second layer returns to the first and forgets the unsaved switches`() {
        val second = ConsentFlow.firstRun(fresh).choose().toggle(plain, true)
        val back = second.back()!!
        assertEquals(ConsentLayer.FIRST, back.layer)
        assertTrue(back.on.isEmpty())
        assertNull(ConsentFlow.firstRun(fresh).back(), "back from the first layer leaves the screen")
        assertNull(ConsentFlow.settings(fresh).back())
        // an open dialog closes first
        assertEquals(ConsentLayer.SECOND, second.toggle(partner, true).back()!!.layer)
        assertEquals(Route.HOME, backFrom(Route.CONSENT))
        assertEquals(Route.HOME, backFrom(Route.PRIVACY))
    }

    @Test
    fun `a restored flow cannot switch a partner on without its confirmation`() {
        val ids = fresh.purposes.map { it.id }
        val restored = ConsentFlow.restore(
            fresh, firstRun = true, layerName = "SECOND", on = ids + "no_such_purpose",
            confirmed = listOf(plain), askingPurpose = null, askingAll = false,
        )
        assertEquals(ConsentLayer.SECOND, restored.layer)
        assertTrue(fresh.purposes.filter { it.explicitConfirmation != null }.none { restored.isOn(it.id) }, "${restored.on}")
        assertTrue(restored.isOn(plain))
        assertFalse("no_such_purpose" in restored.on)
        assertTrue(restored.confirmed.isEmpty(), "a confirmation kept for a purpose that needs none")
        assertTrue(restored.changes().none { it.explicit })
        // the confirmation being asked is asked again
        val asking = ConsentFlow.restore(fresh, true, "SECOND", emptyList(), emptyList(), partner, false)
        assertEquals(partner, (asking.asking as ExplicitAsk.One).purpose)
        val askingAll = ConsentFlow.restore(fresh, true, "FIRST", null, null, null, true)
        assertTrue(askingAll.asking is ExplicitAsk.All)
        // answered meanwhile (another device): done
        assertEquals(ConsentLayer.DONE, ConsentFlow.restore(answered(), true, "SECOND", ids, ids, null, false).layer)
        // a flow saved as done starts over when the core asks again (a new member, a new text)
        assertEquals(ConsentLayer.FIRST, ConsentFlow.restore(fresh, true, "DONE", ids, ids, null, false).layer)
        // an unknown saved layer starts over
        assertEquals(ConsentLayer.FIRST, ConsentFlow.restore(fresh, true, "THIRD", ids, ids, null, false).layer)
    }

    @Test
    fun `the consent screen opens after login only from home and only while the core asks`() {
        assertTrue(consentScreenDue(loggedIn = true, needsAnswer = true, route = Route.HOME))
        assertFalse(consentScreenDue(loggedIn = false, needsAnswer = true, route = Route.HOME))
        assertFalse(consentScreenDue(loggedIn = true, needsAnswer = false, route = Route.HOME))
        for (route in Route.entries - Route.HOME) assertFalse(consentScreenDue(true, true, route), "$route")
    }
}
