//! What the issuer remembers between requests: pending authorization requests, codes, grants,
//! refresh tokens and the access tokens of each grant.
//!
//! It lives in memory: the signing key is made at start, so nothing issued survives a restart
//! anyway. Codes and refresh tokens are kept only as SHA-256 digests.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// How long the member has to pick on the authorization page.
const REQUEST_TTL: Duration = Duration::from_secs(600);
/// How long a code may be redeemed (at most 60 s).
const CODE_TTL: Duration = Duration::from_secs(60);
/// How long a redeemed code is remembered so that a replay can be caught.
const CODE_MEMORY: Duration = Duration::from_secs(600);
/// How long after a rotation the token it replaced may be used again, while every token
/// issued for it since has never been used: the answer carrying the new token was lost (the app
/// was killed, the network dropped) and the client still holds the old one. Within this
/// window that is not a replay; the unused successor is retired instead. Past it, or once the
/// successor was used, the old token's use revokes the whole grant (OAuth 2.0 Security BCP,
/// RFC 9700 §4.14.2; Auth0's "reuse interval" and Okta's "grace period" do the same).
pub(crate) const ROTATION_GRACE: Duration = Duration::from_secs(60);

/// A random, unguessable token (256 bits, base64url).
pub(crate) fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// An authorization request waiting for the member's pick.
#[derive(Debug, Clone)]
pub(crate) struct PendingRequest {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scope: Vec<String>,
    pub(crate) state: String,
    pub(crate) nonce: String,
    pub(crate) code_challenge: String,
}

/// What a code stands for.
#[derive(Debug, Clone)]
pub(crate) struct CodeGrant {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scope: Vec<String>,
    pub(crate) nonce: String,
    pub(crate) code_challenge: String,
    pub(crate) subject: String,
    pub(crate) auth_time: u64,
}

struct CodeEntry {
    grant: CodeGrant,
    expires: Instant,
    /// Set once redeemed; to the grant it produced if the redemption succeeded.
    redeemed: Option<Option<u64>>,
}

/// One login of one member in one client: what refresh tokens and access tokens hang off.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) client_id: String,
    pub(crate) subject: String,
    pub(crate) scope: Vec<String>,
    pub(crate) auth_time: u64,
    revoked: bool,
}

struct RefreshEntry {
    grant: u64,
    /// False once rotated: using it again is a replay (but see [`ROTATION_GRACE`]).
    current: bool,
    /// When it was rotated out.
    rotated_at: Option<Instant>,
    /// The token issued in its place.
    successor: Option<[u8; 32]>,
}

/// What a code redemption found.
pub(crate) enum Redemption {
    /// The code is good; it is now spent.
    Fresh(CodeGrant),
    /// Unknown or expired code.
    Unknown,
    /// The code was redeemed before; the grant it produced (if any) has been revoked.
    Replayed,
}

/// What a refresh token use found.
pub(crate) enum RefreshUse {
    /// The token was current; it is now rotated out and this is its grant.
    Current(u64, Grant),
    /// Unknown token or revoked grant.
    Unknown,
    /// An already-rotated token: the whole grant has been revoked.
    Replayed,
}

#[derive(Default)]
struct Inner {
    pending: HashMap<String, (PendingRequest, Instant)>,
    codes: HashMap<[u8; 32], CodeEntry>,
    grants: HashMap<u64, Grant>,
    next_grant: u64,
    refresh: HashMap<[u8; 32], RefreshEntry>,
    /// The newest refresh token of each grant.
    newest_refresh: HashMap<u64, [u8; 32]>,
    /// Access token id → (grant, expiry in Unix seconds).
    access: HashMap<String, (u64, u64)>,
    revoked_access: HashSet<String>,
}

impl Inner {
    fn purge(&mut self, now: Instant, unix_now: u64) {
        self.pending.retain(|_, (_, expires)| *expires > now);
        self.codes.retain(|_, c| c.expires + CODE_MEMORY > now);
        // Kept well past expiry so a generous validation leeway cannot outlive the record.
        self.access.retain(|_, (_, exp)| *exp + 3600 > unix_now);
        let access = &self.access;
        self.revoked_access.retain(|jti| access.contains_key(jti));
    }

    fn revoke_grant(&mut self, id: u64) {
        if let Some(grant) = self.grants.get_mut(&id) {
            grant.revoked = true;
        }
        self.refresh.retain(|_, r| r.grant != id);
        self.newest_refresh.remove(&id);
        let dead: Vec<String> = self
            .access
            .iter()
            .filter(|(_, (g, _))| *g == id)
            .map(|(jti, _)| jti.clone())
            .collect();
        self.revoked_access.extend(dead);
    }
}

/// The issuer's memory.
#[derive(Default)]
pub(crate) struct Store {
    inner: Mutex<Inner>,
}

