//! An item's fields by their names on the wire, so the outbox can say which fields an edit
//! changed and a merge can take some fields from the server and keep others.

use serde_json::{Map, Value};

use crate::inventory::model::ItemFields;

/// Every field of an item, by its wire name.
pub(crate) const ITEM_FIELDS: [&str; 17] = [
    "name",
    "description",
    "room",
    "category",
    "brand",
    "model",
    "serial_number",
    "quantity",
    "purchase_date",
    "purchase_place",
    "purchase_price",
    "currency",
    "replacement_value",
    "receipt_number",
    "warranty_end",
    "notes",
    "tags",
];

/// The value of field `name` of `f` (`null` for an unknown name).
pub(crate) fn value(f: &ItemFields, name: &str) -> Value {
    let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::String);
    match name {
        "name" => Value::String(f.name.clone()),
        "description" => text(&f.description),
        "room" => text(&f.room),
        "category" => text(&f.category),
        "brand" => text(&f.brand),
        "model" => text(&f.model),
        "serial_number" => text(&f.serial_number),
        "quantity" => Value::from(f.quantity),
        "purchase_date" => text(&f.purchase_date),
        "purchase_place" => text(&f.purchase_place),
        "purchase_price" => f.purchase_price.map_or(Value::Null, Value::from),
        "currency" => text(&f.currency),
        "replacement_value" => f.replacement_value.map_or(Value::Null, Value::from),
        "receipt_number" => text(&f.receipt_number),
        "warranty_end" => text(&f.warranty_end),
        "notes" => text(&f.notes),
        "tags" => Value::from(f.tags.clone()),
        _ => Value::Null,
    }
}

/// Sets field `name` of `f` to `v`; whether `v` had the field's type (else `f` is unchanged).
pub(crate) fn set(f: &mut ItemFields, name: &str, v: &Value) -> bool {
    let text = |slot: &mut Option<String>| match v {
        Value::Null => {
            *slot = None;
            true
        }
        Value::String(s) => {
            *slot = Some(s.clone());
            true
        }
        _ => false,
    };
    let number = |slot: &mut Option<u64>| match v {
        Value::Null => {
            *slot = None;
            true
        }
        _ => v.as_u64().map(|n| *slot = Some(n)).is_some(),
    };
    match name {
        "name" => v.as_str().map(|s| f.name = s.to_owned()).is_some(),
        "description" => text(&mut f.description),
        "room" => text(&mut f.room),
        "category" => text(&mut f.category),
        "brand" => text(&mut f.brand),
        "model" => text(&mut f.model),
        "serial_number" => text(&mut f.serial_number),
        "quantity" => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(|n| f.quantity = n)
            .is_some(),
        "purchase_date" => text(&mut f.purchase_date),
        "purchase_place" => text(&mut f.purchase_place),
        "purchase_price" => number(&mut f.purchase_price),
        "currency" => text(&mut f.currency),
        "replacement_value" => number(&mut f.replacement_value),
        "receipt_number" => text(&mut f.receipt_number),
        "warranty_end" => text(&mut f.warranty_end),
        "notes" => text(&mut f.notes),
        "tags" => match v.as_array() {
            Some(tags) if tags.iter().all(Value::is_string) => {
                f.tags = tags
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect();
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// The names of the fields that differ between `before` and `after`.
pub(crate) fn changed(before: &ItemFields, after: &ItemFields) -> Vec<&'static str> {
    ITEM_FIELDS
        .into_iter()
        .filter(|name| value(before, name) != value(after, name))
        .collect()
}

/// The fields named in `names` (`*`: all) with their values in `f`.
pub(crate) fn values(f: &ItemFields, names: &[String]) -> Map<String, Value> {
    ITEM_FIELDS
        .into_iter()
        .filter(|name| names.iter().any(|n| n == "*" || n == name))
        .map(|name| (name.to_owned(), value(f, name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_and_changes_are_named() {
        let before = ItemFields {
            name: "a".into(),
            quantity: 1,
            ..ItemFields::default()
        };
        let mut after = before.clone();
        after.brand = Some("b".into());
        after.purchase_price = Some(5);
        after.tags = vec!["x".into()];
        assert_eq!(
            changed(&before, &after),
            ["brand", "purchase_price", "tags"]
        );
        let mut copy = ItemFields::default();
        for (name, v) in values(&after, &["*".into()]) {
            assert!(set(&mut copy, &name, &v), "{name}");
        }
        assert_eq!(copy, after);
        assert!(!set(&mut copy, "quantity", &Value::from("many")));
        assert!(!set(&mut copy, "tags", &serde_json::json!([1])));
    }
}
