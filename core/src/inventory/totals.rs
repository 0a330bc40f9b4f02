//! What the belongings add up to, by room and by category, beside the insured sum the member
//! gives for their contents insurance: the figure an insurer and a member both look at
//! first ("am I under-insured?").

use rusqlite::{Connection, OptionalExtension};

use super::error::InventoryError;

/// The app setting holding the insured sum (øre).
const INSURED_SUM_KEY: &str = "inventory.insured_sum";

/// A group's sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTotal {
    /// The room or category (`None`: not given).
    pub name: Option<String>,
    /// Items (quantities counted).
    pub items: u64,
    /// What was paid, øre.
    pub purchase_price: u64,
    /// What replacing them costs, øre (the purchase price where no replacement value is given).
    pub replacement_value: u64,
}

/// The inventory's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// By room, by name.
    pub by_room: Vec<GroupTotal>,
    /// By category, by name.
    pub by_category: Vec<GroupTotal>,
    /// Everything.
    pub all: GroupTotal,
    /// The insured sum the member gave, øre.
    pub insured_sum: Option<u64>,
    /// How much the replacement value exceeds the insured sum, øre (0 when covered).
    pub shortfall: Option<u64>,
}

fn groups(conn: &Connection, column: &str) -> Result<Vec<GroupTotal>, InventoryError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {column}, SUM(i.quantity),
                SUM(COALESCE(i.purchase_price, 0) * i.quantity),
                SUM(COALESCE(i.replacement_value, i.purchase_price, 0) * i.quantity)
         FROM inventory_item i LEFT JOIN inventory_room r ON r.id = i.room_id
         WHERE i.deleted_at IS NULL GROUP BY 1 ORDER BY 1 COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([], |r| {
        let sum = |i: usize| -> rusqlite::Result<u64> {
            Ok(u64::try_from(r.get::<_, Option<i64>>(i)?.unwrap_or(0)).unwrap_or(0))
        };
        Ok(GroupTotal {
            name: r.get(0)?,
            items: sum(1)?,
            purchase_price: sum(2)?,
            replacement_value: sum(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The totals now.
pub(crate) fn totals(conn: &Connection) -> Result<Totals, InventoryError> {
    let by_room = groups(conn, "r.name")?;
    let by_category = groups(conn, "i.category")?;
    let all = by_room.iter().fold(
        GroupTotal {
            name: None,
            items: 0,
            purchase_price: 0,
            replacement_value: 0,
        },
        |mut acc, g| {
            acc.items += g.items;
            acc.purchase_price = acc.purchase_price.saturating_add(g.purchase_price);
            acc.replacement_value = acc.replacement_value.saturating_add(g.replacement_value);
            acc
        },
    );
    let insured_sum = insured_sum(conn)?;
    let shortfall = insured_sum.map(|sum| all.replacement_value.saturating_sub(sum));
    Ok(Totals {
        by_room,
        by_category,
        all,
        insured_sum,
        shortfall,
    })
}

/// The insured sum the member gave, øre.
pub(crate) fn insured_sum(conn: &Connection) -> Result<Option<u64>, InventoryError> {
    Ok(conn
        .query_row(
            "SELECT value FROM app_meta WHERE key = ?1",
            [INSURED_SUM_KEY],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok()))
}

/// Sets (or with `None` clears) the insured sum, øre.
pub(crate) fn set_insured_sum(conn: &Connection, sum: Option<u64>) -> Result<(), InventoryError> {
    match sum {
        Some(sum) => conn.execute(
            "INSERT INTO app_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [INSURED_SUM_KEY, &sum.to_string()],
        )?,
        None => conn.execute("DELETE FROM app_meta WHERE key = ?1", [INSURED_SUM_KEY])?,
    };
    Ok(())
}
