//! Orders of partner offers: the member's fields go to the partner's inbox. Idempotent by
//! the device's order id.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::offers;
use super::partners::{self, InboxKind};
use super::{ConsentError, Outcome, Refusal, check_id, subject};

/// Longest field value, in characters.
const MAX_FIELD: usize = 200;

/// The body of `POST /v1/orders`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrderRequest {
    id: String,
    offer: String,
    fields: Map<String, Value>,
}

/// The answer to an order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OrderAnswer {
    order_id: String,
    offer: String,
    partner: String,
    status: &'static str,
    received_at: i64,
}

/// An order as the data export lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StoredOrder {
    order_id: String,
    offer: String,
    partner: String,
    status: &'static str,
    received_at: i64,
    fields: Map<String, Value>,
}

fn check(request: &OrderRequest) -> Result<&'static offers::Offer, Refusal> {
    check_id(&request.id, "id is not 1 to 64 of A-Z, a-z, 0-9 and -")?;
    let offer = offers::find(&request.offer).ok_or(Refusal::UnknownOffer)?;
    let same_fields = request.fields.len() == offer.fields.len()
        && offer.fields.iter().all(|f| request.fields.contains_key(*f));
    if !same_fields {
        return Err(Refusal::FieldsMismatch);
    }
    for value in request.fields.values() {
        let ok = value
            .as_str()
            .is_some_and(|v| !v.trim().is_empty() && v.chars().count() <= MAX_FIELD);
        if !ok {
            return Err(Refusal::BadRequest(
                "a field is not a text of 1 to 200 characters",
            ));
        }
    }
    Ok(offer)
}

/// Places `request` for the member `sub` and puts it into the partner's inbox.
pub(crate) fn place(
    c: &Connection,
    sub: &str,
    request: OrderRequest,
) -> Result<(Outcome, OrderAnswer), ConsentError> {
    let offer = check(&request)?;
    let fields = serde_json::to_string(&request.fields).map_err(|_| ConsentError::Stored)?;
    let tx = c.unchecked_transaction()?;
    let earlier: Option<(String, String, String, i64)> = tx
        .query_row(
            "SELECT member_id, offer, fields, received_at FROM consent_order WHERE id = ?1",
            [&request.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let answer = |received_at| OrderAnswer {
        order_id: request.id.clone(),
        offer: offer.id.to_owned(),
        partner: offer.partner.to_owned(),
        status: "sent",
        received_at,
    };
    if let Some((member, earlier_offer, earlier_fields, received_at)) = earlier {
        let earlier_fields: Map<String, Value> =
            serde_json::from_str(&earlier_fields).map_err(|_| ConsentError::Stored)?;
        if member != sub || earlier_offer != offer.id || earlier_fields != request.fields {
            return Err(Refusal::ReplayedId.into());
        }
        return Ok((Outcome::Repeated, answer(received_at)));
    }
    let received_at = lofavor_certificate::time::now_unix();
    tx.execute(
        "INSERT INTO consent_order (id, member_id, offer, partner, fields, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            request.id,
            sub,
            offer.id,
            offer.partner,
            fields,
            received_at
        ],
    )?;
    partners::deliver(
        &tx,
        offer.partner,
        InboxKind::Order,
        received_at,
        &subject(sub),
        &Value::Object(request.fields.clone()),
    )?;
    tx.commit()?;
    Ok((Outcome::Created, answer(received_at)))
}

/// The orders of member `sub`, oldest first (for the data export).
pub(crate) fn of_member(c: &Connection, sub: &str) -> Result<Vec<StoredOrder>, ConsentError> {
    let mut stmt = c.prepare(
        "SELECT id, offer, partner, fields, received_at FROM consent_order
         WHERE member_id = ?1 ORDER BY received_at, rowid",
    )?;
    let rows = stmt
        .query_map([sub], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(order_id, offer, partner, fields, received_at)| {
            Ok(StoredOrder {
                order_id,
                offer,
                partner,
                status: "sent",
                received_at,
                fields: serde_json::from_str(&fields).map_err(|_| ConsentError::Stored)?,
            })
        })
        .collect()
}
