//! The member records the issuer logs people in as and the member API answers from.
//!
//! Union membership is a special category of personal data (GDPR art. 9): nothing here logs a
//! record or puts one into an error.

use std::sync::Arc;

use rusqlite::OptionalExtension;

use crate::db::{Db, DbError};

/// One member as the server knows them.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    /// The subject identifier (`sub`) tokens carry.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// The union the member belongs to, if any.
    pub(crate) union: Option<String>,
    /// Whether the membership is current.
    pub(crate) active: bool,
    /// E-mail address, if known.
    pub(crate) email: Option<String>,
    /// Telephone number, if known.
    pub(crate) phone: Option<String>,
    /// Date of birth, `YYYY-MM-DD`, if known.
    pub(crate) birth_date: Option<String>,
    /// Member number, if known.
    pub(crate) member_number: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        name: r.get(1)?,
        union: r.get(2)?,
        active: r.get::<_, i64>(3)? != 0,
        email: r.get(4)?,
        phone: r.get(5)?,
        birth_date: r.get(6)?,
        member_number: r.get(7)?,
    })
}

/// The member with subject `id`, if there is one.
pub(crate) async fn find(db: &Arc<Db>, id: &str) -> Result<Option<Member>, DbError> {
    let db = db.clone();
    let id = id.to_owned();
    tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            c.query_row(
                "SELECT id, name, union_name, active, email, phone, birth_date, member_number
                 FROM member WHERE id = ?1",
                [&id],
                row,
            )
            .optional()
        })
    })
    .await
    .map_err(|_| DbError::Task)?
}

/// All members, ordered by id.
pub(crate) async fn all(db: &Arc<Db>) -> Result<Vec<Member>, DbError> {
    let db = db.clone();
    tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT id, name, union_name, active, email, phone, birth_date, member_number
                 FROM member ORDER BY id",
            )?;
            let rows = stmt.query_map([], row)?;
            rows.collect()
        })
    })
    .await
    .map_err(|_| DbError::Task)?
}
