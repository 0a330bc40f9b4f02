package no.lofavor.core.android

// Pure Kotlin, like CoreSettings: shared by the app and the JVM tests.

/**
 * A QR code as a square of modules, row by row, `true` for dark: what the certificate screen
 * draws. The core renders the certificate's QR code; the app converts the core's matrix
 * record into this, so the drawing code does not depend on the record's exact shape.
 *
 * @property size Modules per side (21 for version 1, 4 more per version).
 * @property modules `size * size` modules, row after row.
 */
class QrModules(val size: Int, val modules: List<Boolean>) {
    init {
        require(size > 0) { "a QR code has at least one module per side" }
        require(modules.size == size * size) { "expected ${size * size} modules, got ${modules.size}" }
    }

    /** Whether the module in column [x], row [y] is dark. */
    fun isDark(x: Int, y: Int): Boolean = modules[y * size + x]

    /**
     * The dark modules as horizontal runs, in module units, offset by the quiet zone: one
     * rectangle per run instead of one per module keeps a version-10 code (57 × 57) at a few
     * hundred draw calls and leaves no hairline seams between neighbouring modules.
     */
    fun darkRuns(): List<ModuleRun> {
        val runs = ArrayList<ModuleRun>()
        for (y in 0 until size) {
            var x = 0
            while (x < size) {
                if (!isDark(x, y)) {
                    x++
                    continue
                }
                val start = x
                while (x < size && isDark(x, y)) x++
                runs += ModuleRun(x = start + QUIET_ZONE, y = y + QUIET_ZONE, length = x - start)
            }
        }
        return runs
    }

    /** Modules per side including the quiet zone on both sides: the unit the canvas divides. */
    val sideWithQuietZone: Int get() = size + 2 * QUIET_ZONE

    /** The quiet zone scanners need around a code. */
    companion object {
        /**
         * Light modules on each side. ISO/IEC 18004 asks for 4; a phone screen held to a
         * scanner has no printed margin, so the full 4 are drawn.
         */
        const val QUIET_ZONE: Int = 4
    }
}

/**
 * A horizontal run of dark modules, in module units including the quiet zone.
 *
 * @property x Column of the first module.
 * @property y Row.
 * @property length Dark modules in the run.
 */
data class ModuleRun(val x: Int, val y: Int, val length: Int)

/** The certificate's QR code as the core exports it, ready to draw. */
fun no.lofavor.core.QrCode.toQrModules(): QrModules = QrModules(size.toInt(), modules)
