package no.lofavor.core.tests

import java.io.BufferedReader
import java.io.InputStreamReader
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The real reference server binary on a free loopback port, for the duration of a test class.
 * Its path comes from the `lofavor.server` system property set by the test command.
 */
class ReferenceServer : AutoCloseable {
    private val dataDir: Path = Files.createTempDirectory("lofavor-server")
    private val process: Process
    /** Base URL, ending in `/`. */
    val baseUrl: String
    /** Its trust anchor (printed on start, never served), to configure a worker's core with. */
    val trustAnchor: String

    init {
        val binary = System.getProperty("lofavor.server")
            ?: error("system property lofavor.server (path of the lofavor-server binary) is not set")
        process = ProcessBuilder(binary, "--bind", "127.0.0.1:0", "--data-dir", dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val reader = BufferedReader(InputStreamReader(process.inputStream))
        val line = reader.readLine() ?: error("lofavor-server exited before listening")
        baseUrl = line.removePrefix("listening on ").trim()
        check(baseUrl.startsWith("http://127.0.0.1:")) { "unexpected first line: $line" }
        reader.readLine() ?: error("lofavor-server exited before naming its issuer")
        val anchorLine = reader.readLine() ?: error("lofavor-server exited before naming its trust anchor")
        check(anchorLine.startsWith("trust anchor ")) { "unexpected third line: $anchorLine" }
        trustAnchor = anchorLine.removePrefix("trust anchor ").trim()
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
        dataDir.toFile().deleteRecursively()
    }
}
