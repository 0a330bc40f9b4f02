//! What a belonging is worth today: its replacement value (or, without one, its purchase
//! price) less a depreciation per whole year since it was bought, never below a floor. The
//! rule depends on the category, after the kind of age-deduction tables Norwegian contents
//! insurers publish (electronics lose value fast, furniture slowly, jewellery and art not at
//! all); the member may set their own rule for a category, kept on the phone.
//!
//! An item without a purchase date has no known age: its value today is shown as its base,
//! marked so, rather than guessed.

use chrono::Datelike;
use rusqlite::{Connection, OptionalExtension};

use super::error::InventoryError;

/// How a category loses value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepreciationRule {
    /// The category it applies to (lower case); `None`: every category without a rule.
    pub category: Option<String>,
    /// Per whole year of age, percent of the base.
    pub yearly_percent: u32,
    /// The least it is worth, percent of the base.
    pub floor_percent: u32,
    /// Set by the member (otherwise the built-in table's).
    pub member_set: bool,
}

/// The built-in table: category names in Norwegian and English, yearly percent, floor.
const TABLE: &[(&[&str], u32, u32)] = &[
    (
        &[
            "elektronikk",
            "electronics",
            "data",
            "mobil",
            "computer",
            "phone",
        ],
        20,
        20,
    ),
    (&["hvitevarer", "appliances"], 10, 20),
    (&["møbler", "furniture"], 10, 20),
    (&["klær", "sko", "clothing", "clothes", "shoes"], 20, 10),
    (&["sport", "sykkel", "sports", "bicycle"], 15, 20),
    (&["verktøy", "tools"], 10, 20),
    (
        &[
            "smykker",
            "kunst",
            "antikviteter",
            "jewellery",
            "jewelry",
            "art",
            "antiques",
        ],
        0,
        100,
    ),
];
/// Every category the table does not name.
const OTHER: (u32, u32) = (10, 20);

const KEY_PREFIX: &str = "inventory.depreciation.";

fn key(category: &str) -> String {
    format!("{KEY_PREFIX}{}", category.trim().to_lowercase())
}

/// The rule for `category`: the member's, else the table's, else the general one.
pub(crate) fn rule(
    conn: &Connection,
    category: Option<&str>,
) -> Result<DepreciationRule, InventoryError> {
    let name = category.map(|c| c.trim().to_lowercase());
    if let Some(name) = &name {
        let own: Option<String> = conn
            .query_row(
                "SELECT value FROM app_meta WHERE key = ?1",
                [key(name)],
                |r| r.get(0),
            )
            .optional()?;
        let parsed = own
            .as_deref()
            .and_then(|v| v.split_once(','))
            .and_then(|(yearly, floor)| Some((yearly.parse().ok()?, floor.parse().ok()?)));
        if let Some((yearly, floor)) = parsed {
            return Ok(DepreciationRule {
                category: Some(name.clone()),
                yearly_percent: yearly,
                floor_percent: floor,
                member_set: true,
            });
        }
    }
    let (yearly, floor) = name
        .as_deref()
        .and_then(|n| TABLE.iter().find(|(names, _, _)| names.contains(&n)))
        .map_or(OTHER, |&(_, yearly, floor)| (yearly, floor));
    Ok(DepreciationRule {
        category: name,
        yearly_percent: yearly,
        floor_percent: floor,
        member_set: false,
    })
}

/// Sets the member's own rule for `category`, or with `None` goes back to the table's.
pub(crate) fn set_rule(
    conn: &Connection,
    category: &str,
    rule: Option<(u32, u32)>,
) -> Result<(), InventoryError> {
    if category.trim().is_empty() {
        return Err(InventoryError::InvalidInput("a rule needs a category"));
    }
    match rule {
        Some((yearly, floor)) if yearly > 100 || floor > 100 => Err(InventoryError::InvalidInput(
            "a depreciation is a percentage from 0 to 100",
        )),
        Some((yearly, floor)) => {
            conn.execute(
                "INSERT INTO app_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key(category), format!("{yearly},{floor}")],
            )?;
            Ok(())
        }
        None => {
            conn.execute("DELETE FROM app_meta WHERE key = ?1", [key(category)])?;
            Ok(())
        }
    }
}

