//! The partners' inboxes: the reference server's stand-in for each partner's own endpoint,
//! holding what an order or a share sent them, so tests and the demo can see exactly what
//! left for whom. Entries name the member by the pseudonym only.
//!
//! A share (`POST /v1/partners/{partner}/share`) sends the member's data of the categories
//! asked for; it is idempotent by its id.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::catalogue::PARTNERS;
use super::profile::{self, Profile};
use super::{ConsentError, Refusal, check_id, subject};

/// The categories of data a share may ask for.
const CATEGORIES: [&str; 4] = ["identity", "contact", "union_membership", "products"];

/// What an inbox entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InboxKind {
    /// An order of one of the partner's offers.
    Order,
    /// A share of the member's data.
    Share,
    /// A claim report (`routes::claims`).
    ClaimReport,
}

impl InboxKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::Share => "share",
            Self::ClaimReport => "claim_report",
        }
    }
}

/// The partner named `name`, if it is one.
pub(crate) fn known(name: &str) -> Option<&'static str> {
    PARTNERS.iter().copied().find(|p| *p == name)
}

/// Puts an entry into `partner`'s inbox.
pub(crate) fn deliver(
    c: &Connection,
    partner: &str,
    kind: InboxKind,
    at: i64,
    subject: &str,
    fields: &Value,
) -> Result<(), ConsentError> {
    let fields = serde_json::to_string(fields).map_err(|_| ConsentError::Stored)?;
    c.execute(
        "INSERT INTO partner_inbox (partner, kind, at, subject, fields)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![partner, kind.as_str(), at, subject, fields],
    )?;
    Ok(())
}

/// `partner`'s inbox, oldest first: `{"kind", "at", "subject", "fields"}` each.
pub(crate) fn inbox(c: &Connection, partner: &str) -> Result<Vec<Value>, ConsentError> {
    let mut stmt = c.prepare(
        "SELECT kind, at, subject, fields FROM partner_inbox WHERE partner = ?1 ORDER BY entry",
    )?;
    let rows = stmt
        .query_map([partner], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(kind, at, subject, fields)| {
            let fields: Value = serde_json::from_str(&fields).map_err(|_| ConsentError::Stored)?;
            Ok(json!({"kind": kind, "at": at, "subject": subject, "fields": fields}))
        })
        .collect()
}

/// The body of `POST /v1/partners/{partner}/share`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShareRequest {
    id: String,
    categories: Vec<String>,
}

/// The fields of `profile` in `categories`.
fn fields(profile: &Profile, categories: &[String]) -> Value {
    let mut fields = Map::new();
    for category in categories {
        match category.as_str() {
            "identity" => {
                fields.insert("name".into(), json!(profile.name));
                fields.insert("birth_date".into(), json!(profile.birth_date));
                fields.insert("member_number".into(), json!(profile.member_number));
            }
            "contact" => {
                fields.insert("email".into(), json!(profile.email));
                fields.insert("phone".into(), json!(profile.phone));
            }
            "union_membership" => {
                fields.insert("union".into(), json!(profile.union));
            }
            "products" => {
                fields.insert("products".into(), json!(profile.products));
            }
            _ => {}
        }
    }
    Value::Object(fields)
}

/// The categories of `request`, checked, without repeats, in the order of [`CATEGORIES`].
fn categories(request: &ShareRequest) -> Result<Vec<String>, Refusal> {
    if request.categories.is_empty()
        || request
            .categories
            .iter()
            .any(|c| !CATEGORIES.contains(&c.as_str()))
    {
        return Err(Refusal::BadRequest(
            "categories are not a non-empty list of identity, contact, union_membership, products",
        ));
    }
    Ok(CATEGORIES
        .iter()
        .filter(|c| request.categories.iter().any(|r| r == *c))
        .map(|c| (*c).to_owned())
        .collect())
}

/// Shares the data of member `sub` in the categories of `request` with `partner`; a repeat of
/// the same share changes nothing.
pub(crate) fn share(
    c: &Connection,
    sub: &str,
    partner: &str,
    request: ShareRequest,
) -> Result<(), ConsentError> {
    let partner = known(partner).ok_or(Refusal::UnknownPartner)?;
    check_id(&request.id, "id is not 1 to 64 of A-Z, a-z, 0-9 and -")?;
    let categories = categories(&request)?;
    let listed = serde_json::to_string(&categories).map_err(|_| ConsentError::Stored)?;
    let tx = c.unchecked_transaction()?;
    let earlier: Option<(String, String, String)> = tx
        .query_row(
            "SELECT member_id, partner, categories FROM partner_share WHERE id = ?1",
            [&request.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some(earlier) = earlier {
        if earlier != (sub.to_owned(), partner.to_owned(), listed) {
            return Err(Refusal::ReplayedId.into());
        }
        return Ok(());
    }
    let profile = profile::load(&tx, sub)?.ok_or(Refusal::UnknownMember)?;
    let at = lofavor_certificate::time::now_unix();
    tx.execute(
        "INSERT INTO partner_share (id, member_id, partner, categories, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![request.id, sub, partner, listed, at],
    )?;
    deliver(
        &tx,
        partner,
        InboxKind::Share,
        at,
        &subject(sub),
        &fields(&profile, &categories),
    )?;
    tx.commit()?;
    Ok(())
}
