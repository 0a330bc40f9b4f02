package no.lofavor.core.tests

import kotlinx.coroutines.runBlocking
import no.lofavor.core.LofavorCore
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Logs [member] in at the reference server's own issuer by picking them on its picker page, as
 * the browser would, and hands the redirect to the core. Returns the redirect URL, so a test
 * can try to replay it.
 */
fun logInAtReferenceServer(server: ReferenceServer, core: LofavorCore, member: String): String {
    val http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
    fun form(vararg fields: Pair<String, String>) = fields.joinToString("&") { (k, v) ->
        "${URLEncoder.encode(k, Charsets.UTF_8)}=${URLEncoder.encode(v, Charsets.UTF_8)}"
    }
    val url = runBlocking { core.auth().beginLogin() }
    val page = http.send(HttpRequest.newBuilder(URI(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
    check(page.statusCode() == 200) { "picker page answered ${page.statusCode()}" }
    val memberForm = page.body().split("<form").first { it.contains("name=\"member\" value=\"$member\"") }
    val request = Regex("name=\"request\" value=\"([^\"]*)\"").find(memberForm)!!.groupValues[1]
    val decided = http.send(
        HttpRequest.newBuilder(URI(server.baseUrl + "oidc/authorize/decision"))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form("request" to request, "member" to member)))
            .build(),
        HttpResponse.BodyHandlers.ofString(),
    )
    check(decided.statusCode() == 303) { "decision answered ${decided.statusCode()}" }
    val redirect = decided.headers().firstValue("location").orElseThrow()
    runBlocking { core.auth().completeLogin(redirect) }
    return redirect
}

/** The QR code [modules] (`size` a side) drawn as a camera would see it: `scale` pixels a module, 4 modules of quiet zone. */
fun qrFrame(size: Int, modules: List<Boolean>, scale: Int = 4): Triple<Int, Int, ByteArray> {
    val side = (size + 8) * scale
    val luma = ByteArray(side * side) { 255.toByte() }
    for (y in 0 until size) for (x in 0 until size) {
        if (!modules[y * size + x]) continue
        for (dy in 0 until scale) for (dx in 0 until scale) {
            luma[((y + 4) * scale + dy) * side + (x + 4) * scale + dx] = 0
        }
    }
    return Triple(side, side, luma)
}
