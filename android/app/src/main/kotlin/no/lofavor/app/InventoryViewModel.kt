package no.lofavor.app

import android.app.Application
import android.graphics.BitmapFactory
import android.util.LruCache
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.asImageBitmap
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.SavedStateHandle
import androidx.lifecycle.viewModelScope
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.FlowPreview
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.debounce
import kotlinx.coroutines.flow.mapLatest
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.app.model.AmountInput
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.FormField
import no.lofavor.app.model.FormResult
import no.lofavor.app.model.InventoryForm
import no.lofavor.app.model.errorText
import no.lofavor.app.model.kronerInput
import no.lofavor.app.model.parseKroner
import no.lofavor.core.InventoryHandle
import no.lofavor.core.Item
import no.lofavor.core.Photo
import no.lofavor.core.Room
import no.lofavor.core.Totals

/** What the inventory's overview shows. */
data class InventoryOverview(val rooms: List<Room>, val items: List<Item>, val totals: Totals)

/**
 * The inventory screens' state: the overview (rooms, items, totals), the room and item the
 * member chose, the add/edit form, the search text and its results, and the photos' bitmaps.
 *
 * What the member chose and typed lives in the [SavedStateHandle] (room, item id, each form
 * field's text, the search text), so rotation and process death come back to the same room,
 * item and half-typed form; what the core holds is read again. Every call here reads or
 * writes the local database, so each runs on [Dispatchers.IO], never on the main thread.
 */
@OptIn(FlowPreview::class, ExperimentalCoroutinesApi::class)
class InventoryViewModel(application: Application, private val saved: SavedStateHandle) : AndroidViewModel(application) {
    private val app = application as LofavorApp

    private val _overview = MutableStateFlow<InventoryOverview?>(null)

    /** Rooms, items and totals, or null while first read. */
    val overview: StateFlow<InventoryOverview?> = _overview.asStateFlow()

    private val _item = MutableStateFlow<Item?>(null)

    /** The chosen item with its photos, or null while read (or deleted). */
    val item: StateFlow<Item?> = _item.asStateFlow()

    private val _busy = MutableStateFlow(false)

    /** True while a change is being saved: its buttons are off. */
    val busy: StateFlow<Boolean> = _busy.asStateFlow()

    private val _problem = MutableStateFlow<ErrorText?>(null)

    /** Why the last read or change failed, or null. */
    val problem: StateFlow<ErrorText?> = _problem.asStateFlow()

    /** The room chosen on the overview (its name), or null for items without a room. */
    val room: StateFlow<String?> = saved.getStateFlow(KEY_ROOM, null)

    /** The id of the item shown on the item screen. */
    val itemId: StateFlow<String?> = saved.getStateFlow(KEY_ITEM, null)

    /** The search text as typed. */
    val query: StateFlow<String> = saved.getStateFlow(KEY_QUERY, "")

