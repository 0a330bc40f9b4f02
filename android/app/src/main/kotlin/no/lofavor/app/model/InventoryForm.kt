package no.lofavor.app.model

import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import java.time.format.ResolverStyle
import no.lofavor.core.ItemFields

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** How a field is typed, which decides its keyboard and how it is read. */
enum class FieldKind {
    /** One line of text. */
    TEXT,

    /** Several lines (description, notes). */
    LINES,

    /** Kroner, read by [parseKroner]. */
    AMOUNT,

    /** A date, read by [parseDate]. */
    DATE,

    /** A whole number. */
    NUMBER,
}

/**
 * The fields of the add/edit form, one per field of the core's [ItemFields], in the order the
 * form shows them. The screens name each one's label by its own `when`, so a field added here
 * without a label does not compile.
 */
enum class FormField(val kind: FieldKind) {
    NAME(FieldKind.TEXT),
    ROOM(FieldKind.TEXT),
    CATEGORY(FieldKind.TEXT),
    DESCRIPTION(FieldKind.LINES),
    BRAND(FieldKind.TEXT),
    MODEL(FieldKind.TEXT),
    SERIAL_NUMBER(FieldKind.TEXT),
    QUANTITY(FieldKind.NUMBER),
    PURCHASE_DATE(FieldKind.DATE),
    PURCHASE_PLACE(FieldKind.TEXT),
    PURCHASE_PRICE(FieldKind.AMOUNT),
    CURRENCY(FieldKind.TEXT),
    REPLACEMENT_VALUE(FieldKind.AMOUNT),
    RECEIPT_NUMBER(FieldKind.TEXT),
    WARRANTY_END(FieldKind.DATE),
    NOTES(FieldKind.LINES),
    TAGS(FieldKind.TEXT),
}

/** Why a field's text cannot be saved; the screens show its message beside the field. */
enum class FieldProblem {
    /** The name is empty. */
    REQUIRED,

    /** Not an amount in kroner. */
    NOT_AN_AMOUNT,

    /** Not a date (or a day that does not exist, such as 30 February). */
    NOT_A_DATE,

    /** Not a whole number from 1 to [MAX_QUANTITY]. */
    NOT_A_QUANTITY,

    /** Not a three-letter currency code such as NOK or EUR. */
    NOT_A_CURRENCY,
}

/** The largest quantity the form takes: more is a typo, not a household. */
const val MAX_QUANTITY = 9999

/** What the member typed in a date field. */
sealed interface DateInput {
    /** Nothing: the date is not given. */
    data object Empty : DateInput

    /** A date, as the core stores it (`YYYY-MM-DD`). */
    data class Day(val iso: String) : DateInput

    /** Not a date. */
    data object Invalid : DateInput
}

private val ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT)
private val NORWEGIAN = DateTimeFormatter.ofPattern("d.M.uuuu").withResolverStyle(ResolverStyle.STRICT)

/**
 * Reads a date as the core stores it ("2024-03-01") or as Norwegians write it ("1.3.2024",
 * "01.03.2024"); a day that does not exist is refused, not moved to the next month.
 */
fun parseDate(text: String): DateInput {
    val s = text.trim()
    if (s.isEmpty()) return DateInput.Empty
    for (format in listOf(ISO, NORWEGIAN)) {
        try {
            return DateInput.Day(LocalDate.parse(s, format).format(ISO))
        } catch (e: DateTimeParseException) {
            // the other format, or not a date
        }
    }
    return DateInput.Invalid
}

/** The outcome of reading the form. */
sealed interface FormResult {
    /** Everything reads: the fields to hand the core. */
    data class Valid(val fields: ItemFields) : FormResult

    /** Some fields do not read; nothing is saved. */
    data class Invalid(val problems: Map<FormField, FieldProblem>) : FormResult
}

/**
 * The add/edit form as typed: each field's text, kept as text (in the view model's saved
 * state), so a half-typed price survives rotation and process death as the member left it.
 */
data class InventoryForm(val values: Map<FormField, String> = emptyMap()) {
    /** The text of [field] ("" when untouched). */
    operator fun get(field: FormField): String = values[field].orEmpty()

    /** The form with [field] set to [text]. */
    fun with(field: FormField, text: String): InventoryForm = copy(values = values + (field to text))

