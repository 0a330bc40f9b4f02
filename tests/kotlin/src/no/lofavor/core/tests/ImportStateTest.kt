package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.ImportPhase
import no.lofavor.app.model.ImportState
import no.lofavor.app.model.Refusal
import no.lofavor.core.ImportObserver
import no.lofavor.core.ImportOutcome
import no.lofavor.core.ImportProgress
import no.lofavor.core.ImportSummary
import no.lofavor.core.ImportTarget
import no.lofavor.core.ItemFields
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.PhotoImport
import no.lofavor.core.PhotoSource
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.nio.file.Path
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import javax.imageio.ImageIO

/**
 * The import screen's state: built from progress that may arrive late, twice or out of order,
 * and from the core's summary; then driven by a real import on the real library, as the
 * view model drives it (the observer on the core's worker threads, the summary awaited).
 */
class ImportStateTest {
    private fun outcome(index: Int, item: String? = "i$index", error: LofavorException? = null, duplicate: Boolean = false) =
        ImportOutcome(index.toUInt(), if (error == null) item else null, if (error == null) "p$index" else null, duplicate, error)

    private fun progress(done: Int, total: Int, outcome: ImportOutcome) = ImportProgress(done.toUInt(), total.toUInt(), outcome)

    private fun jpeg(shade: Int): ByteArray {
        val image = BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB)
        for (y in 0 until 480) for (x in 0 until 640) image.setRGB(x, y, (shade shl 16) or ((x * 3) % 256 shl 8) or (y % 256))
        return ByteArrayOutputStream().also { assertTrue(ImageIO.write(image, "jpg", it)) }.toByteArray()
    }

    private fun newItem(name: String, bytes: ByteArray) =
        PhotoImport(PhotoSource.Bytes(bytes), ImportTarget.NewItem(ItemFields(name = name, room = "Stue")), false)

    @Test
    fun `progress counts only grow and a refusal is named by its place`() {
        val refused = LofavorException.InvalidInput("not a photo")
        var state = ImportState.started(3)
        state = state.progressed(progress(2, 3, outcome(2, error = refused)))
        state = state.progressed(progress(1, 3, outcome(0)))  // an earlier callback, late
        assertEquals(2, state.done)
        state = state.progressed(progress(3, 3, outcome(1, item = "i0", duplicate = true)))
        assertEquals(3, state.done)
        assertEquals(2, state.imported)
        assertEquals(1, state.duplicates)
        assertEquals(listOf(Refusal(2, ErrorText.INVALID_INPUT)), state.refused)
        assertEquals(listOf("i0"), state.itemIds, "one item, named once")
        assertEquals(1f, state.fraction)
        val summary = ImportSummary(listOf(outcome(0), outcome(1, item = "i0", duplicate = true), outcome(2, error = refused)), 2u, 1u, 0u)
        state = state.finished(summary)
        assertEquals(ImportPhase.FINISHED, state.phase)
        assertFalse(state.running)
        // Late progress or a second summary after the end changes nothing.
        assertEquals(state, state.progressed(progress(3, 3, outcome(0))))
        assertEquals(state, state.finished(summary))
        assertEquals(state, state.cancelling())
    }

    @Test
    fun `a cancel becomes cancelled only when the summary says photos were left`() {
        val cancelling = ImportState.started(4).cancelling()
        assertEquals(ImportPhase.CANCELLING, cancelling.phase)
        assertTrue(cancelling.running, "photos under way still finish")
        val all = cancelling.finished(ImportSummary((0 until 4).map { outcome(it) }, 4u, 0u, 0u))
        assertEquals(ImportPhase.FINISHED, all.phase, "the cancel came too late to stop anything")
        val some = cancelling.finished(ImportSummary(listOf(outcome(0)), 1u, 0u, 3u))
        assertEquals(ImportPhase.CANCELLED, some.phase)
        assertEquals(3, some.cancelled)
        val failed = ImportState.started(1).failed(LofavorException.Storage("disk full"))
        assertEquals(ImportPhase.FAILED, failed.phase)
        assertEquals(ErrorText.STORAGE, failed.failure)
    }

    /** The view model's part: the state behind a lock, changed on the core's threads. */
    private class Screen(count: Int) : ImportObserver {
        @Volatile var state = ImportState.started(count)
        val first = CountDownLatch(1)
        override fun onProgress(progress: ImportProgress) {
            synchronized(this) { state = state.progressed(progress) }
            first.countDown()
        }
        fun apply(step: (ImportState) -> ImportState) = synchronized(this) { state = step(state) }
    }

    @Test
    fun `a real import with a refused photo ends finished, with the refusal and the new items`(@TempDir dir: Path) {
        LofavorCore(testConfig(dir), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            val photos = listOf(newItem("Lampe", jpeg(10)), newItem("Ikke et bilde", "tekst".toByteArray()), newItem("Stol", jpeg(90)))
            val screen = Screen(photos.size)
            val summary = runBlocking { inventory.startImport(photos, screen).finish() }
            screen.apply { it.finished(summary) }
            val state = screen.state
            assertEquals(ImportPhase.FINISHED, state.phase)
            assertEquals(3, state.done)
            assertEquals(2, state.imported)
            assertEquals(listOf(Refusal(1, ErrorText.INVALID_INPUT)), state.refused)
            assertEquals(inventory.items().map { it.id }.toSet(), state.itemIds.toSet())
        }
    }

    @Test
    fun `a real import cancelled half-way ends cancelled, and every counted photo is an item`(@TempDir dir: Path) {
        LofavorCore(testConfig(dir), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            val photos = (0 until 30).map { newItem("Ting $it", jpeg(it * 8)) }
            val screen = Screen(photos.size)
            val job = inventory.startImport(photos, screen)
            assertTrue(screen.first.await(60, TimeUnit.SECONDS), "no progress arrived")
            screen.apply { it.cancelling() }
            job.cancel()
            val summary = runBlocking { job.finish() }
            screen.apply { it.finished(summary) }
            val state = screen.state
            assertEquals(ImportPhase.CANCELLED, state.phase)
            assertTrue(state.cancelled > 0)
            assertEquals(30, state.imported + state.refused.size + state.cancelled)
            assertEquals(inventory.items().size, state.imported)
            assertEquals(state.imported, state.itemIds.size)
        }
    }
}
