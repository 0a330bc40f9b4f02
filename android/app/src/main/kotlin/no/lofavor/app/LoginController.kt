package no.lofavor.app

import android.content.Context
import android.net.Uri
import androidx.browser.customtabs.CustomTabsIntent
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import no.lofavor.core.LofavorCore
import no.lofavor.core.SessionEvent
import no.lofavor.core.SessionListener
import no.lofavor.core.SessionSubscription
import no.lofavor.core.android.SessionState
import no.lofavor.core.android.coreFailureKind
import no.lofavor.core.android.loginWasCancelled
import no.lofavor.core.android.logoutNeedsConfirmation
import no.lofavor.core.android.toSessionState

/**
 * Login and logout for the app: the core does the protocol; this opens the URL it returns
 * in a Custom Tab (the system browser, RFC 8252, never a WebView), hands the redirect back,
 * and turns the core's session events into [state] for the screens.
 *
 * The core keeps the pending login in its encrypted store, so Android may kill the app while
 * the browser is open: the redirect then starts a fresh process and [complete] still works.
 */
class LoginController(
    private val core: Deferred<LofavorCore>,
    private val scope: CoroutineScope,
) {
    private val _state = MutableStateFlow<SessionState>(SessionState.Unknown)

    /** The session as the core last reported it. */
    val state: StateFlow<SessionState> = _state.asStateFlow()

    private val _problem = MutableStateFlow<String?>(null)

    /** The kind of the last failure to show (`network`, `login_invalid`, …), or null. */
    val problem: StateFlow<String?> = _problem.asStateFlow()

    private val _confirmForcedLogout = MutableStateFlow(false)

    /** True while logout waits for the member to accept losing unsynced changes. */
    val confirmForcedLogout: StateFlow<Boolean> = _confirmForcedLogout.asStateFlow()

    // Kept for the process lifetime: dropping it would stop the events.
    private var subscription: SessionSubscription? = null

    /** Starts listening to the core's session events. */
    fun start() {
        scope.launch {
            runCatching { core.await() }.onSuccess { core ->
                // Called on a core thread; a StateFlow may be set from any thread.
                subscription = core.auth().subscribeSession(object : SessionListener {
                    override fun onSessionEvent(event: SessionEvent) {
                        _state.value = event.toSessionState()
                    }
                })
            }
        }
    }

    /** Opens the issuer's login page in a Custom Tab. */
    fun logIn(context: Context) {
        scope.launch {
            runCatching { core.await().auth().beginLogin() }
                .onSuccess { url -> CustomTabsIntent.Builder().build().launchUrl(context, Uri.parse(url)) }
                .onFailure { _problem.value = coreFailureKind(it) }
        }
    }

    /** Completes the login with the redirect the Custom Tab sent back. */
    fun complete(redirect: Uri) {
        scope.launch {
            runCatching { core.await().auth().completeLogin(redirect.toString()) }
                .onSuccess { _problem.value = null }
                .onFailure { if (!loginWasCancelled(it)) _problem.value = coreFailureKind(it) }
        }
    }

    /**
     * Logs out; with unsynced changes, asks first ([confirmForcedLogout]) and logs out only
     * when called again with [force]. Opens the issuer's end-session page, if any.
     */
    fun logOut(context: Context, force: Boolean = false) {
        scope.launch {
            runCatching { core.await().auth().logout(force) }
                .onSuccess { outcome ->
                    _confirmForcedLogout.value = false
                    outcome.endSessionUrl?.let {
                        CustomTabsIntent.Builder().build().launchUrl(context, Uri.parse(it))
                    }
                }
                .onFailure {
                    if (logoutNeedsConfirmation(it)) _confirmForcedLogout.value = true
                    else _problem.value = coreFailureKind(it)
                }
        }
    }

    /** The member declined to lose unsynced changes. */
    fun keepSession() {
        _confirmForcedLogout.value = false
    }
}