    /** The problem of each field that does not read; empty when the form can be saved. */
    fun problems(): Map<FormField, FieldProblem> = (read() as? FormResult.Invalid)?.problems.orEmpty()

    /** Reads the form into the core's [ItemFields], or says which fields do not read. */
    fun read(): FormResult {
        val problems = mutableMapOf<FormField, FieldProblem>()
        fun text(field: FormField) = get(field).trim().ifEmpty { null }
        fun amount(field: FormField): ULong? = when (val a = parseKroner(get(field))) {
            AmountInput.Empty -> null
            is AmountInput.Ore -> a.ore
            AmountInput.Invalid -> null.also { problems[field] = FieldProblem.NOT_AN_AMOUNT }
        }
        fun date(field: FormField): String? = when (val d = parseDate(get(field))) {
            DateInput.Empty -> null
            is DateInput.Day -> d.iso
            DateInput.Invalid -> null.also { problems[field] = FieldProblem.NOT_A_DATE }
        }
        val name = text(FormField.NAME)
        if (name == null) problems[FormField.NAME] = FieldProblem.REQUIRED
        val quantityText = text(FormField.QUANTITY)
        val quantity = quantityText?.toIntOrNull()
        if (quantityText != null && (quantity == null || quantity !in 1..MAX_QUANTITY)) {
            problems[FormField.QUANTITY] = FieldProblem.NOT_A_QUANTITY
        }
        val currency = text(FormField.CURRENCY)?.uppercase()
        if (currency != null && !Regex("[A-Z]{3}").matches(currency)) problems[FormField.CURRENCY] = FieldProblem.NOT_A_CURRENCY
        val fields = ItemFields(
            name = name.orEmpty(),
            description = text(FormField.DESCRIPTION),
            room = text(FormField.ROOM),
            category = text(FormField.CATEGORY),
            brand = text(FormField.BRAND),
            model = text(FormField.MODEL),
            serialNumber = text(FormField.SERIAL_NUMBER),
            quantity = (quantity ?: 1).coerceIn(1, MAX_QUANTITY).toUInt(),
            purchaseDate = date(FormField.PURCHASE_DATE),
            purchasePlace = text(FormField.PURCHASE_PLACE),
            purchasePrice = amount(FormField.PURCHASE_PRICE),
            currency = currency,
            replacementValue = amount(FormField.REPLACEMENT_VALUE),
            receiptNumber = text(FormField.RECEIPT_NUMBER),
            warrantyEnd = date(FormField.WARRANTY_END),
            notes = text(FormField.NOTES),
            tags = get(FormField.TAGS).split(',').map { it.trim() }.filter { it.isNotEmpty() }.distinct(),
        )
        return if (problems.isEmpty()) FormResult.Valid(fields) else FormResult.Invalid(problems)
    }

    companion object {
        /** A new item's form, in [room] when it is added from a room's list. */
        fun new(room: String?): InventoryForm = InventoryForm().with(FormField.ROOM, room.orEmpty())

        /** The form of an existing item, as [read] would give its fields back. */
        fun of(fields: ItemFields): InventoryForm = InventoryForm(
            mapOf(
                FormField.NAME to fields.name,
                FormField.ROOM to fields.room.orEmpty(),
                FormField.CATEGORY to fields.category.orEmpty(),
                FormField.DESCRIPTION to fields.description.orEmpty(),
                FormField.BRAND to fields.brand.orEmpty(),
                FormField.MODEL to fields.model.orEmpty(),
                FormField.SERIAL_NUMBER to fields.serialNumber.orEmpty(),
                FormField.QUANTITY to fields.quantity.toString(),
                FormField.PURCHASE_DATE to fields.purchaseDate.orEmpty(),
                FormField.PURCHASE_PLACE to fields.purchasePlace.orEmpty(),
                FormField.PURCHASE_PRICE to fields.purchasePrice?.let(::kronerInput).orEmpty(),
                FormField.CURRENCY to fields.currency.orEmpty(),
                FormField.REPLACEMENT_VALUE to fields.replacementValue?.let(::kronerInput).orEmpty(),
                FormField.RECEIPT_NUMBER to fields.receiptNumber.orEmpty(),
                FormField.WARRANTY_END to fields.warrantyEnd.orEmpty(),
                FormField.NOTES to fields.notes.orEmpty(),
                FormField.TAGS to fields.tags.joinToString(", "),
            ),
        )
    }
}
