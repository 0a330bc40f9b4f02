package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.core.AppLocale
import no.lofavor.core.ImportObserver
import no.lofavor.core.ImportProgress
import no.lofavor.core.ImportTarget
import no.lofavor.core.ItemFields
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.PhotoImport
import no.lofavor.core.PhotoSource
import no.lofavor.core.ReportPhotos
import no.lofavor.core.ReportRequest
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.nio.file.Path
import javax.imageio.ImageIO

/**
 * Sync and the claim report through the bindings, against the real reference server binary:
 * a photo added on one phone is on the server after a sync and on a second phone of the same
 * member after its sync, byte for byte; the report's PDF and CSV come out for the share sheet;
 * sending it to the insurer needs the preview confirmed, and a logged-out phone cannot send.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InventorySyncBindingsTest {
    private lateinit var server: ReferenceServer

    @BeforeAll
    fun startServer() {
        server = ReferenceServer()
    }

    @AfterAll
    fun stopServer() {
        server.close()
    }

    private fun config(dir: Path) =
        testConfig(dir, server.baseUrl).copy(oidcIssuer = server.baseUrl + "oidc", trustAnchors = listOf(server.trustAnchor))

    private fun jpeg(shade: Int): ByteArray {
        val image = BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB)
        for (y in 0 until 600) for (x in 0 until 900) image.setRGB(x, y, (shade shl 16) or ((x % 256) shl 8) or (y % 256))
        val out = ByteArrayOutputStream()
        ImageIO.write(image, "jpg", out)
        return out.toByteArray()
    }

    private object Quiet : ImportObserver {
        override fun onProgress(progress: ImportProgress) {}
    }

    @Test
    fun `a photo synced on one phone comes back on the member's next phone, and the report goes only when confirmed`(@TempDir dir: Path) {
        val photoId: String
        val thumbnail: ByteArray
        LofavorCore(config(dir.resolve("first")), KotlinSecureStore(), null).use { core ->
            logInAtReferenceServer(server, core, "kari")
            val inventory = core.inventory()
            val summary = runBlocking {
                inventory.startImport(
                    listOf(
                        PhotoImport(
                            source = PhotoSource.Bytes(jpeg(120)),
                            target = ImportTarget.NewItem(ItemFields(name = "Kaffemaskin", room = "Kjøkken", serialNumber = "KM-ÆØÅ-7", purchasePrice = 249_900uL)),
                            keepOriginal = false,
                        ),
                    ),
                    Quiet,
                ).finish()
            }
            photoId = summary.outcomes.single().photoId!!
            thumbnail = inventory.photoJpeg(photoId, true)
            assertTrue(inventory.pendingChanges() > 0uL, "the new item waits for the server")
            val synced = runBlocking { inventory.sync() }
            assertEquals(0uL, synced.pending)
            assertEquals(2u, synced.uploaded, "both renditions uploaded")
            assertEquals(0uL, inventory.pendingChanges())

            val pdf = runBlocking { inventory.reportPdf(AppLocale.NB) }
            assertEquals("%PDF", String(pdf.copyOfRange(0, 4), Charsets.US_ASCII))
            val csv = runBlocking { inventory.reportCsv(AppLocale.EN) }
            assertArrayEquals(byteArrayOf(0xEF.toByte(), 0xBB.toByte(), 0xBF.toByte()), csv.copyOfRange(0, 3), "UTF-8 with a byte-order mark")
            assertTrue("KM-ÆØÅ-7" in String(csv, Charsets.UTF_8))
            val files = runBlocking { inventory.report(ReportRequest(language = AppLocale.EN, photos = ReportPhotos.AUTO, zip = true)) }
            assertEquals(1u, files.items)
            assertTrue(files.zip!!.size > thumbnail.size)

            val preview = runBlocking { inventory.prepareReportTransfer("fremtind", ReportRequest(language = AppLocale.NB, photos = ReportPhotos.THUMBNAIL)) }
            assertTrue(preview.nothingSentYet.isNotBlank() && preview.confirmLabel.isNotBlank())
            assertEquals("%PDF", String(preview.pdf.copyOfRange(0, 4), Charsets.US_ASCII))
            assertThrows<LofavorException> { runBlocking { inventory.sendReport("not-a-preview") } }
            val receipt = runBlocking { inventory.sendReport(preview.id) }
            assertEquals("received", receipt.status)
            assertEquals(receipt, runBlocking { inventory.sendReport(preview.id) }, "confirmed twice, sent once")
        }
        LofavorCore(config(dir.resolve("second")), KotlinSecureStore(), null).use { core ->
            logInAtReferenceServer(server, core, "kari")
            val inventory = core.inventory()
            val synced = runBlocking { inventory.sync() }
            assertEquals(1u, synced.downloaded)
            val item = inventory.items().single()
            assertEquals("KM-ÆØÅ-7", item.fields.serialNumber)
            assertEquals(photoId, item.photos.single().id)
            assertArrayEquals(thumbnail, inventory.photoJpeg(photoId, true), "the same photo, byte for byte")
        }
    }
}
