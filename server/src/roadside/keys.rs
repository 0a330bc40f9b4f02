//! The roadside issuer keys: ES256 (P-256) keys in the server's database.
//!
//! One key signs at a time. A key may sign for [`KEY_LIFETIME`]; within [`ROTATE_BEFORE`] of
//! its end a new key is made and signs from then on. The trust list names every key that
//! signed a certificate that may still be valid: a key stays in it for
//! [`MAX_VALIDITY`] after its period ends.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use lofavor_certificate::time::{checked_unix_seconds, from_unix_seconds};
use lofavor_certificate::{MAX_VALIDITY, TrustList, TrustedKey, key_id};
use p256::ecdsa::SigningKey;

use super::RoadsideError;
use crate::db::{Db, DbError};

/// How long a key may sign.
pub(crate) const KEY_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);
/// How long before the end of its period a key is replaced.
pub(crate) const ROTATE_BEFORE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The key that signs now, and the trust list to publish.
pub(crate) struct IssuerKeys {
    /// The key that signs certificates and revocation lists now.
    pub(crate) signing: SigningKey,
    /// Every key a verifier should accept now, the signing one included.
    pub(crate) trust: TrustList,
}

struct KeyRow {
    secret: Vec<u8>,
    not_before: i64,
    not_after: i64,
}

fn unix(time: SystemTime) -> Result<i64, RoadsideError> {
    checked_unix_seconds(time).ok_or(RoadsideError::Time)
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

fn generate() -> SigningKey {
    // Random bytes are a valid scalar unless zero or at least the group order, which a
    // uniform draw hits with a probability of about 2^-32; draw again then.
    loop {
        let bytes: [u8; 32] = rand::random();
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            return key;
        }
    }
}

/// The keys at `now`, making (and storing) a new signing key first when none may sign until
/// at least [`ROTATE_BEFORE`] from now.
pub(crate) async fn current(db: &Arc<Db>, now: SystemTime) -> Result<IssuerKeys, RoadsideError> {
    let now = unix(now)?;
    let candidate = generate();
    let db = db.clone();
    let rows = tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            // Check and insert under the one connection lock, so two requests at once cannot
            // both rotate.
            let signing_now: i64 = c.query_row(
                "SELECT COUNT(*) FROM roadside_key WHERE not_before <= ?1 AND not_after > ?2",
                [now, now.saturating_add(secs(ROTATE_BEFORE))],
                |r| r.get(0),
            )?;
            if signing_now == 0 {
                let public = candidate.verifying_key();
                c.execute(
                    "INSERT INTO roadside_key (kid, secret, not_before, not_after)
                     VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![
                        hex::encode(key_id(public)),
                        candidate.to_bytes().to_vec(),
                        now,
                        now.saturating_add(secs(KEY_LIFETIME)),
                    ],
                )?;
                log::info!(target: "lofavor_server::roadside", "new roadside issuer key");
            }
            let mut stmt = c.prepare(
                "SELECT secret, not_before, not_after FROM roadside_key
                 WHERE not_after > ?1 ORDER BY not_before",
            )?;
            let rows = stmt.query_map([now.saturating_sub(secs(MAX_VALIDITY))], |r| {
                Ok(KeyRow {
                    secret: r.get(0)?,
                    not_before: r.get(1)?,
                    not_after: r.get(2)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })
    })
    .await
    .map_err(|_| DbError::Task)??;
    let mut trusted = Vec::with_capacity(rows.len());
    let mut signing = None;
    for row in rows {
        let key = SigningKey::from_slice(&row.secret).map_err(|_| RoadsideError::BadKey)?;
        let (from, to) = (
            from_unix_seconds(row.not_before),
            from_unix_seconds(row.not_after),
        );
        trusted.push(TrustedKey::new(*key.verifying_key(), from, to)?);
        // Rows come oldest first: the last one that may sign now wins.
        if row.not_before <= now && row.not_after > now {
            signing = Some(key);
        }
    }
    let signing = signing.ok_or(RoadsideError::BadKey)?;
    Ok(IssuerKeys {
        signing,
        trust: TrustList::new(trusted)?,
    })
}