    /** The items matching [query], 250 ms after the member stops typing (null while none typed). */
    val results: StateFlow<List<Item>?> = query
        .debounce(SEARCH_DELAY_MS)
        .mapLatest { text ->
            if (text.isBlank()) {
                null
            } else {
                runCatching { withContext(Dispatchers.IO) { inventory().search(text) } }
                    .onFailure { if (it is CancellationException) throw it }
                    .getOrElse { emptyList() }
            }
        }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), null)

    /** The insured sum being typed, kept as typed. */
    val insuredInput: StateFlow<String> = saved.getStateFlow(KEY_INSURED, "")

    private val _form = MutableStateFlow(
        InventoryForm(FormField.entries.associateWith { saved.get<String>(KEY_FORM + it.name).orEmpty() }),
    )

    /** The add/edit form as typed (every field's text, restored from the saved state). */
    val form: StateFlow<InventoryForm> = _form.asStateFlow()

    private val _roomPhotos = MutableStateFlow<List<Photo>>(emptyList())

    /** The overview photos of the chosen room. */
    val roomPhotos: StateFlow<List<Photo>> = _roomPhotos.asStateFlow()

    /** Whether the delete confirmation is open. */
    val confirmDelete: StateFlow<Boolean> = saved.getStateFlow(KEY_CONFIRM_DELETE, false)

    // The thumbnails of the lists: small (320 px), decoded once, kept while the screens are.
    private val thumbnails = LruCache<String, ImageBitmap>(THUMBNAILS_KEPT)

    private suspend fun inventory(): InventoryHandle = app.core.await().inventory()

    /** Reads the overview again: each time an inventory screen opens, and after each change. */
    fun load() {
        viewModelScope.launch { read { refresh() } }
    }

    private suspend fun refresh() {
        val inventory = inventory()
        _overview.value = withContext(Dispatchers.IO) {
            InventoryOverview(inventory.rooms(), inventory.items(), inventory.totals())
        }
        val chosenRoom = room.value
        _roomPhotos.value = if (chosenRoom == null) emptyList() else withContext(Dispatchers.IO) { inventory.roomPhotos(chosenRoom) }
        val id = itemId.value
        _item.value = if (id == null) null else withContext(Dispatchers.IO) { runCatching { inventory.item(id) }.getOrNull() }
        if (insuredInput.value.isEmpty()) _overview.value?.totals?.insuredSum?.let { saved[KEY_INSURED] = kronerInput(it) }
    }

    /** Runs [block], keeping its failure as [problem]. */
    private suspend fun read(block: suspend () -> Unit) {
        try {
            block()
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            _problem.value = errorText(e)
        }
    }

    /** Runs [block] as the one change under way, then reads everything again. */
    private fun change(block: suspend (InventoryHandle) -> Unit) {
        if (_busy.value) return
        _busy.value = true
        _problem.value = null
        viewModelScope.launch {
            read { block(inventory()) }
            read { refresh() }
            _busy.value = false
        }
    }

    /** Chooses a room (null: items without a room). */
    fun chooseRoom(name: String?) {
        saved[KEY_ROOM] = name
        _roomPhotos.value = emptyList()
        viewModelScope.launch { read { refresh() } }
    }

    /** The chosen room's items, from the overview. */
    fun itemsOf(overview: InventoryOverview, room: String?): List<Item> = overview.items.filter { it.fields.room == room }

    /** Chooses [item] to show; its room becomes the chosen one, where back from it leads. */
    fun chooseItem(item: Item) {
        saved[KEY_ITEM] = item.id
        saved[KEY_ROOM] = item.fields.room
        _item.value = item
        viewModelScope.launch { read { refresh() } }
    }

    /** Shows the item [id] (a new item, just imported or saved). */
    fun chooseItemId(id: String) {
        saved[KEY_ITEM] = id
        viewModelScope.launch { read { refresh() } }
    }

    /** Edits the search text. */
    fun search(text: String) {
        saved[KEY_QUERY] = text
    }

    /** Starts a new item's form, in the chosen room. */
    fun startNew() = setForm(InventoryForm.new(room.value))

    /** Starts the form of the shown item. */
    fun startEdit() {
        _item.value?.let { setForm(InventoryForm.of(it.fields)) }
    }

    /** Edits one field of the form. */
    fun edit(field: FormField, text: String) = setForm(_form.value.with(field, text))

    private fun setForm(form: InventoryForm) {
        for (field in FormField.entries) saved[KEY_FORM + field.name] = form[field]
        _form.value = form
    }

    /**
     * Saves the form: a new item ([adding]) or the shown one. Calls [onSaved] with the item's
     * id once saved; with problems in the form nothing is saved (the screen shows them).
     */
    fun save(adding: Boolean, onSaved: (String) -> Unit) {
        val fields = (_form.value.read() as? FormResult.Valid)?.fields ?: return
        val chosenRoom = room.value
        _roomPhotos.value = if (chosenRoom == null) emptyList() else withContext(Dispatchers.IO) { inventory.roomPhotos(chosenRoom) }
        val id = itemId.value
        change { inventory: InventoryHandle ->
            val savedId = withContext(Dispatchers.IO) {
                if (adding || id == null) inventory.addItem(fields) else id.also { inventory.updateItem(it, fields) }
            }
            saved[KEY_ITEM] = savedId
            saved[KEY_ROOM] = fields.room
            onSaved(savedId)
        }
    }

    /** Opens or closes the delete confirmation. */
    fun askDelete(open: Boolean) {
        saved[KEY_CONFIRM_DELETE] = open
    }

    /** Deletes the shown item (after the confirmation), then calls [onDeleted]. */
    fun delete(onDeleted: () -> Unit) {
        val chosenRoom = room.value
        _roomPhotos.value = if (chosenRoom == null) emptyList() else withContext(Dispatchers.IO) { inventory.roomPhotos(chosenRoom) }
        val id = itemId.value ?: return
        saved[KEY_CONFIRM_DELETE] = false
        change { inventory: InventoryHandle ->
            withContext(Dispatchers.IO) { inventory.deleteItem(id) }
            saved[KEY_ITEM] = null
            onDeleted()
        }
    }

    /** Edits the insured sum as typed. */
    fun editInsured(text: String) {
        saved[KEY_INSURED] = text
    }

    /** Saves the insured sum as typed (empty clears it); a text that is no amount is refused. */
    fun saveInsured() {
        val sum = when (val amount = parseKroner(insuredInput.value)) {
            AmountInput.Empty -> null
            is AmountInput.Ore -> amount.ore
            AmountInput.Invalid -> {
                _problem.value = ErrorText.INVALID_INPUT
                return
            }
        }
        change { inventory: InventoryHandle -> withContext(Dispatchers.IO) { inventory.setInsuredSum(sum) } }
    }

    /**
     * The photo [id] as a bitmap: the thumbnail (kept for the lists) or the large rendition
     * (for the full view, not kept). Read and decoded off the main thread; null if it could
     * not be read.
     */
    suspend fun photo(id: String, thumbnail: Boolean): ImageBitmap? {
        if (thumbnail) thumbnails.get(id)?.let { return it }
        return try {
            val inventory = inventory()
            val bitmap = withContext(Dispatchers.IO) {
                val bytes = inventory.photoJpeg(id, thumbnail)
                BitmapFactory.decodeByteArray(bytes, 0, bytes.size)?.asImageBitmap()
            }
            bitmap?.also { if (thumbnail) thumbnails.put(id, it) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            null
        }
    }

    private companion object {
        const val SEARCH_DELAY_MS = 250L
        const val THUMBNAILS_KEPT = 120
        const val KEY_ROOM = "inventory.room"
        const val KEY_ITEM = "inventory.item"
        const val KEY_QUERY = "inventory.query"
        const val KEY_INSURED = "inventory.insured"
        const val KEY_FORM = "inventory.form."
        const val KEY_CONFIRM_DELETE = "inventory.confirm_delete"
    }
}
