//! Privacy-rights requests (GDPR arts. 15 to 22) and the member's data export.
//!
//! A request is due one calendar month after it was received, or three months after when
//! the time is extended (art. 12(3)): received on 31 January, due on the last day of
//! February. Idempotent by the device's request id. The member's free text is kept for the
//! people who handle the request and never answered back.

use chrono::{DateTime, Months};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::decisions::{self, DecisionRecord};
use super::orders::{self, StoredOrder};
use super::profile;
use super::{ConsentError, Outcome, Refusal, analytics, check_id, newsletter};

/// The kinds of request.
pub(crate) const KINDS: [&str; 7] = [
    "access",
    "rectification",
    "erasure",
    "restriction",
    "objection",
    "portability",
    "human_review",
];

/// The states of a request.
pub(crate) const STATUSES: [&str; 5] = [
    "received",
    "in_progress",
    "extended",
    "completed",
    "refused",
];

/// Longest free text, in characters.
const MAX_TEXT: usize = 2000;

/// `unix` plus `months` calendar months, at the same time of day (the last day of the month
/// when the day does not exist in it), or `None` out of range.
pub(crate) fn add_months(unix: i64, months: u32) -> Option<i64> {
    DateTime::from_timestamp(unix, 0)?
        .checked_add_months(Months::new(months))
        .map(|t| t.timestamp())
}

/// The body of `POST /v1/privacy/requests`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewRequest {
    id: String,
    kind: String,
    #[serde(default)]
    text: Option<String>,
}

/// A request as the API answers it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RequestView {
    id: String,
    kind: String,
    status: String,
    received_at: i64,
    due_at: i64,
    extended_due_at: Option<i64>,
    text_received: bool,
}

