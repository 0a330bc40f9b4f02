package no.lofavor.app

import android.content.ActivityNotFoundException
import android.content.Context
import android.net.Uri
import androidx.browser.customtabs.CustomTabsIntent
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import no.lofavor.app.model.ConsumedRedirects
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.LoginAttempt
import no.lofavor.app.model.LoginPhase
import no.lofavor.app.model.admitRedirect
import no.lofavor.app.model.errorText
import no.lofavor.core.LofavorCore
import no.lofavor.core.SessionEvent
import no.lofavor.core.SessionListener
import no.lofavor.core.SessionSubscription
import no.lofavor.core.android.CoreSettings
import no.lofavor.core.android.SessionState
import no.lofavor.core.android.loginWasCancelled
import no.lofavor.core.android.logoutNeedsConfirmation
import no.lofavor.core.android.toSessionState

/**
 * Login and logout for the app: the core does the protocol; this opens the URL it returns
 * in a Custom Tab (the system browser, RFC 8252, never a WebView), hands the redirect back,
 * and turns the core's session events into [state] for the screens.
 *
 * It is robust against what Android does to a login: a second tap while one is under way is
 * ignored ([LoginAttempt]); a phone without a browser gets a message, not a crash; a redirect
 * re-delivered after process death or from Recents is never handed over twice
 * ([ConsumedRedirects], saved by [RedirectLedger]). The core keeps the pending login in its
 * encrypted store, so a redirect that starts a fresh process still completes.
 */
class LoginController(
    private val currentCore: () -> Deferred<LofavorCore>,
    private val scope: CoroutineScope,
    private val ledger: RedirectLedger,
) {
    private val _state = MutableStateFlow<SessionState>(SessionState.Unknown)

    /** The session as the core last reported it. */
    val state: StateFlow<SessionState> = _state.asStateFlow()

    private val _problem = MutableStateFlow<ErrorText?>(null)

    /** The message for the last failure to show, or null. */
    val problem: StateFlow<ErrorText?> = _problem.asStateFlow()

    private val _confirmForcedLogout = MutableStateFlow(false)

    /** True while logout waits for the member to accept losing unsynced changes. */
    val confirmForcedLogout: StateFlow<Boolean> = _confirmForcedLogout.asStateFlow()

    private val attempt = LoginAttempt()
    private val _phase = MutableStateFlow(LoginPhase.IDLE)

    /** Where a login stands; the login button is off unless [LoginPhase.IDLE]. */
    val phase: StateFlow<LoginPhase> = _phase.asStateFlow()

    private val consumed: ConsumedRedirects by lazy { ledger.load() }

    // Kept for the process lifetime: dropping it would stop the events.
    private var subscription: SessionSubscription? = null

    /** Starts listening to the core's session events (again, after the core was reopened). */
    fun start() {
        scope.launch {
            runCatching { currentCore().await() }.onSuccess { core ->
                subscription?.close()
                // Called on a core thread; a StateFlow may be set from any thread.
                subscription = core.auth().subscribeSession(object : SessionListener {
                    override fun onSessionEvent(event: SessionEvent) {
                        _state.value = event.toSessionState()
                    }
                })
            }
        }
    }

    private fun publishPhase() {
        _phase.value = attempt.phase
    }

    /**
     * Starts a login: asks the core for the issuer's URL and opens it in a Custom Tab from
     * [context] (an activity). A tap while a login is under way does nothing.
     */
    suspend fun logIn(context: Context) {
        if (!attempt.tryStart()) return
        publishPhase()
        _problem.value = null
        val url = runCatching { currentCore().await().auth().beginLogin() }.getOrElse {
            attempt.finished()
            publishPhase()
            // The screen went away meanwhile: no message, and the button works again.
            if (it is CancellationException) throw it
            _problem.value = errorText(it)
            return
        }
        try {
            CustomTabsIntent.Builder().build().launchUrl(context, Uri.parse(url))
            attempt.browserOpened()
        } catch (e: ActivityNotFoundException) {
            // No browser installed or enabled: Custom Tabs falls back to a plain VIEW intent,
            // which nothing handles.
            attempt.finished()
            _problem.value = ErrorText.NO_BROWSER
        }
        publishPhase()
    }

    /** The app is in front again; without a redirect, the member left the browser. */
    fun onResumed() {
        attempt.returnedWithoutRedirect()
        publishPhase()
    }

    /**
     * Takes an intent that may be the login redirect: handed to the core only if it is a VIEW
     * of the redirect URI, not relaunched from Recents ([launchedFromHistory]) and not handed
     * over before (this process or an earlier one). Returns whether it was taken.
     */
    fun receive(action: String?, data: String?, launchedFromHistory: Boolean): Boolean {
        val admitted = admitRedirect(
            action, data, launchedFromHistory, consumed, CoreSettings.REDIRECT_SCHEME, CoreSettings.REDIRECT_PATH,
        )
        // Saved before the core sees it, and also when refused from Recents (remembered).
        ledger.save(consumed)
        if (!admitted || data == null) return false
        attempt.completing()
        publishPhase()
        scope.launch {
            runCatching { currentCore().await().auth().completeLogin(data) }
                .onSuccess { _problem.value = null }
                .onFailure { if (!loginWasCancelled(it)) _problem.value = errorText(it) }
            attempt.finished()
            publishPhase()
        }
        return true
    }

    /**
     * Logs out; with unsynced changes, asks first ([confirmForcedLogout]) and logs out only
     * when called again with [force]. Opens the issuer's end-session page, if any.
     */
    suspend fun logOut(context: Context, force: Boolean = false) {
        runCatching { currentCore().await().auth().logout(force) }
            .onSuccess { outcome ->
                _confirmForcedLogout.value = false
                outcome.endSessionUrl?.let {
                    try {
                        CustomTabsIntent.Builder().build().launchUrl(context, Uri.parse(it))
                    } catch (e: ActivityNotFoundException) {
                        // Logged out on this phone; the issuer's page is a courtesy.
                    }
                }
            }
            .onFailure {
                when {
                    it is CancellationException -> throw it
                    logoutNeedsConfirmation(it) -> _confirmForcedLogout.value = true
                    else -> _problem.value = errorText(it)
                }
            }
    }

    /** The member declined to lose unsynced changes. */
    fun keepSession() {
        _confirmForcedLogout.value = false
    }
}
