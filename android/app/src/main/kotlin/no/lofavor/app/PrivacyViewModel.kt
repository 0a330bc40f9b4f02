package no.lofavor.app

import android.app.Application
import android.net.Uri
import androidx.core.content.FileProvider
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.SavedStateHandle
import androidx.lifecycle.viewModelScope
import java.io.File
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.ExportKind
import no.lofavor.app.model.HistoryLine
import no.lofavor.app.model.REQUEST_KINDS
import no.lofavor.app.model.RequestLine
import no.lofavor.app.model.errorText
import no.lofavor.app.model.exportFileName
import no.lofavor.app.model.historyLines
import no.lofavor.app.model.requestLines
import no.lofavor.core.AccessReport
import no.lofavor.core.LofavorCore
import no.lofavor.core.ReservationRow

/** What the privacy screen shows besides the consent switches. */
data class PrivacyData(
    /** The reservation against direct marketing, as the core has it. */
    val reservation: ReservationRow,
    /** Every decision, newest first, with its receipt state. */
    val history: List<HistoryLine>,
    /** The rights requests, or null while they are read (they need the network). */
    val requests: List<RequestLine>?,
    /** Why the requests could not be read, or null. */
    val requestsProblem: ErrorText?,
)

/** A file ready for the share sheet. */
data class ShareFile(val uri: Uri, val kind: ExportKind)

/**
 * The privacy screen's state, kept across rotation (the request being written and the open
 * erase confirmation in the [SavedStateHandle]): the reservation, the history with each
 * receipt checked against the server's published key, the access report, exports for the
 * share sheet, the rights requests with their deadlines, and erasure on this device.
 *
 * Exports are written to the exports folder of the cache (the only folder the FileProvider
 * serves), replacing the previous ones, and shared by a content URI: no storage permission.
 * Reading the database and writing files happen off the main thread; the core's async calls
 * run on its own runtime.
 */
class PrivacyViewModel(application: Application, private val saved: SavedStateHandle) : AndroidViewModel(application) {
    private val app = application as LofavorApp

    private val _data = MutableStateFlow<PrivacyData?>(null)

    /** What the screen shows, or null while it is first read. */
    val data: StateFlow<PrivacyData?> = _data.asStateFlow()

    private val _busy = MutableStateFlow(false)

    /** True while an action runs: its buttons are off. */
    val busy: StateFlow<Boolean> = _busy.asStateFlow()

    private val _problem = MutableStateFlow<ErrorText?>(null)

    /** Why the last action failed, or null. */
    val problem: StateFlow<ErrorText?> = _problem.asStateFlow()

    private val _access = MutableStateFlow<AccessReport?>(null)

    /** The access report, once asked for. */
    val access: StateFlow<AccessReport?> = _access.asStateFlow()

    private val _share = MutableStateFlow<ShareFile?>(null)

    /** An export waiting for the share sheet; the screen opens it and calls [shared]. */
    val share: StateFlow<ShareFile?> = _share.asStateFlow()

    private val _erased = MutableStateFlow(false)

    /** True once the member's data on this phone is erased: the screen closes. */
    val erased: StateFlow<Boolean> = _erased.asStateFlow()

    /** The kind of request being written (the core's stable name). */
    val requestKind: StateFlow<String> = saved.getStateFlow(KEY_REQUEST_KIND, REQUEST_KINDS.first())

    /** The text of the request being written. */
    val requestText: StateFlow<String> = saved.getStateFlow(KEY_REQUEST_TEXT, "")

    /** Whether the erase confirmation is open. */
    val confirmErase: StateFlow<Boolean> = saved.getStateFlow(KEY_CONFIRM_ERASE, false)

    private suspend fun core(): LofavorCore = app.core.await()

    /** Reads everything again: each time the screen opens, and after each change. */
    fun load() {
        viewModelScope.launch { refresh() }
    }

