package no.lofavor.app

import android.app.Application
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import no.lofavor.core.LofavorCore
import no.lofavor.core.android.CoreSettings
import no.lofavor.core.android.LofavorCoreFactory

/**
 * The app process. It opens the core once, at process start, and never closes it: the core
 * owns the database and a runtime for background work, and lives exactly as long as the
 * process (Android ends processes without telling them, so there is no reliable moment to
 * close it, and nothing is lost by not doing so: every write is already durable).
 */
class LofavorApp : Application() {
    // Process lifetime, like the core; SupervisorJob so a failed open fails only [core].
    private val appScope = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    /**
     * The core, being opened in the background (opening reads the Keystore and the
     * database, which must not block the main thread). Awaiting it throws
     * [no.lofavor.core.LofavorException] if the core could not open.
     */
    lateinit var core: Deferred<LofavorCore>
        private set

    /** Login and the session, for the whole process (the session outlives activities). */
    lateinit var login: LoginController
        private set

    /** Starts opening the core. */
    override fun onCreate() {
        super.onCreate()
        val settings = CoreSettings(
            apiBaseUrl = BuildConfig.API_BASE_URL,
            oidcIssuer = BuildConfig.OIDC_ISSUER,
        )
        core = appScope.async {
            LofavorCoreFactory.open(this@LofavorApp, settings, debugLogs = BuildConfig.DEBUG)
        }
        login = LoginController(core, appScope).also { it.start() }
    }
}
