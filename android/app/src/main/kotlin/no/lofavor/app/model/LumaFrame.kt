package no.lofavor.app.model

import java.nio.ByteBuffer

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/**
 * Copies the luma (Y) plane of a camera image into `width * height` bytes, row after row, as
 * the core's `verifyCertificateImage` wants them.
 *
 * A camera's plane is padded: each row takes [rowStride] bytes, which may be more than
 * [width], and the last row may stop right after its last pixel. Reading the buffer as one
 * block would shear the picture (and fail on the last row), so it is copied row by row.
 * CameraX's YUV_420_888 Y plane has a pixel stride of 1; other strides are copied pixel by
 * pixel.
 *
 * @param plane The plane's buffer; its position is left where it was.
 * @param into A buffer to reuse when it has the right size (one frame at a time), else null.
 * @throws IllegalArgumentException when the strides and sizes do not fit the buffer.
 */
fun copyLuma(
    width: Int,
    height: Int,
    rowStride: Int,
    pixelStride: Int,
    plane: ByteBuffer,
    into: ByteArray? = null,
): ByteArray {
    require(width > 0 && height > 0) { "empty frame" }
    require(pixelStride >= 1 && rowStride >= (width - 1) * pixelStride + 1) { "row stride shorter than a row" }
    val needed = (height - 1).toLong() * rowStride + (width - 1).toLong() * pixelStride + 1
    val start = plane.position()
    require(plane.limit() - start >= needed) { "plane holds ${plane.limit() - start} bytes, the frame needs $needed" }
    val out = if (into != null && into.size == width * height) into else ByteArray(width * height)
    val source = plane.duplicate()
    for (row in 0 until height) {
        val rowStart = start + row * rowStride
        if (pixelStride == 1) {
            source.position(rowStart)
            source.get(out, row * width, width)
        } else {
            for (x in 0 until width) out[row * width + x] = source.get(rowStart + x * pixelStride)
        }
    }
    return out
}

/**
 * Lets one camera frame at a time through to the core, and no more often than every
 * [minIntervalMs]: the analyser drops the rest (CameraX's STRATEGY_KEEP_ONLY_LATEST already
 * keeps just the newest frame waiting). Thread-safe: frames arrive on the analyser's thread.
 */
class FrameGate(private val minIntervalMs: Long = 0) {
    private var busy = false
    private var lastStartMs = Long.MIN_VALUE / 2

    /** Whether a frame arriving at [nowMs] should be checked; if so, call [finish] after. */
    @Synchronized
    fun tryStart(nowMs: Long): Boolean {
        if (busy || nowMs - lastStartMs < minIntervalMs) return false
        busy = true
        lastStartMs = nowMs
        return true
    }

    /** The frame let through by [tryStart] is done. */
    @Synchronized
    fun finish() {
        busy = false
    }
}
