package no.lofavor.app.model

import no.lofavor.core.ConsentScreen
import no.lofavor.core.ExplicitConfirmation
import no.lofavor.core.PurposeRow
import no.lofavor.core.PurposeState

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** Which part of the consent screens shows. */
enum class ConsentLayer {
    /** The summary with "accept all", "refuse all" (equal weight) and "let me choose". */
    FIRST,

    /** One switch per purpose and partner, nothing pre-ticked, and the save button. */
    SECOND,

    /** Answered: the screen closes (first run) or shows the saved state (privacy screen). */
    DONE,
}

/** The explicit confirmation the member is being asked for, before anything is recorded. */
sealed interface ExplicitAsk {
    /** The switch of one partner purpose was turned on. */
    data class One(val purpose: String, val confirmation: ExplicitConfirmation) : ExplicitAsk

    /**
     * "Accept all" while partner purposes exist: each partner's confirmation, in the screen's
     * order. Without a yes here nothing at all is recorded (the core refuses "accept all"
     * without it, and would record nothing either).
     */
    data class All(val confirmations: List<ExplicitConfirmation>) : ExplicitAsk
}

/** One decision to hand to the core's `set`. */
data class ConsentChange(val purpose: String, val given: Boolean, val explicit: Boolean)

/** What a tap leads to: the core call to make, if any. */
sealed interface ConsentAction {
    /** Nothing to call the core for (a dialog opens, a layer changes). */
    data object None : ConsentAction

    /** `acceptAll(explicit)`. */
    data class AcceptAll(val explicit: Boolean) : ConsentAction

    /** `refuseAll()`. */
    data object RefuseAll : ConsentAction

    /** One `set` per change, in order. */
    data class Save(val changes: List<ConsentChange>) : ConsentAction
}

/**
 * The consent screens as a value: which layer shows, the switches as the member has set them
 * but not saved, which partner purposes the member confirmed explicitly in this flow, and the
 * explicit confirmation being asked. Every text comes from the core's [screen]; this decides
 * only what shows and what is sent.
 *
 * The rules it keeps, whatever order the taps come in:
 * - nothing is on unless the core says the member said yes ([PurposeRow.switchedOn]) or the
 *   member turned it on here;
 * - a partner purpose is turned on only after its explicit confirmation was accepted; a
 *   cancelled confirmation leaves it off;
 * - "accept all" with partner purposes asks for their confirmation first, and records
 *   nothing when it is cancelled;
 * - saving answers every purpose the core still asks about (never asked, or changed in a
 *   major way), so the first layer does not come back for a purpose the member saw and left
 *   off, and sends `explicit` only for a partner purpose confirmed here.
 *
 * Immutable: each step returns the next state, which the ViewModel keeps in its saved state
 * by [layer], [on], [confirmed] and the purpose [asking] (see [restore]).
 */
