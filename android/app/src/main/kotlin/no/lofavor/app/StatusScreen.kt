package no.lofavor.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.material3.OutlinedButton
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
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
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.core.CoreInfo
import no.lofavor.core.LofavorCore
import no.lofavor.core.ServerStatus
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.errorText

/** What the screen knows about the core. */
private sealed interface CoreState {
    data object Opening : CoreState
    data class Ready(val core: LofavorCore, val info: CoreInfo) : CoreState
    data class Failed(val text: ErrorText) : CoreState
}

/** The last server check. */
private sealed interface CheckState {
    data object Idle : CheckState
    data object Running : CheckState
    data class Done(val status: ServerStatus) : CheckState
    data class Failed(val text: ErrorText) : CheckState
}

/**
 * The status part of the home screen: the ways to the certificate and the field scanner, the
 * core's version, whether its store is encrypted on disk, and a button that asks the member
 * API whether it is up. Failures show their message. It does not scroll by itself: the home
 * screen around it does.
 *
 * @param core The core as the application opens it.
 * @param onOpenCertificate Opens the roadside certificate screen.
 * @param onOpenScanner Opens the roadside worker's field scanner.
 */
@Composable
fun StatusScreen(
    core: Deferred<LofavorCore>,
    onOpenCertificate: () -> Unit,
    onOpenScanner: () -> Unit,
    modifier: Modifier = Modifier,
) {
    var coreState by remember { mutableStateOf<CoreState>(CoreState.Opening) }
    var checkState by remember { mutableStateOf<CheckState>(CheckState.Idle) }
    val scope = rememberCoroutineScope()

    LaunchedEffect(core) {
        coreState = try {
            val opened = core.await()
            // info() reads the database: off the main thread.
            CoreState.Ready(opened, withContext(Dispatchers.IO) { opened.info() })
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            CoreState.Failed(errorText(e))
        }
    }

    Column(
        modifier = modifier.padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Button(onClick = onOpenCertificate) { Text(stringResource(R.string.open_certificate)) }
        // Only the scanner asks for the camera, and only once it is open.
        OutlinedButton(onClick = onOpenScanner) { Text(stringResource(R.string.open_scanner)) }
        SectionHeading(stringResource(R.string.status_title))

        when (val state = coreState) {
            CoreState.Opening -> Text(stringResource(R.string.core_opening))
            is CoreState.Failed -> Text(errorMessage(state.text), color = MaterialTheme.colorScheme.error)
            is CoreState.Ready -> {
                Text(stringResource(R.string.core_version, state.info.coreVersion))
                val encrypted = if (state.info.databaseEncrypted) R.string.yes else R.string.no
                Text(stringResource(R.string.store_encrypted, stringResource(encrypted)))
            }
        }

        val ready = coreState as? CoreState.Ready
        Button(
            onClick = {
                val opened = ready?.core ?: return@Button
                checkState = CheckState.Running
                scope.launch {
                    // checkServer() suspends on the core's own runtime; no dispatcher needed.
                    checkState = try {
                        CheckState.Done(opened.checkServer())
                    } catch (e: CancellationException) {
                        throw e
                    } catch (e: Exception) {
                        CheckState.Failed(errorText(e))
                    }
                }
            },
            enabled = ready != null && checkState != CheckState.Running,
        ) {
            Text(stringResource(R.string.check_server))
        }

        when (val check = checkState) {
            CheckState.Idle -> Unit
            CheckState.Running -> Text(stringResource(R.string.checking))
            is CheckState.Done -> {
                val status = check.status
                Text(
                    stringResource(
                        R.string.server_answered,
                        status.service,
                        status.version,
                        status.roundTripMs.toLong(), // %d takes a Long, not a ULong
                    ),
                )
                val databaseOk = if (status.databaseOk) R.string.yes else R.string.no
                Text(stringResource(R.string.server_database_ok, stringResource(databaseOk)))
            }
            is CheckState.Failed -> Text(errorMessage(check.text), color = MaterialTheme.colorScheme.error)
        }
    }
}
