package no.lofavor.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import no.lofavor.app.model.ErrorText

/**
 * The core's data on this phone cannot be opened: its key is gone from the keystore, or the
 * file is damaged. Explains that, and offers to start again, which erases everything the app
 * stored on this phone, only after the member confirms in a dialog. Nothing is erased by
 * opening this screen, by back, or by dismissing the dialog.
 *
 * @param cause Why the data cannot be opened.
 * @param working True while the data is being erased and a new core opened.
 * @param onStartAgain Erases and opens a new core; called only from the confirmation.
 * @param onRetry Tries to open the data again (the keystore may have been locked).
 */
@Composable
fun RecoveryScreen(
    cause: ErrorText,
    working: Boolean,
    onStartAgain: () -> Unit,
    onRetry: () -> Unit,
    modifier: Modifier = Modifier,
) {
    var confirming by rememberSaveable { mutableStateOf(false) }
    Scaffold(modifier = modifier.fillMaxSize()) { insets ->
        Column(
            modifier = Modifier.padding(insets).verticalScroll(rememberScrollState()).padding(24.dp),
            verticalArrangement = Arrangement.spacedBy(16.dp),
        ) {
            ScreenHeading(stringResource(R.string.recovery_title))
            Text(errorMessage(cause), style = MaterialTheme.typography.bodyLarge)
            Text(stringResource(R.string.recovery_explain), style = MaterialTheme.typography.bodyLarge)
            if (working) {
                CircularProgressIndicator()
            } else {
                OutlinedButton(onClick = onRetry) { Text(stringResource(R.string.recovery_retry)) }
                Button(
                    onClick = { confirming = true },
                    colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
                ) { Text(stringResource(R.string.recovery_start_again)) }
            }
        }
    }
    if (confirming) {
        AlertDialog(
            onDismissRequest = { confirming = false },
            title = { Text(stringResource(R.string.recovery_confirm_title)) },
            text = { Text(stringResource(R.string.recovery_confirm_text)) },
            confirmButton = {
                TextButton(onClick = {
                    confirming = false
                    onStartAgain()
                }) { Text(stringResource(R.string.recovery_confirm), color = MaterialTheme.colorScheme.error) }
            },
            dismissButton = {
                TextButton(onClick = { confirming = false }) { Text(stringResource(R.string.recovery_cancel)) }
            },
        )
    }
}
