package no.lofavor.app

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
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
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import no.lofavor.app.model.ConsentFlow
import no.lofavor.app.model.ConsentLayer
import no.lofavor.app.model.ExplicitAsk
import no.lofavor.core.FirstLayer
import no.lofavor.core.PurposeRow

/**
 * The first-run consent screen, opened after login while the core asks for an answer.
 *
 * The first layer is the core's summary with "accept all" and "refuse all" as two buttons of
 * the same composable ([ConsentChoiceButton]: same size, colour and place in the order, so
 * neither is the easy one) and "let me choose". The second layer has one switch per purpose
 * and partner, none on unless the member said yes; a partner switch opens the core's explicit
 * confirmation before it turns on. Every text of a purpose or a dialog is the core's.
 *
 * Back from the second layer returns to the first; back from the first leaves without any
 * consent given (asked again at the next login).
 *
 * @param onDone The member has answered (or left): back to the home screen.
 */
@Composable
fun ConsentScreen(onDone: () -> Unit, modifier: Modifier = Modifier) {
    val model: ConsentViewModel = viewModel(key = "consent.first_run")
    val ui by model.ui.collectAsStateWithLifecycle()
    val busy by model.busy.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    LaunchedEffect(model) { model.start(firstRun = true) }
    val flow = (ui as? ConsentUi.Shown)?.flow
    val leave = {
        model.reset()
        onDone()
    }
    LaunchedEffect(flow?.layer) { if (flow?.layer == ConsentLayer.DONE) leave() }
    BackHandler { if (!model.back()) leave() }

    Scaffold(modifier = modifier.fillMaxSize()) { insets ->
        Column(
            modifier = Modifier.padding(insets).verticalScroll(rememberScrollState()).padding(24.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            when (val state = ui) {
                ConsentUi.Loading -> Row(horizontalArrangement = Arrangement.spacedBy(12.dp), verticalAlignment = Alignment.CenterVertically) {
                    CircularProgressIndicator()
                    Text(stringResource(R.string.consent_loading))
                }
                is ConsentUi.Failed -> {
                    Text(errorMessage(state.text), color = MaterialTheme.colorScheme.error)
                    OutlinedButton(onClick = model::reload) { Text(stringResource(R.string.try_again)) }
                    TextButton(onClick = leave) { Text(stringResource(R.string.consent_not_now)) }
                }
                is ConsentUi.Shown -> when (state.flow.layer) {
                    ConsentLayer.FIRST -> FirstLayerPart(
                        first = state.flow.screen.firstLayer,
                        busy = busy,
                        onAcceptAll = model::acceptAll,
                        onRefuseAll = model::refuseAll,
                        onChoose = model::choose,
                    )
                    ConsentLayer.SECOND, ConsentLayer.DONE -> {
                        ScreenHeading(state.flow.screen.secondLayerTitle)
                        ConsentSwitches(state.flow, busy, onToggle = model::toggle)
                        Button(onClick = model::save, enabled = !busy, modifier = Modifier.fillMaxWidth()) {
                            Text(state.flow.screen.saveLabel)
                        }
                    }
                }
            }
            if (busy) Text(stringResource(R.string.consent_saving))
            problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }
        }
    }
    flow?.asking?.let { ExplicitDialog(it, flow, onConfirm = model::confirm, onCancel = model::cancel) }
}

/** The first layer: the core's summary, what happens without consent, and the three choices. */
@Composable
private fun FirstLayerPart(
    first: FirstLayer,
    busy: Boolean,
    onAcceptAll: () -> Unit,
    onRefuseAll: () -> Unit,
    onChoose: () -> Unit,
) {
    ScreenHeading(first.title)
    Text(first.summary, style = MaterialTheme.typography.bodyLarge)
    for (line in first.purposes) Text("\u2022 $line", style = MaterialTheme.typography.bodyMedium)
    SectionHeading(first.withoutConsentHeading)
    for (line in first.withoutConsent) Text("\u2022 $line", style = MaterialTheme.typography.bodyMedium)
    // Equal weight: the same composable, full width, one above the other (a row would not fit
    // at the largest font size, and would put one first in reading order by its side).
    ConsentChoiceButton(text = first.acceptAllLabel, enabled = !busy, onClick = onAcceptAll)
    ConsentChoiceButton(text = first.refuseAllLabel, enabled = !busy, onClick = onRefuseAll)
    TextButton(onClick = onChoose, enabled = !busy, modifier = Modifier.fillMaxWidth()) { Text(first.chooseLabel) }
}

