package no.lofavor.core.tests

import no.lofavor.app.model.Deadline
import no.lofavor.app.model.ExportKind
import no.lofavor.app.model.HistoryDecision
import no.lofavor.app.model.REQUEST_KINDS
import no.lofavor.app.model.ReceiptState
import no.lofavor.app.model.anyOverdue
import no.lofavor.app.model.exportFileName
import no.lofavor.app.model.historyLines
import no.lofavor.app.model.requestLines
import no.lofavor.core.HistoryEntry
import no.lofavor.core.PrivacyRequest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files

/**
 * The privacy screen's platform-free Kotlin (android/app/.../model/PrivacyView.kt): deadlines
 * of the rights requests, the receipt state of each decision in the history, export names.
 */
class PrivacyViewTest {
    private val now = 1_796_000_000L
    private val day = 86_400L

    private fun request(id: String, status: String, due: Long?) = PrivacyRequest(
        id = id, kind = "access", kindLabel = "Innsyn", status = status, statusLabel = "status $status",
        receivedAt = due?.let { it - 30 * day }, dueAt = due, dueLabel = due?.let { "Svar innen $it" },
    )

    @Test
    fun `a request past its deadline is overdue until it is answered, and one not sent has none`() {
        val lines = requestLines(
            listOf(
                request("a", "received", now + 10 * day + 5),
                request("b", "in_progress", now - 1),
                request("c", "completed", now - 40 * day),
                request("d", "refused", now - day),
                request("e", "queued", null),
                request("f", "extended", now),
            ),
            now,
        )
        assertEquals(listOf("a", "b", "c", "d", "e", "f"), lines.map { it.id }, "the core's order is kept")
        assertEquals(
            listOf(Deadline.OPEN, Deadline.OVERDUE, Deadline.ANSWERED, Deadline.ANSWERED, Deadline.NOT_SENT, Deadline.OPEN),
            lines.map { it.deadline },
        )
        assertEquals(10L, lines[0].daysLeft)
        assertEquals(0L, lines[5].daysLeft, "the last day is day 0, not overdue")
        assertNull(lines[1].daysLeft)
        assertNull(lines[4].dueLabel)
        assertEquals("Svar innen ${now + 10 * day + 5}", lines[0].dueLabel, "the core's text, untouched")
        assertTrue(anyOverdue(lines))
        assertFalse(anyOverdue(lines.filter { it.id != "b" }))
        assertEquals(7, REQUEST_KINDS.size)
    }

    private fun entry(id: String, decision: String, state: String, receipt: ByteArray?) = HistoryEntry(
        recordId = id, purpose = "analytics", title = "Analyse", decision = decision, decidedAt = now,
        noticeVersion = "1.4", collectionMethod = "android.consent.second_layer", madeHere = true,
        state = state, receipt = receipt,
    )

    @Test
    fun `each decision shows its receipt as verified only when the receipt verifies`() {
        val good = byteArrayOf(1, 2, 3)
        val bad = byteArrayOf(9)
        val verified = mutableListOf<ByteArray>()
        val lines = historyLines(
            listOf(
                entry("1", "withdrawn", "synced", good),
                entry("2", "given", "synced", bad),
                entry("3", "refused", "pending", null),
                entry("4", "given", "rejected", null),
                entry("5", "given", "synced", null),
                entry("6", "maybe", "synced", good),
            ),
        ) { verified += it; it.contentEquals(good) }
        assertEquals(
            listOf(ReceiptState.VERIFIED, ReceiptState.INVALID, ReceiptState.PENDING, ReceiptState.REJECTED, ReceiptState.INVALID, ReceiptState.VERIFIED),
            lines.map { it.receipt },
        )
        assertEquals(
            listOf(HistoryDecision.WITHDRAWN, HistoryDecision.GIVEN, HistoryDecision.REFUSED, HistoryDecision.GIVEN, HistoryDecision.GIVEN, HistoryDecision.OTHER),
            lines.map { it.decision },
        )
        assertEquals(3, verified.size, "only the receipts there are were checked")
    }

    @Test
    fun `export files are named by kind and date, with nothing of the member`() {
        assertEquals("lofavor-data-2026-12-03.json", exportFileName(ExportKind.ARCHIVE, 1_796_256_000L))
        assertEquals("lofavor-consent-receipts-2026-12-03.json", exportFileName(ExportKind.RECEIPTS, 1_796_256_000L + day - 1))
        for (kind in ExportKind.entries) assertTrue(Regex("[a-z0-9-]+\\.json").matches(exportFileName(kind, now)))
    }

    @Test
    fun `the app shares exports through a FileProvider of its cache, and asks for no storage permission`() {
        val main = repositoryRoot.resolve("android/app/src/main")
        val manifest = Files.readString(main.resolve("AndroidManifest.xml"))
        assertTrue("androidx.core.content.FileProvider" in manifest)
        assertTrue(Regex("""android:exported="false"\s+android:grantUriPermissions="true"""").containsMatchIn(manifest))
        assertFalse("STORAGE" in manifest || "MANAGE_EXTERNAL" in manifest || "READ_MEDIA" in manifest)
        val paths = Files.readString(main.resolve("res/xml/export_paths.xml"))
        assertTrue("<cache-path" in paths)
        for (wide in listOf("<root-path", "<external-path", "<files-path", "path=\".\"", "path=\"/\"")) {
            assertFalse(wide in paths, "the FileProvider shares more than the exports: $wide")
        }
    }
}
