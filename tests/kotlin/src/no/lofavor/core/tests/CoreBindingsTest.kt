package no.lofavor.core.tests

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import no.lofavor.core.InternalException
import no.lofavor.core.AppLocale
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.SecureStoreChoice
import no.lofavor.core.coreVersion
import no.lofavor.core.localeFromTag
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path

/** The bindings, against the real compiled library and the real reference server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoreBindingsTest {
    private lateinit var server: ReferenceServer

    @BeforeAll
    fun startServer() {
        server = ReferenceServer()
    }

    @AfterAll
    fun stopServer() {
        server.close()
    }

    @Test
    fun `opens a core in a temporary directory and reports an encrypted store (sync export)`(@TempDir dir: Path) {
        val store = KotlinSecureStore()
        LofavorCore(testConfig(dir), store, null).use { core ->
            val info = core.info()
            assertEquals(coreVersion(), info.coreVersion)
            assertEquals(AppLocale.NB, info.locale)
            assertTrue(info.schemaVersion >= 1)
            assertTrue(info.cipherVersion.startsWith("4."), info.cipherVersion)
            assertTrue(info.databaseEncrypted)
        }
        val header = Files.readAllBytes(dir.resolve("lofavor.db")).copyOfRange(0, 15)
        assertFalse(String(header, Charsets.ISO_8859_1).startsWith("SQLite format"))
    }

    @Test
    fun `the database key lives in the Kotlin secure store and opens the store again`(@TempDir dir: Path) {
        val store = KotlinSecureStore()
        LofavorCore(testConfig(dir), store, null).use { }
        assertEquals(1, store.secrets.size)
        val (name, key) = store.secrets.entries.single()
        assertTrue(name.startsWith("db-key."), name)
        assertEquals(32, key.size)
        assertTrue("put" in store.calls)
        // The key is not in any file of the data directory.
        Files.list(dir).use { files ->
            files.filter { Files.isRegularFile(it) }.forEach { file ->
                val bytes = Files.readAllBytes(file)
                assertFalse(bytes.asList().windowed(32).any { it.toByteArray().contentEquals(key) }, "$file")
            }
        }
        LofavorCore(testConfig(dir), store, null).use { core -> assertTrue(core.info().databaseEncrypted) }
        assertArrayEquals(key, store.secrets[name], "the key was not replaced")
    }

    @Test
    fun `a wrong key and a missing key are typed errors`(@TempDir dir: Path) {
        val store = KotlinSecureStore()
        LofavorCore(testConfig(dir), store, null).use { }
        val name = store.secrets.keys.single()

        val wrong = KotlinSecureStore().apply { secrets[name] = ByteArray(32) { 7 } }
        val e1 = assertThrows<LofavorException.DatabaseWrongKey> { LofavorCore(testConfig(dir), wrong, null) }
        assertTrue(e1.reason.isNotBlank())

        val empty = KotlinSecureStore()
        assertThrows<LofavorException.DatabaseKeyMissing> { LofavorCore(testConfig(dir), empty, null) }
        assertTrue(empty.secrets.isEmpty(), "no new key was made over existing data")

        LofavorCore(testConfig(dir), store, null).use { core -> assertTrue(core.info().databaseEncrypted) }
    }

    @Test
    fun `a locked keystore surfaces as a typed error, declared or not`(@TempDir dir: Path) {
        assertThrows<LofavorException.SecureStoreUnavailable> {
            LofavorCore(testConfig(dir), LockedSecureStore(unexpected = false), null)
        }
        val e = assertThrows<LofavorException.SecureStoreUnavailable> {
            LofavorCore(testConfig(dir), LockedSecureStore(unexpected = true), null)
        }
        assertFalse(e.reason.contains("exploded"), "foreign exception text is not passed on")
    }

    @Test
    fun `configuration mistakes are typed errors`(@TempDir dir: Path) {
        assertThrows<LofavorException.InvalidConfig> {
            LofavorCore(testConfig(dir, apiBaseUrl = "http://api.example.no/"), KotlinSecureStore(), null)
        }
        assertThrows<LofavorException.InvalidConfig> {
            LofavorCore(testConfig(dir), null, null) // ShellProvided without a store
        }
        assertThrows<LofavorException.InvalidConfig> {
            LofavorCore(testConfig(dir, secureStore = SecureStoreChoice.MemoryStandIn), KotlinSecureStore(), null)
        }
        LofavorCore(testConfig(dir, secureStore = SecureStoreChoice.MemoryStandIn), null, null).use { core ->
            assertTrue(core.info().databaseEncrypted)
        }
    }

    @Test
    fun `async export checks the reference server`(@TempDir dir: Path) = runBlocking {
        LofavorCore(testConfig(dir, apiBaseUrl = server.baseUrl), KotlinSecureStore(), null).use { core ->
            val status = core.checkServer()
            assertEquals("lofavor-server", status.service)
            assertTrue(status.databaseOk)
            // many concurrent calls from coroutines all complete on the core's runtime
            val all = (1..20).map { async { core.checkServer() } }.awaitAll()
            assertTrue(all.all { it.service == "lofavor-server" })
        }
    }

    @Test
    fun `async export against nobody listening is a network error`(@TempDir dir: Path) = runBlocking {
        val port = java.net.ServerSocket(0).use { it.localPort }
        LofavorCore(testConfig(dir, apiBaseUrl = "http://127.0.0.1:$port/"), KotlinSecureStore(), null).use { core ->
            val e = assertThrows<LofavorException.Network> { runBlocking { core.checkServer() } }
            assertTrue(e.reason.isNotBlank())
        }
    }

    @Test
    fun `a panic in the core is an exception, and the core keeps working`(@TempDir dir: Path) {
        LofavorCore(testConfig(dir), KotlinSecureStore(), null).use { core ->
            val e = assertThrows<InternalException> { core.triggerPanicForTests() }
            assertTrue(e.message!!.contains("deliberate panic"), e.message)
            assertThrows<LofavorException.Internal> { runBlocking { core.triggerAsyncPanicForTests() } }
            assertTrue(core.info().databaseEncrypted)
        }
    }

    @Test
    fun `log lines reach the Kotlin logger without personal data`(@TempDir dir: Path) {
        val logger = CollectingLogger()
        LofavorCore(testConfig(dir), KotlinSecureStore(), logger).use { }
        assertTrue(logger.lines.any { it.second.startsWith("lofavor_core") && it.third.contains("core opened") }, "${logger.lines}")
        assertTrue(logger.lines.none { it.third.contains(dir.toString()) }, "no paths in log lines")
    }

    @Test
    fun `top-level functions`() {
        assertEquals(AppLocale.NN, localeFromTag("nn-NO"))
        assertEquals(AppLocale.NB, localeFromTag("no"))
        assertNull(localeFromTag("sv-SE"))
        assertTrue(coreVersion().matches(Regex("""\d+\.\d+\.\d+.*""")))
    }
}
