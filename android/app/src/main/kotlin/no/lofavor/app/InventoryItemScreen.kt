package no.lofavor.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Dialog
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import no.lofavor.app.model.AmountInput
import no.lofavor.app.model.FieldKind
import no.lofavor.app.model.FormField
import no.lofavor.app.model.ImportPhase
import no.lofavor.app.model.ImportState
import no.lofavor.app.model.InventoryForm
import no.lofavor.app.model.Route
import no.lofavor.app.model.formatKroner
import no.lofavor.app.model.parseKroner
import no.lofavor.core.ImportTarget
import no.lofavor.core.Item
import no.lofavor.core.PhotoRole

/** The roles a member gives a photo of an item (a room's overview is taken on the room). */
private val ITEM_ROLES = listOf(PhotoRole.ITEM, PhotoRole.RECEIPT, PhotoRole.SERIAL_PLATE)

/**
 * One item: its photos (thumbnails, large on tap), photos added from the picker or the
 * camera as the item itself, its receipt or its serial plate, every field the member gave,
 * edit, and delete behind a confirmation.
 */
@Composable
fun InventoryItemScreen(onOpen: (Route) -> Unit, onBack: () -> Unit, modifier: Modifier = Modifier) {
    val model: InventoryViewModel = viewModel()
    val importer: InventoryImportViewModel = viewModel()
    val item by model.item.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    val confirmDelete by model.confirmDelete.collectAsStateWithLifecycle()
    val importing by importer.state.collectAsStateWithLifecycle()
    val running = importing?.running == true
    var large by rememberSaveable { mutableStateOf<String?>(null) }
    LaunchedEffect(model) { model.load() }
    LaunchedEffect(running) { if (!running) model.load() }

    InventoryColumn(onBack, modifier) {
        val shown = item
        if (shown == null) {
            problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }
            CircularProgressIndicator()
        } else {
            ItemContent(shown, model, importer, onOpen, onLarge = { large = it })
        }
    }

    large?.let { id ->
        Dialog(onDismissRequest = { large = null }) {
            Column(horizontalAlignment = Alignment.CenterHorizontally) {
                InventoryPhoto(id, description = stringResource(R.string.inventory_photo_large), load = { model.photo(it, false) }, size = 320.dp)
                TextButton(onClick = { large = null }) { Text(stringResource(R.string.inventory_photo_close)) }
            }
        }
    }
    if (confirmDelete) {
        AlertDialog(
            onDismissRequest = { model.askDelete(false) },
            title = { Text(stringResource(R.string.inventory_delete_title)) },
            text = { Text(stringResource(R.string.inventory_delete_text)) },
            confirmButton = {
                TextButton(onClick = { model.delete(onDeleted = onBack) }) {
                    Text(stringResource(R.string.inventory_delete_confirm), color = MaterialTheme.colorScheme.error)
                }
            },
            dismissButton = { TextButton(onClick = { model.askDelete(false) }) { Text(stringResource(R.string.erase_cancel)) } },
        )
    }
}

