package no.lofavor.app

import android.app.Application
import android.net.Uri
import android.os.Handler
import android.os.Looper
import androidx.core.content.FileProvider
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.SavedStateHandle
import androidx.lifecycle.viewModelScope
import java.io.File
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.app.model.ImportState
import no.lofavor.core.ImportJob
import no.lofavor.core.ImportObserver
import no.lofavor.core.ImportProgress
import no.lofavor.core.ImportTarget
import no.lofavor.core.PhotoImport
import no.lofavor.core.PhotoSource

/**
 * Photos into the inventory: those the member picked in the system photo picker, or the one
 * the system camera just took. Each picked photo is copied from its content URI into the
 * import folder of the cache (HEIC and other formats converted to JPEG first, as the core
 * takes JPEG and PNG only), then the core imports the files in the background, a few at a
 * time, with its progress posted to the main thread and a cancel that stops what has not
 * started.
 *
 * The state survives rotation (this view model); the camera's file path is in the
 * [SavedStateHandle], because the camera app may run while this process is ended. An import
 * itself does not survive process death: photos that went in are whole items, the rest are
 * simply not there, and the member picks them again.
 */
class InventoryImportViewModel(application: Application, private val saved: SavedStateHandle) : AndroidViewModel(application) {
    private val app = application as LofavorApp
    private val main = Handler(Looper.getMainLooper())
    private var job: ImportJob? = null

    private val _state = MutableStateFlow<ImportState?>(null)

    /** The import under way or last finished, or null before the first. */
    val state: StateFlow<ImportState?> = _state.asStateFlow()

    /** The import's progress, from the core's worker threads. */
    private inner class Observer : ImportObserver {
        override fun onProgress(progress: ImportProgress) {
            // Return at once: the state changes on the main thread, in the order posted.
            main.post { _state.value = _state.value?.progressed(progress) }
        }
    }

    /**
     * Imports the photos at [uris] (from the photo picker), the i-th to [target]`(i)`. Only
     * one import at a time: a second is ignored while the first runs.
     */
    fun importPicked(uris: List<Uri>, target: (Int) -> ImportTarget) {
        if (uris.isEmpty() || _state.value?.running == true) return
        _state.value = ImportState.started(uris.size)
        viewModelScope.launch {
            val sources = withContext(Dispatchers.IO) {
                val dir = importDir().apply { deleteRecursively(); mkdirs() }
                uris.mapIndexed { i, uri ->
                    // A photo that cannot be read or converted goes to the core as nothing:
                    // the core refuses it, and the summary names it by its place.
                    val file = PhotoFiles.copyAsJpegOrPng(getApplication<Application>(), uri, File(dir, "photo-$i"))
                    if (file != null) PhotoSource.File(file.path) else PhotoSource.Bytes(ByteArray(0))
                }
            }
            runImport(sources.mapIndexed { i, source -> PhotoImport(source, target(i), keepOriginal = false) })
        }
    }

    /**
     * A content URI of a new file in the camera folder of the cache, for the system camera to
     * write its photo to; its path is kept in the saved state until [cameraDone].
     */
    fun newCameraUri(): Uri {
        val context = getApplication<Application>()
        val dir = File(context.cacheDir, CAMERA_FOLDER).apply { mkdirs() }
        val file = File(dir, "photo-${System.currentTimeMillis()}.jpg")
        saved[KEY_CAMERA_FILE] = file.path
        return FileProvider.getUriForFile(context, "${context.packageName}.exports", file)
    }

    /** The camera is back: imports its photo to [target] if it took one ([taken]). */
    fun cameraDone(taken: Boolean, target: ImportTarget) {
        val path = saved.get<String>(KEY_CAMERA_FILE) ?: return
        saved[KEY_CAMERA_FILE] = null
        val file = File(path)
        if (!taken || _state.value?.running == true) {
            viewModelScope.launch(Dispatchers.IO) { file.delete() }
            return
        }
        _state.value = ImportState.started(1)
        // The camera app writes JPEG: it goes to the core as the file it is.
        viewModelScope.launch { runImport(listOf(PhotoImport(PhotoSource.File(file.path), target, keepOriginal = false))) }
    }

    private suspend fun runImport(photos: List<PhotoImport>) {
        try {
            val inventory = app.core.await().inventory()
            val started = withContext(Dispatchers.IO) { inventory.startImport(photos, Observer()) }
            job = started
            val summary = started.finish()
            _state.value = _state.value?.finished(summary)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            _state.value = _state.value?.failed(e)
        } finally {
            job = null
            // The copies were for the core alone; it keeps its own renditions.
            // Also when the import was cancelled with the screens: NonCancellable.
            withContext(NonCancellable + Dispatchers.IO) {
                importDir().deleteRecursively()
                File(getApplication<Application>().cacheDir, CAMERA_FOLDER).deleteRecursively()
            }
        }
    }

    /** Cancels the import: photos under way finish, the rest do not start. */
    fun cancel() {
        _state.value = _state.value?.cancelling()
        job?.cancel()
    }

    /** The finished import's summary was seen: the panel closes. */
    fun dismiss() {
        if (_state.value?.running == false) _state.value = null
    }

    /** Leaving the inventory for good stops the import; what went in stays whole. */
    override fun onCleared() {
        job?.cancel()
        super.onCleared()
    }

    private fun importDir() = File(getApplication<Application>().cacheDir, IMPORT_FOLDER)

    private companion object {
        /** Copies of picked photos, for the core to read; emptied after each import. */
        const val IMPORT_FOLDER = "import"

        /** The system camera's photos (export_paths.xml serves this folder to it). */
        const val CAMERA_FOLDER = "camera"
        const val KEY_CAMERA_FILE = "inventory.camera_file"
    }
}
