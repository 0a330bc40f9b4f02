package no.lofavor.core.tests

import java.nio.file.Files
import java.nio.file.Path
import javax.xml.parsers.DocumentBuilderFactory
import org.w3c.dom.Element

/** The repository root, as the test command passes it. */
val repositoryRoot: Path = Path.of(System.getProperty("lofavor.root") ?: error("system property lofavor.root is not set"))

/** The app's languages and the resource folder of each: Bokmål is the default. */
val APP_LANGUAGES = linkedMapOf("nb" to "values", "nn" to "values-nn", "en" to "values-en")

/**
 * The app's texts in one language, as Android reads them from `res/<folder>/strings.xml`:
 * plain strings by name, and each plural by name with its quantities.
 */
class AppStrings(folder: String) {
    /** The `<string>` texts by name. */
    val strings: Map<String, String>

    /** The `<plurals>` by name, each quantity's text by quantity. */
    val plurals: Map<String, Map<String, String>>

    init {
        val file = repositoryRoot.resolve("android/app/src/main/res/$folder/strings.xml")
        check(Files.isRegularFile(file)) { "missing $file" }
        val document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
        val nodes = document.documentElement.childNodes
        val strings = LinkedHashMap<String, String>()
        val plurals = LinkedHashMap<String, Map<String, String>>()
        for (i in 0 until nodes.length) {
            val node = nodes.item(i) as? Element ?: continue
            when (node.tagName) {
                "string" -> strings[node.getAttribute("name")] = node.textContent
                "plurals" -> {
                    val items = node.getElementsByTagName("item")
                    plurals[node.getAttribute("name")] = (0 until items.length).associate {
                        val item = items.item(it) as Element
                        item.getAttribute("quantity") to item.textContent
                    }
                }
            }
        }
        this.strings = strings
        this.plurals = plurals
    }
}
