package no.lofavor.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.statusBarsPadding
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import no.lofavor.core.android.CoreSettings
import no.lofavor.core.android.QrModules
import no.lofavor.core.android.toQrModules
import no.lofavor.core.localeFromTag

/** The app's screens. */
private enum class Screen { STATUS, CERTIFICATE }

/**
 * The app's one activity: shows the account and status screens and the roadside certificate,
 * and receives the login redirect
 * (`no.lofavor.app:/oauth2redirect`) that the browser tab sends back after sign-in.
 *
 * It is `singleTask` in the manifest so that the redirect returns to this instance and
 * closes the browser tab above it, instead of stacking a second activity.
 */
class MainActivity : ComponentActivity() {
    /** Shows the status screen and takes a redirect that started the activity. */
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val app = application as LofavorApp
        // The language the app's texts resolve to, which the core was opened in too.
        val locale = localeFromTag(getString(R.string.core_locale)) ?: CoreSettings.DEFAULT_LOCALE
        setContent {
            MaterialTheme {
                var screen by rememberSaveable { mutableStateOf(Screen.STATUS) }
                when (screen) {
                    Screen.STATUS -> Column {
                        AccountScreen(controller = app.login, modifier = Modifier.statusBarsPadding())
                        StatusScreen(core = app.core, onOpenCertificate = { screen = Screen.CERTIFICATE })
                    }
                    Screen.CERTIFICATE -> {
                        BackHandler { screen = Screen.STATUS }
                        // The member's certificate (cached, renewed when online and due); until the
                        // member has one (logged out, never online), the screen says so and still
                        // shows the location.
                        val qr by produceState<QrModules?>(null) {
                            value = runCatching { app.core.await().roadside().certificate().qr.toQrModules() }
                                .getOrNull()
                        }
                        CertificateScreen(qr = qr, locale = locale, onBack = { screen = Screen.STATUS })
                    }
                }
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
        val fromHistory = intent.flags and Intent.FLAG_ACTIVITY_LAUNCHED_FROM_HISTORY != 0
        val taken = (application as LofavorApp).login.receive(intent.action, intent.dataString, fromHistory)
        if (taken) intent.data = null
    }
}