data class ConsentFlow(
    /** The core's model of the screens. */
    val screen: ConsentScreen,
    /** The layer showing. */
    val layer: ConsentLayer,
    /** The purposes whose switch shows on. */
    val on: Set<String>,
    /** The partner purposes the member confirmed explicitly in this flow. */
    val confirmed: Set<String>,
    /** The confirmation being asked, or null. */
    val asking: ExplicitAsk? = null,
    /** Whether the flow began on the first layer (back from the second returns there). */
    val startedOnFirst: Boolean = true,
) {
    /** The row of [purpose], or null if the catalogue has none. */
    fun row(purpose: String): PurposeRow? = screen.purposes.firstOrNull { it.id == purpose }

    /** The rows on the second layer, in the core's order. */
    val rows: List<PurposeRow> get() = screen.purposes

    /** The partner purposes that need an explicit confirmation to be turned on. */
    val explicitPurposes: List<PurposeRow> get() = screen.purposes.filter { it.explicitConfirmation != null }

    /** Whether [purpose]'s switch shows on. */
    fun isOn(purpose: String): Boolean = purpose in on

    /** "Let me choose": the second layer, with the switches as the core has them. */
    fun choose(): ConsentFlow = copy(layer = ConsentLayer.SECOND, asking = null)

    /** Back from the second layer to the first, if the flow began there; null when back leaves. */
    fun back(): ConsentFlow? = when {
        asking != null -> copy(asking = null)
        layer == ConsentLayer.SECOND && startedOnFirst -> copy(layer = ConsentLayer.FIRST, on = savedOn(screen), confirmed = emptySet())
        else -> null
    }

    /**
     * The member turned [purpose]'s switch to [wanted]. Turning a partner purpose on asks for
     * its explicit confirmation first and changes no switch; turning anything off takes
     * effect at once (and forgets a confirmation given earlier in this flow).
     */
    fun toggle(purpose: String, wanted: Boolean): ConsentFlow {
        val row = row(purpose) ?: return this
        if (!wanted) return copy(on = on - purpose, confirmed = confirmed - purpose, asking = null)
        val confirmation = row.explicitConfirmation
        return when {
            purpose in on -> this
            // Already given on an explicit confirmation the core holds: no second ask.
            confirmation != null && !row.switchedOn -> copy(asking = ExplicitAsk.One(purpose, confirmation))
            else -> copy(on = on + purpose, asking = null)
        }
    }

    /** The member accepted the confirmation being asked. */
    fun confirm(): Pair<ConsentFlow, ConsentAction> = when (val ask = asking) {
        null -> this to ConsentAction.None
        is ExplicitAsk.One -> copy(on = on + ask.purpose, confirmed = confirmed + ask.purpose, asking = null) to ConsentAction.None
        is ExplicitAsk.All -> copy(asking = null) to ConsentAction.AcceptAll(explicit = true)
    }

    /** The member cancelled the confirmation being asked: nothing changes, the switch stays off. */
    fun cancel(): ConsentFlow = copy(asking = null)

    /**
     * "Accept all" on the first layer: at once when no purpose needs an explicit
     * confirmation, else only after the member confirmed every partner's ([ExplicitAsk.All]).
     */
    fun acceptAll(): Pair<ConsentFlow, ConsentAction> {
        val confirmations = explicitPurposes.mapNotNull { it.explicitConfirmation }
        return if (confirmations.isEmpty()) this to ConsentAction.AcceptAll(explicit = false)
        else copy(asking = ExplicitAsk.All(confirmations)) to ConsentAction.None
    }

    /** "Refuse all" on the first layer: one tap, like "accept all". */
    fun refuseAll(): Pair<ConsentFlow, ConsentAction> = copy(asking = null) to ConsentAction.RefuseAll

    /**
     * The decisions "save" records: every purpose whose switch differs from what the core
     * holds, and every purpose the core still asks about (answered as its switch shows).
     */
    fun changes(): List<ConsentChange> = screen.purposes.mapNotNull { row ->
        val wanted = row.id in on
        val unanswered = row.state == PurposeState.NOT_ASKED || row.state == PurposeState.NEEDS_ANSWER
        if (wanted == row.switchedOn && !unanswered) return@mapNotNull null
        val explicit = wanted && row.explicitConfirmation != null && row.id in confirmed
        // A partner purpose turned on without a confirmation here cannot be: toggle() asks
        // first. Should a restored state say so anyway, it is left out rather than sent.
        if (wanted && row.explicitConfirmation != null && !explicit && !row.switchedOn) return@mapNotNull null
        ConsentChange(row.id, wanted, explicit)
    }

    /** "Save" on the second layer. */
    fun save(): Pair<ConsentFlow, ConsentAction> = copy(asking = null) to ConsentAction.Save(changes())

    /** Whether "save" would record anything. */
    val hasChanges: Boolean get() = changes().isNotEmpty()

    /**
     * The flow after the core recorded the decisions and returned its new [screen]: done
     * when nothing is left to answer, else where it was, with the switches as the core has
     * them.
     */
    fun saved(screen: ConsentScreen): ConsentFlow = ConsentFlow(
        screen = screen,
        layer = if (screen.needsAnswer && startedOnFirst) layer else ConsentLayer.DONE,
        on = savedOn(screen),
        confirmed = emptySet(),
        asking = null,
        startedOnFirst = startedOnFirst,
    )

    companion object {
        /** The purposes the core shows switched on. */
        fun savedOn(screen: ConsentScreen): Set<String> = screen.purposes.filter { it.switchedOn }.map { it.id }.toSet()

        /**
         * The first-run flow: the first layer when the core asks for an answer, else done.
         */
        fun firstRun(screen: ConsentScreen): ConsentFlow = ConsentFlow(
            screen = screen,
            layer = if (screen.needsAnswer) ConsentLayer.FIRST else ConsentLayer.DONE,
            on = savedOn(screen),
            confirmed = emptySet(),
            startedOnFirst = true,
        )

        /** The privacy screen's flow: the switches straight away, saved with the core's save button. */
        fun settings(screen: ConsentScreen): ConsentFlow = ConsentFlow(
            screen = screen,
            layer = ConsentLayer.SECOND,
            on = savedOn(screen),
            confirmed = emptySet(),
            startedOnFirst = false,
        )

        /**
         * The flow as it was saved (rotation, process death), against the core's [screen] as
         * it is now: purposes the catalogue no longer has are dropped, a confirmation is kept
         * only for a partner purpose, and a partner purpose shows on only if the core holds its
         * yes or it was confirmed here. A first-run flow the member has answered meanwhile
         * (on another device) is done.
         */
        fun restore(
            screen: ConsentScreen,
            firstRun: Boolean,
            layerName: String?,
            on: Collection<String>?,
            confirmed: Collection<String>?,
            askingPurpose: String?,
            askingAll: Boolean,
        ): ConsentFlow {
            val start = if (firstRun) firstRun(screen) else settings(screen)
            val layer = ConsentLayer.entries.firstOrNull { it.name == layerName } ?: return start
            if (start.layer == ConsentLayer.DONE || layer == ConsentLayer.DONE) return start
            if (!firstRun && layer != ConsentLayer.SECOND) return start
            val ids = screen.purposes.map { it.id }.toSet()
            val partner = screen.purposes.filter { it.explicitConfirmation != null }.map { it.id }.toSet()
            val keptConfirmed = (confirmed ?: emptyList()).filter { it in partner }.toSet()
            val keptOn = (on ?: emptyList()).filter { id ->
                id in ids && (id !in partner || id in keptConfirmed || start.row(id)?.switchedOn == true)
            }.toSet()
            val flow = start.copy(layer = layer, on = keptOn, confirmed = keptConfirmed)
            return when {
                askingAll && layer == ConsentLayer.FIRST -> flow.acceptAll().first
                askingPurpose != null -> flow.toggle(askingPurpose, true)
                else -> flow
            }
        }
    }
}

/** The screen a decision is recorded from, kept in the consent record. */
object ConsentScreens {
    /** The second layer of the first-run consent screen. */
    const val FIRST_RUN = "android.consent.second_layer"

    /** The consents on the privacy screen. */
    const val PRIVACY = "android.privacy.consents"
}

/**
 * Whether the consent screen must open now: a member is logged in, the core asks for an
 * answer, and the app is on its home screen (not in the middle of the certificate or the
 * scanner, and not on the recovery screen).
 */
fun consentScreenDue(loggedIn: Boolean, needsAnswer: Boolean, route: Route): Boolean =
    loggedIn && needsAnswer && route == Route.HOME
