package no.lofavor.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.Scaffold
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.Route
import no.lofavor.app.model.backFrom
import no.lofavor.app.model.consentScreenDue
import no.lofavor.app.model.errorText
import no.lofavor.app.model.needsRecovery
import no.lofavor.core.AppLocale
import no.lofavor.core.LofavorCore
import no.lofavor.core.android.CoreSettings
import no.lofavor.core.android.SessionState
import no.lofavor.core.localeFromTag

/**
 * The app's one activity: the home screen (account and status), the roadside certificate,
 * the field scanner, the consent and privacy screens, the inventory ("Husk Hva Du Har") and
 * the recovery screen, and the login redirect
 * (`no.lofavor.app:/oauth2redirect`) that the browser tab sends back after sign-in.
 *
 * The current screen lives in [AppViewModel]'s saved state, so rotation and process death
 * return to it. It is `singleTask` in the manifest so that the redirect returns to this
 * instance and closes the browser tab above it, instead of stacking a second activity.
 */
class MainActivity : ComponentActivity() {
    /** Shows the current screen and takes a redirect that started the activity. */
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val app = application as LofavorApp
        // The language the app's texts resolve to, which the core was opened in too.
        val locale = localeFromTag(getString(R.string.core_locale)) ?: CoreSettings.DEFAULT_LOCALE
        setContent {
            MaterialTheme {
                App(app, locale)
            }
        }
        receiveRedirect(intent)
    }

    /** Takes a redirect that arrives while the activity runs. */
    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        setIntent(intent)
        receiveRedirect(intent)
    }

    /** The member may have come back from the browser without a redirect (closed the tab). */
    override fun onResume() {
        super.onResume()
        (application as LofavorApp).login.onResumed()
    }

    private fun receiveRedirect(intent: Intent?) {
        if (intent == null) return
        // The core checks the state, the issuer and PKCE: any app can send this intent, and
        // only the core's checks make it trustworthy. Never log it: its query carries the
        // authorization code. The controller takes each redirect once, ever: not again on a
        // configuration change, after process death, or when Recents relaunches the task
        // with the old intent (FLAG_ACTIVITY_LAUNCHED_FROM_HISTORY).
        val fromHistory = (intent.flags and Intent.FLAG_ACTIVITY_LAUNCHED_FROM_HISTORY) != 0
        val taken = (application as LofavorApp).login.receive(intent.action, intent.dataString, fromHistory)
        if (taken) intent.data = null
    }
}

/**
 * The screen for the current route. Watches the core's opening: a missing key or a damaged
 * database leads to the recovery screen, and a core that opens leaves it.
 */
