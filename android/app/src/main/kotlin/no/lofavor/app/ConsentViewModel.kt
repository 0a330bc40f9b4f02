package no.lofavor.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.SavedStateHandle
import androidx.lifecycle.viewModelScope
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.app.model.ConsentAction
import no.lofavor.app.model.ConsentFlow
import no.lofavor.app.model.ConsentScreens
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.ExplicitAsk
import no.lofavor.app.model.errorText
import no.lofavor.core.ConsentScreen
import no.lofavor.core.LofavorCore

/** What the consent part of a screen shows. */
sealed interface ConsentUi {
    /** Reading the core's screen model. */
    data object Loading : ConsentUi

    /** The flow to draw. */
    data class Shown(val flow: ConsentFlow) : ConsentUi

    /** The screen model could not be read. */
    data class Failed(val text: ErrorText) : ConsentUi
}

/**
 * The consent screens' state, kept across rotation and process death: the [ConsentFlow]
 * (layer, unsaved switches, confirmations given, the dialog open) in the [SavedStateHandle],
 * the core's screen model read again when the process comes back. Used by the first-run
 * consent screen and, under its own key, by the privacy screen's consents.
 *
 * Nothing is recorded before the member taps "accept all", "refuse all" or "save"; a partner
 * purpose is sent with `explicit = true` only after its dialog was confirmed (the flow's rule,
 * tested on the JVM). Core calls run on the core's runtime; the screen model, which reads the
 * database, is read off the main thread.
 */
class ConsentViewModel(application: Application, private val saved: SavedStateHandle) : AndroidViewModel(application) {
    private val app = application as LofavorApp

    private val _ui = MutableStateFlow<ConsentUi>(ConsentUi.Loading)

    /** What the consent part shows. */
    val ui: StateFlow<ConsentUi> = _ui.asStateFlow()

    private val _busy = MutableStateFlow(false)

    /** True while decisions are being recorded: the buttons are off. */
    val busy: StateFlow<Boolean> = _busy.asStateFlow()

    private val _problem = MutableStateFlow<ErrorText?>(null)

    /** Why the last action failed, or null. */
    val problem: StateFlow<ErrorText?> = _problem.asStateFlow()

    private var started = false
    private var loading = false

    /**
     * Reads the screen model and restores the flow from the saved state: the first-run flow
     * ([firstRun]) or the privacy screen's switches. Each time the screen is shown (after
     * rotation, process death, or coming back to it), so decisions made elsewhere show while
     * switches the member set and has not saved stay as set.
     */
    fun start(firstRun: Boolean) {
        if (loading) return
        loading = true
        val first = !started
        started = true
        saved[KEY_FIRST_RUN] = firstRun
        viewModelScope.launch {
            try {
                val screen = readScreen(refresh = firstRun && first)
                keep(
                    ConsentFlow.restore(
                        screen,
                        firstRun = firstRun,
                        layerName = saved[KEY_LAYER],
                        on = saved.get<ArrayList<String>>(KEY_ON),
                        confirmed = saved.get<ArrayList<String>>(KEY_CONFIRMED),
                        askingPurpose = saved[KEY_ASKING],
                        askingAll = saved[KEY_ASKING_ALL] ?: false,
                    ),
                )
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                _ui.value = ConsentUi.Failed(errorText(e))
            } finally {
                loading = false
            }
        }
    }

    /**
     * Forgets the flow when the screen closes: the first-run screen lives in the activity's
     * scope, and the next member to log in starts from the core's screen model, not from this
     * one's answers.
     */
    fun reset() {
        started = false
        _ui.value = ConsentUi.Loading
        _problem.value = null
        for (key in listOf(KEY_LAYER, KEY_ON, KEY_CONFIRMED, KEY_ASKING, KEY_ASKING_ALL)) saved.remove<Any>(key)
    }

    /** Reads the screen model again (after a failure, or when the privacy screen reopens). */
    fun reload() {
        viewModelScope.launch {
            val current = (_ui.value as? ConsentUi.Shown)?.flow
            _ui.value = try {
                val screen = readScreen(refresh = false)
                ConsentUi.Shown((current?.saved(screen) ?: fresh(screen)).also(::keep))
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                ConsentUi.Failed(errorText(e))
            }
        }
    }

