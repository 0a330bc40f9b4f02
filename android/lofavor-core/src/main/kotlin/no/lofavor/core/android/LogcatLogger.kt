package no.lofavor.core.android

import android.util.Log
import no.lofavor.core.LogLevel
import no.lofavor.core.Logger

/**
 * The core's [Logger] on Android: every line goes to Logcat under the tag [TAG], prefixed
 * with the core's target (`lofavor_core::store`). The core writes no personal data into log
 * lines; this class adds none and never throws.
 *
 * **Re-entrancy.** The core may log while it holds its own locks. An implementation must
 * never call back into the core from [log]; doing so can deadlock.
 *
 * @param includeDebug Whether [LogLevel.DEBUG] lines are written; pass true only in debug
 *   builds, so release builds keep Logcat quiet.
 */
class LogcatLogger(private val includeDebug: Boolean = false) : Logger {
    /** Writes one line of the core's log to Logcat. */
    override fun log(level: LogLevel, target: String, message: String) {
        val line = "$target: $message"
        when (level) {
            LogLevel.ERROR -> Log.e(TAG, line)
            LogLevel.WARN -> Log.w(TAG, line)
            LogLevel.INFO -> Log.i(TAG, line)
            LogLevel.DEBUG -> if (includeDebug) Log.d(TAG, line)
        }
    }

    /** The Logcat tag. */
    companion object {
        /** The tag of every line the core writes: filter with `adb logcat -s LOfavor`. */
        const val TAG: String = "LOfavor"
    }
}
