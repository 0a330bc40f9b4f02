package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.core.ImportObserver
import no.lofavor.core.ImportProgress
import no.lofavor.core.ImportTarget
import no.lofavor.core.ItemFields
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.PhotoImport
import no.lofavor.core.PhotoRole
import no.lofavor.core.PhotoSource
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import javax.imageio.ImageIO

/**
 * Husk Hva Du Har through the bindings on the real library: an item added with a photo by the
 * background import, its thumbnail read back and decoded, search as a member types, a refused
 * photo reported as a typed error while the rest go in, and an import cancelled half-way
 * that leaves only whole items. The import's progress arrives on a foreign callback from the
 * core's worker threads.
 */
class InventoryBindingsTest {
    private val root = "http://127.0.0.1:9/"

    /** A `w`×`h` JPEG written by the JVM's own encoder; `shade` makes photos differ. */
    private fun jpeg(w: Int, h: Int, shade: Int): ByteArray {
        val image = BufferedImage(w, h, BufferedImage.TYPE_INT_RGB)
        for (y in 0 until h) for (x in 0 until w) image.setRGB(x, y, (shade shl 16) or ((x * 7) % 256 shl 8) or (y % 256))
        val out = ByteArrayOutputStream()
        assertTrue(ImageIO.write(image, "jpg", out))
        return out.toByteArray()
    }

    private class Recorder : ImportObserver {
        val seen = CopyOnWriteArrayList<ImportProgress>()
        val first = CountDownLatch(1)
        override fun onProgress(progress: ImportProgress) {
            seen.add(progress)
            first.countDown()
        }
    }

    private fun newItem(name: String, bytes: ByteArray, room: String = "Stue") = PhotoImport(
        source = PhotoSource.Bytes(bytes),
        target = ImportTarget.NewItem(ItemFields(name = name, room = room)),
        keepOriginal = false,
    )

    @Test
    fun `an item added with a photo shows its thumbnail and is found as the member types`(@TempDir dir: Path) {
        LofavorCore(testConfig(dir, root), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            val recorder = Recorder()
            val job = inventory.startImport(
                listOf(
                    newItem("Brødrister", jpeg(2400, 1800, 200), room = "Kjøkken"),
                    newItem("Ødelagt bilde", "not a photo".toByteArray()),
                ),
                recorder,
            )
            val summary = runBlocking { job.finish() }
            assertEquals(1u, summary.imported)
            assertEquals(1u, summary.refused)
            val refused = summary.outcomes.single { it.error != null }
            assertTrue(refused.error is LofavorException.InvalidInput, "a typed error: ${refused.error}")
            assertEquals(listOf(1u, 2u), recorder.seen.map { it.done }.sorted())

            val outcome = summary.outcomes.single { it.error == null }
            val item = inventory.item(outcome.itemId!!)
            assertEquals("Brødrister", item.fields.name)
            assertEquals("Kjøkken", item.fields.room)
            val photo = item.photos.single()
            assertEquals(PhotoRole.ITEM, photo.role)
            assertEquals(outcome.photoId, photo.id)
            assertEquals(2048u, maxOf(photo.width, photo.height), "the large rendition is 2048 px")

            val thumbnail = inventory.photoJpeg(photo.id, true)
            val decoded = ImageIO.read(ByteArrayInputStream(thumbnail))
            assertNotNull(decoded, "the thumbnail is a JPEG the JVM decodes")
            assertEquals(320, maxOf(decoded.width, decoded.height))
            val large = ImageIO.read(ByteArrayInputStream(inventory.photoJpeg(photo.id, false)))
            assertEquals(2048, maxOf(large.width, large.height))
            assertNull(inventory.photoOriginal(photo.id), "no original unless asked")

            // Found while typing, with the Norwegian letter as typed; "o" is not "ø".
            assertEquals(listOf(item.id), inventory.search("brø").map { it.id })
            assertEquals(listOf(item.id), inventory.search("kjø").map { it.id })
            assertTrue(inventory.search("brod").isEmpty())
            assertEquals(listOf("Kjøkken"), inventory.rooms().map { it.name })

            // The same photo again is the same photo, and a second await is an error.
            val again = runBlocking {
                inventory.startImport(listOf(newItem("Kopi", jpeg(2400, 1800, 200))), Recorder()).finish()
            }
            assertTrue(again.outcomes.single().duplicate)
            assertEquals(1, inventory.items().size)
            assertThrows<LofavorException> { runBlocking { job.finish() } }
        }
    }