    private fun fresh(screen: ConsentScreen): ConsentFlow =
        if (saved.get<Boolean>(KEY_FIRST_RUN) == true) ConsentFlow.firstRun(screen) else ConsentFlow.settings(screen)

    private suspend fun core(): LofavorCore = app.core.await()

    /**
     * The core's screen model; on the first run the signed catalogue is fetched first, so a
     * text changed since the app was built is the one shown (offline the bundled or last one).
     */
    private suspend fun readScreen(refresh: Boolean): ConsentScreen {
        val consent = core().consent()
        if (refresh) {
            try {
                consent.refreshCatalogue()
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                // Offline, or a catalogue refused as tampered: the current one stays in force.
            }
        }
        return withContext(Dispatchers.IO) { consent.screen() }
    }

    /** Keeps [flow] in the saved state and on screen. */
    private fun keep(flow: ConsentFlow) {
        saved[KEY_LAYER] = flow.layer.name
        saved[KEY_ON] = ArrayList(flow.on)
        saved[KEY_CONFIRMED] = ArrayList(flow.confirmed)
        saved[KEY_ASKING] = (flow.asking as? ExplicitAsk.One)?.purpose
        saved[KEY_ASKING_ALL] = flow.asking is ExplicitAsk.All
        _ui.value = ConsentUi.Shown(flow)
    }

    private fun update(step: (ConsentFlow) -> ConsentFlow) {
        val flow = (_ui.value as? ConsentUi.Shown)?.flow ?: return
        if (_busy.value) return
        keep(step(flow))
    }

    private fun act(step: (ConsentFlow) -> Pair<ConsentFlow, ConsentAction>) {
        val flow = (_ui.value as? ConsentUi.Shown)?.flow ?: return
        if (_busy.value) return
        val (next, action) = step(flow)
        keep(next)
        if (action != ConsentAction.None) perform(next, action)
    }

    /** "Let me choose". */
    fun choose() = update { it.choose() }

    /** Back within the flow; false when back should leave the screen. */
    fun back(): Boolean {
        val flow = (_ui.value as? ConsentUi.Shown)?.flow ?: return false
        val previous = flow.back() ?: return false
        keep(previous)
        return true
    }

    /** A switch was turned. */
    fun toggle(purpose: String, on: Boolean) = update { it.toggle(purpose, on) }

    /** The explicit confirmation was accepted. */
    fun confirm() = act { it.confirm() }

    /** The explicit confirmation was cancelled: nothing changes. */
    fun cancel() = update { it.cancel() }

    /** "Accept all". */
    fun acceptAll() = act { it.acceptAll() }

    /** "Refuse all". */
    fun refuseAll() = act { it.refuseAll() }

    /** "Save". */
    fun save() = act { it.save() }

    /** Records [action] in the core, then shows what the core holds now. */
    private fun perform(flow: ConsentFlow, action: ConsentAction) {
        _busy.value = true
        _problem.value = null
        val from = if (flow.startedOnFirst) ConsentScreens.FIRST_RUN else ConsentScreens.PRIVACY
        viewModelScope.launch {
            try {
                val consent = core().consent()
                when (action) {
                    is ConsentAction.AcceptAll -> consent.acceptAll(action.explicit)
                    ConsentAction.RefuseAll -> consent.refuseAll()
                    is ConsentAction.Save -> for (change in action.changes) {
                        consent.set(change.purpose, change.given, change.explicit, from)
                    }
                    ConsentAction.None -> Unit
                }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                _problem.value = errorText(e)
            }
            // What the core holds now, also after a failure part-way (some decisions may be
            // recorded): the switches the member set and has not saved stay as set.
            try {
                val screen = withContext(Dispatchers.IO) { core().consent().screen() }
                keep(
                    if (_problem.value == null) flow.saved(screen)
                    else ConsentFlow.restore(
                        screen, flow.startedOnFirst, flow.layer.name, flow.on, flow.confirmed, null, false,
                    ),
                )
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                _problem.value = errorText(e)
            }
            _busy.value = false
        }
    }

    private companion object {
        const val KEY_FIRST_RUN = "consent.first_run"
        const val KEY_LAYER = "consent.layer"
        const val KEY_ON = "consent.on"
        const val KEY_CONFIRMED = "consent.confirmed"
        const val KEY_ASKING = "consent.asking"
        const val KEY_ASKING_ALL = "consent.asking_all"
    }
}
