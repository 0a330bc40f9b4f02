package no.lofavor.app

import android.app.Application
import android.content.Context
import android.net.Uri
import androidx.core.content.FileProvider
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import java.io.File
import java.time.LocalDate
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.errorText
import no.lofavor.core.AppLocale
import no.lofavor.core.InventoryHandle
import no.lofavor.core.InventorySync

/** The claim report's formats, with what the share sheet needs of each. */
enum class ReportKind(val mimeType: String, val extension: String) {
    /** For the insurer and for print. */
    PDF("application/pdf", "pdf"),

    /** For a spreadsheet. */
    CSV("text/csv", "csv"),
}

/** A report ready for the share sheet. */
data class ReportFile(val uri: Uri, val kind: ReportKind)

/**
 * The inventory's sync status and its claim report: how many changes wait to be sent, when
 * the last sync succeeded on this phone, "sync now"; the report as PDF or CSV written to the
 * exports folder of the cache and shared by a content URI (no storage permission).
 *
 * The time of the last sync is kept in the app's preferences: a time, no personal data.
 */
class InventorySyncViewModel(application: Application) : AndroidViewModel(application) {
    private val app = application as LofavorApp
    private val prefs = application.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    private val _pending = MutableStateFlow<ULong?>(null)

    /** Changes on this phone not yet sent, or null while read. */
    val pending: StateFlow<ULong?> = _pending.asStateFlow()

    private val _lastSync = MutableStateFlow(prefs.getLong(KEY_LAST_SYNC, 0L).takeIf { it > 0 })

    /** When the last sync succeeded on this phone (Unix ms), or null for never. */
    val lastSync: StateFlow<Long?> = _lastSync.asStateFlow()

    private val _result = MutableStateFlow<InventorySync?>(null)

    /** What the last sync of this session sent and fetched. */
    val result: StateFlow<InventorySync?> = _result.asStateFlow()

    private val _busy = MutableStateFlow(false)

    /** True while a sync or a report runs: their buttons are off. */
    val busy: StateFlow<Boolean> = _busy.asStateFlow()

    private val _problem = MutableStateFlow<ErrorText?>(null)

    /** Why the last sync or report failed, or null. */
    val problem: StateFlow<ErrorText?> = _problem.asStateFlow()

    private val _share = MutableStateFlow<ReportFile?>(null)

    /** A report waiting for the share sheet; the screen opens it and calls [shared]. */
    val share: StateFlow<ReportFile?> = _share.asStateFlow()

    private suspend fun inventory(): InventoryHandle = app.core.await().inventory()

    /** Reads the number of waiting changes (it reads the database: off the main thread). */
    fun load() {
        viewModelScope.launch {
            try {
                val inventory = inventory()
                _pending.value = withContext(Dispatchers.IO) { inventory.pendingChanges() }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                _problem.value = errorText(e)
            }
        }
    }

    /** Runs [block] as the one action under way, then reads the waiting changes again. */
    private fun action(block: suspend (InventoryHandle) -> Unit) {
        if (_busy.value) return
        _busy.value = true
        _problem.value = null
        viewModelScope.launch {
            try {
                block(inventory())
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                _problem.value = errorText(e)
            }
            _busy.value = false
            load()
        }
    }

    /** Sends the changes on this phone and fetches those made elsewhere. */
    fun sync() = action { inventory: InventoryHandle ->
        val result = inventory.sync()
        val now = System.currentTimeMillis()
        prefs.edit().putLong(KEY_LAST_SYNC, now).apply()
        _lastSync.value = now
        _result.value = result
        _pending.value = result.pending
    }

    /** Writes the claim report as [kind], in [language], for the share sheet ([share]). */
    fun report(kind: ReportKind, language: AppLocale) = action { inventory: InventoryHandle ->
        val bytes = when (kind) {
            ReportKind.PDF -> inventory.reportPdf(language)
            ReportKind.CSV -> inventory.reportCsv(language)
        }
        val context = getApplication<Application>()
        val uri = withContext(Dispatchers.IO) {
            val dir = File(context.cacheDir, EXPORTS_FOLDER).apply { mkdirs() }
            // One report at a time on the phone: the previous ones go.
            dir.listFiles { f -> f.name.startsWith(REPORT_PREFIX) }?.forEach { it.delete() }
            val file = File(dir, "$REPORT_PREFIX${LocalDate.now()}.${kind.extension}")
            file.writeBytes(bytes)
            FileProvider.getUriForFile(context, "${context.packageName}.exports", file)
        }
        _share.value = ReportFile(uri, kind)
    }

    /** The share sheet was opened (or could not be). */
    fun shared() {
        _share.value = null
    }

    private companion object {
        const val PREFS = "inventory"
        const val KEY_LAST_SYNC = "last_sync_ms"

        /** The folder export_paths.xml names. */
        const val EXPORTS_FOLDER = "exports"

        /** The report's file name: the date only, no member's name. */
        const val REPORT_PREFIX = "husk-hva-du-har-"
    }
}