    private suspend fun refresh() {
        try {
            val consent = core().consent()
            // screen(), history() and verifyReceipt() read the database and check signatures.
            val (reservation, history) = withContext(Dispatchers.IO) {
                val reservation = consent.screen().reservation
                val history = historyLines(consent.history()) { receipt ->
                    runCatching { consent.verifyReceipt(receipt) }.isSuccess
                }
                reservation to history
            }
            _data.value = PrivacyData(reservation, history, _data.value?.requests, _data.value?.requestsProblem)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            _problem.value = errorText(e)
            return
        }
        val requests = try {
            Result.success(requestLines(core().consent().requests(), System.currentTimeMillis() / 1000))
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            Result.failure(e)
        }
        _data.value = _data.value?.copy(
            requests = requests.getOrNull() ?: _data.value?.requests,
            requestsProblem = requests.exceptionOrNull()?.let(::errorText),
        )
    }

    /** Runs [block] as the one action under way, then reads everything again. */
    private fun action(block: suspend (LofavorCore) -> Unit) {
        if (_busy.value) return
        _busy.value = true
        _problem.value = null
        viewModelScope.launch {
            try {
                block(core())
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                _problem.value = errorText(e)
            }
            if (!_erased.value) refresh()
            _busy.value = false
        }
    }

    /** Reserves against direct marketing, or lifts the reservation. */
    fun setReservation(reserved: Boolean) = action { core: LofavorCore -> core.consent().setReservation(reserved) }

    /** Sends what waits (decisions, requests) and reads decisions made on other devices. */
    fun sync() = action { core: LofavorCore -> core.consent().sync() }

    /** Reads the access report (what the phone and LOfavør hold). */
    fun readAccess() = action { core: LofavorCore -> _access.value = core.consent().access() }

    /** Writes [kind] to a file for the share sheet ([share]). */
    fun export(kind: ExportKind) = action { core: LofavorCore ->
        val bytes = when (kind) {
            ExportKind.ARCHIVE -> core.consent().export()
            ExportKind.RECEIPTS -> withContext(Dispatchers.IO) { core.consent().exportReceipts() }
        }
        val context = getApplication<Application>()
        val uri = withContext(Dispatchers.IO) {
            val dir = exportsDir().apply { mkdirs() }
            // One export at a time on the phone: the previous ones go.
            dir.listFiles()?.forEach { it.delete() }
            val file = File(dir, exportFileName(kind, System.currentTimeMillis() / 1000))
            file.writeBytes(bytes)
            FileProvider.getUriForFile(context, "${context.packageName}.exports", file)
        }
        _share.value = ShareFile(uri, kind)
    }

    /** The share sheet was opened (or could not be). */
    fun shared() {
        _share.value = null
    }

    /** Chooses the kind of request being written. */
    fun chooseRequestKind(kind: String) {
        if (kind in REQUEST_KINDS) saved[KEY_REQUEST_KIND] = kind
    }

    /** Edits the request's text. */
    fun editRequestText(text: String) {
        saved[KEY_REQUEST_TEXT] = text
    }

    /** Sends the request being written; offline the core keeps it and sends it later. */
    fun sendRequest() {
        val kind = requestKind.value
        val text = requestText.value.trim().ifEmpty { null }
        action { core: LofavorCore ->
            core.consent().request(kind, text)
            saved[KEY_REQUEST_TEXT] = ""
        }
    }

    /** Opens or closes the erase confirmation. */
    fun askErase(open: Boolean) {
        saved[KEY_CONFIRM_ERASE] = open
    }

    /**
     * Erases the member's data on this phone (after the confirmation): the core logs out and
     * erases every capability's data and token; the exports in the cache go too.
     */
    fun erase() {
        saved[KEY_CONFIRM_ERASE] = false
        action { core: LofavorCore ->
            core.eraseDevice()
            withContext(Dispatchers.IO) { exportsDir().deleteRecursively() }
            _access.value = null
            _erased.value = true
        }
    }

    private fun exportsDir() = File(getApplication<Application>().cacheDir, EXPORTS_FOLDER)

    private companion object {
        /** The folder export_paths.xml names. */
        const val EXPORTS_FOLDER = "exports"
        const val KEY_REQUEST_KIND = "privacy.request_kind"
        const val KEY_REQUEST_TEXT = "privacy.request_text"
        const val KEY_CONFIRM_ERASE = "privacy.confirm_erase"
    }
}
