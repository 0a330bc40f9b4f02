//! The member's own data as partners and the data export get it, read in one query.

use rusqlite::{Connection, OptionalExtension};

use super::ConsentError;

/// What the server holds about a member.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// Full name.
    pub(crate) name: String,
    /// E-mail address.
    pub(crate) email: Option<String>,
    /// Telephone number.
    pub(crate) phone: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    pub(crate) birth_date: Option<String>,
    /// Member number.
    pub(crate) member_number: Option<String>,
    /// Union membership: special-category data (GDPR art. 9).
    pub(crate) union: Option<String>,
    /// The member's products (the roadside cover, if any).
    pub(crate) products: Vec<String>,
}

/// The profile of the member with token subject `sub`, if there is a record.
pub(crate) fn load(c: &Connection, sub: &str) -> Result<Option<Profile>, ConsentError> {
    let row = c
        .query_row(
            "SELECT name, email, phone, birth_date, member_number, union_name
             FROM member WHERE id = ?1",
            [sub],
            |r| {
                Ok(Profile {
                    name: r.get(0)?,
                    email: r.get(1)?,
                    phone: r.get(2)?,
                    birth_date: r.get(3)?,
                    member_number: r.get(4)?,
                    union: r.get(5)?,
                    products: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut profile) = row else {
        return Ok(None);
    };
    let mut stmt = c.prepare("SELECT product FROM roadside_cover WHERE member_id = ?1")?;
    profile.products = stmt
        .query_map([sub], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(profile))
}
