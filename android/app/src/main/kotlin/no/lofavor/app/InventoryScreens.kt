package no.lofavor.app

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import no.lofavor.app.model.Route
import no.lofavor.app.model.formatKroner
import no.lofavor.core.AppLocale
import no.lofavor.core.ImportTarget
import no.lofavor.core.Item
import no.lofavor.core.ItemFields
import no.lofavor.core.Totals

/**
 * "Husk Hva Du Har": the rooms with their items' count and value, the totals beside the
 * insured sum, search, the claim report and the sync status.
 *
 * @param locale The language of the report (the app's language).
 * @param onOpen Opens another inventory screen.
 * @param onBack Leaves the inventory.
 */
@Composable
fun InventoryScreen(locale: AppLocale, onOpen: (Route) -> Unit, onBack: () -> Unit, modifier: Modifier = Modifier) {
    val model: InventoryViewModel = viewModel()
    val overview by model.overview.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    val busy by model.busy.collectAsStateWithLifecycle()
    val insured by model.insuredInput.collectAsStateWithLifecycle()
    // Each time the screen opens: items may have changed on another screen or by a sync.
    LaunchedEffect(model) { model.load() }

    InventoryColumn(onBack, modifier) {
        ScreenHeading(stringResource(R.string.inventory_title))
        problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }
        OutlinedButton(onClick = { onOpen(Route.INVENTORY_SEARCH) }) { Text(stringResource(R.string.inventory_search)) }

        SectionHeading(stringResource(R.string.inventory_rooms))
        val loaded = overview
        if (loaded == null) {
            CircularProgressIndicator()
        } else {
            if (loaded.items.isEmpty()) Text(stringResource(R.string.inventory_empty))
            val names = loaded.rooms.map { it.name } + if (loaded.items.any { it.fields.room == null }) listOf(null) else emptyList()
            for (name in names) {
                val total = loaded.totals.byRoom.firstOrNull { it.name == name }
                NavigationRow(
                    title = name ?: stringResource(R.string.inventory_no_room),
                    detail = stringResource(R.string.inventory_room_summary, (total?.items ?: 0uL).toString(), formatKroner(total?.replacementValue ?: 0uL)),
                ) {
                    model.chooseRoom(name)
                    onOpen(Route.INVENTORY_ROOM)
                }
            }
            Button(onClick = {
                model.chooseRoom(null)
                model.startNew()
                onOpen(Route.INVENTORY_ADD)
            }) { Text(stringResource(R.string.inventory_add)) }

            HorizontalDivider()
            SectionHeading(stringResource(R.string.inventory_totals))
            TotalsPart(loaded.totals)
            OutlinedTextField(
                value = insured,
                onValueChange = model::editInsured,
                label = { Text(stringResource(R.string.inventory_insured_sum)) },
                singleLine = true,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal, imeAction = ImeAction.Done),
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedButton(onClick = model::saveInsured, enabled = !busy) { Text(stringResource(R.string.inventory_insured_save)) }
        }

        HorizontalDivider()
        InventorySyncSection(locale)
    }
}

/** What everything cost, what replacing it costs, and whether the insured sum covers it. */
@Composable
private fun TotalsPart(totals: Totals) {
    Text(stringResource(R.string.inventory_total_purchase, formatKroner(totals.all.purchasePrice)))
    Text(stringResource(R.string.inventory_total_replacement, formatKroner(totals.all.replacementValue)))
    val shortfall = totals.shortfall
    when {
        totals.insuredSum == null -> Text(stringResource(R.string.inventory_no_insured_sum))
        shortfall != null && shortfall > 0uL ->
            Text(stringResource(R.string.inventory_shortfall, formatKroner(shortfall)), color = MaterialTheme.colorScheme.error)
        else -> Text(stringResource(R.string.inventory_covered))
    }
}

/**
 * The items of the chosen room, its overview photos, and the ways to add: a form, new items
 * from picked photos (one item per photo, named for the member to rename), or the camera.
 */
