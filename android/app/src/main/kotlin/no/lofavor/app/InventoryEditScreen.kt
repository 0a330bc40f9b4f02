package no.lofavor.app

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.error
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.text.input.KeyboardType
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import no.lofavor.app.model.FieldKind
import no.lofavor.app.model.FormField

/**
 * The add/edit form: every field of an item, kept as typed in the view model's saved state
 * (rotation and process death keep a half-typed price as it was). Prices are typed in kroner
 * as Norwegians write them ("1 299,90"); the model code reads them to øre. A field that does
 * not read says so under itself, after the first try to save, and TalkBack reads it as the
 * field's error.
 *
 * @param adding A new item (else the item shown on the item screen).
 * @param onSaved Called with the item's id once it is saved.
 */
@Composable
fun InventoryEditScreen(adding: Boolean, onSaved: (String) -> Unit, onBack: () -> Unit, modifier: Modifier = Modifier) {
    val model: InventoryViewModel = viewModel()
    val form by model.form.collectAsStateWithLifecycle()
    val busy by model.busy.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    var tried by rememberSaveable { mutableStateOf(false) }
    val problems = if (tried) form.problems() else emptyMap()

    InventoryColumn(onBack, modifier) {
        ScreenHeading(stringResource(if (adding) R.string.inventory_add_title else R.string.inventory_edit_title))
        problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }
        for (field in FormField.entries) {
            val fieldProblem = problems[field]?.let { stringResource(it.messageRes()) }
            OutlinedTextField(
                value = form[field],
                onValueChange = { model.edit(field, it) },
                label = { Text(stringResource(field.labelRes())) },
                isError = fieldProblem != null,
                supportingText = if (fieldProblem != null) {
                    { Text(fieldProblem) }
                } else {
                    null
                },
                singleLine = field.kind != FieldKind.LINES,
                minLines = if (field.kind == FieldKind.LINES) 3 else 1,
                keyboardOptions = KeyboardOptions(
                    capitalization = if (field.kind == FieldKind.TEXT || field.kind == FieldKind.LINES) {
                        KeyboardCapitalization.Sentences
                    } else {
                        KeyboardCapitalization.None
                    },
                    keyboardType = when (field.kind) {
                        FieldKind.AMOUNT -> KeyboardType.Decimal
                        FieldKind.NUMBER -> KeyboardType.Number
                        FieldKind.TEXT, FieldKind.LINES, FieldKind.DATE -> KeyboardType.Text
                    },
                    imeAction = if (field.kind == FieldKind.LINES) ImeAction.Default else ImeAction.Next,
                ),
                modifier = Modifier.fillMaxWidth().semantics { if (fieldProblem != null) error(fieldProblem) },
            )
        }
        Button(onClick = {
            tried = true
            if (form.problems().isEmpty()) model.save(adding, onSaved)
        }, enabled = !busy, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.inventory_save)) }
    }
}
