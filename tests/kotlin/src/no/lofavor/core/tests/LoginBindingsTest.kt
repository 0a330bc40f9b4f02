package no.lofavor.core.tests

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import no.lofavor.core.AppLocale
import no.lofavor.core.CoreConfig
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.LogoutReason
import no.lofavor.core.SecureStoreChoice
import no.lofavor.core.SessionEvent
import no.lofavor.core.SessionListener
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

/** Records session events, as a shell's view model would receive them. */
class RecordingListener : SessionListener {
    val events = CopyOnWriteArrayList<SessionEvent>()

    override fun onSessionEvent(event: SessionEvent) {
        events += event
    }

    /** Waits up to five seconds for [count] events. */
    fun awaitCount(count: Int): List<SessionEvent> {
        val until = System.currentTimeMillis() + 5_000
        while (events.size < count && System.currentTimeMillis() < until) Thread.sleep(10)
        return events.toList()
    }
}

/** Login through the bindings against the real OpenID Provider, as the Android app does it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginBindingsTest {
    private lateinit var provider: OidcProvider

    @BeforeAll
    fun startProvider() {
        provider = OidcProvider()
    }

    @AfterAll
    fun stopProvider() {
        provider.close()
    }

    private fun config(dir: Path) = CoreConfig(
        dataDir = dir.toString(),
        apiBaseUrl = "http://127.0.0.1:9/",
        oidcIssuer = provider.issuer,
        oidcClientId = "lofavor-android",
        redirectUri = REDIRECT,
        locale = AppLocale.NB,
        secureStore = SecureStoreChoice.ShellProvided,
        trustAnchors = emptyList(),
    )

    @Test
    fun `a member logs in with the private-use redirect, is told to listeners, and logs out`(@TempDir dir: Path) {
        val store = KotlinSecureStore()
        val listener = RecordingListener()
        LofavorCore(config(dir), store, null).use { core ->
            val subscription = core.auth().subscribeSession(listener)
            assertEquals(SessionEvent.LoggedOut(LogoutReason.NOT_LOGGED_IN), listener.awaitCount(1)[0])

            val url = runBlocking { core.auth().beginLogin() }
            assertTrue(url.startsWith("${provider.issuer}/auth?"), url)
            assertTrue("code_challenge_method=S256" in url, url)
            val back = HeadlessBrowser().logIn(url, "member-31", REDIRECT)
            val member = runBlocking { core.auth().completeLogin(back) }
            assertEquals("member-31", member.subject)
            assertEquals("Test Member member-31", member.name)
            assertEquals("Fellesforbundet", member.membership?.union)

            val events = listener.awaitCount(2)
            assertEquals(SessionEvent.LoggedIn(member), events[1])
            assertEquals(member, core.auth().member())
            // Tokens live in the Kotlin secure store, the refresh token among them.
            assertTrue(store.secrets.keys.any { it.startsWith("refresh-token.") }, store.secrets.keys.toString())

            // 20 coroutines ask for an access token at once: all get the same one.
            val tokens = runBlocking { (1..20).map { async { core.auth().accessToken() } }.awaitAll() }
            assertEquals(1, tokens.toSet().size)

            // The member API is not reachable here: a typed error, not a crash.
            assertThrows<LofavorException.Network> { runBlocking { core.auth().refreshProfile() } }

            val outcome = runBlocking { core.auth().logout(false) }
            assertTrue(outcome.revoked)
            assertTrue(outcome.endSessionUrl!!.startsWith("${provider.issuer}/session/end"))
            assertEquals(SessionEvent.LoggedOut(LogoutReason.MEMBER_LOGGED_OUT), listener.awaitCount(3)[2])
            assertNull(core.auth().member())
            assertFalse(store.secrets.keys.any { it.startsWith("refresh-token.") })
            assertThrows<LofavorException.NotLoggedIn> { runBlocking { core.auth().accessToken() } }
            subscription.cancel()
            subscription.close()
        }
    }

    @Test
    fun `a cancelled login and a forged state are typed errors`(@TempDir dir: Path) {
        LofavorCore(config(dir), KotlinSecureStore(), null).use { core ->
            val url = runBlocking { core.auth().beginLogin() }
            val state = Regex("[?&]state=([^&]+)").find(url)!!.groupValues[1]
            assertThrows<LofavorException.LoginCancelled> {
                runBlocking { core.auth().completeLogin("$REDIRECT?error=access_denied&state=$state&iss=${provider.issuer}") }
            }
            assertThrows<LofavorException.LoginInvalid> {
                runBlocking { core.auth().completeLogin("$REDIRECT?code=x&state=forged&iss=${provider.issuer}") }
            }
            assertNotNull(runBlocking { core.auth().beginLogin() })
        }
    }

    private companion object {
        const val REDIRECT = "no.lofavor.app:/oauth2redirect"
    }
}
