package no.lofavor.app

import android.app.Application
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.withContext
import no.lofavor.core.LofavorCore
import no.lofavor.core.android.CoreSettings
import no.lofavor.core.android.LofavorCoreFactory

/**
 * The app process. It opens the core once, at process start, and keeps it: the core owns
 * the database and a runtime for background work, and lives exactly as long as the process
 * (Android ends processes without telling them, so there is no reliable moment to close it,
 * and nothing is lost by not doing so: every write is already durable). The one exception is
 * the recovery screen's "start again", which erases the local data and opens a new core.
 */
class LofavorApp : Application() {
    // Process lifetime, like the core; SupervisorJob so a failed open fails only [core].
    private val appScope = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    private val settings by lazy {
        CoreSettings(apiBaseUrl = BuildConfig.API_BASE_URL, oidcIssuer = BuildConfig.OIDC_ISSUER)
    }

    /**
     * The core, being opened in the background (opening reads the Keystore and the
     * database, which must not block the main thread). Awaiting it throws
     * [no.lofavor.core.LofavorException] if the core could not open.
     */
    @Volatile
    lateinit var core: Deferred<LofavorCore>
        private set

    /** Login and the session, for the whole process (the session outlives activities). */
    lateinit var login: LoginController
        private set

    /** Starts opening the core. */
    override fun onCreate() {
        super.onCreate()
        core = openCore()
        login = LoginController({ core }, appScope, RedirectLedger(this)).also { it.start() }
    }

    private fun openCore(): Deferred<LofavorCore> = appScope.async {
        // The core speaks the language the app's texts resolve to (values, values-nn,
        // values-en), not the device's first language: an app showing nn has a core speaking
        // nn, and a device in German gets Bokmål from both.
        LofavorCoreFactory.open(
            this@LofavorApp, settings, languageTag = getString(R.string.core_locale), debugLogs = BuildConfig.DEBUG,
        )
    }

    /**
     * Erases the core's local data and opens a fresh core: the recovery screen calls this
     * only after the member confirmed, and only when the core could not open (so no core
     * holds the data). Returns the new core being opened.
     */
    suspend fun eraseAndReopen(): Deferred<LofavorCore> {
        withContext(Dispatchers.IO) { LofavorCoreFactory.eraseLocalData(this@LofavorApp) }
        return reopen()
    }

    /**
     * Opens the core again after it failed to open (the keystore may have been locked).
     * Only while no core is open: the data directory admits one opener at a time.
     */
    fun reopen(): Deferred<LofavorCore> {
        core = openCore()
        login.start()
        return core
    }
}
