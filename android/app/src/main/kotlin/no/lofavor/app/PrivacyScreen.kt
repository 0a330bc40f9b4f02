package no.lofavor.app

import android.content.ActivityNotFoundException
import android.content.ClipData
import android.content.Intent
import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.ExperimentalComposeUiApi
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalConfiguration
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale
import no.lofavor.app.model.Deadline
import no.lofavor.app.model.ExportKind
import no.lofavor.app.model.HistoryDecision
import no.lofavor.app.model.HistoryLine
import no.lofavor.app.model.REQUEST_KINDS
import no.lofavor.app.model.ReceiptState
import no.lofavor.app.model.RequestLine
import no.lofavor.app.model.anyOverdue
import no.lofavor.core.AccessReport
import no.lofavor.core.AccessSection

/**
 * "Personvern": every consent with its switch (the second layer of the consent screen, saved
 * with the core's save button; partner switches open the explicit confirmation), the
 * reservation against direct marketing, the history of decisions with each receipt's state,
 * what is stored (the access report), the archive and the receipts through the share sheet,
 * the rights requests with their deadlines (and a new one), and erasure on this phone behind
 * a confirmation.
 *
 * @param onBack Leaves the screen (also after erasure).
 */
@Composable
fun PrivacyScreen(onBack: () -> Unit, modifier: Modifier = Modifier) {
    val consents: ConsentViewModel = viewModel(key = "consent.privacy")
    val model: PrivacyViewModel = viewModel()
    val consentUi by consents.ui.collectAsStateWithLifecycle()
    val consentBusy by consents.busy.collectAsStateWithLifecycle()
    val consentProblem by consents.problem.collectAsStateWithLifecycle()
    val data by model.data.collectAsStateWithLifecycle()
    val busy by model.busy.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    val access by model.access.collectAsStateWithLifecycle()
    val share by model.share.collectAsStateWithLifecycle()
    val erased by model.erased.collectAsStateWithLifecycle()
    val confirmErase by model.confirmErase.collectAsStateWithLifecycle()
    val context = LocalContext.current
    var noShareApp by remember { mutableStateOf(false) }

    LaunchedEffect(consents) { consents.start(firstRun = false) }
    // Each time the screen opens (decisions may have arrived from another device), and after
    // consents were saved (the history has new lines).
    LaunchedEffect(consentBusy) { if (!consentBusy) model.load() }
    LaunchedEffect(erased) { if (erased) onBack() }

    val chooserTitle = stringResource(R.string.privacy_share_chooser)
    LaunchedEffect(share) {
        val file = share ?: return@LaunchedEffect
        val send = Intent(Intent.ACTION_SEND)
            .setType("application/json")
            .putExtra(Intent.EXTRA_STREAM, file.uri)
            // The receiving app may read this one file, for this one send (the clip carries
            // the grant through the chooser).
            .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
            .apply { clipData = ClipData.newRawUri("", file.uri) }
        noShareApp = try {
            context.startActivity(Intent.createChooser(send, chooserTitle))
            false
        } catch (e: ActivityNotFoundException) {
            true
        }
        model.shared()
    }

    Scaffold(modifier = modifier.fillMaxSize()) { insets ->
        Column(
            modifier = Modifier.padding(insets).verticalScroll(rememberScrollState()).padding(24.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            TextButton(onClick = onBack) { Text(stringResource(R.string.back)) }
            ScreenHeading(stringResource(R.string.privacy_title))
            problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }

            SectionHeading(stringResource(R.string.privacy_consents))
            when (val state = consentUi) {
                ConsentUi.Loading -> CircularProgressIndicator()
                is ConsentUi.Failed -> {
                    Text(errorMessage(state.text), color = MaterialTheme.colorScheme.error)
                    OutlinedButton(onClick = consents::reload) { Text(stringResource(R.string.try_again)) }
                }
                is ConsentUi.Shown -> {
                    ConsentSwitches(state.flow, consentBusy, onToggle = consents::toggle)
                    Button(onClick = consents::save, enabled = !consentBusy && state.flow.hasChanges, modifier = Modifier.fillMaxWidth()) {
                        Text(state.flow.screen.saveLabel)
                    }
                    state.flow.asking?.let { ExplicitDialog(it, state.flow, onConfirm = consents::confirm, onCancel = consents::cancel) }
                }
            }
            consentProblem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }

            val loaded = data
            if (loaded == null) {
                CircularProgressIndicator()
            } else {
                HorizontalDivider()
                SectionHeading(stringResource(R.string.privacy_reservation))
                ReservationSwitch(loaded.reservation.title, loaded.reservation.text, loaded.reservation.stateLabel, loaded.reservation.reserved, !busy, model::setReservation)
                OutlinedButton(onClick = model::sync, enabled = !busy) { Text(stringResource(R.string.privacy_sync)) }

                HorizontalDivider()
                SectionHeading(stringResource(R.string.privacy_history))
                if (loaded.history.isEmpty()) Text(stringResource(R.string.privacy_history_empty))
                for (line in loaded.history) HistoryRow(line)

                HorizontalDivider()
                SectionHeading(stringResource(R.string.privacy_your_data))
                OutlinedButton(onClick = model::readAccess, enabled = !busy) { Text(stringResource(R.string.privacy_access)) }
                access?.let { AccessPart(it) }
                OutlinedButton(onClick = { model.export(ExportKind.ARCHIVE) }, enabled = !busy) {
                    Text(stringResource(R.string.privacy_export))
                }
                OutlinedButton(onClick = { model.export(ExportKind.RECEIPTS) }, enabled = !busy) {
                    Text(stringResource(R.string.privacy_export_receipts))
                }
                if (noShareApp) Text(stringResource(R.string.privacy_no_share_app))

                HorizontalDivider()
                SectionHeading(stringResource(R.string.privacy_requests))
                RequestsPart(loaded.requests, loaded.requestsProblem?.let { errorMessage(it) })
                NewRequestPart(model, enabled = !busy)

                HorizontalDivider()
                SectionHeading(stringResource(R.string.erase_title))
                Text(stringResource(R.string.erase_text))
                OutlinedButton(onClick = { model.askErase(true) }, enabled = !busy) {
                    Text(stringResource(R.string.erase_button), color = MaterialTheme.colorScheme.error)
                }
            }
        }
    }

    if (confirmErase) {
        AlertDialog(
            onDismissRequest = { model.askErase(false) },
            title = { Text(stringResource(R.string.erase_confirm_title)) },
            text = { Text(stringResource(R.string.erase_confirm_text)) },
            confirmButton = {
                TextButton(onClick = model::erase) { Text(stringResource(R.string.erase_confirm), color = MaterialTheme.colorScheme.error) }
            },
            dismissButton = { TextButton(onClick = { model.askErase(false) }) { Text(stringResource(R.string.erase_cancel)) } },
        )
    }
}

