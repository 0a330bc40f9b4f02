//! The roadside issuer keys: ES256 (P-256) keys, each in a key file of its own
//! (`keys/roadside-<kid>.p8`, see [`crate::keyfile`]); the database lists each key's public
//! half and period.
//!
//! One key signs at a time. A key may sign for [`KEY_LIFETIME`]; within [`ROTATE_BEFORE`] of
//! its end a new key is made and signs from then on. The trust list names every key that
//! signed a certificate that may still be valid: a key stays in it for
//! [`MAX_VALIDITY`] after its period ends.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use lofavor_certificate::time::{checked_unix_seconds, from_unix_seconds};
use lofavor_certificate::{MAX_VALIDITY, TrustList, TrustedKey, key_id};
use p256::ecdsa::{SigningKey, VerifyingKey};
use rusqlite::{OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::RoadsideError;
use crate::db::{Db, DbError};
use crate::keyfile::{self, KeyDir, KeyFileError};

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
    kid: String,
    public: Vec<u8>,
    not_before: i64,
    not_after: i64,
}

fn unix(time: SystemTime) -> Result<i64, RoadsideError> {
    checked_unix_seconds(time).ok_or(RoadsideError::Time)
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// The key file name of the key with id `kid` (hex).
fn file_name(kid: &str) -> String {
    format!("roadside-{kid}")
}

/// The hex key id and the uncompressed SEC1 public key of `key`.
fn public_parts(key: &SigningKey) -> (String, Vec<u8>) {
    let public = key.verifying_key();
    (
        hex::encode(key_id(public)),
        public.to_sec1_point(false).as_bytes().to_vec(),
    )
}

/// The signing key of the row `row`, from its key file, checked against the public key the
/// row lists.
fn load_signing(keys: &KeyDir, row: &KeyRow) -> Result<SigningKey, RoadsideError> {
    let key = keys
        .load(&file_name(&row.kid))?
        .ok_or(RoadsideError::KeyMissing)?;
    if public_parts(&key).1 != row.public {
        return Err(RoadsideError::BadKey);
    }
    Ok(key)
}

/// Schema step: moves the private keys the database held (`roadside_key.secret`, up to
/// schema 3) into key files, and rebuilds the table without them. With `secure_delete` on,
/// the dropped table's pages are overwritten with zeros.
pub(crate) fn move_secrets_out(tx: &Transaction<'_>, keys: &KeyDir) -> Result<(), DbError> {
    let rows = {
        let mut stmt = tx.prepare("SELECT secret, not_before, not_after FROM roadside_key")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                Zeroizing::new(r.get::<_, Vec<u8>>(0)?),
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    tx.execute_batch(
        "CREATE TABLE roadside_key_public (
            kid TEXT PRIMARY KEY NOT NULL,
            public BLOB NOT NULL,
            not_before INTEGER NOT NULL,
            not_after INTEGER NOT NULL
        ) STRICT;",
    )?;
    for (secret, not_before, not_after) in rows {
        let key = SigningKey::from_slice(&secret)
            .map_err(|_| DbError::Migration("a stored roadside issuer key is damaged"))?;
        let (kid, public) = public_parts(&key);
        let name = file_name(&kid);
        match keys.create(&name, &key) {
            Ok(()) => {}
            // Written by an attempt that failed before its commit: it must be this very key.
            Err(KeyFileError::Exists(_)) => {
                let there = keys.load(&name)?;
                if there.is_none_or(|k| k.verifying_key() != key.verifying_key()) {
                    return Err(DbError::Migration(
                        "a roadside key file holds another key than the database",
                    ));
                }
            }
            Err(e) => return Err(e.into()),
        }
        tx.execute(
            "INSERT INTO roadside_key_public (kid, public, not_before, not_after)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![kid, public, not_before, not_after],
        )?;
    }
    tx.execute_batch(
        "DROP TABLE roadside_key;
         ALTER TABLE roadside_key_public RENAME TO roadside_key;",
    )?;
    log::info!(target: "lofavor_server::roadside", "roadside issuer keys moved to key files");
    Ok(())
}

/// Checks at start that every key the database lists has its key file, holding that key, so
/// a lost or damaged file stops the server instead of failing requests.
pub(crate) fn check_all(db: &Db, keys: &KeyDir) -> Result<(), RoadsideError> {
    let rows = db.with_conn(|c| {
        let mut stmt = c.prepare("SELECT kid, public, not_before, not_after FROM roadside_key")?;
        let rows = stmt.query_map([], key_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    for row in &rows {
        load_signing(keys, row)?;
    }
    Ok(())
}

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        kid: r.get(0)?,
        public: r.get(1)?,
        not_before: r.get(2)?,
        not_after: r.get(3)?,
    })
}

/// The keys at `now`, making (and storing) a new signing key first when none may sign until
/// at least [`ROTATE_BEFORE`] from now.
pub(crate) async fn current(
    db: &Arc<Db>,
    keys: &Arc<KeyDir>,
    now: SystemTime,
) -> Result<IssuerKeys, RoadsideError> {
    let now = unix(now)?;
    let candidate = keyfile::generate();
    let db = db.clone();
    let keys = keys.clone();
    let (rows, signing, numbered) = tokio::task::spawn_blocking(move || {
        db.with_conn_try(|c| {
            // Check and insert under the one connection lock, so two requests at once cannot
            // both rotate.
            let signing_now: i64 = c.query_row(
                "SELECT COUNT(*) FROM roadside_key WHERE not_before <= ?1 AND not_after > ?2",
                [now, now.saturating_add(secs(ROTATE_BEFORE))],
                |r| r.get(0),
            )?;
            if signing_now == 0 {
                let (kid, public) = public_parts(&candidate);
                // The file first: a row never names a key that is not on disk.
                keys.create(&file_name(&kid), &candidate)?;
                c.execute(
                    "INSERT INTO roadside_key (kid, public, not_before, not_after)
                     VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![kid, public, now, now.saturating_add(secs(KEY_LIFETIME)),],
                )?;
                log::info!(target: "lofavor_server::roadside", "new roadside issuer key");
            }
            let mut stmt = c.prepare(
                "SELECT kid, public, not_before, not_after FROM roadside_key
                 WHERE not_after > ?1 ORDER BY not_before",
            )?;
            let rows = stmt
                .query_map([now.saturating_sub(secs(MAX_VALIDITY))], key_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // Rows come oldest first: the last one that may sign now signs.
            let signing = rows
                .iter()
                .rev()
                .find(|row| row.not_before <= now && row.not_after > now)
                .ok_or(RoadsideError::BadKey)?;
            let signing = load_signing(&keys, signing)?;
            let numbered = number_trust_list(c, &rows, now)?;
            Ok::<_, RoadsideError>((rows, signing, numbered))
        })
    })
    .await
    .map_err(|_| DbError::Task)??;
    let (sequence, issued_at) = numbered;
    let mut trusted = Vec::with_capacity(rows.len());
    for row in rows {
        let key = VerifyingKey::from_sec1_bytes(&row.public).map_err(|_| RoadsideError::BadKey)?;
        let (from, to) = (
            from_unix_seconds(row.not_before),
            from_unix_seconds(row.not_after),
        );
        trusted.push(TrustedKey::new(key, from, to)?);
    }
    Ok(IssuerKeys {
        signing,
        trust: TrustList::new(trusted)?.with_sequence(sequence, from_unix_seconds(issued_at))?,
    })
}

/// The trust list's sequence number and issue time for the keys `rows`: the stored ones
/// while the listed keys stay the same, else the next number, issued `now`. Runs under the
/// connection lock, so two requests at once cannot both count up.
fn number_trust_list(
    c: &rusqlite::Connection,
    rows: &[KeyRow],
    now: i64,
) -> Result<(u64, i64), DbError> {
    let mut digest = Sha256::new();
    for row in rows {
        digest.update(row.kid.as_bytes());
        digest.update(row.not_before.to_be_bytes());
        digest.update(row.not_after.to_be_bytes());
    }
    let digest = digest.finalize().to_vec();
    let stored: Option<(i64, i64, Vec<u8>)> = c
        .query_row(
            "SELECT sequence, issued_at, keys_digest FROM roadside_trust_list WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (sequence, issued_at) = match stored {
        Some((sequence, issued_at, stored_digest)) if stored_digest == digest => {
            (sequence, issued_at)
        }
        Some((sequence, ..)) => (sequence.saturating_add(1), now),
        None => (1, now),
    };
    c.execute(
        "INSERT INTO roadside_trust_list (id, sequence, issued_at, keys_digest)
         VALUES (1, ?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET sequence = excluded.sequence,
             issued_at = excluded.issued_at, keys_digest = excluded.keys_digest",
        rusqlite::params![sequence, issued_at, digest],
    )?;
    Ok((u64::try_from(sequence).unwrap_or(0), issued_at))
}
