//! Logins under way, kept in the encrypted database so that Android may kill the app while
//! the browser is open: the next process completes the login.

use rusqlite::OptionalExtension;

use crate::store::{Store, StoreError};

/// How long a started login stays valid.
pub(crate) const PENDING_LIFETIME_SECS: i64 = 10 * 60;

/// One login under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingAuthorization {
    pub(crate) state: String,
    pub(crate) nonce: String,
    pub(crate) pkce_verifier: String,
    pub(crate) redirect_uri: String,
    pub(crate) expires_at: i64,
}

/// Saves `pending`, and forgets logins that have expired.
pub(crate) fn save(
    store: &Store,
    pending: &PendingAuthorization,
    now: i64,
) -> Result<(), StoreError> {
    store.with_conn(|conn| {
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM auth_pending WHERE expires_at <= ?1", [now])?;
        tx.execute(
            "INSERT INTO auth_pending (state, nonce, pkce_verifier, redirect_uri, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                pending.state,
                pending.nonce,
                pending.pkce_verifier,
                pending.redirect_uri,
                pending.expires_at
            ],
        )?;
        tx.commit()?;
        Ok(())
    })
}

/// Takes the login with `state` out of the table: a redirect is used once, whatever its fate.
pub(crate) fn take(store: &Store, state: &str) -> Result<Option<PendingAuthorization>, StoreError> {
    store.with_conn(|conn| {
        let tx = conn.transaction()?;
        let found = tx
            .query_row(
                "SELECT state, nonce, pkce_verifier, redirect_uri, expires_at
                 FROM auth_pending WHERE state = ?1",
                [state],
                |row| {
                    Ok(PendingAuthorization {
                        state: row.get(0)?,
                        nonce: row.get(1)?,
                        pkce_verifier: row.get(2)?,
                        redirect_uri: row.get(3)?,
                        expires_at: row.get(4)?,
                    })
                },
            )
            .optional()?;
        tx.execute("DELETE FROM auth_pending WHERE state = ?1", [state])?;
        tx.commit()?;
        Ok(found)
    })
}
