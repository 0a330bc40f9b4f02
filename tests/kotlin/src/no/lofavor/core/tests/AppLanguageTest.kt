package no.lofavor.core.tests

import no.lofavor.core.AppLocale
import no.lofavor.core.LofavorCore
import no.lofavor.core.SecureStoreChoice
import no.lofavor.core.android.CoreSettings
import no.lofavor.core.cameraPermissionRequest
import no.lofavor.core.localeFromTag
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import javax.xml.parsers.DocumentBuilderFactory
import org.w3c.dom.Element

/**
 * The core speaks the language the app's texts resolve to: each resource folder names its
 * own language in `core_locale`, which the app opens the core with; the per-app language
 * setting offers exactly those languages.
 */
class AppLanguageTest {
    private val expected = mapOf("nb" to AppLocale.NB, "nn" to AppLocale.NN, "en" to AppLocale.EN)

    @Test
    fun `each resource folder opens the core in its own language`(@TempDir dir: Path) {
        for ((language, folder) in APP_LANGUAGES) {
            val tag = AppStrings(folder).strings["core_locale"]
            assertEquals(language, tag, "core_locale in $folder")
            val locale = localeFromTag(tag!!)
            assertEquals(expected[language], locale)
            val config = CoreSettings.DEVELOPMENT.coreConfig(dir.resolve(language).toString(), tag, SecureStoreChoice.MemoryStandIn)
            LofavorCore(config, null, null).use { core -> assertEquals(expected[language], core.info().locale) }
        }
        // The texts the core gives the screens differ by language, so the choice is visible.
        assertNotEquals(cameraPermissionRequest(AppLocale.NB).reason, cameraPermissionRequest(AppLocale.NN).reason)
    }

    @Test
    fun `the per-app language setting offers exactly the app's languages`() {
        val manifest = Files.readString(repositoryRoot.resolve("android/app/src/main/AndroidManifest.xml"))
        assertTrue(manifest.contains("android:localeConfig=\"@xml/locales_config\""), "the manifest declares no localeConfig")
        val file = repositoryRoot.resolve("android/app/src/main/res/xml/locales_config.xml").toFile()
        val nodes = DocumentBuilderFactory.newInstance().apply { isNamespaceAware = true }.newDocumentBuilder().parse(file)
            .getElementsByTagName("locale")
        val declared = (0 until nodes.length).map {
            (nodes.item(it) as Element).getAttributeNS("http://schemas.android.com/apk/res/android", "name")
        }.toSet()
        assertEquals(APP_LANGUAGES.keys, declared)
    }
}
