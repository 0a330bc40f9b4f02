package no.lofavor.app

import android.content.Context
import no.lofavor.app.model.ConsumedRedirects

/**
 * Keeps the fingerprints of the login redirects already handed to the core in the app's
 * private storage, so that none is handed over again after process death or from Recents.
 * Only SHA-256 fingerprints are stored, never a redirect (it carries the one-time code).
 */
class RedirectLedger(context: Context) {
    private val prefs = context.applicationContext.getSharedPreferences(FILE_NAME, Context.MODE_PRIVATE)

    /** The redirects handed over so far, as last saved. */
    fun load(): ConsumedRedirects =
        ConsumedRedirects(prefs.getString(KEY, "").orEmpty().split(',').filter { it.isNotEmpty() })

    /**
     * Saves [consumed] before the redirect goes to the core: written with `commit()`, so a
     * crash during the login cannot leave the redirect replayable.
     */
    fun save(consumed: ConsumedRedirects) {
        prefs.edit().putString(KEY, consumed.fingerprints.joinToString(",")).commit()
    }

    private companion object {
        const val FILE_NAME = "lofavor_login_redirects"
        const val KEY = "consumed"
    }
}