@Composable
private fun App(app: LofavorApp, locale: AppLocale) {
    val nav: AppViewModel = viewModel()
    val route by nav.route.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()
    var core by remember { mutableStateOf<Deferred<LofavorCore>>(app.core) }
    var openFailure by remember { mutableStateOf<Throwable?>(null) }
    var opening by remember { mutableStateOf(true) }
    var erasing by remember { mutableStateOf(false) }

    LaunchedEffect(core) {
        opening = true
        val failure = runCatching { core.await() }.exceptionOrNull()
        openFailure = failure
        opening = false
        when {
            failure != null && needsRecovery(failure) -> nav.go(Route.RECOVERY)
            failure == null && nav.route.value == Route.RECOVERY -> nav.go(Route.HOME)
        }
    }

    // After a login, the consent screen opens while the core asks for an answer (a purpose
    // never answered, or its text changed in a major way): once per login, not again after
    // rotation or process death when the member left it unanswered.
    val session by app.login.state.collectAsStateWithLifecycle()
    val member = (session as? SessionState.LoggedIn)?.member?.subject
    LaunchedEffect(member, core) {
        if (member == null) {
            if (session is SessionState.LoggedOut) nav.markConsentAsked(null)
            return@LaunchedEffect
        }
        if (nav.consentAskedFor(member)) return@LaunchedEffect
        val needsAnswer = try {
            val consent = core.await().consent()
            try {
                consent.refreshCatalogue()
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                // Offline: the catalogue the phone has decides.
            }
            // screen() reads the database: off the main thread.
            withContext(Dispatchers.IO) { consent.screen().needsAnswer }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // The consent screen says why when it opens from the privacy screen; here no
            // failure stops the app from starting.
            false
        }
        if (consentScreenDue(loggedIn = true, needsAnswer = needsAnswer, route = nav.route.value)) {
            nav.markConsentAsked(member)
            nav.go(Route.CONSENT)
        }
    }

    // The consent screen handles back itself (back from the second layer is the first).
    BackHandler(enabled = backFrom(route) != null && route != Route.CONSENT) { nav.back() }
    when (route) {
        Route.HOME -> HomeScreen(
            app = app,
            core = core,
            onOpenCertificate = { nav.go(Route.CERTIFICATE) },
            onOpenScanner = { nav.go(Route.SCANNER) },
            onOpenPrivacy = { nav.go(Route.PRIVACY) },
            onOpenInventory = { nav.go(Route.INVENTORY) },
        )
        Route.CERTIFICATE -> CertificateScreen(locale = locale, onBack = { nav.back() })
        Route.SCANNER -> ScannerScreen(locale = locale, onBack = { nav.back() })
        Route.CONSENT -> ConsentScreen(onDone = { nav.go(Route.HOME) })
        Route.PRIVACY -> PrivacyScreen(onBack = { nav.back() })
        Route.INVENTORY -> InventoryScreen(locale = locale, onOpen = nav::go, onBack = { nav.back() })
        Route.INVENTORY_ROOM -> InventoryRoomScreen(onOpen = nav::go, onBack = { nav.back() })
        Route.INVENTORY_ITEM -> InventoryItemScreen(onOpen = nav::go, onBack = { nav.back() })
        Route.INVENTORY_ADD, Route.INVENTORY_EDIT -> InventoryEditScreen(
            adding = route == Route.INVENTORY_ADD,
            onSaved = { nav.go(Route.INVENTORY_ITEM) },
            onBack = { nav.back() },
        )
        Route.INVENTORY_SEARCH -> InventorySearchScreen(onOpen = nav::go, onBack = { nav.back() })
        Route.RECOVERY -> RecoveryScreen(
            cause = openFailure?.let(::errorText) ?: ErrorText.DATABASE_CORRUPT,
            working = opening || erasing,
            onStartAgain = {
                erasing = true
                scope.launch {
                    core = app.eraseAndReopen()
                    erasing = false
                }
            },
            onRetry = { core = app.reopen() },
        )
    }
}

/** The home screen: the account, then the ways to the other screens and the core's status. */
@Composable
private fun HomeScreen(
    app: LofavorApp,
    core: Deferred<LofavorCore>,
    onOpenCertificate: () -> Unit,
    onOpenScanner: () -> Unit,
    onOpenPrivacy: () -> Unit,
    onOpenInventory: () -> Unit,
) {
    Scaffold(modifier = Modifier.fillMaxSize()) { insets ->
        Column(Modifier.padding(insets).verticalScroll(rememberScrollState()).padding(8.dp)) {
            ScreenHeading(stringResource(R.string.app_name), Modifier.padding(horizontal = 16.dp))
            AccountScreen(controller = app.login)
            // Consents, the reservation, the history, export, rights requests and erasure.
            OutlinedButton(onClick = onOpenPrivacy, modifier = Modifier.padding(horizontal = 16.dp)) {
                Text(stringResource(R.string.open_privacy))
            }
            // Husk Hva Du Har: the member's belongings, room by room, with photos.
            OutlinedButton(onClick = onOpenInventory, modifier = Modifier.padding(horizontal = 16.dp)) {
                Text(stringResource(R.string.inventory_open))
            }
            StatusScreen(core = core, onOpenCertificate = onOpenCertificate, onOpenScanner = onOpenScanner)
        }
    }
}
