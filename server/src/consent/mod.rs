//! Consent and privacy rights on the server side: the signed consent catalogue, the ledger
//! of the member's decisions with a signed receipt for each, the transfers the app's consent
//! gate governs (analytics, newsletter, partner shares and orders, each recorded so tests can
//! see what left the device), and the member's privacy-rights requests.
//!
//! One file per area:
//! - [`schema`]: the tables (one migration step);
//! - [`catalogue`]: publishing catalogues and remembering every notice version published;
//! - [`keys`]: the key that signs receipts;
//! - [`decisions`] and [`receipts`]: the ledger;
//! - [`offers`], [`orders`], [`partners`]: partner offers, orders and shares, and the partner
//!   inboxes standing in for the partners' own endpoints;
//! - [`analytics`], [`newsletter`]: the other governed transfers;
//! - [`privacy`]: privacy-rights requests with their due dates, and the member's data export.
//! - [`profile`]: the member data partners and the export get.
//!
//! The ledger and the receipts name the member by a pseudonym ([`subject`]), never by the
//! token's subject. Nothing here logs a record or puts personal data into an error.

pub(crate) mod analytics;
pub(crate) mod catalogue;
pub(crate) mod decisions;
pub(crate) mod keys;
pub(crate) mod newsletter;
pub(crate) mod offers;
pub(crate) mod orders;
pub(crate) mod partners;
pub(crate) mod privacy;
pub(crate) mod profile;
pub(crate) mod receipts;
pub(crate) mod schema;

use std::sync::{Arc, RwLock};

use p256::ecdsa::SigningKey;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::db::{Db, DbError};
use crate::keyfile::{KeyDir, KeyFileError};

/// Longest id a device may send (decision, order, batch, share and request ids).
pub(crate) const MAX_ID: usize = 64;

/// Why the server refused a consent or privacy request; each has a machine-readable code the
/// routes answer with. None carries anything the member sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Malformed in a way no other refusal names; the text says which part, never its value.
    BadRequest(&'static str),
    /// No published catalogue has this purpose.
    UnknownPurpose,
    /// This notice id and version were never published for the purpose.
    UnknownNoticeVersion,
    /// The notice hash is not that of the published text in that language.
    NoticeTextMismatch,
    /// Giving a partner-sharing consent needs the member's explicit confirmation.
    ExplicitConfirmationRequired,
    /// The id was used before with another body, or by another member.
    ReplayedId,
    /// No such partner.
    UnknownPartner,
    /// No such offer.
    UnknownOffer,
    /// The order's fields are not exactly the fields the offer needs.
    FieldsMismatch,
    /// Not a kind of privacy-rights request.
    UnknownKind,
    /// A valid token for a subject with no member record.
    UnknownMember,
}

/// Whether a request with an id was taken now or was a repeat of one taken before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Taken now (201).
    Created,
    /// Taken before with the same body; the first answer again (200).
    Repeated,
}

/// Why a consent or privacy request failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConsentError {
    /// The request was refused; nothing was stored.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A document could not be signed.
    #[error("signing: {0}")]
    Sign(#[from] lofavor_certificate::DocumentError),
    /// A key could not be read, made or encoded.
    #[error("consent key: {0}")]
    Key(String),
    /// A catalogue to publish is not acceptable.
    #[error("catalogue: {0}")]
    Catalogue(&'static str),
    /// A stored record could not be read back.
    #[error("a stored consent record is malformed")]
    Stored,
}

impl From<rusqlite::Error> for ConsentError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(DbError::Sqlite(e))
    }
}

impl From<KeyFileError> for ConsentError {
    fn from(e: KeyFileError) -> Self {
        Self::Key(e.to_string())
    }
}

impl From<Refusal> for ConsentError {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

/// The consent service the handlers share: the database, the signing keys and the signed
/// catalogue now published.
pub(crate) struct Consent {
    pub(crate) db: Arc<Db>,
    /// Signs receipts; its public half is in the catalogue.
    pub(crate) receipt_key: SigningKey,
    /// [`Self::receipt_key`]'s public half as anchor text.
    pub(crate) receipt_key_text: String,
    /// Signs the catalogue (and the roadside trust list).
    pub(crate) trust_anchor: Arc<SigningKey>,
    /// The catalogue now published, signed; swapped whole on publish.
    pub(crate) published: RwLock<Arc<catalogue::Published>>,
}

impl std::fmt::Debug for Consent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consent")
            .field("receipt_key", &self.receipt_key_text)
            .finish_non_exhaustive()
    }
}