/** The reservation's switch: one toggleable row, read by TalkBack as its title and state. */
@Composable
private fun ReservationSwitch(title: String, text: String, stateLabel: String, reserved: Boolean, enabled: Boolean, onChange: (Boolean) -> Unit) {
    Row(
        modifier = Modifier
            .fillMaxWidth()
            .toggleable(value = reserved, enabled = enabled, role = Role.Switch, onValueChange = onChange)
            .semantics {
                contentDescription = title
                stateDescription = stateLabel
            },
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Column(Modifier.weight(1f)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            Text(text, style = MaterialTheme.typography.bodyMedium)
            Text(stateLabel, style = MaterialTheme.typography.bodySmall)
        }
        Switch(checked = reserved, onCheckedChange = null, enabled = enabled)
    }
}

/** One decision: what, when, on which version, and its receipt, told in words and a symbol. */
@Composable
private fun HistoryRow(line: HistoryLine) {
    val locale = LocalConfiguration.current.locales[0] ?: Locale.getDefault()
    val time = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale)
        .format(Instant.ofEpochSecond(line.decidedAt).atZone(ZoneId.systemDefault()))
    val decision = stringResource(
        when (line.decision) {
            HistoryDecision.GIVEN -> R.string.history_given
            HistoryDecision.REFUSED -> R.string.history_refused
            HistoryDecision.WITHDRAWN -> R.string.history_withdrawn
            HistoryDecision.OTHER -> R.string.history_other
        },
    )
    val (mark, receipt) = when (line.receipt) {
        ReceiptState.VERIFIED -> "\u2713 " to R.string.receipt_verified
        ReceiptState.PENDING -> "\u2026 " to R.string.receipt_pending
        ReceiptState.REJECTED -> "! " to R.string.receipt_rejected
        ReceiptState.INVALID -> "! " to R.string.receipt_invalid
    }
    val bad = line.receipt == ReceiptState.REJECTED || line.receipt == ReceiptState.INVALID
    Column(Modifier.semantics(mergeDescendants = true) {}) {
        Text("${line.title}: $decision", style = MaterialTheme.typography.bodyLarge)
        Text(stringResource(R.string.history_when, time, line.noticeVersion), style = MaterialTheme.typography.bodySmall)
        if (!line.madeHere) Text(stringResource(R.string.history_other_device), style = MaterialTheme.typography.bodySmall)
        Text(
            mark + stringResource(receipt),
            style = MaterialTheme.typography.bodySmall,
            color = if (bad) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
        )
    }
}

