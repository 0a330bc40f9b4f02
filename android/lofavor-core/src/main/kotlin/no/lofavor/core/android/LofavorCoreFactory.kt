package no.lofavor.core.android

import android.content.Context
import java.io.File
import no.lofavor.core.LofavorCore
import no.lofavor.core.LofavorException
import no.lofavor.core.SecureStoreChoice

/**
 * Opens the core the way the Android app runs it: the database under the app's
 * no-backup directory, secrets in the [KeystoreSecureStore], log lines to Logcat through
 * [LogcatLogger], texts in the device's language.
 *
 * Open one [LofavorCore] per process and keep it (the app holds it for the process
 * lifetime). Opening does disk and Keystore work: call it off the main thread.
 */
object LofavorCoreFactory {
    /** The directory, under `Context.noBackupFilesDir`, that holds the core's database. */
    const val DATA_DIR_NAME: String = "lofavor-core"

    /**
     * Opens the core.
     *
     * The [KeystoreSecureStore] and [LogcatLogger] it registers never call back into the
     * core; a replacement for either must not either (the core may hold a lock while it
     * waits on them).
     *
     * @param context Any context; the application context is used.
     * @param settings The member API and OpenID registration of this build.
     * @param languageTag The language of the core's texts: the app passes the language its
     *   own resources resolve to, so the core and the screens speak the same one.
     * @param debugLogs Whether the core's debug lines reach Logcat (debug builds only).
     * @throws LofavorException when the core cannot open (its kind says why; see [kind]).
     */
    @Throws(LofavorException::class)
    fun open(
        context: Context,
        settings: CoreSettings,
        languageTag: String = languageTag(context),
        debugLogs: Boolean = false,
    ): LofavorCore {
        val app = context.applicationContext
        // noBackupFilesDir: never part of a cloud backup or device transfer, whatever the
        // backup rules say. The database's key stays in this device's Keystore, so a copy
        // elsewhere could not be opened anyway.
        val dataDir = File(app.noBackupFilesDir, DATA_DIR_NAME)
        val config = settings.coreConfig(
            dataDir = dataDir.absolutePath,
            languageTag = languageTag,
            secureStore = SecureStoreChoice.ShellProvided,
        )
        return LofavorCore(config, KeystoreSecureStore(app), LogcatLogger(includeDebug = debugLogs))
    }

    /**
     * Erases everything the core keeps on this phone: its database directory and the secure
     * store's file (tokens and the database key). Only for the recovery screen, after the
     * member confirmed, when the data cannot be opened any more (key gone, file damaged).
     * Call it off the main thread, with no core open.
     */
    fun eraseLocalData(context: Context) {
        val app = context.applicationContext
        File(app.noBackupFilesDir, DATA_DIR_NAME).deleteRecursively()
        app.deleteSharedPreferences(KeystoreSecureStore.DEFAULT_FILE_NAME)
    }

    /**
     * The BCP 47 tag of the language the app's resources use, which follows a per-app
     * language choice as well as the system's.
     */
    fun languageTag(context: Context): String {
        val locales = context.resources.configuration.locales
        val locale = if (locales.isEmpty) java.util.Locale.getDefault() else locales.get(0)
        return locale.toLanguageTag()
    }
}
