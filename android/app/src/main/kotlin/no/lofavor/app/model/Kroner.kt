package no.lofavor.app.model

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** What the member typed in an amount field. */
sealed interface AmountInput {
    /** Nothing: the amount is not given. */
    data object Empty : AmountInput

    /** An amount, in øre (the core's unit: no rounding of kroner as a floating number). */
    data class Ore(val ore: ULong) : AmountInput

    /** Not an amount the app understands (letters, a minus, three decimals, too large). */
    data object Invalid : AmountInput
}

/** The largest amount taken, in kroner: far above any household item, far below overflow. */
private const val MAX_KRONER = 9_999_999_999L

/** Spaces a member or a keyboard may put between groups of thousands. */
private val GROUP_SPACES = Regex("[ \u00A0\u202F\u2009]+")

/** Whole kroner grouped by spaces ("1 299") or not ("1299"), then optional øre. */
private val SPACED = Regex("""^(\d{1,3}(?: \d{3})+|\d+)(?:[,.](\d{1,2}|-))?$""")

/** Whole kroner grouped by points, as on a price tag ("1.299,90"): the decimal is then a comma. */
private val DOTTED = Regex("""^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}|-))?$""")

/**
 * Parses an amount in kroner as Norwegians type it: "1 299,90", "1299,9", "1299.90",
 * "1.299,90", "1 299,-", "1 299 kr", "kr 1 299". A point before one or two digits is a decimal
 * point; before three it groups thousands. Spaces group only by three ("12 99" is refused, as
 * it is likely a typo), so no amount is read other than the member meant.
 */
fun parseKroner(text: String): AmountInput {
    var s = text.trim()
    if (s.isEmpty()) return AmountInput.Empty
    s = s.removeSuffix(".").trim()
    if (s.endsWith("kr", ignoreCase = true)) s = s.dropLast(2).trim()
    if (s.startsWith("kr", ignoreCase = true)) s = s.drop(2).trim().removePrefix(".").trim()
    s = GROUP_SPACES.replace(s, " ")
    val match = SPACED.matchEntire(s) ?: DOTTED.matchEntire(s) ?: return AmountInput.Invalid
    val whole = match.groupValues[1].filter(Char::isDigit)
    // A leading run of zeros is harmless; more digits than the cap is not a price.
    val kroner = whole.trimStart('0').ifEmpty { "0" }
    if (kroner.length > MAX_KRONER.toString().length) return AmountInput.Invalid
    val kr = kroner.toLong()
    if (kr > MAX_KRONER) return AmountInput.Invalid
    val fraction = match.groupValues[2]
    val ore = when {
        fraction.isEmpty() || fraction == "-" -> 0L
        fraction.length == 1 -> fraction.toLong() * 10
        else -> fraction.toLong()
    }
    return AmountInput.Ore((kr * 100 + ore).toULong())
}

/** Groups whole kroner by three with [separator]: 1299 → "1 299". */
private fun grouped(kroner: ULong, separator: Char): String =
    kroner.toString().reversed().chunked(3).joinToString(separator.toString()).reversed()

/**
 * An amount for display, as Norwegian prices are written: "1 299,90 kr". The spaces do not
 * break, so a line never ends inside an amount.
 */
fun formatKroner(ore: ULong): String {
    val cents = (ore % 100u).toString().padStart(2, '0')
    return "${grouped(ore / 100u, '\u00A0')},$cents\u00A0kr"
}

/**
 * An amount for an edit field, which [parseKroner] reads back to the same øre: "1 299,90",
 * or "1 299" for whole kroner.
 */
fun kronerInput(ore: ULong): String {
    val whole = grouped(ore / 100u, ' ')
    val cents = ore % 100u
    return if (cents == 0uL) whole else "$whole,${cents.toString().padStart(2, '0')}"
}
