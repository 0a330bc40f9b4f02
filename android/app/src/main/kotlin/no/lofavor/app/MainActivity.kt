package no.lofavor.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.statusBarsPadding
import androidx.compose.material3.MaterialTheme
import androidx.compose.ui.Modifier
import no.lofavor.core.android.CoreSettings

/**
 * The app's one activity: shows the account and status screens, and receives the login redirect
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
        setContent {
            MaterialTheme {
                Column {
                    AccountScreen(controller = app.login, modifier = Modifier.statusBarsPadding())
                    StatusScreen(core = app.core)
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

    private fun receiveRedirect(intent: Intent?) {
        if (intent == null) return
        val uri = intent.data ?: return
        if (intent.action != Intent.ACTION_VIEW || uri.scheme != CoreSettings.REDIRECT_SCHEME) return
        // The core checks the state, the issuer and PKCE: any app can send this intent, and
        // only the core's checks make it trustworthy. Never log it: its query carries the
        // authorization code. Taken once, so a configuration change does not replay it.
        intent.data = null
        (application as LofavorApp).login.complete(uri)
    }
}
