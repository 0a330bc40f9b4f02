package no.lofavor.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kotlinx.coroutines.launch
import no.lofavor.app.model.LoginPhase
import no.lofavor.core.LogoutReason
import no.lofavor.core.android.SessionState

/** Who is logged in, with login and logout. The membership is shown to the member only. */
@Composable
fun AccountScreen(controller: LoginController, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val state by controller.state.collectAsStateWithLifecycle()
    val problem by controller.problem.collectAsStateWithLifecycle()
    val confirm by controller.confirmForcedLogout.collectAsStateWithLifecycle()
    val phase by controller.phase.collectAsStateWithLifecycle()
    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(
            stringResource(R.string.account_title),
            style = MaterialTheme.typography.titleMedium,
            modifier = Modifier.semantics { heading() },
        )
        when (val s = state) {
            SessionState.Unknown -> Text(stringResource(R.string.core_opening))
            is SessionState.LoggedOut -> {
                if (s.reason == LogoutReason.SESSION_ENDED) Text(stringResource(R.string.session_ended))
                // Off while a login is under way: a second tap would start a second login.
                Button(
                    onClick = { scope.launch { controller.logIn(context) } },
                    enabled = phase == LoginPhase.IDLE,
                ) { Text(stringResource(R.string.log_in)) }
                if (phase != LoginPhase.IDLE) Text(stringResource(R.string.login_in_progress))
            }
            is SessionState.LoggedIn -> {
                Text(stringResource(R.string.logged_in_as, s.member.name ?: s.member.subject))
                s.member.membership?.let { Text(stringResource(R.string.membership, it.union)) }
                Button(onClick = { scope.launch { controller.logOut(context) } }) { Text(stringResource(R.string.log_out)) }
            }
        }
        problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }
    }
    if (confirm) {
        AlertDialog(
            onDismissRequest = { controller.keepSession() },
            title = { Text(stringResource(R.string.unsynced_title)) },
            text = { Text(stringResource(R.string.unsynced_text)) },
            confirmButton = {
                TextButton(onClick = { scope.launch { controller.logOut(context, force = true) } }) {
                    Text(stringResource(R.string.log_out_anyway))
                }
            },
            dismissButton = {
                TextButton(onClick = { controller.keepSession() }) { Text(stringResource(R.string.keep_session)) }
            },
        )
    }
}
