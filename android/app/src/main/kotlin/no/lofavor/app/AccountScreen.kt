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
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import no.lofavor.core.LogoutReason
import no.lofavor.core.android.SessionState

/** Who is logged in, with login and logout. The membership is shown to the member only. */
@Composable
fun AccountScreen(controller: LoginController, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val state by controller.state.collectAsState()
    val problem by controller.problem.collectAsState()
    val confirm by controller.confirmForcedLogout.collectAsState()
    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.account_title), style = MaterialTheme.typography.titleMedium)
        when (val s = state) {
            SessionState.Unknown -> Text(stringResource(R.string.core_opening))
            is SessionState.LoggedOut -> {
                if (s.reason == LogoutReason.SESSION_ENDED) Text(stringResource(R.string.session_ended))
                Button(onClick = { controller.logIn(context) }) { Text(stringResource(R.string.log_in)) }
            }
            is SessionState.LoggedIn -> {
                Text(stringResource(R.string.logged_in_as, s.member.name ?: s.member.subject))
                s.member.membership?.let { Text(stringResource(R.string.membership, it.union)) }
                Button(onClick = { controller.logOut(context) }) { Text(stringResource(R.string.log_out)) }
            }
        }
        problem?.let { Text(stringResource(R.string.error_kind, it)) }
    }
    if (confirm) {
        AlertDialog(
            onDismissRequest = { controller.keepSession() },
            title = { Text(stringResource(R.string.unsynced_title)) },
            text = { Text(stringResource(R.string.unsynced_text)) },
            confirmButton = {
                TextButton(onClick = { controller.logOut(context, force = true) }) {
                    Text(stringResource(R.string.log_out_anyway))
                }
            },
            dismissButton = {
                TextButton(onClick = { controller.keepSession() }) { Text(stringResource(R.string.keep_session)) }
            },
        )
    }
}
