package no.lofavor.core.android

import no.lofavor.core.AppLocale
import no.lofavor.core.CoreConfig
import no.lofavor.core.SecureStoreChoice
import no.lofavor.core.localeFromTag

// Pure Kotlin on purpose: the app and the JVM binding tests share this file, so it must not
// touch android.* (the tests run without an Android runtime).

/**
 * Where the Android app finds the member API and how it is registered at the OpenID
 * issuer: the per-build part of [CoreConfig]. The per-device part (data directory, language)
 * is added by [coreConfig].
 *
 * @property apiBaseUrl Base URL of the member API. The core accepts `https`, and plain `http`
 *   only on a loopback host.
 * @property oidcIssuer The OpenID issuer identifier; by default the reference server's
 *   development issuer at `<api>/oidc`.
 * @property oidcClientId This app's OAuth client id at the issuer.
 * @property redirectUri The redirect URI registered for this app: a private-use scheme
 *   (RFC 8252 §7.1) that the app's manifest routes to its activity.
 * @property trustAnchors The deployment's trust anchors (P-256 public keys, base64 DER
 *   SubjectPublicKeyInfo) that may sign the roadside trust list; they ship with the app and
 *   never come from the network. Empty by default: a development build checks no
 *   certificates until the reference server's anchor (`lofavor serve` prints it) is set.
 */
data class CoreSettings(
    val apiBaseUrl: String,
    val oidcIssuer: String = "${apiBaseUrl.trimEnd('/')}/oidc",
    val oidcClientId: String = CLIENT_ID,
    val redirectUri: String = REDIRECT_URI,
    val trustAnchors: List<String> = emptyList(),
) {
    /**
     * The configuration to open the core with.
     *
     * @param dataDir Directory for the core's encrypted database (on Android, a directory
     *   under `noBackupFilesDir`, so that no backup ever carries it).
     * @param languageTag The platform's BCP 47 language tag (`nb-NO`, `nn`, `en-GB`, `no`);
     *   a language the core does not speak falls back to Norwegian Bokmål.
     * @param secureStore Where the core keeps its secrets. The app passes its Keystore-backed
     *   store ([SecureStoreChoice.ShellProvided], the default); tests may pick a stand-in.
     */
    fun coreConfig(
        dataDir: String,
        languageTag: String,
        secureStore: SecureStoreChoice = SecureStoreChoice.ShellProvided,
    ): CoreConfig = CoreConfig(
        dataDir = dataDir,
        apiBaseUrl = apiBaseUrl,
        oidcIssuer = oidcIssuer,
        oidcClientId = oidcClientId,
        redirectUri = redirectUri,
        locale = localeFromTag(languageTag) ?: DEFAULT_LOCALE,
        secureStore = secureStore,
        trustAnchors = trustAnchors,
    )

    /** Constants of the Android app's registration and its development set-up. */
    companion object {
        /** The OAuth client id the Android app is registered under. */
        const val CLIENT_ID: String = "lofavor-android"

        /** The private-use URI scheme of the login redirect (the app's id, reversed DNS). */
        const val REDIRECT_SCHEME: String = "no.lofavor.app"

        /** The path of the login redirect under [REDIRECT_SCHEME]. */
        const val REDIRECT_PATH: String = "/oauth2redirect"

        /** The redirect URI registered at the issuer. */
        const val REDIRECT_URI: String = "$REDIRECT_SCHEME:$REDIRECT_PATH"

        /** The language of the core's texts when the platform's language is not one it speaks. */
        val DEFAULT_LOCALE: AppLocale = AppLocale.NB

        /**
         * The reference server on the development machine, on its default port. The device
         * reaches it through `adb reverse tcp:8080 tcp:8080` (emulator or phone). The
         * emulator's host alias 10.0.2.2 is not used: the core allows plain http only on
         * loopback hosts.
         */
        val DEVELOPMENT: CoreSettings = CoreSettings(apiBaseUrl = "http://127.0.0.1:8080")
    }
}
