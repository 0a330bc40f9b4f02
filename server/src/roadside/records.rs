//! Each member's roadside cover, and the certificates issued to them.

use std::sync::Arc;

use chrono::NaiveDate;
use lofavor_certificate::{CertificateId, Cover, CoverProduct};
use rusqlite::OptionalExtension;

use super::RoadsideError;
use crate::db::{Db, DbError};

/// A member's cover as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredCover {
    /// Product and period.
    pub(crate) cover: Cover,
    /// The car's registration, where the cover is tied to one.
    pub(crate) vehicle: Option<String>,
}

/// What the server knows of one certificate id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Issued here and not revoked.
    Valid,
    /// Issued here and revoked.
    Revoked,
    /// Never issued here.
    Unknown,
}

fn date(text: &str) -> Result<NaiveDate, RoadsideError> {
    let mut parts = text.splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return Err(RoadsideError::BadCover);
    };
    let y = i32::try_from(y).map_err(|_| RoadsideError::BadCover)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(RoadsideError::BadCover)
}

fn product(name: &str) -> Result<CoverProduct, RoadsideError> {
    match name {
        "Veihjelp" => Ok(CoverProduct::Veihjelp),
        "VeihjelpPluss" => Ok(CoverProduct::VeihjelpPluss),
        _ => Err(RoadsideError::BadCover),
    }
}

async fn blocking<T: Send + 'static>(
    db: &Arc<Db>,
    f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, DbError> {
    let db = db.clone();
    tokio::task::spawn_blocking(move || db.with_conn(f))
        .await
        .map_err(|_| DbError::Task)?
}

/// The cover of member `member_id`, if they have one.
pub(crate) async fn cover(
    db: &Arc<Db>,
    member_id: &str,
) -> Result<Option<StoredCover>, RoadsideError> {
    let id = member_id.to_owned();
    let row = blocking(db, move |c| {
        c.query_row(
            "SELECT product, valid_from, valid_to, vehicle FROM roadside_cover
             WHERE member_id = ?1",
            [&id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()
    })
    .await?;
    let Some((name, from, to, vehicle)) = row else {
        return Ok(None);
    };
    Ok(Some(StoredCover {
        cover: Cover {
            product: product(&name)?,
            valid_from: date(&from)?,
            valid_to: date(&to)?,
        },
        vehicle,
    }))
}

/// Records a certificate issued to `member_id`.
pub(crate) async fn record(
    db: &Arc<Db>,
    id: CertificateId,
    member_id: &str,
    issued_at: i64,
    expires_at: i64,
) -> Result<(), RoadsideError> {
    let member = member_id.to_owned();
    blocking(db, move |c| {
        c.execute(
            "INSERT INTO roadside_certificate (id, member_id, issued_at, expires_at)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![hex::encode(id.as_bytes()), member, issued_at, expires_at],
        )
    })
    .await?;
    Ok(())
}

/// What the server knows of certificate `id`.
pub(crate) async fn status(db: &Arc<Db>, id: CertificateId) -> Result<Status, RoadsideError> {
    let revoked_at = blocking(db, move |c| {
        c.query_row(
            "SELECT revoked_at FROM roadside_certificate WHERE id = ?1",
            [hex::encode(id.as_bytes())],
            |r| r.get::<_, Option<i64>>(0),
        )
        .optional()
    })
    .await?;
    Ok(match revoked_at {
        None => Status::Unknown,
        Some(None) => Status::Valid,
        Some(Some(_)) => Status::Revoked,
    })
}

/// Revokes certificate `id` if it was issued to `member_id`; whether it was.
pub(crate) async fn revoke(
    db: &Arc<Db>,
    id: CertificateId,
    member_id: &str,
    now: i64,
) -> Result<bool, RoadsideError> {
    let member = member_id.to_owned();
    let found = blocking(db, move |c| {
        c.execute(
            "UPDATE roadside_certificate SET revoked_at = COALESCE(revoked_at, ?1)
             WHERE id = ?2 AND member_id = ?3",
            rusqlite::params![now, hex::encode(id.as_bytes()), member],
        )
    })
    .await?;
    Ok(found > 0)
}

/// The revoked certificates that have not expired by `now` (an expired one needs no entry:
/// it fails on its own `exp`).
pub(crate) async fn revoked(db: &Arc<Db>, now: i64) -> Result<Vec<CertificateId>, RoadsideError> {
    let ids = blocking(db, move |c| {
        let mut stmt = c.prepare(
            "SELECT id FROM roadside_certificate
             WHERE revoked_at IS NOT NULL AND expires_at > ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([now], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })
    .await?;
    Ok(ids.iter().filter_map(|id| parse_id(id)).collect())
}

/// A certificate id from its 16 hex digits.
pub(crate) fn parse_id(text: &str) -> Option<CertificateId> {
    let bytes = hex::decode(text).ok()?;
    Some(CertificateId(bytes.try_into().ok()?))
}
