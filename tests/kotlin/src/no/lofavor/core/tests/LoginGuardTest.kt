package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.app.model.ConsumedRedirects
import no.lofavor.app.model.LoginAttempt
import no.lofavor.app.model.LoginPhase
import no.lofavor.app.model.admitRedirect
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.android.CoreSettings
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger

/**
 * The login guard, as an attacker would try it: a replayed redirect (after process death,
 * from Recents, or sent again by another app), a second tap while a login is under way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginGuardTest {
    private lateinit var server: ReferenceServer

    @BeforeAll
    fun start() {
        server = ReferenceServer()
    }

    @AfterAll
    fun stop() {
        server.close()
    }

    private val view = "android.intent.action.VIEW"
    private val redirect = "no.lofavor.app:/oauth2redirect?code=secret-code-123&state=abc&iss=x"

    private fun admit(data: String?, consumed: ConsumedRedirects, fromHistory: Boolean = false, action: String? = view) =
        admitRedirect(action, data, fromHistory, consumed, CoreSettings.REDIRECT_SCHEME, CoreSettings.REDIRECT_PATH)

    @Test
    fun `a redirect is handed over once, and never again after process death`() {
        val consumed = ConsumedRedirects()
        assertTrue(admit(redirect, consumed))
        assertFalse(admit(redirect, consumed), "the same intent delivered again (rotation, onNewIntent)")
        // Process death: the app comes back with what it persisted, and Android re-delivers the intent.
        val restored = ConsumedRedirects(consumed.fingerprints)
        assertFalse(admit(redirect, restored), "replayed after process death")
        assertTrue(admit(redirect.replace("secret-code-123", "another-code").replace("abc", "def"), restored), "a new login's redirect still works")
    }

    @Test
    fun `a used code with its parameters changed is still a replay`() {
        val consumed = ConsumedRedirects()
        assertTrue(admit(redirect, consumed))
        assertFalse(admit("$redirect&extra=1", consumed), "a parameter added")
        assertFalse(admit("no.lofavor.app:/oauth2redirect?state=abc&iss=x&code=secret-code-123", consumed), "reordered")
        // Error redirects carry no code: each is judged as a whole.
        assertTrue(admit("no.lofavor.app:/oauth2redirect?error=access_denied&state=s1", consumed))
        assertFalse(admit("no.lofavor.app:/oauth2redirect?error=access_denied&state=s1", consumed))
        assertTrue(admit("no.lofavor.app:/oauth2redirect?error=access_denied&state=s2", consumed))
    }

    @Test
    fun `a redirect relaunched from Recents is never handed over, nor later`() {
        val consumed = ConsumedRedirects()
        assertFalse(admit(redirect, consumed, fromHistory = true))
        assertFalse(admit(redirect, consumed), "remembered: a later delivery of that intent is a replay too")
    }

    @Test
    fun `only a VIEW of the exact redirect URI is a redirect`() {
        val consumed = ConsumedRedirects()
        assertFalse(admit(redirect, consumed, action = "android.intent.action.MAIN"))
        assertFalse(admit(null, consumed))
        assertFalse(admit("no.lofavor.app:/elsewhere?code=1&state=2", consumed))
        assertFalse(admit("no.lofavor.apps:/oauth2redirect?code=1&state=2", consumed))
        assertFalse(admit("https://evil.example/oauth2redirect?code=1", consumed))
        assertTrue(admit(redirect, consumed), "none of the above used the real one up")
    }

    @Test
    fun `what is kept of a redirect is a fingerprint, never its code, and only the newest few`() {
        val consumed = ConsumedRedirects(capacity = 4)
        for (i in 1..10) assertTrue(consumed.tryConsume(redirect.replace("123", "$i")))
        val prints = consumed.fingerprints
        assertEquals(4, prints.size)
        assertTrue(prints.none { "secret-code" in it || "state" in it })
        assertTrue(prints.all { Regex("[0-9a-f]{64}").matches(it) })
        assertFalse(consumed.tryConsume(redirect.replace("123", "10")))
        assertTrue(consumed.tryConsume(redirect.replace("123", "1")), "the oldest fell out of the window")
    }

    @Test
    fun `a second tap while a login is under way is ignored`() {
        val attempt = LoginAttempt()
        assertTrue(attempt.tryStart())
        assertFalse(attempt.tryStart(), "tap while the core prepares the URL")
        attempt.browserOpened()
        assertEquals(LoginPhase.IN_BROWSER, attempt.phase)
        assertFalse(attempt.tryStart(), "tap while the browser is open")
        attempt.returnedWithoutRedirect()
        assertEquals(LoginPhase.IDLE, attempt.phase, "the member closed the tab: the button works again")
        assertTrue(attempt.tryStart())
        attempt.browserOpened()
        attempt.completing()
        attempt.returnedWithoutRedirect()
        assertEquals(LoginPhase.COMPLETING, attempt.phase, "coming back with the redirect is not a cancel")
        assertFalse(attempt.tryStart())
        attempt.finished()
        assertTrue(attempt.tryStart())
    }

    @Test
    fun `many taps at once start exactly one login`() {
        val attempt = LoginAttempt()
        val started = AtomicInteger()
        val go = CountDownLatch(1)
        val threads = (1..16).map { Thread { go.await(); if (attempt.tryStart()) started.incrementAndGet() } }
        threads.forEach(Thread::start)
        go.countDown()
        threads.forEach(Thread::join)
        assertEquals(1, started.get())
    }

    @Test
    fun `the core refuses a redirect replayed past the guard`(@TempDir dir: Path) {
        val config = testConfig(dir, server.baseUrl).copy(oidcIssuer = server.baseUrl + "oidc")
        LofavorCore(config, KotlinSecureStore(), null).use { core ->
            val used = logInAtReferenceServer(server, core, "kari")
            val consumed = ConsumedRedirects()
            consumed.tryConsume(used)
            assertFalse(admit(used, consumed), "the guard stops the replay")
            // Even if a replay got through, the core would refuse it: it is the second line.
            val replayed = runCatching { runBlocking { core.auth().completeLogin(used) } }.exceptionOrNull()
            assertTrue(replayed is LofavorException.LoginInvalid, "$replayed")
        }
    }
}
