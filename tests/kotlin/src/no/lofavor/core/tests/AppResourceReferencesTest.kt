package no.lofavor.core.tests

import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files

/**
 * Every text and resource file the app's code and manifest name exists, in every language:
 * without an Android SDK here, this is what catches a misspelt `R.string` before CI does.
 */
class AppResourceReferencesTest {
    private val main = repositoryRoot.resolve("android/app/src/main")

    private fun appSources(): Map<String, String> = Files.walk(main.resolve("kotlin")).use { paths ->
        paths.filter { it.toString().endsWith(".kt") }.toList()
    }.associate { main.relativize(it).toString() to Files.readString(it) }

    @Test
    fun `every R string and plural the code names exists in nb, nn and en`() {
        val languages = APP_LANGUAGES.mapValues { (_, folder) -> AppStrings(folder) }
        var checked = 0
        for ((where, text) in appSources()) {
            for (m in Regex("""\bR\.(string|plurals)\.(\w+)""").findAll(text)) {
                val (kind, name) = m.destructured
                for ((language, strings) in languages) {
                    val present = if (kind == "string") name in strings.strings || (language != "nb" && name == "app_name")
                    else name in strings.plurals
                    assertTrue(present, "$where names R.$kind.$name, missing in $language")
                }
                checked++
            }
        }
        assertTrue(checked > 50, "only $checked references found: the check has gone blind")
    }

    @Test
    fun `every resource the manifest names exists`() {
        val manifest = Files.readString(main.resolve("AndroidManifest.xml"))
        val strings = AppStrings("values").strings
        for (m in Regex("""@(string|xml)/(\w+)""").findAll(manifest)) {
            val (kind, name) = m.destructured
            val present = when (kind) {
                "string" -> name in strings
                else -> Files.isRegularFile(main.resolve("res/xml/$name.xml"))
            }
            assertTrue(present, "the manifest names @$kind/$name, which does not exist")
        }
    }

    @Test
    fun `debug builds alone allow cleartext, and only to loopback`() {
        val release = Files.readString(main.resolve("res/xml/network_security_config.xml"))
        assertTrue(!release.contains("cleartextTrafficPermitted=\"true\""), "release config allows cleartext")
        val debug = Files.readString(repositoryRoot.resolve("android/app/src/debug/res/xml/network_security_config.xml"))
        val hosts = Regex("""<domain[^>]*>([^<]+)</domain>""").findAll(debug).map { it.groupValues[1].trim() }.toSet()
        assertTrue(hosts == setOf("127.0.0.1"), "debug cleartext hosts: $hosts")
    }
}