fn unix_now() -> u64 {
    super::unix_now()
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The maps stay consistent even if a holder panicked: every change is one insert or
        // remove, so the state is taken over rather than the issuer stopped.
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.purge(Instant::now(), unix_now());
        inner
    }

    /// Keeps `request` until the member picks; returns its opaque id.
    pub(crate) fn put_request(&self, request: PendingRequest) -> String {
        let id = random_token();
        self.lock()
            .pending
            .insert(id.clone(), (request, Instant::now() + REQUEST_TTL));
        id
    }

    /// Takes the pending request `id` (each can be decided once).
    pub(crate) fn take_request(&self, id: &str) -> Option<PendingRequest> {
        self.lock().pending.remove(id).map(|(r, _)| r)
    }

    /// Issues a code for `grant`.
    pub(crate) fn put_code(&self, grant: CodeGrant) -> String {
        let code = random_token();
        self.lock().codes.insert(
            digest(&code),
            CodeEntry {
                grant,
                expires: Instant::now() + CODE_TTL,
                redeemed: None,
            },
        );
        code
    }

    /// Redeems `code`: single use; a second use revokes what the first produced.
    pub(crate) fn redeem_code(&self, code: &str) -> Redemption {
        let mut inner = self.lock();
        let Some(entry) = inner.codes.get_mut(&digest(code)) else {
            return Redemption::Unknown;
        };
        match entry.redeemed {
            Some(produced) => {
                if let Some(grant) = produced {
                    inner.revoke_grant(grant);
                }
                Redemption::Replayed
            }
            None if entry.expires <= Instant::now() => Redemption::Unknown,
            None => {
                entry.redeemed = Some(None);
                Redemption::Fresh(entry.grant.clone())
            }
        }
    }

    /// Records the grant a code produced, so that a replay of the code can revoke it.
    pub(crate) fn code_produced(&self, code: &str, grant: u64) {
        if let Some(entry) = self.lock().codes.get_mut(&digest(code)) {
            entry.redeemed = Some(Some(grant));
        }
    }

    /// Starts a grant.
    pub(crate) fn new_grant(
        &self,
        client_id: &str,
        subject: &str,
        scope: &[String],
        auth_time: u64,
    ) -> u64 {
        let mut inner = self.lock();
        inner.next_grant += 1;
        let id = inner.next_grant;
        inner.grants.insert(
            id,
            Grant {
                client_id: client_id.to_owned(),
                subject: subject.to_owned(),
                scope: scope.to_vec(),
                auth_time,
                revoked: false,
            },
        );
        id
    }

    /// Issues a (new current) refresh token of `grant`.
    pub(crate) fn new_refresh_token(&self, grant: u64) -> String {
        let token = random_token();
        let id = digest(&token);
        let mut inner = self.lock();
        if let Some(previous) = inner.newest_refresh.insert(grant, id)
            && let Some(entry) = inner.refresh.get_mut(&previous)
        {
            entry.successor = Some(id);
        }
        inner.refresh.insert(
            id,
            RefreshEntry {
                grant,
                current: true,
                rotated_at: None,
                successor: None,
            },
        );
        token
    }

    /// Uses a refresh token: rotates it out, or revokes the grant on a replay.
    pub(crate) fn use_refresh_token(&self, token: &str) -> RefreshUse {
        let mut inner = self.lock();
        let Some(entry) = inner.refresh.get_mut(&digest(token)) else {
            return RefreshUse::Unknown;
        };
        let grant_id = entry.grant;
        if !entry.current {
            let recent = entry
                .rotated_at
                .is_some_and(|at| at.elapsed() < ROTATION_GRACE);
            let successor = entry.successor;
            let unused_successor = successor
                .and_then(|s| inner.refresh.get(&s))
                .is_some_and(|s| s.current);
            if !(recent && unused_successor) {
                inner.revoke_grant(grant_id);
                return RefreshUse::Replayed;
            }
            // The client never got its successor: retire that one (presenting it later is a
            // replay) and rotate this one again. The next token issued becomes this one's
            // successor, so a client killed again before storing that one is forgiven again
            // (within the same window), while any use of a later token still ends the grant.
            if let Some(s) = successor.and_then(|s| inner.refresh.get_mut(&s)) {
                s.current = false;
            }
            inner.newest_refresh.insert(grant_id, digest(token));
        } else {
            entry.current = false;
            entry.rotated_at = Some(Instant::now());
        }
        match inner.grants.get(&grant_id) {
            Some(grant) if !grant.revoked => RefreshUse::Current(grant_id, grant.clone()),
            _ => RefreshUse::Unknown,
        }
    }

    /// The client of the grant a refresh token belongs to, if the token is known.
    pub(crate) fn refresh_token_client(&self, token: &str) -> Option<(u64, String)> {
        let inner = self.lock();
        let grant = inner.refresh.get(&digest(token))?.grant;
        let client = inner.grants.get(&grant)?.client_id.clone();
        Some((grant, client))
    }

    /// Revokes a grant with its refresh and access tokens.
    pub(crate) fn revoke_grant(&self, grant: u64) {
        self.lock().revoke_grant(grant);
    }

    /// Records an access token `jti` of `grant`, valid until `exp` (Unix seconds).
    pub(crate) fn record_access_token(&self, jti: &str, grant: u64, exp: u64) {
        self.lock().access.insert(jti.to_owned(), (grant, exp));
    }

    /// Revokes one access token.
    pub(crate) fn revoke_access_token(&self, jti: &str) {
        let mut inner = self.lock();
        if inner.access.contains_key(jti) {
            inner.revoked_access.insert(jti.to_owned());
        }
    }

    /// Whether the access token `jti` was issued here and is neither revoked nor of a revoked
    /// grant.
    pub(crate) fn access_token_active(&self, jti: &str) -> bool {
        let inner = self.lock();
        match inner.access.get(jti) {
            Some((grant, _)) => {
                !inner.revoked_access.contains(jti)
                    && inner.grants.get(grant).is_some_and(|g| !g.revoked)
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn grant() -> CodeGrant {
        CodeGrant {
            client_id: "lofavor-cli".into(),
            redirect_uri: "http://127.0.0.1:1/callback".into(),
            scope: vec!["openid".into()],
            nonce: "n".into(),
            code_challenge: "c".into(),
            subject: "kari".into(),
            auth_time: 0,
        }
    }

    #[test]
    fn codes_last_at_most_a_minute() {
        assert!(CODE_TTL <= Duration::from_secs(60));
        let store = Store::default();
        let code = store.put_code(grant());
        // Age the code past its lifetime (but not past the replay memory).
        for entry in store.inner.lock().unwrap().codes.values_mut() {
            entry.expires = Instant::now() - Duration::from_secs(1);
        }
        assert!(matches!(store.redeem_code(&code), Redemption::Unknown));
    }

    #[test]
    fn a_code_is_spent_once_and_its_replay_revokes_its_grant() {
        let store = Store::default();
        let code = store.put_code(grant());
        assert!(matches!(store.redeem_code(&code), Redemption::Fresh(_)));
        let id = store.new_grant("lofavor-cli", "kari", &["openid".into()], 0);
        store.code_produced(&code, id);
        store.record_access_token("jti-1", id, unix_now() + 300);
        let refresh = store.new_refresh_token(id);
        assert!(store.access_token_active("jti-1"));
        assert!(matches!(store.redeem_code(&code), Redemption::Replayed));
        assert!(!store.access_token_active("jti-1"));
        assert!(matches!(
            store.use_refresh_token(&refresh),
            RefreshUse::Unknown
        ));
        assert!(store.take_request("nothing").is_none());
    }

    /// A client killed between the provider's rotation and storing the new token presents
    /// the old one again: within the grace window, while the new one was never used, that
    /// is the same session; the unused new token is retired. Anything else is a replay.
    #[test]
    fn a_lost_rotation_is_forgiven_while_nothing_later_was_used_a_replay_never() {
        let store = Store::default();
        let grant_id = store.new_grant("lofavor-cli", "kari", &["offline_access".into()], 0);
        let t1 = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&t1),
            RefreshUse::Current(..)
        ));
        let _lost = store.new_refresh_token(grant_id);
        // The answer with `_lost` never arrived; the client retries with t1.
        assert!(matches!(
            store.use_refresh_token(&t1),
            RefreshUse::Current(..)
        ));
        // Killed again before storing the next one: still the same session.
        let lost_again = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&t1),
            RefreshUse::Current(..)
        ));
        let _t2 = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&lost_again),
            RefreshUse::Replayed
        ));
        let grant_id = store.new_grant("lofavor-cli", "kari", &["offline_access".into()], 0);
        let t1 = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&t1),
            RefreshUse::Current(..)
        ));
        let lost = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&t1),
            RefreshUse::Current(..)
        ));
        let t2 = store.new_refresh_token(grant_id);
        // The retired token is a replay now, and kills the grant.
        assert!(matches!(
            store.use_refresh_token(&lost),
            RefreshUse::Replayed
        ));
        assert!(matches!(store.use_refresh_token(&t2), RefreshUse::Unknown));

        // Once the successor was used, the old token is a replay at once.
        let grant_id = store.new_grant("lofavor-cli", "ola", &["offline_access".into()], 0);
        let a = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&a),
            RefreshUse::Current(..)
        ));
        let b = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&b),
            RefreshUse::Current(..)
        ));
        let _c = store.new_refresh_token(grant_id);
        assert!(matches!(store.use_refresh_token(&a), RefreshUse::Replayed));

        // And past the grace window, even with an unused successor.
        let grant_id = store.new_grant("lofavor-cli", "member-42", &["offline_access".into()], 0);
        let old = store.new_refresh_token(grant_id);
        assert!(matches!(
            store.use_refresh_token(&old),
            RefreshUse::Current(..)
        ));
        let _unused = store.new_refresh_token(grant_id);
        for entry in store.inner.lock().unwrap().refresh.values_mut() {
            if let Some(at) = entry.rotated_at.as_mut() {
                *at = Instant::now() - ROTATION_GRACE - Duration::from_secs(1);
            }
        }
        assert!(matches!(
            store.use_refresh_token(&old),
            RefreshUse::Replayed
        ));
    }
}
