package no.lofavor.core.tests

import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.util.concurrent.TimeUnit

/**
 * The real OpenID Provider (npm `oidc-provider`, tests/oidc/provider.mjs) on a free loopback
 * port. The script's path comes from the `lofavor.oidcProvider` system property set by the
 * test command.
 */
class OidcProvider : AutoCloseable {
    private val process: Process
    /** The issuer identifier, `http://127.0.0.1:PORT`. */
    val issuer: String

    init {
        val script = File(
            System.getProperty("lofavor.oidcProvider")
                ?: error("system property lofavor.oidcProvider (path of provider.mjs) is not set"),
        )
        process = ProcessBuilder("node", script.path)
            .directory(script.parentFile)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val line = BufferedReader(InputStreamReader(process.inputStream)).readLine()
            ?: error("the provider exited before listening")
        issuer = line.removePrefix("issuer ").trim()
        check(issuer.startsWith("http://127.0.0.1:")) { "unexpected first line: $line" }
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }
}
