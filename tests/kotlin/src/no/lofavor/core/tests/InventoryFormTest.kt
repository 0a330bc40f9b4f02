package no.lofavor.core.tests

import no.lofavor.app.model.AmountInput
import no.lofavor.app.model.DateInput
import no.lofavor.app.model.FieldProblem
import no.lofavor.app.model.FormField
import no.lofavor.app.model.FormResult
import no.lofavor.app.model.InventoryForm
import no.lofavor.app.model.Route
import no.lofavor.app.model.backFrom
import no.lofavor.app.model.formatKroner
import no.lofavor.app.model.kronerInput
import no.lofavor.app.model.parseDate
import no.lofavor.app.model.parseKroner
import no.lofavor.core.ItemFields
import no.lofavor.core.LofavorCore
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/**
 * The inventory's add/edit form, platform-free: kroner as Norwegians type them read to øre
 * exactly, dates refused when the day does not exist, and a form that goes to the real core
 * and comes back as the same form.
 */
class InventoryFormTest {
    private fun ore(text: String): ULong? = (parseKroner(text) as? AmountInput.Ore)?.ore

    @Test
    fun `kroner typed the Norwegian ways read to the exact øre`() {
        assertEquals(129_990uL, ore("1 299,90"))
        assertEquals(129_990uL, ore("1\u00A0299,90\u00A0kr"))
        assertEquals(129_990uL, ore("1299.90"))
        assertEquals(129_990uL, ore("1.299,90"))
        assertEquals(129_990uL, ore("1299,9"))
        assertEquals(129_900uL, ore("1 299,-"))
        assertEquals(129_900uL, ore("kr 1 299"))
        assertEquals(129_900uL, ore("1.299"), "a point before three digits groups thousands")
        assertEquals(129uL, ore("1.29"), "a point before two digits is the decimal point")
        assertEquals(50uL, ore("0,5"))
        assertEquals(1_999_999_900uL, ore("19 999 999"))
        // 0.1 + 0.2 as doubles is not 0.3: the parse must not go through a floating number.
        assertEquals(30uL, ore("0,30"))
        assertEquals(AmountInput.Empty, parseKroner("  "))
    }

    @Test
    fun `what is not an amount is refused, not guessed`() {
        for (bad in listOf("-5", "12 99", "1,999", "abc", "1 2", "12,34,56", "1..2", "99999999999999999999", "1e5", "1 299,90 €")) {
            assertEquals(AmountInput.Invalid, parseKroner(bad), "'$bad' was read as an amount")
        }
    }

    @Test
    fun `amounts are shown grouped with two decimals and read back the same`() {
        assertEquals("1\u00A0299,90\u00A0kr", formatKroner(129_990uL))
        assertEquals("0,05\u00A0kr", formatKroner(5uL))
        assertEquals("1\u00A0000\u00A0000,00\u00A0kr", formatKroner(100_000_000uL))
        assertEquals("1 299,90", kronerInput(129_990uL))
        assertEquals("1 299", kronerInput(129_900uL))
        for (amount in listOf(0uL, 1uL, 99uL, 100uL, 129_990uL, 123_456_789uL)) {
            assertEquals(amount, ore(kronerInput(amount)))
            assertEquals(amount, ore(formatKroner(amount)))
        }
    }

    @Test
    fun `dates read in either form, and a day that does not exist is refused`() {
        assertEquals(DateInput.Day("2024-03-01"), parseDate("2024-03-01"))
        assertEquals(DateInput.Day("2024-03-01"), parseDate("1.3.2024"))
        assertEquals(DateInput.Day("2024-02-29"), parseDate("29.02.2024"))
        for (bad in listOf("2023-02-29", "31.04.2024", "2024-13-01", "1/3/2024", "i går")) {
            assertEquals(DateInput.Invalid, parseDate(bad), bad)
        }
        assertEquals(DateInput.Empty, parseDate(""))
    }

    @Test
    fun `a form with mistakes names each field that does not read`() {
        val form = InventoryForm()
            .with(FormField.PURCHASE_PRICE, "tusen")
            .with(FormField.WARRANTY_END, "31.02.2026")
            .with(FormField.QUANTITY, "0")
            .with(FormField.CURRENCY, "kroner")
        assertEquals(
            mapOf(
                FormField.NAME to FieldProblem.REQUIRED,
                FormField.PURCHASE_PRICE to FieldProblem.NOT_AN_AMOUNT,
                FormField.WARRANTY_END to FieldProblem.NOT_A_DATE,
                FormField.QUANTITY to FieldProblem.NOT_A_QUANTITY,
                FormField.CURRENCY to FieldProblem.NOT_A_CURRENCY,
            ),
            form.problems(),
        )
        assertTrue(InventoryForm().with(FormField.NAME, "   ").problems().containsKey(FormField.NAME))
    }

    @Test
    fun `a form saved in the real core comes back as the same form`(@TempDir dir: Path) {
        val typed = InventoryForm.new("Stue")
            .with(FormField.NAME, "  TV ")
            .with(FormField.BRAND, "Tandberg")
            .with(FormField.SERIAL_NUMBER, "TB-1")
            .with(FormField.QUANTITY, "2")
            .with(FormField.PURCHASE_DATE, "1.3.2024")
            .with(FormField.PURCHASE_PRICE, "12 499,50")
            .with(FormField.REPLACEMENT_VALUE, "13.999,-")
            .with(FormField.CURRENCY, "nok")
            .with(FormField.WARRANTY_END, "2027-03-01")
            .with(FormField.TAGS, "stue, elektronikk, ,stue")
        val fields = (typed.read() as FormResult.Valid).fields
        assertEquals(ItemFields(name = "TV"), ItemFields(name = fields.name))
        assertEquals(1_249_950uL, fields.purchasePrice)
        assertEquals(1_399_900uL, fields.replacementValue)
        assertEquals("2024-03-01", fields.purchaseDate)
        assertEquals(listOf("stue", "elektronikk"), fields.tags)
        assertEquals(null, fields.notes, "an untouched field is not given, not an empty text")
        LofavorCore(testConfig(dir), KotlinSecureStore(), null).use { core ->
            val inventory = core.inventory()
            val id = inventory.addItem(fields)
            val stored = inventory.item(id).fields
            assertEquals("NOK", stored.currency)
            val again = InventoryForm.of(stored)
            assertEquals(fields, (again.read() as FormResult.Valid).fields)
            assertEquals("12 499,50", again[FormField.PURCHASE_PRICE])
            assertEquals(2_499_900uL, inventory.totals().all.purchasePrice, "two of them at 12 499,50")
        }
    }

    @Test
    fun `back from each inventory screen leads up, not out`() {
        assertEquals(Route.HOME, backFrom(Route.INVENTORY))
        assertEquals(Route.INVENTORY, backFrom(Route.INVENTORY_ROOM))
        assertEquals(Route.INVENTORY, backFrom(Route.INVENTORY_SEARCH))
        assertEquals(Route.INVENTORY_ROOM, backFrom(Route.INVENTORY_ITEM))
        assertEquals(Route.INVENTORY_ROOM, backFrom(Route.INVENTORY_ADD))
        assertEquals(Route.INVENTORY_ITEM, backFrom(Route.INVENTORY_EDIT))
    }
}
