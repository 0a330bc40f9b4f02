//! The CSV: one row per item with every field, for a spreadsheet. UTF-8 with a byte-order
//! mark and `;` between fields, which is what Excel set up for Norway expects (its list
//! separator there is `;`, since `,` is the decimal mark); amounts are plain numbers with the
//! locale's decimal mark, dates ISO 8601, so the columns sum and sort. A text that starts like a
//! formula (`=`, `+`, `-`, `@`) gets a leading `'`, so opening the file never runs one.

use super::data::ReportData;
use super::format;
use super::text::label;
use crate::inventory::model::Item;

/// The columns, by label id.
pub(crate) const COLUMNS: [&str; 19] = [
    "field-id",
    "field-name",
    "field-room",
    "field-category",
    "field-brand",
    "field-model",
    "field-serial",
    "field-quantity",
    "field-purchase-date",
    "field-purchase-place",
    "field-purchase-price",
    "field-currency",
    "field-replacement-value",
    "field-receipt-number",
    "field-warranty-end",
    "field-description",
    "field-notes",
    "field-tags",
    "field-photos",
];

fn text_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn row(data: &ReportData, item: &Item, photo_files: &[String]) -> Vec<String> {
    let f = &item.fields;
    let text = |v: &Option<String>| text_cell(v.as_deref().unwrap_or_default());
    let amount = |v: Option<u64>| {
        v.map(|ore| format::plain_amount(data.locale, ore))
            .unwrap_or_default()
    };
    vec![
        item.id.clone(),
        text_cell(&f.name),
        text(&f.room),
        text(&f.category),
        text(&f.brand),
        text(&f.model),
        text(&f.serial_number),
        f.quantity.to_string(),
        text(&f.purchase_date),
        text(&f.purchase_place),
        amount(f.purchase_price),
        text(&f.currency),
        amount(f.replacement_value),
        text(&f.receipt_number),
        text(&f.warranty_end),
        text(&f.description),
        text(&f.notes),
        text_cell(&f.tags.join(", ")),
        text_cell(&photo_files.join(", ")),
    ]
}

/// The CSV of `data`; `photo_files` names each item's photos in the ZIP (same order).
pub(crate) fn render(data: &ReportData, photo_files: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = COLUMNS
        .iter()
        .map(|id| text_cell(&label(data.locale, id)))
        .collect();
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for (i, item) in data.items.iter().enumerate() {
        let files = photo_files.get(i).map(Vec::as_slice).unwrap_or_default();
        out.push_str(&row(data, item, files).join(";"));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(text_cell("Sofa"), "Sofa");
        assert_eq!(text_cell("a;b"), "\"a;b\"");
        assert_eq!(text_cell("17\" skjerm"), "\"17\"\" skjerm\"");
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text_cell("-5"), "'-5");
        assert_eq!(text_cell("linje 1\nlinje 2"), "\"linje 1\nlinje 2\"");
    }
}
