//! What the belongings add up to, by room and by category, beside the insured sum the member
//! gives for their contents insurance: the figure an insurer and a member both look at
//! first ("am I under-insured?").

use rusqlite::{Connection, OptionalExtension};

use super::depreciation::{self, ValueFacts};
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
    /// What they are worth today after depreciation, øre (see `depreciation`).
    pub current_value: u64,
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
            current_value: 0,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Adds each item's value today to its room's and its category's group.
fn add_current_values(
    conn: &Connection,
    by_room: &mut [GroupTotal],
    by_category: &mut [GroupTotal],
) -> Result<(), InventoryError> {
    let mut stmt = conn.prepare(
        "SELECT r.name, i.category, i.quantity, i.purchase_price, i.replacement_value,
                i.purchase_date
         FROM inventory_item i LEFT JOIN inventory_room r ON r.id = i.room_id
         WHERE i.deleted_at IS NULL",
    )?;
    let money = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?,
            ValueFacts {
                category: r.get(1)?,
                quantity: r.get(2)?,
                purchase_price: money(r.get(3)?),
                replacement_value: money(r.get(4)?),
                purchase_date: r.get(5)?,
            },
        ))
    })?;
    let today = depreciation::today();
    for row in rows {
        let (room, facts) = row?;
        let value = depreciation::valuation(conn, &facts, today)?
            .current
            .unwrap_or(0);
        for (groups, name) in [(&mut *by_room, &room), (&mut *by_category, &facts.category)] {
            if let Some(group) = groups.iter_mut().find(|g| &g.name == name) {
                group.current_value = group.current_value.saturating_add(value);
            }
        }
    }
    Ok(())
}

/// The totals now.
pub(crate) fn totals(conn: &Connection) -> Result<Totals, InventoryError> {
    let mut by_room = groups(conn, "r.name")?;
    let mut by_category = groups(conn, "i.category")?;
    add_current_values(conn, &mut by_room, &mut by_category)?;
    let all = by_room.iter().fold(
        GroupTotal {
            name: None,
            items: 0,
            purchase_price: 0,
            replacement_value: 0,
            current_value: 0,
        },
        |mut acc, g| {
            acc.items += g.items;
            acc.purchase_price = acc.purchase_price.saturating_add(g.purchase_price);
            acc.replacement_value = acc.replacement_value.saturating_add(g.replacement_value);
            acc.current_value = acc.current_value.saturating_add(g.current_value);
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
