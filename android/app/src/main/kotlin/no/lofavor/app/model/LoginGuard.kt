package no.lofavor.app.model

import java.security.MessageDigest

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/**
 * The login redirects this app has already handed to the core, so that none is handed over
 * twice: Android re-delivers the intent that started the activity when the process is
 * recreated or the task is reopened from Recents, and a redirect carries a one-time code.
 *
 * Only a SHA-256 fingerprint of each redirect's code is kept (the code itself must not be
 * stored, even used). The newest [capacity] are kept, enough for
 * every redirect a Recents entry could still hold; the shell persists [fingerprints] in its
 * private storage and passes them back in after process death.
 */
class ConsumedRedirects(initial: Collection<String> = emptyList(), private val capacity: Int = 16) {
    private val seen = ArrayDeque(initial.toList().takeLast(capacity))

    /** The fingerprints to persist, oldest first. */
    val fingerprints: List<String> @Synchronized get() = seen.toList()

    /**
     * True the first time [redirect] is seen (it is then remembered), false for a replay.
     */
    @Synchronized
    fun tryConsume(redirect: String): Boolean {
        val print = fingerprint(redirect)
        if (print in seen) return false
        seen.addLast(print)
        while (seen.size > capacity) seen.removeFirst()
        return true
    }

    /** Companion: the fingerprint function. */
    companion object {
        /**
         * The hex SHA-256 of what makes [redirect] one login: its authorization code when it
         * has one (so the same code with a parameter added or reordered is still a replay),
         * else the whole redirect (an error redirect, which carries no code).
         */
        fun fingerprint(redirect: String): String {
            val code = redirect.substringAfter('?', "").substringBefore('#').split('&')
                .firstOrNull { it.startsWith("code=") }?.removePrefix("code=")?.takeIf { it.isNotEmpty() }
            val identity = if (code != null) "code:$code" else "redirect:$redirect"
            return MessageDigest.getInstance("SHA-256").digest(identity.toByteArray(Charsets.UTF_8))
                .joinToString("") { "%02x".format(it) }
        }
    }
}

/**
 * Whether an incoming intent should be handed to the core as a login redirect: a VIEW of the
 * app's redirect URI (scheme [redirectScheme] and path [redirectPath]) that was not relaunched
 * from Recents ([launchedFromHistory]: Android then replays the old intent, whose code was
 * used long ago) and that [consumed] has not seen.
 *
 * Calling it consumes the redirect: the answer is true at most once per redirect.
 */
fun admitRedirect(
    action: String?,
    data: String?,
    launchedFromHistory: Boolean,
    consumed: ConsumedRedirects,
    redirectScheme: String,
    redirectPath: String,
): Boolean {
    if (action != "android.intent.action.VIEW" || data == null) return false
    if (!data.startsWith("$redirectScheme:")) return false
    val path = data.removePrefix("$redirectScheme:").substringBefore('?').substringBefore('#')
    if (path != redirectPath) return false
    if (launchedFromHistory) {
        // Remember it anyway: a later delivery of the same intent is a replay too.
        consumed.tryConsume(data)
        return false
    }
    return consumed.tryConsume(data)
}

/** Where a login started by the member stands, so that a second tap does not start another. */
enum class LoginPhase {
    /** Nothing under way: the login button works. */
    IDLE,

    /** The core is preparing the login URL. */
    STARTING,

    /** The browser is open at the issuer; the redirect has not come back. */
    IN_BROWSER,

    /** The core is completing the login with the redirect. */
    COMPLETING,
}

/**
 * The login button's guard. [tryStart] admits one login at a time; a tap while one is under
 * way is ignored. When the member comes back to the app without a redirect (closed the
 * browser tab), [returnedWithoutRedirect] makes the button work again.
 */
class LoginAttempt(initial: LoginPhase = LoginPhase.IDLE) {
    /** The current phase. */
    var phase: LoginPhase = initial
        @Synchronized get
        private set

    /** True if a login may start now (the phase is then [LoginPhase.STARTING]). */
    @Synchronized
    fun tryStart(): Boolean {
        if (phase != LoginPhase.IDLE) return false
        phase = LoginPhase.STARTING
        return true
    }

    /** The browser opened at the issuer. */
    @Synchronized
    fun browserOpened() {
        if (phase == LoginPhase.STARTING) phase = LoginPhase.IN_BROWSER
    }

    /** A redirect came back and is being completed. */
    @Synchronized
    fun completing() {
        phase = LoginPhase.COMPLETING
    }

    /** The app is in front again with no redirect: the member left the browser. */
    @Synchronized
    fun returnedWithoutRedirect() {
        if (phase == LoginPhase.IN_BROWSER) phase = LoginPhase.IDLE
    }

    /** The login finished, failed, or could not open a browser. */
    @Synchronized
    fun finished() {
        phase = LoginPhase.IDLE
    }
}