/** The item screen's content once the item is read. */
@Composable
private fun ItemContent(
    shown: Item,
    model: InventoryViewModel,
    importer: InventoryImportViewModel,
    onOpen: (Route) -> Unit,
    onLarge: (String) -> Unit,
) {
    val itemId by model.itemId.collectAsStateWithLifecycle()
    val busy by model.busy.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    val importing by importer.state.collectAsStateWithLifecycle()
    val running = importing?.running == true
    var roleName by rememberSaveable { mutableStateOf(PhotoRole.ITEM.name) }
    val role = ITEM_ROLES.firstOrNull { it.name == roleName } ?: PhotoRole.ITEM
    Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
        ScreenHeading(shown.fields.name)
        problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }
        Button(onClick = {
            model.startEdit()
            onOpen(Route.INVENTORY_EDIT)
        }, enabled = !busy) { Text(stringResource(R.string.inventory_edit)) }

        SectionHeading(stringResource(R.string.inventory_photos))
        if (shown.photos.isEmpty()) Text(stringResource(R.string.inventory_no_photos))
        for (photoRole in ITEM_ROLES) {
            val ids = shown.photos.filter { it.role == photoRole }.map { it.id }
            PhotoStrip(ids, stringResource(photoRole.labelRes()), load = { model.photo(it, true) }, onOpen = onLarge)
        }
        Text(stringResource(R.string.inventory_photo_role))
        Column(Modifier.selectableGroup()) {
            for (choice in ITEM_ROLES) {
                Row(
                    Modifier.fillMaxWidth().heightIn(min = 48.dp)
                        .selectable(selected = choice == role, role = Role.RadioButton) { roleName = choice.name },
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    // The row is the radio button for TalkBack; the button itself takes no touches.
                    RadioButton(selected = choice == role, onClick = null)
                    Text(stringResource(choice.labelRes()), Modifier.padding(start = 8.dp))
                }
            }
        }
        // The id from the saved state: after process death the camera may return before the item is read.
        val target = { ImportTarget.Item(itemId ?: shown.id, role) }
        PickPhotosButton(stringResource(R.string.inventory_add_photos), enabled = !running, onPicked = { uris ->
            importer.importPicked(uris) { target() }
        })
        TakePhotoButton(enabled = !running, newUri = importer::newCameraUri, onTaken = { taken -> importer.cameraDone(taken, target()) })
        importing?.let { ImportPanel(it, onCancel = importer::cancel, onDismiss = importer::dismiss) }

        HorizontalDivider()
        SectionHeading(stringResource(R.string.inventory_details))
        val form = InventoryForm.of(shown.fields)
        for (field in FormField.entries) {
            if (field == FormField.NAME || form[field].isBlank()) continue
            val value = if (field.kind == FieldKind.AMOUNT) {
                (parseKroner(form[field]) as? AmountInput.Ore)?.let { formatKroner(it.ore) } ?: form[field]
            } else {
                form[field]
            }
            Text(stringResource(R.string.inventory_row, stringResource(field.labelRes()), value))
        }

        HorizontalDivider()
        OutlinedButton(onClick = { model.askDelete(true) }, enabled = !busy) {
            Text(stringResource(R.string.inventory_delete), color = MaterialTheme.colorScheme.error)
        }
    }
}

/**
 * An import's progress with its cancel button while it runs; then what went in, what was
 * there already, what the cancel left out, and each refused photo by its place and reason.
 */
@Composable
fun ImportPanel(state: ImportState, onCancel: () -> Unit, onDismiss: () -> Unit) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        if (state.running) {
            Text(stringResource(R.string.inventory_importing, minOf(state.done + 1, state.total), state.total))
            LinearProgressIndicator(progress = { state.fraction }, modifier = Modifier.fillMaxWidth())
            OutlinedButton(onClick = onCancel, enabled = state.phase == ImportPhase.RUNNING) {
                Text(stringResource(if (state.phase == ImportPhase.RUNNING) R.string.inventory_cancel_import else R.string.inventory_cancelling))
            }
        } else {
            ImportSummaryPart(state, onDismiss)
        }
    }
}

/** What an ended import did. */
@Composable
private fun ImportSummaryPart(state: ImportState, onDismiss: () -> Unit) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        state.failure?.let { Text(stringResource(R.string.inventory_import_failed, errorMessage(it)), color = MaterialTheme.colorScheme.error) }
        Text(stringResource(R.string.inventory_import_done, state.imported))
        if (state.duplicates > 0) Text(stringResource(R.string.inventory_import_duplicates, state.duplicates))
        if (state.cancelled > 0) Text(stringResource(R.string.inventory_import_cancelled, state.cancelled))
        for (refusal in state.refused) {
            Text(stringResource(R.string.inventory_import_refused, refusal.index + 1, errorMessage(refusal.text)), color = MaterialTheme.colorScheme.error)
        }
        TextButton(onClick = onDismiss) { Text(stringResource(R.string.inventory_import_ok)) }
    }
}
