package no.lofavor.core.tests

import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.errorText
import no.lofavor.app.model.needsRecovery
import no.lofavor.core.InternalException
import no.lofavor.core.LofavorException
import no.lofavor.core.android.kind
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files

/**
 * Every failure the core can return has its own message, in Bokmål, Nynorsk and English, read
 * from the app's string resources: no screen ever shows a raw kind such as "network".
 */
class ErrorTextTest {
    private val languages = APP_LANGUAGES.mapValues { (_, folder) -> AppStrings(folder) }

    /** One instance of every error the bindings can throw, found by reflection, not listed by hand. */
    private fun everyCoreError(): List<LofavorException> =
        LofavorException::class.java.declaredClasses
            .filter { LofavorException::class.java.isAssignableFrom(it) }
            .map { it.getConstructor(String::class.java).newInstance("a reason") as LofavorException }

    /** The kinds the core names in core/src/error.rs (`ErrorKind::as_str`). */
    private fun kindsInTheCore(): List<String> {
        val source = Files.readString(repositoryRoot.resolve("core/src/error.rs"))
        val body = source.substringAfter("pub fn as_str(self)").substringBefore("\n    }\n")
        return Regex("""ErrorKind::\w+ => "(\w+)"""").findAll(body).map { it.groupValues[1] }.toList()
    }

    @Test
    fun `every error the bindings can throw has its own message`() {
        val errors = everyCoreError()
        assertEquals(27, errors.size, "the bindings' error kinds changed: ${errors.map { it.kind }}")
        val texts = errors.map { errorText(it) }
        assertFalse(ErrorText.UNEXPECTED in texts, "a core error fell through to 'unexpected'")
        assertEquals(texts.size, texts.toSet().size, "two kinds share one message: $texts")
        for (error in errors) {
            assertEquals("error_${error.kind}", errorText(error).resourceName, "message of ${error.kind}")
        }
    }

    @Test
    fun `every kind the core names has a message`() {
        val kinds = kindsInTheCore()
        assertTrue(kinds.size >= 27, "read only $kinds from core/src/error.rs")
        val names = ErrorText.entries.map { it.resourceName }.toSet()
        for (kind in kinds) assertTrue("error_$kind" in names, "no message for the core's kind $kind")
    }

    @Test
    fun `every message exists in nb, nn and en, is not empty and is not a raw kind`() {
        for (text in ErrorText.entries) {
            val perLanguage = languages.mapValues { (language, strings) ->
                val value = strings.strings[text.resourceName]
                assertTrue(value != null, "${text.resourceName} missing in $language")
                value!!.trim()
            }
            for ((language, value) in perLanguage) {
                assertTrue(value.length >= 15, "${text.resourceName} in $language is too short to explain: '$value'")
                assertFalse(Regex("""\b[a-z]+_[a-z_]+\b""").containsMatchIn(value), "${text.resourceName} in $language shows a raw kind: '$value'")
                assertFalse(value.contains("%"), "${text.resourceName} in $language has a placeholder nobody fills")
            }
            assertNotEquals(perLanguage["nb"], perLanguage["en"], "${text.resourceName} is not translated to English")
        }
    }

    @Test
    fun `the Android side maps each message to the resource of the same name`() {
        val source = Files.readString(repositoryRoot.resolve("android/app/src/main/kotlin/no/lofavor/app/ErrorMessages.kt"))
        val mapped = Regex("""ErrorText\.(\w+) -> R\.string\.(\w+)""").findAll(source)
            .associate { it.groupValues[1] to it.groupValues[2] }
        for (text in ErrorText.entries) {
            assertEquals(text.resourceName, mapped[text.name], "ErrorText.${text.name} in ErrorMessages.kt")
        }
    }

    @Test
    fun `no screen shows a raw kind`() {
        val app = repositoryRoot.resolve("android/app/src/main/kotlin")
        val sources = Files.walk(app).use { paths -> paths.filter { it.toString().endsWith(".kt") }.toList() }
        assertTrue(sources.size > 5)
        for (source in sources) {
            val text = Files.readString(source)
            assertFalse(text.contains("coreFailureKind("), "$source formats a failure by its kind")
            assertFalse(Regex("""stringResource\([^)]*\.kind\b""").containsMatchIn(text), "$source puts a kind into a text")
        }
    }

    @Test
    fun `only a missing key or a corrupt database leads to the recovery screen`() {
        val recover = everyCoreError().filter { needsRecovery(it) }.map { it.kind }.toSet()
        assertEquals(setOf("database_key_missing", "database_corrupt"), recover)
        assertFalse(needsRecovery(IllegalStateException("boom")))
    }

    @Test
    fun `a panic in the core and a bug in the app have messages too`() {
        assertEquals(ErrorText.INTERNAL, errorText(InternalException("panicked")))
        assertEquals(ErrorText.UNEXPECTED, errorText(IllegalStateException("boom")))
    }
}
