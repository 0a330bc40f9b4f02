//! The newsletter subscription: the member's e-mail address, kept while subscribed.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::{ConsentError, Refusal};

/// Longest e-mail address (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;

/// The body of `POST /v1/newsletter/subscription`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Subscribe {
    email: String,
}

/// The answer: whether the member is subscribed now.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Subscription {
    subscribed: bool,
}

/// Whether `email` looks like an address: one `@` with text on both sides, a dot in the
/// domain, no spaces or controls. Whether it exists is the mail system's to find out.
fn plausible(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= MAX_EMAIL
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Subscribes member `sub` with `request.email` (replacing an earlier address).
pub(crate) fn subscribe(
    c: &Connection,
    sub: &str,
    request: Subscribe,
) -> Result<Subscription, ConsentError> {
    if !plausible(&request.email) {
        return Err(Refusal::BadRequest("email is not an e-mail address").into());
    }
    c.execute(
        "INSERT INTO newsletter_subscription (member_id, email, subscribed_at)
         VALUES (?1, ?2, ?3)
         ON CONFLICT (member_id) DO UPDATE SET email = excluded.email,
             subscribed_at = excluded.subscribed_at",
        params![sub, request.email, lofavor_certificate::time::now_unix()],
    )?;
    Ok(Subscription { subscribed: true })
}

/// Unsubscribes member `sub`, forgetting the address.
pub(crate) fn unsubscribe(c: &Connection, sub: &str) -> Result<Subscription, ConsentError> {
    c.execute(
        "DELETE FROM newsletter_subscription WHERE member_id = ?1",
        [sub],
    )?;
    Ok(Subscription { subscribed: false })
}

/// Whether member `sub` is subscribed.
pub(crate) fn subscribed(c: &Connection, sub: &str) -> Result<bool, ConsentError> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM newsletter_subscription WHERE member_id = ?1)",
        [sub],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_for_form_only() {
        assert!(plausible("kari@example.org"));
        for bad in [
            "",
            "kari",
            "@example.org",
            "kari@",
            "kari@org",
            "k ari@example.org",
            "a@b@c.d",
            "kari@.org",
        ] {
            assert!(!plausible(bad), "{bad}");
        }
        assert!(!plausible(&format!("{}@example.org", "a".repeat(250))));
    }
}