/// Whole years from `purchase_date` (`YYYY-MM-DD`) to `today`; `None` when not a date or in
/// the future.
pub(crate) fn age_years(purchase_date: &str, today: chrono::NaiveDate) -> Option<u32> {
    let bought = chrono::NaiveDate::parse_from_str(purchase_date, "%Y-%m-%d").ok()?;
    let mut years = today.year() - bought.year();
    if (today.month(), today.day()) < (bought.month(), bought.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The value today of something worth `base` (øre) when new, `age` whole years old.
pub(crate) fn current_value(base: u64, age: Option<u32>, rule: &DepreciationRule) -> u64 {
    let Some(age) = age else { return base };
    let lost = u64::from(rule.yearly_percent).saturating_mul(u64::from(age));
    let kept = 100u64
        .saturating_sub(lost)
        .max(u64::from(rule.floor_percent).min(100));
    base.saturating_mul(kept) / 100
}

/// Today's date in Norway's calendar sense (UTC is close enough for whole years).
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// What one item is worth today, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valuation {
    /// The replacement value, else the purchase price, times the quantity (øre); `None` when
    /// neither is given.
    pub base: Option<u64>,
    /// The value today (øre).
    pub current: Option<u64>,
    /// Whole years since the purchase date; `None` without one (then nothing is deducted).
    pub age_years: Option<u32>,
    /// The rule applied.
    pub rule: DepreciationRule,
}

/// The valuation of an item with these facts.
pub(crate) fn valuation(
    conn: &Connection,
    facts: &ValueFacts,
    today: chrono::NaiveDate,
) -> Result<Valuation, InventoryError> {
    let rule = rule(conn, facts.category.as_deref())?;
    let base = facts
        .replacement_value
        .or(facts.purchase_price)
        .map(|b| b.saturating_mul(u64::from(facts.quantity.max(1))));
    let age_years = facts
        .purchase_date
        .as_deref()
        .and_then(|d| age_years(d, today));
    Ok(Valuation {
        base,
        current: base.map(|b| current_value(b, age_years, &rule)),
        age_years,
        rule,
    })
}

/// What the value of an item depends on.
#[derive(Debug, Clone, Default)]
pub(crate) struct ValueFacts {
    pub category: Option<String>,
    pub quantity: u32,
    pub purchase_price: Option<u64>,
    pub replacement_value: Option<u64>,
    pub purchase_date: Option<String>,
}

impl From<&super::model::ItemFields> for ValueFacts {
    fn from(f: &super::model::ItemFields) -> Self {
        Self {
            category: f.category.clone(),
            quantity: f.quantity,
            purchase_price: f.purchase_price,
            replacement_value: f.replacement_value,
            purchase_date: f.purchase_date.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(yearly: u32, floor: u32) -> DepreciationRule {
        DepreciationRule {
            category: None,
            yearly_percent: yearly,
            floor_percent: floor,
            member_set: false,
        }
    }

    #[test]
    fn value_falls_per_whole_year_and_stops_at_the_floor() {
        let day = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(age_years("2024-06-15", day("2026-06-14")), Some(1));
        assert_eq!(age_years("2024-06-15", day("2026-06-15")), Some(2));
        assert_eq!(age_years("2027-01-01", day("2026-06-15")), None);
        assert_eq!(age_years("15.06.2024", day("2026-06-15")), None);
        let electronics = rule(20, 20);
        assert_eq!(current_value(1_000_000, Some(0), &electronics), 1_000_000);
        assert_eq!(current_value(1_000_000, Some(2), &electronics), 600_000);
        assert_eq!(current_value(1_000_000, Some(9), &electronics), 200_000);
        assert_eq!(current_value(1_000_000, None, &electronics), 1_000_000);
        assert_eq!(current_value(1_000_000, Some(50), &rule(0, 100)), 1_000_000);
        assert_eq!(
            current_value(u64::MAX, Some(1), &electronics),
            u64::MAX / 100
        );
    }
}
