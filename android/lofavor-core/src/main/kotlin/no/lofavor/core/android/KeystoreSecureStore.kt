package no.lofavor.core.android

import android.content.Context
import android.content.SharedPreferences
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import java.io.IOException
import java.security.GeneralSecurityException
import java.security.KeyStore
import java.security.KeyStoreException
import java.security.ProviderException
import java.security.UnrecoverableKeyException
import java.util.Base64
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import no.lofavor.core.SecureStore
import no.lofavor.core.SecureStoreException

/**
 * The core's [SecureStore] on Android: small secrets (the database key, later the refresh
 * token) encrypted with an AES-256-GCM key that lives in the Android Keystore.
 *
 * The key is generated inside the Keystore and cannot be exported; it needs no user
 * authentication (the core reads the database key at start, without a prompt) and the
 * Keystore chooses a fresh random IV for every encryption. Each secret is stored as
 * `v1:<IV>:<ciphertext>` (Base64) in a private SharedPreferences file, with the secret's
 * name as associated data, so an entry copied under another name fails to decrypt. The file
 * is useless without the key, and the key never leaves the device: the app excludes both
 * from backup, because a restored file without its key would be unreadable.
 *
 * Failures throw [SecureStoreException]: [SecureStoreException.Unavailable] when the key is
 * gone or unusable, [SecureStoreException.Failed] when one operation fails. Reasons name
 * what went wrong, never a secret. Nothing here logs.
 *
 * **Re-entrancy.** The core calls these methods while it may hold its own locks (for
 * example the database lock while it reads the database key). An implementation must never
 * call back into the core from inside them, or the app can deadlock: do the work and return.
 *
 * Safe to call from any thread; calls are serialised.
 *
 * @param context Any context; only its application context is kept.
 * @param fileName The SharedPreferences file that holds the encrypted secrets.
 * @param keyAlias The Keystore alias of the wrapping key.
 */
class KeystoreSecureStore(
    context: Context,
    fileName: String = DEFAULT_FILE_NAME,
    private val keyAlias: String = DEFAULT_KEY_ALIAS,
) : SecureStore {
    private val prefs: SharedPreferences =
        context.applicationContext.getSharedPreferences(fileName, Context.MODE_PRIVATE)
    private val lock = Any()

    /** The secret stored under [name], or null if there is none. */
    override fun get(name: String): ByteArray? = guarded {
        val stored = prefs.getString(entryKey(name), null) ?: return@guarded null
        // An entry without its key cannot be read; saying "none" would let the core treat
        // the database key as never created. Report it, and let the core decide.
        val key = existingKey()
            ?: throw SecureStoreException.Unavailable("the keystore key that protects stored secrets is gone")
        decrypt(key, name, stored)
    }

    /** Stores [secret] under [name], replacing any earlier one; durable when it returns. */
    override fun put(name: String, secret: ByteArray): Unit = guarded {
        val sealed = encrypt(existingKey() ?: createKey(), name, secret)
        // commit(), not apply(): the core may rely on the secret (a new database key) being
        // on disk before it writes data that needs it.
        if (!prefs.edit().putString(entryKey(name), sealed).commit()) {
            throw SecureStoreException.Failed("the secret store file could not be written")
        }
    }

    /** Removes the secret under [name]; a missing one is not an error. */
    override fun delete(name: String): Unit = guarded {
        if (!prefs.edit().remove(entryKey(name)).commit()) {
            throw SecureStoreException.Failed("the secret store file could not be written")
        }
    }

    private fun keyStore(): KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

    private fun existingKey(): SecretKey? = keyStore().getKey(keyAlias, null) as? SecretKey

    private fun createKey(): SecretKey {
        val spec = KeyGenParameterSpec.Builder(
            keyAlias,
            KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
        )
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setUserAuthenticationRequired(false)
            .setRandomizedEncryptionRequired(true)
            .build()
        // StrongBox is not requested: it is slow for a key used at every start, and a
        // TEE-backed key is already non-exportable.
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
            .apply { init(spec) }
            .generateKey()
    }

    private fun encrypt(key: SecretKey, name: String, secret: ByteArray): String {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key) // the Keystore picks the IV
        cipher.updateAAD(associatedData(name))
        val ciphertext = cipher.doFinal(secret)
        val b64 = Base64.getEncoder()
        return "$FORMAT:${b64.encodeToString(cipher.iv)}:${b64.encodeToString(ciphertext)}"
    }

    private fun decrypt(key: SecretKey, name: String, stored: String): ByteArray {
        val parts = stored.split(':')
        if (parts.size != 3 || parts[0] != FORMAT) {
            throw SecureStoreException.Failed("a stored secret has an unknown format")
        }
        val b64 = Base64.getDecoder()
        val iv = b64.decode(parts[1])
        val ciphertext = b64.decode(parts[2])
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, iv))
        cipher.updateAAD(associatedData(name))
        return cipher.doFinal(ciphertext)
    }

    private fun entryKey(name: String) = "secret.$name"

    private fun associatedData(name: String) = "lofavor-secure-store:$FORMAT:$name".toByteArray(Charsets.UTF_8)

    /**
     * Runs [block] under the lock and maps platform failures onto the core's two kinds. The
     * exceptions' own messages are dropped: they are not ours to vouch for.
     */
    private inline fun <T> guarded(block: () -> T): T = synchronized(lock) {
        try {
            block()
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw SecureStoreException.Unavailable("the keystore key was permanently invalidated")
        } catch (e: UnrecoverableKeyException) {
            throw SecureStoreException.Unavailable("the keystore key cannot be recovered")
        } catch (e: KeyStoreException) {
            throw SecureStoreException.Unavailable("the Android keystore is not available")
        } catch (e: IOException) {
            throw SecureStoreException.Unavailable("the Android keystore could not be loaded")
        } catch (e: AEADBadTagException) {
            throw SecureStoreException.Failed("a stored secret failed its integrity check")
        } catch (e: GeneralSecurityException) {
            throw SecureStoreException.Failed("keystore operation failed (${e.javaClass.simpleName})")
        } catch (e: ProviderException) {
            // The Keystore's usual wrapper for a refusal by the secure hardware.
            throw SecureStoreException.Failed("the Android keystore refused the operation")
        } catch (e: IllegalArgumentException) {
            throw SecureStoreException.Failed("a stored secret is not valid Base64")
        }
    }

    /** Defaults for the file and key names. */
    companion object {
        /** The SharedPreferences file the app uses for the core's secrets. */
        const val DEFAULT_FILE_NAME: String = "lofavor_secure_store"

        /** The Keystore alias of the key that encrypts them. */
        const val DEFAULT_KEY_ALIAS: String = "no.lofavor.core.secure-store.v1"

        private const val ANDROID_KEYSTORE = "AndroidKeyStore"
        private const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val TAG_BITS = 128
        private const val FORMAT = "v1"
    }
}
