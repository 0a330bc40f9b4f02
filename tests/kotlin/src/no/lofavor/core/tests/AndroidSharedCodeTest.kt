package no.lofavor.core.tests

import no.lofavor.core.AppLocale
import no.lofavor.core.InternalException
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.SecureStoreChoice
import no.lofavor.core.android.CoreSettings
import no.lofavor.core.android.coreFailureKind
import no.lofavor.core.android.kind
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/**
 * The Android shell's platform-free Kotlin (android/lofavor-core/.../CoreSettings.kt and
 * ErrorKind.kt), compiled with these tests and run against the real library.
 */
class AndroidSharedCodeTest {
    @Test
    fun `the app's settings open a core in the device language`(@TempDir dir: Path) {
        val config = CoreSettings.DEVELOPMENT.coreConfig(dir.toString(), "nn-NO", SecureStoreChoice.MemoryStandIn)
        assertEquals("no.lofavor.app:/oauth2redirect", config.redirectUri)
        assertEquals("lofavor-android", config.oidcClientId)
        assertEquals("http://127.0.0.1:8080/oidc", config.oidcIssuer, "the server's development issuer")
        LofavorCore(config, null, null).use { core ->
            assertEquals(AppLocale.NN, core.info().locale)
        }
        val swedish = CoreSettings.DEVELOPMENT.coreConfig(dir.toString(), "sv-SE")
        assertEquals(AppLocale.NB, swedish.locale)
        assertEquals(SecureStoreChoice.ShellProvided, swedish.secureStore)
    }

    @Test
    fun `the shell's kind names are the core's kind names`(@TempDir dir: Path) {
        val store = KotlinSecureStore()
        LofavorCore(testConfig(dir), store, null).use { }
        val wrong = KotlinSecureStore().apply { secrets[store.secrets.keys.single()] = ByteArray(32) }
        val e = assertThrows<LofavorException.DatabaseWrongKey> { LofavorCore(testConfig(dir), wrong, null) }
        // the same string the CLI prints with --json (ErrorKind::as_str in the core)
        assertEquals("database_wrong_key", e.kind)
        assertEquals("database_wrong_key", coreFailureKind(e))
        LofavorCore(testConfig(dir), store, null).use { core ->
            val panic = assertThrows<InternalException> { core.triggerPanicForTests() }
            assertEquals("internal", coreFailureKind(panic))
        }
        assertTrue(coreFailureKind(IllegalStateException()) == "unexpected")
    }
}