/** The access report: what the phone holds, what LOfavør holds, and how it is processed. */
@Composable
private fun AccessPart(report: AccessReport) {
    SectionList(stringResource(R.string.privacy_access_device), report.device)
    if (report.serverReached) SectionList(stringResource(R.string.privacy_access_server), report.server)
    else Text(stringResource(R.string.privacy_access_offline))
    SectionList(stringResource(R.string.privacy_access_processing), report.processing)
}

@Composable
private fun SectionList(heading: String, sections: List<AccessSection>) {
    Text(heading, style = MaterialTheme.typography.titleSmall)
    for (section in sections) {
        Text(section.title, style = MaterialTheme.typography.labelLarge)
        for (entry in section.entries) Text("${entry.label}: ${entry.value}", style = MaterialTheme.typography.bodySmall)
    }
}

/** The requests with the core's kind, status and deadline texts, and the shell's overdue word. */
@OptIn(ExperimentalComposeUiApi::class)
@Composable
private fun RequestsPart(lines: List<RequestLine>?, problem: String?) {
    problem?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    if (lines == null) {
        if (problem == null) CircularProgressIndicator()
        return
    }
    if (lines.isEmpty()) Text(stringResource(R.string.privacy_requests_empty))
    if (anyOverdue(lines)) Text("! " + stringResource(R.string.request_overdue), color = MaterialTheme.colorScheme.error)
    for (line in lines) {
        Column(Modifier.semantics(mergeDescendants = true) {}) {
            Text("${line.kindLabel}: ${line.statusLabel}", style = MaterialTheme.typography.bodyLarge)
            line.dueLabel?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
            when (line.deadline) {
                Deadline.OVERDUE -> Text("! " + stringResource(R.string.request_overdue), color = MaterialTheme.colorScheme.error)
                Deadline.NOT_SENT -> Text(stringResource(R.string.request_not_sent), style = MaterialTheme.typography.bodySmall)
                Deadline.OPEN -> line.daysLeft?.let {
                    val days = it.toInt()
                    Text(pluralStringResource(R.plurals.request_days_left, days, days), style = MaterialTheme.typography.bodySmall)
                }
                Deadline.ANSWERED -> Unit
            }
        }
    }
}

/** A new request: the kind (radio buttons) and an optional text. */
@Composable
private fun NewRequestPart(model: PrivacyViewModel, enabled: Boolean) {
    val kind by model.requestKind.collectAsStateWithLifecycle()
    val text by model.requestText.collectAsStateWithLifecycle()
    Text(stringResource(R.string.request_new), style = MaterialTheme.typography.titleSmall)
    Text(stringResource(R.string.request_kind), style = MaterialTheme.typography.bodyMedium)
    Column(Modifier.selectableGroup()) {
        for (k in REQUEST_KINDS) {
            Row(
                modifier = Modifier
                    .fillMaxWidth()
                    .selectable(selected = k == kind, enabled = enabled, role = Role.RadioButton, onClick = { model.chooseRequestKind(k) }),
                verticalAlignment = Alignment.CenterVertically,
            ) {
                RadioButton(selected = k == kind, onClick = null, enabled = enabled)
                Text(stringResource(requestKindText(k)))
            }
        }
    }
    OutlinedTextField(
        value = text,
        onValueChange = model::editRequestText,
        label = { Text(stringResource(R.string.request_text)) },
        enabled = enabled,
        modifier = Modifier.fillMaxWidth(),
        minLines = 2,
    )
    Button(onClick = model::sendRequest, enabled = enabled) { Text(stringResource(R.string.request_send)) }
}

/** The app's word for a kind of request, for the picker (the core labels those sent). */
@StringRes
private fun requestKindText(kind: String): Int = when (kind) {
    "access" -> R.string.request_kind_access
    "rectification" -> R.string.request_kind_rectification
    "erasure" -> R.string.request_kind_erasure
    "restriction" -> R.string.request_kind_restriction
    "objection" -> R.string.request_kind_objection
    "portability" -> R.string.request_kind_portability
    else -> R.string.request_kind_human_review
}
