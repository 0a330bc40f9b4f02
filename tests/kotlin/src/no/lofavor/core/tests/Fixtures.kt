package no.lofavor.core.tests

import no.lofavor.core.CoreConfig
import no.lofavor.core.LogLevel
import no.lofavor.core.Logger
import no.lofavor.core.AppLocale
import no.lofavor.core.SecureStore
import no.lofavor.core.SecureStoreChoice
import no.lofavor.core.SecureStoreException
import java.nio.file.Path
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/** A keystore written in Kotlin, as a shell would; it records what the core asks of it. */
class KotlinSecureStore : SecureStore {
    val secrets = ConcurrentHashMap<String, ByteArray>()
    val calls = CopyOnWriteArrayList<String>()

    override fun get(name: String): ByteArray? {
        calls += "get"
        return secrets[name]
    }

    override fun put(name: String, secret: ByteArray) {
        calls += "put"
        secrets[name] = secret.copyOf()
    }

    override fun delete(name: String) {
        calls += "delete"
        secrets.remove(name)
    }
}

/** A keystore that is locked, as on a device before first unlock. */
class LockedSecureStore(private val unexpected: Boolean) : SecureStore {
    private fun fail(): Nothing =
        if (unexpected) throw IllegalStateException("keystore exploded")
        else throw SecureStoreException.Unavailable("device locked")

    override fun get(name: String): ByteArray? = fail()
    override fun put(name: String, secret: ByteArray) = fail()
    override fun delete(name: String) = fail()
}

/** Collects the core's log lines. */
class CollectingLogger : Logger {
    val lines = CopyOnWriteArrayList<Triple<LogLevel, String, String>>()

    override fun log(level: LogLevel, target: String, message: String) {
        lines += Triple(level, target, message)
    }
}

/** A configuration for a core in `dir` talking to `apiBaseUrl`. */
fun testConfig(
    dir: Path,
    apiBaseUrl: String = "http://127.0.0.1:9/",
    secureStore: SecureStoreChoice = SecureStoreChoice.ShellProvided,
) = CoreConfig(
    dataDir = dir.toString(),
    apiBaseUrl = apiBaseUrl,
    oidcIssuer = apiBaseUrl,
    oidcClientId = "lofavor-android",
    redirectUri = "no.lofavor.app:/oauth2redirect",
    locale = AppLocale.NB,
    secureStore = secureStore,
    trustAnchors = emptyList(),
)

/** JUnit's `assertThrows` with a reified type (Debian's JUnit jar leaves out the Kotlin helpers). */
inline fun <reified T : Throwable> assertThrows(crossinline block: () -> Any?): T =
    org.junit.jupiter.api.Assertions.assertThrows(T::class.java) { block() }
