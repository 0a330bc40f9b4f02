package no.lofavor.app

import android.app.Application
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.FrameGate
import no.lofavor.app.model.ScannerEvent
import no.lofavor.app.model.ScannerState
import no.lofavor.app.model.acceptsFrames
import no.lofavor.app.model.after
import no.lofavor.app.model.copyLuma
import no.lofavor.app.model.errorText
import no.lofavor.core.RoadsideHandle
import no.lofavor.core.TrustMaterial

/**
 * The field scanner's state, kept across rotation: the verdict on screen, the lists it judges
 * by, and the camera frames' way to the core.
 *
 * Frames arrive on [analysisExecutor], one thread, so at most one frame is with the core at a
 * time (and the [FrameGate] spaces them out); the core's check blocks that thread, never the
 * main one. The luma buffer is reused from frame to frame.
 */
class ScannerViewModel(application: Application) : AndroidViewModel(application) {
    private val app = application as LofavorApp

    private val _state = MutableStateFlow<ScannerState>(ScannerState.Scanning())

    /** What the scanner shows. */
    val state: StateFlow<ScannerState> = _state.asStateFlow()

    private val _material = MutableStateFlow<TrustMaterial?>(null)

    /** The cached trust and revocation lists, or null before the first fetch. */
    val material: StateFlow<TrustMaterial?> = _material.asStateFlow()

    private val _refreshing = MutableStateFlow(false)

    /** True while the lists are being fetched. */
    val refreshing: StateFlow<Boolean> = _refreshing.asStateFlow()

    private val _refreshProblem = MutableStateFlow<ErrorText?>(null)

    /** Why the last fetch of the lists failed ([ErrorText.NETWORK] when offline), or null. */
    val refreshProblem: StateFlow<ErrorText?> = _refreshProblem.asStateFlow()

    /** The one thread camera frames are checked on. */
    val analysisExecutor: ExecutorService = Executors.newSingleThreadExecutor { Thread(it, "lofavor-scanner") }

    private val gate = FrameGate(minIntervalMs = FRAME_INTERVAL_MS)

    @Volatile
    private var roadside: RoadsideHandle? = null

    // Touched only on the analysis thread.
    private var luma: ByteArray? = null

    init {
        viewModelScope.launch {
            val handle = runCatching { app.core.await().roadside() }.getOrElse {
                _state.value = ScannerState.Failed(errorText(it))
                return@launch
            }
            roadside = handle
            _material.value = withContext(Dispatchers.IO) { runCatching { handle.trustMaterial() }.getOrNull() }
            // Fetch fresh lists once when the scanner opens: a phone that is online gets
            // today's revocations; offline, the cached lists are used and nothing is shown.
            refresh(quiet = true)
        }
    }

    /** The analyser CameraX calls with each frame, on [analysisExecutor]. */
    val analyzer: ImageAnalysis.Analyzer = ImageAnalysis.Analyzer { image ->
        try {
            checkFrame(image)
        } finally {
            // CameraX delivers no further frame until this one is closed.
            image.close()
        }
    }

    private fun checkFrame(image: ImageProxy) {
        val handle = roadside ?: return
        if (!_state.value.acceptsFrames) return
        val now = System.currentTimeMillis()
        if (!gate.tryStart(now)) return
        try {
            // The Y plane of YUV_420_888: full resolution, one byte a pixel, padded rows.
            val plane = image.planes[0]
            val frame = try {
                copyLuma(image.width, image.height, plane.rowStride, plane.pixelStride, plane.buffer, luma)
            } catch (e: IllegalArgumentException) {
                return // a frame whose plane does not match its size: the next one will do
            }
            luma = frame
            val event = try {
                ScannerEvent.Checked(handle.verifyCertificateImage(image.width.toUInt(), image.height.toUInt(), frame))
            } catch (e: Exception) {
                // A typed refusal (no trust list yet) or a panic in the core: both shown, neither a verdict.
                ScannerEvent.CheckFailed(e)
            }
            _state.update { it.after(event) }
        } finally {
            gate.finish()
        }
    }

    /** The worker asks for the next certificate. */
    fun scanNext() {
        _state.update { it.after(ScannerEvent.ScanNext) }
    }

    /**
     * Fetches the trust and revocation lists. With [quiet], a failure is not shown (the
     * automatic fetch when the scanner opens); a fetch the worker asked for shows why it failed.
     */
    fun refresh(quiet: Boolean = false) {
        val handle = roadside ?: return
        if (_refreshing.value) return
        _refreshing.value = true
        viewModelScope.launch {
            // refreshTrustMaterial suspends on the core's own runtime.
            runCatching { handle.refreshTrustMaterial() }
                .onSuccess {
                    _material.value = it
                    _refreshProblem.value = null
                    _state.update { state -> state.after(ScannerEvent.TrustRefreshed) }
                }
                .onFailure { if (!quiet) _refreshProblem.value = errorText(it) }
            _refreshing.value = false
        }
    }

    override fun onCleared() {
        analysisExecutor.shutdown()
    }

    private companion object {
        /** At most about seven frames a second: enough to feel instant, light on the battery. */
        const val FRAME_INTERVAL_MS = 150L
    }
}