@Composable
fun InventoryRoomScreen(onOpen: (Route) -> Unit, onBack: () -> Unit, modifier: Modifier = Modifier) {
    val model: InventoryViewModel = viewModel()
    val importer: InventoryImportViewModel = viewModel()
    val overview by model.overview.collectAsStateWithLifecycle()
    val room by model.room.collectAsStateWithLifecycle()
    val roomPhotos by model.roomPhotos.collectAsStateWithLifecycle()
    val importing by importer.state.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    val running = importing?.running == true
    val newName = stringResource(R.string.inventory_new_item_name)
    val newItem = { ImportTarget.NewItem(ItemFields(name = newName, room = room)) }
    LaunchedEffect(model) { model.load() }
    // When an import ends, its items and photos show.
    LaunchedEffect(running) { if (!running) model.load() }

    InventoryColumn(onBack, modifier) {
        ScreenHeading(room ?: stringResource(R.string.inventory_no_room))
        problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }
        Button(onClick = {
            model.startNew()
            onOpen(Route.INVENTORY_ADD)
        }) { Text(stringResource(R.string.inventory_add)) }
        PickPhotosButton(stringResource(R.string.inventory_add_from_photos), enabled = !running, onPicked = { uris ->
            importer.importPicked(uris) { newItem() }
        })
        TakePhotoButton(enabled = !running, newUri = importer::newCameraUri, onTaken = { taken ->
            importer.cameraDone(taken, newItem())
        })
        importing?.let { ImportPanel(it, onCancel = importer::cancel, onDismiss = importer::dismiss) }

        val name = room
        if (name != null) {
            SectionHeading(stringResource(R.string.inventory_room_photos))
            if (roomPhotos.isEmpty()) Text(stringResource(R.string.inventory_no_photos))
            PhotoStrip(roomPhotos.map { it.id }, stringResource(R.string.inventory_role_room_overview), load = { model.photo(it, true) })
            PickPhotosButton(stringResource(R.string.inventory_add_room_photos), enabled = !running, onPicked = { uris ->
                importer.importPicked(uris) { ImportTarget.Room(name) }
            })
        }

        SectionHeading(stringResource(R.string.inventory_items))
        val loaded = overview
        if (loaded == null) {
            CircularProgressIndicator()
        } else {
            val items = model.itemsOf(loaded, room)
            if (items.isEmpty()) Text(stringResource(R.string.inventory_room_empty))
            for (item in items) {
                ItemRow(item, load = { model.photo(it, true) }) {
                    model.chooseItem(item)
                    onOpen(Route.INVENTORY_ITEM)
                }
            }
        }
    }
}

/** Search as the member types: the results follow a moment after typing stops. */
@Composable
fun InventorySearchScreen(onOpen: (Route) -> Unit, onBack: () -> Unit, modifier: Modifier = Modifier) {
    val model: InventoryViewModel = viewModel()
    val query by model.query.collectAsStateWithLifecycle()
    val results by model.results.collectAsStateWithLifecycle()

    InventoryColumn(onBack, modifier) {
        ScreenHeading(stringResource(R.string.inventory_search))
        OutlinedTextField(
            value = query,
            onValueChange = model::search,
            label = { Text(stringResource(R.string.inventory_search_hint)) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(imeAction = ImeAction.Search),
            modifier = Modifier.fillMaxWidth(),
        )
        val found = results
        if (found != null && found.isEmpty()) Text(stringResource(R.string.inventory_search_none))
        for (item in found.orEmpty()) {
            ItemRow(item, load = { model.photo(it, true) }) {
                model.chooseItem(item)
                onOpen(Route.INVENTORY_ITEM)
            }
        }
    }
}

/** The inventory screens' frame: back, then the content in a scrolling column. */
@Composable
fun InventoryColumn(onBack: () -> Unit, modifier: Modifier = Modifier, content: @Composable () -> Unit) {
    Scaffold(modifier = modifier.fillMaxSize()) { insets ->
        Column(
            modifier = Modifier.padding(insets).verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            TextButton(onClick = onBack) { Text(stringResource(R.string.back)) }
            content()
        }
    }
}

/** A row that opens something: one touch target of at least 48 dp, read as a button. */
@Composable
private fun NavigationRow(title: String, detail: String, onClick: () -> Unit) {
    Column(
        Modifier.fillMaxWidth().heightIn(min = 48.dp).clickable(role = Role.Button, onClick = onClick).padding(vertical = 8.dp),
    ) {
        Text(title, style = MaterialTheme.typography.titleMedium)
        Text(detail, style = MaterialTheme.typography.bodyMedium)
    }
}

/** An item in a list: its first photo's thumbnail, name and value; opens the item. */
@Composable
fun ItemRow(item: Item, load: suspend (String) -> ImageBitmap?, onClick: () -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = 56.dp).clickable(role = Role.Button, onClick = onClick).padding(vertical = 4.dp),
        horizontalArrangement = Arrangement.spacedBy(12.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        val first = item.photos.firstOrNull()
        if (first != null) {
            // The row says the item's name: the thumbnail adds nothing for TalkBack.
            InventoryPhoto(first.id, description = null, load = load, size = 56.dp)
        }
        Column {
            Text(item.fields.name, style = MaterialTheme.typography.titleMedium)
            val value = item.fields.replacementValue ?: item.fields.purchasePrice
            if (value != null) Text(formatKroner(value), style = MaterialTheme.typography.bodyMedium)
        }
    }
}

/** Photos side by side, scrolling sideways; [onOpen] shows one large. */
@Composable
fun PhotoStrip(
    ids: List<String>,
    description: String,
    load: suspend (String) -> ImageBitmap?,
    onOpen: ((String) -> Unit)? = null,
) {
    if (ids.isEmpty()) return
    Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        ids.forEachIndexed { i, id ->
            val label = stringResource(R.string.inventory_photo_description, description, i + 1)
            val tap = if (onOpen == null) Modifier else Modifier.clickable(role = Role.Image, onClickLabel = label) { onOpen(id) }
            InventoryPhoto(id, description = label, load = load, size = 96.dp, modifier = tap)
        }
    }
}
