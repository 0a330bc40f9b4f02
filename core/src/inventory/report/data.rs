//! What a report is made from: the member as the request names them (the address only when
//! the member gives it, since the member API does not hold one), today's date, every item with
//! its photos, and the totals.

use chrono::NaiveDate;

use super::ReportRequest;
use crate::config::Locale;
use crate::inventory::model::Item;
use crate::inventory::{InventoryHandle, Totals};
use crate::time::now_unix;

/// Everything one report shows.
pub(crate) struct ReportData {
    /// The language of the labels.
    pub(crate) locale: Locale,
    /// The member's name, if known.
    pub(crate) member: Option<String>,
    /// The member's number, if known.
    pub(crate) member_number: Option<String>,
    /// The member's address, if given.
    pub(crate) address: Option<String>,
    /// The report's date (UTC).
    pub(crate) date: NaiveDate,
    /// The items, by room and name.
    pub(crate) items: Vec<Item>,
    /// What they add up to.
    pub(crate) totals: Totals,
}

/// Reads what the report of `request` shows.
pub(crate) fn gather(
    inventory: &InventoryHandle,
    request: &ReportRequest,
) -> crate::error::Result<ReportData> {
    let given = |text: &Option<String>| {
        text.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let date = chrono::DateTime::from_timestamp(now_unix(), 0)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    Ok(ReportData {
        locale: request.locale,
        member: given(&request.member_name),
        member_number: given(&request.member_number),
        address: given(&request.address),
        date,
        items: inventory.items()?,
        totals: inventory.totals()?,
    })
}