    @Test
    fun `a cancelled import stops and leaves only whole items`(@TempDir dir: Path) {
        LofavorCore(testConfig(dir, root), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            val recorder = Recorder()
            val photos = (0 until 40).map { newItem("Ting $it", jpeg(800, 600, it * 6)) }
            val job = inventory.startImport(photos, recorder)
            assertTrue(recorder.first.await(60, TimeUnit.SECONDS), "no progress arrived")
            job.cancel()
            val summary = runBlocking { job.finish() }
            assertTrue(summary.cancelled > 0u, "nothing was cancelled")
            assertEquals(40u, summary.imported + summary.refused + summary.cancelled)
            val items = inventory.items()
            assertEquals(summary.imported.toInt(), items.size)
            assertTrue(items.all { it.photos.size == 1 }, "an item without its photo")
            val files = Files.list(dir.resolve("photos")).use { s -> s.map { it.fileName.toString() }.toList() }
            assertEquals(items.size * 2, files.size, "a file without its row: $files")
        }
    }

    @Test
    fun `items are edited, totalled and deleted through the bindings`(@TempDir dir: Path) {
        LofavorCore(testConfig(dir, root), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            val id = inventory.addItem(
                ItemFields(name = "Sykkel", room = "Bod", category = "Sport", purchasePrice = 1_299_900uL, tags = listOf("el")),
            )
            inventory.updateItem(id, inventory.item(id).fields.copy(replacementValue = 1_500_000uL, serialNumber = "WTU123"))
            assertEquals(listOf(id), inventory.search("wtu").map { it.id })
            inventory.setInsuredSum(1_000_000uL)
            val totals = inventory.totals()
            assertEquals(1_500_000uL, totals.all.replacementValue)
            assertEquals(500_000uL, totals.shortfall)
            assertThrows<LofavorException.InvalidInput> { inventory.addItem(ItemFields(name = " ")) }
            inventory.deleteItem(id)
            assertTrue(inventory.items().isEmpty())
            assertThrows<LofavorException.NotFound> { inventory.item(id) }
            assertTrue(inventory.roomPhotos("Bod").isEmpty())
        }
    }

    @Test
    fun `a backup restores on another phone, values follow the depreciation rule, and every async export is called`(@TempDir dir: Path) {
        // A suspend function compiles to a method whose last parameter is the continuation.
        val asyncExports = no.lofavor.core.InventoryHandleInterface::class.java.methods
            .filter { m -> m.parameterTypes.lastOrNull() == kotlin.coroutines.Continuation::class.java }
            // Kotlin mangles the JVM name of a function that returns an unsigned type.
            .map { it.name.substringBefore('-') }.toSet()
        assertTrue(asyncExports.containsAll(listOf("backup", "restore", "sync", "reportPdf", "sendReport")), "found only $asyncExports")
        val source = listOf("InventoryBindingsTest.kt", "InventorySyncBindingsTest.kt")
            .joinToString("\n") { Files.readString(repositoryRoot.resolve("tests/kotlin/src/no/lofavor/core/tests/$it")) }
        for (name in asyncExports) assertTrue("inventory.$name(" in source, "InventoryHandle.$name is never called here")

        val backupFile = dir.resolve("husk.backup")
        LofavorCore(testConfig(dir.resolve("a"), root), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            val year = java.time.LocalDate.now().year - 2
            val id = inventory.addItem(
                ItemFields(name = "Bærbar PC", room = "Kontor", category = "Elektronikk", replacementValue = 2_000_000uL, purchaseDate = "$year-01-01"),
            )
            runBlocking { inventory.startImport(listOf(newItem("Lampe", jpeg(640, 480, 30))), Recorder()).finish() }
            val value = inventory.valuation(id)
            assertEquals(2u, value.ageYears)
            assertEquals(1_200_000uL, value.current, "20 % a year for electronics")
            inventory.setDepreciationRule("elektronikk", 10u, 50u)
            assertEquals(1_600_000uL, inventory.valuation(id).current)
            assertTrue(inventory.depreciationRule("Elektronikk").memberSet)
            assertThrows<LofavorException.InvalidInput> { runBlocking { inventory.backup(backupFile.toString(), "kort") } }
            assertEquals(2u, runBlocking { inventory.backup(backupFile.toString(), "lang nok passordfrase") })
        }
        LofavorCore(testConfig(dir.resolve("b"), root), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            assertThrows<LofavorException.Tampered> { runBlocking { inventory.restore(backupFile.toString(), "feil passordfrase") } }
            assertTrue(inventory.items().isEmpty(), "a refused restore leaves nothing")
            val restored = runBlocking { inventory.restore(backupFile.toString(), "lang nok passordfrase") }
            assertEquals(2u, restored.items)
            assertEquals(1u, restored.photos)
            val lamp = inventory.items().single { it.fields.name == "Lampe" }
            assertEquals(320, ImageIO.read(ByteArrayInputStream(inventory.photoJpeg(lamp.photos.single().id, true))).width)
            assertEquals(listOf("Bærbar PC"), inventory.search("bær").map { it.fields.name })
        }
    }
}