/**
 * "Accept all" and "refuse all": one composable for both, so they cannot drift apart in size,
 * colour or emphasis (the shell checks both are drawn by it).
 */
@Composable
fun ConsentChoiceButton(text: String, enabled: Boolean, onClick: () -> Unit, modifier: Modifier = Modifier) {
    OutlinedButton(onClick = onClick, enabled = enabled, modifier = modifier.fillMaxWidth().heightIn(min = 48.dp)) {
        Text(text)
    }
}

/**
 * One switch per purpose and partner, as [flow] has them: the title, the core's summary and
 * state, and what the member needs to decide (recipients, data, retention, what a no
 * changes, the full notice). Each row is one toggleable element for TalkBack,
 * read as its title and state.
 */
@Composable
fun ConsentSwitches(flow: ConsentFlow, busy: Boolean, onToggle: (String, Boolean) -> Unit) {
    for (row in flow.rows) {
        val on = flow.isOn(row.id)
        val described = stringResource(R.string.consent_switch_description, row.title, row.stateLabel)
        Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(
                modifier = Modifier
                    .fillMaxWidth()
                    .toggleable(value = on, enabled = !busy, role = Role.Switch, onValueChange = { onToggle(row.id, it) })
                    .semantics {
                        contentDescription = described
                        stateDescription = row.stateLabel
                    },
                verticalAlignment = Alignment.CenterVertically,
            ) {
                Column(Modifier.weight(1f)) {
                    Text(row.title, style = MaterialTheme.typography.titleMedium)
                    Text(row.summary, style = MaterialTheme.typography.bodyMedium)
                }
                // The row takes the tap and speaks for the switch (null: not a second target).
                Switch(checked = on, onCheckedChange = null, enabled = !busy)
            }
            PurposeDetails(row)
        }
    }
}

/** What the member needs to decide on a purpose, from the core. */
@Composable
private fun PurposeDetails(row: PurposeRow) {
    var open by remember(row.id) { mutableStateOf(false) }
    Text(stringResource(R.string.consent_state, row.stateLabel), style = MaterialTheme.typography.bodySmall)
    Text(row.legalBasis, style = MaterialTheme.typography.bodySmall)
    if (row.recipients.isNotEmpty()) {
        Text(stringResource(R.string.consent_recipients, row.recipients.joinToString()), style = MaterialTheme.typography.bodySmall)
    }
    if (row.dataCategories.isNotEmpty()) {
        Text(stringResource(R.string.consent_data, row.dataCategories.joinToString()), style = MaterialTheme.typography.bodySmall)
    }
    Text(stringResource(R.string.consent_retention, row.retention), style = MaterialTheme.typography.bodySmall)
    Text(stringResource(R.string.consent_if_refused, row.ifRefused), style = MaterialTheme.typography.bodySmall)
    // The full notice the member agrees to, in the app (version included), not in a browser.
    TextButton(onClick = { open = !open }) { Text(row.readMoreLabel) }
    if (open) {
        Text("${row.title} · v${row.noticeVersion}", style = MaterialTheme.typography.labelMedium)
        Text(row.noticeText, style = MaterialTheme.typography.bodySmall)
    }
}

/**
 * The core's explicit confirmation (GDPR art. 9(2)(a)): for one partner switch, or for
 * "accept all" every partner's at once. Cancel and dismiss leave everything off.
 */
@Composable
fun ExplicitDialog(ask: ExplicitAsk, flow: ConsentFlow, onConfirm: () -> Unit, onCancel: () -> Unit) {
    val confirmations = when (ask) {
        is ExplicitAsk.One -> listOf(ask.confirmation)
        is ExplicitAsk.All -> ask.confirmations
    }
    val first = confirmations.firstOrNull() ?: return
    val confirmLabel = when (ask) {
        is ExplicitAsk.One -> ask.confirmation.confirmLabel
        is ExplicitAsk.All -> flow.screen.firstLayer.acceptAllLabel
    }
    AlertDialog(
        onDismissRequest = onCancel,
        title = { Text(first.title) },
        text = {
            Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                for (c in confirmations) Text(c.body)
            }
        },
        confirmButton = { TextButton(onClick = onConfirm) { Text(confirmLabel) } },
        dismissButton = { TextButton(onClick = onCancel) { Text(first.cancelLabel) } },
    )
}
