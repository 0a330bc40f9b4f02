package no.lofavor.app.model

import no.lofavor.core.ImportProgress
import no.lofavor.core.ImportSummary

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** Where an import of photos stands. */
enum class ImportPhase {
    /** Photos are going in; the screen shows the progress and a cancel button. */
    RUNNING,

    /** The member cancelled: photos already started finish, the rest do not start. */
    CANCELLING,

    /** Every photo was handled (some may have been refused). */
    FINISHED,

    /** Stopped by the member before every photo was handled. */
    CANCELLED,

    /** The import itself failed (not one photo): nothing more will come. */
    FAILED,
}

/**
 * A photo the core refused, by its place in the list the member picked (the screens say
 * "photo 3 of 5"; a file name could carry personal data and is not kept), and why.
 */
data class Refusal(val index: Int, val text: ErrorText)

/**
 * The state of one import, built from the core's progress callbacks and its summary: what the
 * import screens show. Each step returns a new state; a step that does not fit the phase
 * (progress after the summary, a second cancel) changes nothing, so callbacks arriving late
 * or twice cannot move it backwards.
 *
 * @property total Photos in the import.
 * @property done Photos handled so far (went in, were already there, or were refused).
 * @property imported Photos that went in (new ones and ones already there).
 * @property duplicates Of those, photos that were there already (stored once).
 * @property refused The refused photos, by their place in the list, in order.
 * @property cancelled Photos not started because the member cancelled (known at the end).
 * @property failure Why the import failed as a whole, in [ImportPhase.FAILED].
 * @property itemIds The items the photos went to, in the order they were handled.
 */
data class ImportState(
    val phase: ImportPhase,
    val total: Int,
    val done: Int = 0,
    val imported: Int = 0,
    val duplicates: Int = 0,
    val refused: List<Refusal> = emptyList(),
    val cancelled: Int = 0,
    val failure: ErrorText? = null,
    val itemIds: List<String> = emptyList(),
) {
    /** True until the import has ended: the cancel button shows, photos cannot be added. */
    val running: Boolean get() = phase == ImportPhase.RUNNING || phase == ImportPhase.CANCELLING

    /** How far along, from 0 to 1, for a progress bar. */
    val fraction: Float get() = if (total == 0) 1f else done.coerceAtMost(total).toFloat() / total

    /** One more photo is handled. Progress may arrive from several workers: counts only grow. */
    fun progressed(progress: ImportProgress): ImportState {
        if (!running) return this
        val outcome = progress.outcome
        val error = outcome.error
        val refusedNow = if (error != null && refused.none { it.index == outcome.index.toInt() }) {
            (refused + Refusal(outcome.index.toInt(), errorText(error))).sortedBy { it.index }
        } else {
            refused
        }
        val importedNow = error == null
        return copy(
            total = maxOf(total, progress.total.toInt()),
            done = maxOf(done, progress.done.toInt()),
            imported = if (importedNow) imported + 1 else imported,
            duplicates = if (importedNow && outcome.duplicate) duplicates + 1 else duplicates,
            refused = refusedNow,
            itemIds = outcome.itemId?.takeIf { importedNow && it !in itemIds }?.let { itemIds + it } ?: itemIds,
        )
    }

    /** The member asked to cancel. */
    fun cancelling(): ImportState = if (phase == ImportPhase.RUNNING) copy(phase = ImportPhase.CANCELLING) else this

    /**
     * The core's summary: it is the truth (a progress callback still on its way is not
     * waited for), and says how many photos were cancelled.
     */
    fun finished(summary: ImportSummary): ImportState {
        if (!running) return this
        val refusals = summary.outcomes.mapNotNull { o -> o.error?.let { Refusal(o.index.toInt(), errorText(it)) } }
        val ids = summary.outcomes.filter { it.error == null }.mapNotNull { it.itemId }.distinct()
        return copy(
            phase = if (summary.cancelled > 0u) ImportPhase.CANCELLED else ImportPhase.FINISHED,
            done = (summary.imported + summary.refused).toInt(),
            imported = summary.imported.toInt(),
            duplicates = summary.outcomes.count { it.error == null && it.duplicate },
            refused = refusals.sortedBy { it.index },
            cancelled = summary.cancelled.toInt(),
            itemIds = (itemIds + ids).distinct(),
        )
    }

    /** The import failed as a whole (its summary could not be had). */
    fun failed(error: Throwable): ImportState =
        if (!running) this else copy(phase = ImportPhase.FAILED, failure = errorText(error))

    companion object {
        /** An import of [count] photos, just started. */
        fun started(count: Int): ImportState = ImportState(ImportPhase.RUNNING, total = count)
    }
}