fn view(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestView> {
    Ok(RequestView {
        id: r.get(0)?,
        kind: r.get(1)?,
        status: r.get(2)?,
        received_at: r.get(3)?,
        due_at: r.get(4)?,
        extended_due_at: r.get(5)?,
        text_received: r.get::<_, Option<String>>(6)?.is_some(),
    })
}

const COLUMNS: &str = "id, kind, status, received_at, due_at, extended_due_at, text";

/// Files `request` for member `sub`.
pub(crate) fn file(
    c: &Connection,
    sub: &str,
    request: NewRequest,
) -> Result<(Outcome, RequestView), ConsentError> {
    check_id(&request.id, "id is not 1 to 64 of A-Z, a-z, 0-9 and -")?;
    if !KINDS.contains(&request.kind.as_str()) {
        return Err(Refusal::UnknownKind.into());
    }
    if request
        .text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TEXT)
    {
        return Err(Refusal::BadRequest("text is longer than 2000 characters").into());
    }
    // An empty text is no text.
    let text = request.text.filter(|t| !t.trim().is_empty());
    let tx = c.unchecked_transaction()?;
    let earlier: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT member_id, kind, text FROM privacy_request WHERE id = ?1",
            [&request.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some(earlier) = earlier {
        if earlier != (sub.to_owned(), request.kind.clone(), text) {
            return Err(Refusal::ReplayedId.into());
        }
        let current = tx.query_row(
            &format!("SELECT {COLUMNS} FROM privacy_request WHERE id = ?1"),
            [&request.id],
            view,
        )?;
        return Ok((Outcome::Repeated, current));
    }
    let received_at = lofavor_certificate::time::now_unix();
    let due_at = add_months(received_at, 1).ok_or(ConsentError::Stored)?;
    tx.execute(
        "INSERT INTO privacy_request (id, member_id, kind, text, status, received_at, due_at)
         VALUES (?1, ?2, ?3, ?4, 'received', ?5, ?6)",
        params![request.id, sub, request.kind, text, received_at, due_at],
    )?;
    tx.commit()?;
    Ok((
        Outcome::Created,
        RequestView {
            id: request.id,
            kind: request.kind,
            status: "received".to_owned(),
            received_at,
            due_at,
            extended_due_at: None,
            text_received: text.is_some(),
        },
    ))
}

/// The requests of member `sub`, newest first.
pub(crate) fn list(c: &Connection, sub: &str) -> Result<Vec<RequestView>, ConsentError> {
    let mut stmt = c.prepare(&format!(
        "SELECT {COLUMNS} FROM privacy_request WHERE member_id = ?1
         ORDER BY received_at DESC, entry DESC"
    ))?;
    let rows = stmt
        .query_map([sub], view)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Sets the status of request `id` (any member's); whether there is such a request and
/// `status` is a state. Once extended, a request keeps its extended due date.
pub(crate) fn set_status(c: &Connection, id: &str, status: &str) -> Result<bool, ConsentError> {
    if !STATUSES.contains(&status) {
        return Ok(false);
    }
    let tx = c.unchecked_transaction()?;
    let received_at: Option<i64> = tx
        .query_row(
            "SELECT received_at FROM privacy_request WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(received_at) = received_at else {
        return Ok(false);
    };
    let extended = if status == "extended" {
        Some(add_months(received_at, 3).ok_or(ConsentError::Stored)?)
    } else {
        None
    };
    tx.execute(
        "UPDATE privacy_request SET status = ?1,
             extended_due_at = COALESCE(extended_due_at, ?2)
         WHERE id = ?3",
        params![status, extended, id],
    )?;
    tx.commit()?;
    Ok(true)
}

/// The member part of the data export.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MemberData {
    subject: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    birth_date: Option<String>,
    member_number: Option<String>,
    union: Option<String>,
}

/// The body of `GET /v1/privacy/data`: the server's copy of the member's data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Export {
    member: MemberData,
    decisions: Vec<DecisionRecord>,
    orders: Vec<StoredOrder>,
    requests: Vec<RequestView>,
    newsletter: bool,
    analytics_events: i64,
}

/// Everything the server holds of member `sub`, or `None` without a member record. The union
/// is left out unless `with_union` (a token with the `membership` scope, as `/v1/me` does).
pub(crate) fn export(
    c: &Connection,
    sub: &str,
    with_union: bool,
) -> Result<Option<Export>, ConsentError> {
    let Some(profile) = profile::load(c, sub)? else {
        return Ok(None);
    };
    Ok(Some(Export {
        member: MemberData {
            subject: sub.to_owned(),
            name: profile.name,
            email: profile.email,
            phone: profile.phone,
            birth_date: profile.birth_date,
            member_number: profile.member_number,
            union: profile.union.filter(|_| with_union),
        },
        decisions: decisions::records(c, sub)?,
        orders: orders::of_member(c, sub)?,
        requests: list(c, sub)?,
        newsletter: newsletter::subscribed(c, sub)?,
        analytics_events: analytics::count(c, sub)?,
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> i64 {
        Utc.from_utc_datetime(
            &NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, 17, 5)
                .unwrap(),
        )
        .timestamp()
    }

    #[test]
    fn one_calendar_month_ends_on_the_same_day_or_the_months_last() {
        // 31 January: February has no 31st, so the last day of February, leap year or not.
        assert_eq!(
            add_months(at(2027, 1, 31, 10), 1),
            Some(at(2027, 2, 28, 10))
        );
        assert_eq!(
            add_months(at(2028, 1, 31, 10), 1),
            Some(at(2028, 2, 29, 10))
        );
        assert_eq!(
            add_months(at(2027, 3, 31, 23), 1),
            Some(at(2027, 4, 30, 23))
        );
        assert_eq!(add_months(at(2027, 2, 14, 0), 1), Some(at(2027, 3, 14, 0)));
        // Across the year's end.
        assert_eq!(add_months(at(2026, 12, 31, 8), 1), Some(at(2027, 1, 31, 8)));
        // Three months for an extension.
        assert_eq!(add_months(at(2027, 11, 30, 9), 3), Some(at(2028, 2, 29, 9)));
        assert_eq!(add_months(at(2027, 1, 31, 9), 3), Some(at(2027, 4, 30, 9)));
        assert_eq!(add_months(i64::MAX, 1), None);
    }
}
