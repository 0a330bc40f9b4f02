package no.lofavor.core.tests

import java.net.CookieManager
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * The system browser's part in a login, as a test plays it: an HTTP client with a cookie jar
 * that follows the provider's redirects and fills its login and consent forms, and stops at
 * the app's redirect URI — what Custom Tabs hands back to the app.
 */
class HeadlessBrowser {
    private val http = HttpClient.newBuilder()
        .cookieHandler(CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build()

    /** Opens [authorizationUrl], logs in as [account], returns the redirect to [redirectPrefix]. */
    fun logIn(authorizationUrl: String, account: String, redirectPrefix: String): String {
        var url = authorizationUrl
        repeat(20) {
            if (url.startsWith(redirectPrefix)) return url
            val page = http.send(HttpRequest.newBuilder(URI(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
            if (page.statusCode() in 300..399) {
                url = URI(url).resolve(page.headers().firstValue("location").orElseThrow()).toString()
                return@repeat
            }
            val body = page.body()
            val action = Regex("<form[^>]*action=\"([^\"]+)\"").find(body)?.groupValues?.get(1)
                ?: error("no form at $url (status ${page.statusCode()})")
            val form = Regex("<input[^>]*type=\"hidden\"[^>]*>").findAll(body).mapNotNull { tag ->
                val name = Regex("name=\"([^\"]*)\"").find(tag.value)?.groupValues?.get(1) ?: return@mapNotNull null
                val value = Regex("value=\"([^\"]*)\"").find(tag.value)?.groupValues?.get(1) ?: ""
                name to value.replace("&amp;", "&")
            }.toMutableList()
            if (body.contains("name=\"login\"")) {
                form += "login" to account
                form += "password" to "any"
            }
            val encoded = form.joinToString("&") { (k, v) ->
                "${URLEncoder.encode(k, Charsets.UTF_8)}=${URLEncoder.encode(v, Charsets.UTF_8)}"
            }
            val target = URI(url).resolve(action.replace("&amp;", "&"))
            val posted = http.send(
                HttpRequest.newBuilder(target)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encoded))
                    .build(),
                HttpResponse.BodyHandlers.ofString(),
            )
            check(posted.statusCode() in 300..399) { "form at $target answered ${posted.statusCode()}" }
            url = target.resolve(posted.headers().firstValue("location").orElseThrow()).toString()
        }
        error("no redirect to the app after 20 hops")
    }
}
