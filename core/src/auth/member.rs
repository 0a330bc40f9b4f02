//! The logged-in member as the provider describes them, and the encrypted cache that lets
//! the app show them offline.
//!
//! The membership names the member's union: special-category personal data (GDPR art. 9).
//! It is shown to the member only; the `Debug` forms here print nothing of it, so a stray
//! `{:?}` in a log line cannot leak it.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreError};

/// The member's union membership, as the provider or the member API states it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The union the member belongs to.
    pub union: String,
    /// Whether the membership is active (benefits apply).
    pub active: bool,
}

impl std::fmt::Debug for Membership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Membership").finish_non_exhaustive()
    }
}

/// The member of the session (cached for offline display).
#[derive(Clone, PartialEq, Eq)]
pub struct Member {
    /// The provider's stable subject identifier.
    pub subject: String,
    /// The member's name, if the provider shares it.
    pub name: Option<String>,
    /// The member's union membership, if the provider shares it.
    pub membership: Option<Membership>,
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("name", &self.name.as_ref().map(|_| "…"))
            .field("membership", &self.membership.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

/// The claims this app reads beyond the standard ones, in the ID token and from userinfo.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct LofavorClaims {
    /// The union membership (scope `membership`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) lofavor_membership: Option<Membership>,
}

impl openidconnect::AdditionalClaims for LofavorClaims {}

/// The cached member, if any.
pub(crate) fn load(store: &Store) -> Result<Option<Member>, StoreError> {
    store.with_conn(|conn| {
        Ok(conn
            .query_row(
                "SELECT subject, name, membership_union, membership_active
                 FROM auth_member WHERE id = 1",
                [],
                |row| {
                    let union: Option<String> = row.get(2)?;
                    let active: Option<bool> = row.get(3)?;
                    Ok(Member {
                        subject: row.get(0)?,
                        name: row.get(1)?,
                        membership: union.map(|union| Membership {
                            union,
                            active: active.unwrap_or(false),
                        }),
                    })
                },
            )
            .optional()?)
    })
}

/// Caches `member`, replacing whoever was cached.
pub(crate) fn save(store: &Store, member: &Member, now: i64) -> Result<(), StoreError> {
    store.with_conn(|conn| {
        conn.execute(
            "INSERT INTO auth_member
                 (id, subject, name, membership_union, membership_active, updated_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET
                 subject = excluded.subject, name = excluded.name,
                 membership_union = excluded.membership_union,
                 membership_active = excluded.membership_active,
                 updated_at = excluded.updated_at",
            rusqlite::params![
                member.subject,
                member.name,
                member.membership.as_ref().map(|m| m.union.as_str()),
                member.membership.as_ref().map(|m| m.active),
                now
            ],
        )?;
        Ok(())
    })
}

/// Forgets the cached member and any login under way.
pub(crate) fn erase(store: &Store) -> Result<(), StoreError> {
    store.with_conn(|conn| {
        conn.execute_batch("DELETE FROM auth_member; DELETE FROM auth_pending;")?;
        Ok(())
    })
}

/// The cached profile as [`crate::store::MemberData`], so the right of access and the export
/// include it. Login itself erases it when a session ends.
pub struct ProfileData(pub(crate) std::sync::Arc<Store>);

impl crate::store::MemberData for ProfileData {
    fn describe(&self) -> &'static str {
        "profile"
    }

    fn unsynced_changes(&self) -> Result<u64, StoreError> {
        Ok(0)
    }

    fn erase(&self) -> Result<(), StoreError> {
        erase(&self.0)
    }

    fn export(&self) -> Result<serde_json::Value, StoreError> {
        Ok(match load(&self.0)? {
            Some(member) => serde_json::json!({
                "subject": member.subject,
                "name": member.name,
                "union": member.membership.as_ref().map(|m| m.union.clone()),
                "membership_active": member.membership.as_ref().map(|m| m.active),
            }),
            None => serde_json::Value::Null,
        })
    }
}