impl Consent {
    /// Loads (or makes) the receipt key, publishes the bundled catalogue if the database has
    /// none as new, and signs the newest one.
    pub(crate) fn open(
        db: Arc<Db>,
        keys: &KeyDir,
        trust_anchor: Arc<SigningKey>,
    ) -> Result<Self, ConsentError> {
        let receipt_key = keys::load_or_create(keys)?;
        let receipt_key_text = keys::text(&receipt_key)?;
        let bundled = catalogue::bundled()?;
        let newest = db.with_conn_try(|c| {
            catalogue::publish_if_newer(c, &bundled)?;
            catalogue::newest(c)
        })?;
        let published = catalogue::Published::sign(newest, &trust_anchor, &receipt_key_text)?;
        Ok(Self {
            db,
            receipt_key,
            receipt_key_text,
            trust_anchor,
            published: RwLock::new(Arc::new(published)),
        })
    }

    /// The catalogue now published.
    pub(crate) fn published(&self) -> Arc<catalogue::Published> {
        // Only whole values are swapped in, so one left by a panicking writer is still whole.
        self.published
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Publishes `catalogue`, which must have a higher sequence than the one now published.
    pub(crate) fn publish(&self, catalogue: serde_json::Value) -> Result<(), ConsentError> {
        self.db.with_conn_try(|c| {
            let current = self.published().sequence;
            let parsed = catalogue::Parsed::from_value(catalogue)?;
            if parsed.sequence <= current {
                return Err(ConsentError::Catalogue(
                    "its sequence is not higher than the published one",
                ));
            }
            let signed = catalogue::Published::sign(
                parsed.value.clone(),
                &self.trust_anchor,
                &self.receipt_key_text,
            )?;
            let tx = c.unchecked_transaction()?;
            catalogue::record(&tx, &parsed)?;
            tx.commit()?;
            // Swapped while the database lock is held, so two publishers cannot leave the
            // older one served.
            *self.published.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(signed);
            Ok(())
        })
    }

    /// Runs `f` with the connection on a blocking thread.
    pub(crate) async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Self, &Connection) -> Result<T, ConsentError> + Send + 'static,
    ) -> Result<T, ConsentError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.db.with_conn_try(|c| f(&this, c)))
            .await
            .map_err(|_| ConsentError::Db(DbError::Task))?
    }
}

/// The pseudonym of the member with token subject `sub` in receipts, the ledger and partner
/// inboxes: the first 16 bytes of SHA-256 over a fixed label and the subject, as lowercase
/// hex. The label keeps it from matching a hash of the subject made for any other use.
pub(crate) fn subject(sub: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"lofavor consent subject\0");
    hash.update(sub.as_bytes());
    hex::encode(&hash.finalize()[..16])
}

/// Whether `id` is an id a device may send: 1 to 64 of `A-Z a-z 0-9 -`.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `Ok` if `id` is valid, else a `bad_request` refusal naming `what`.
pub(crate) fn check_id(id: &str, what: &'static str) -> Result<(), Refusal> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(Refusal::BadRequest(what))
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `text` is 64 lowercase hexadecimal digits.
pub(crate) fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Latest Unix time accepted from a device (the end of year 9999).
pub(crate) const MAX_TIME: i64 = lofavor_certificate::time::MAX_UNIX_SECONDS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pseudonym_is_the_labelled_hash_truncated() {
        // SHA-256("lofavor consent subject\0kari"), first 16 bytes.
        let mut hash = Sha256::new();
        hash.update(b"lofavor consent subject\0kari");
        let full = hex::encode(hash.finalize());
        assert_eq!(subject("kari"), full[..32]);
        assert_eq!(subject("kari").len(), 32);
        assert_ne!(subject("kari"), subject("ola"));
        assert_ne!(subject("kari"), sha256_hex(b"kari")[..32]);
    }

    #[test]
    fn ids_are_bounded_and_plain() {
        assert!(valid_id("a"));
        assert!(valid_id("0f-Ab-9"));
        assert!(valid_id(&"a".repeat(64)));
        for bad in ["", "a b", "a_b", "ø", "../x", "a.b", &"a".repeat(65)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
