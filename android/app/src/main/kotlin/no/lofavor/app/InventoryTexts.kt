package no.lofavor.app

import androidx.annotation.StringRes
import no.lofavor.app.model.FieldProblem
import no.lofavor.app.model.FormField
import no.lofavor.core.PhotoRole

// Exhaustive `when`s: a form field, problem or photo role added without its text does not compile.

/** The label of a form field, also used for the item screen's rows. */
@StringRes
fun FormField.labelRes(): Int = when (this) {
    FormField.NAME -> R.string.inventory_field_name
    FormField.ROOM -> R.string.inventory_field_room
    FormField.CATEGORY -> R.string.inventory_field_category
    FormField.DESCRIPTION -> R.string.inventory_field_description
    FormField.BRAND -> R.string.inventory_field_brand
    FormField.MODEL -> R.string.inventory_field_model
    FormField.SERIAL_NUMBER -> R.string.inventory_field_serial_number
    FormField.QUANTITY -> R.string.inventory_field_quantity
    FormField.PURCHASE_DATE -> R.string.inventory_field_purchase_date
    FormField.PURCHASE_PLACE -> R.string.inventory_field_purchase_place
    FormField.PURCHASE_PRICE -> R.string.inventory_field_purchase_price
    FormField.CURRENCY -> R.string.inventory_field_currency
    FormField.REPLACEMENT_VALUE -> R.string.inventory_field_replacement_value
    FormField.RECEIPT_NUMBER -> R.string.inventory_field_receipt_number
    FormField.WARRANTY_END -> R.string.inventory_field_warranty_end
    FormField.NOTES -> R.string.inventory_field_notes
    FormField.TAGS -> R.string.inventory_field_tags
}

/** What the member should type instead, shown under the field. */
@StringRes
fun FieldProblem.messageRes(): Int = when (this) {
    FieldProblem.REQUIRED -> R.string.inventory_problem_required
    FieldProblem.NOT_AN_AMOUNT -> R.string.inventory_problem_not_an_amount
    FieldProblem.NOT_A_DATE -> R.string.inventory_problem_not_a_date
    FieldProblem.NOT_A_QUANTITY -> R.string.inventory_problem_not_a_quantity
    FieldProblem.NOT_A_CURRENCY -> R.string.inventory_problem_not_a_currency
}

/** What a photo shows, for its label and TalkBack. */
@StringRes
fun PhotoRole.labelRes(): Int = when (this) {
    PhotoRole.ITEM -> R.string.inventory_role_item
    PhotoRole.RECEIPT -> R.string.inventory_role_receipt
    PhotoRole.SERIAL_PLATE -> R.string.inventory_role_serial_plate
    PhotoRole.ROOM_OVERVIEW -> R.string.inventory_role_room_overview
}
