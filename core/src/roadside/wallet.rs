//! The member's side: the latest roadside-assistance certificate, kept in the encrypted store
//! so it shows with no network, renewed when online and fewer than [`RENEW_BEFORE`] remain,
//! and erased at logout.
//!
//! The app trusts the payload it got from its own member API over an authenticated
//! connection and only reads it to show it; the worker's app is what verifies it.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rusqlite::OptionalExtension;

use super::certificate::{Cover, HolderName, QrMatrix, VehicleRegistration, inspect};
use super::error::ServiceError;
use super::wire::{CERTIFICATE_PATH, IssuedCertificate};
use crate::net::{ApiRequest, Disclosure, MemberApi};
use crate::store::{MemberData, Store, StoreError};
use crate::time::{from_unix_seconds, unix_seconds};

/// Renew the certificate when fewer than this remain (and the phone is online).
pub const RENEW_BEFORE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

const DAY: u64 = 24 * 60 * 60;

/// Whether the member's certificate can be shown as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateStatus {
    /// Valid for at least [`RENEW_BEFORE`] more.
    Valid,
    /// Valid, but ends within [`RENEW_BEFORE`]; the app renews it when online.
    ExpiresSoon {
        /// Whole days left, rounded up (1 on its last day).
        days: u32,
    },
    /// No longer valid: the member must go online to get a new one.
    Expired,
}

impl CertificateStatus {
    /// The status at `now` of a certificate that ends at `expires_at`.
    pub fn at(expires_at: SystemTime, now: SystemTime) -> Self {
        match expires_at.duration_since(now) {
            Ok(left) if !left.is_zero() => {
                if left >= RENEW_BEFORE {
                    CertificateStatus::Valid
                } else {
                    let days = left.as_secs().div_ceil(DAY).max(1);
                    CertificateStatus::ExpiresSoon {
                        days: u32::try_from(days).unwrap_or(u32::MAX),
                    }
                }
            }
            _ => CertificateStatus::Expired,
        }
    }
}

/// The member's certificate, ready to show: the payload and its QR code, what it says, and
/// whether it is still good.
#[derive(Clone, PartialEq, Eq)]
pub struct MemberCertificate {
    /// The QR code's text (`VH1:` + Base45).
    pub payload: String,
    /// The certificate id, 16 hex digits.
    pub certificate_id: String,
    /// The QR code to draw (add the quiet zone around it).
    pub qr: QrMatrix,
    /// The cover.
    pub cover: Cover,
    /// The member's short name.
    pub holder: HolderName,
    /// The car, where the cover is tied to one.
    pub vehicle: Option<VehicleRegistration>,
    /// When it was issued.
    pub issued_at: SystemTime,
    /// When it stops being valid.
    pub expires_at: SystemTime,
    /// When this device fetched it.
    pub fetched_at: SystemTime,
    /// Its status at the time it was read.
    pub status: CertificateStatus,
}

impl std::fmt::Debug for MemberCertificate {
    // The name and the registration are personal data: not for a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberCertificate")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// The member's certificate in the store; registered with logout.
pub(crate) struct Wallet {
    store: Arc<Store>,
}

struct Row {
    payload: String,
    certificate_id: String,
    expires_at: i64,
    fetched_at: i64,
}

impl Wallet {
    /// The wallet over `store`.
    pub(crate) fn new(store: Arc<Store>) -> Self {
        Self { store }
    }

    /// The cached certificate with its status at `now`, if there is one.
    pub(crate) fn cached(
        &self,
        now: SystemTime,
    ) -> Result<Option<MemberCertificate>, ServiceError> {
        let row = self.store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT payload, certificate_id, expires_at, fetched_at
                 FROM roadside_certificate WHERE id = 1",
                [],
                |r| {
                    Ok(Row {
                        payload: r.get(0)?,
                        certificate_id: r.get(1)?,
                        expires_at: r.get(2)?,
                        fetched_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        match view(row, now) {
            Ok(certificate) => Ok(Some(certificate)),
            Err(e) => {
                // Only a build that wrote a different format could get here; show nothing
                // rather than something wrong, and fetch a new one.
                log::warn!(target: "lofavor_core::roadside", "cached certificate unreadable: {e}");
                Ok(None)
            }
        }
    }

    /// Keeps `issued`, fetched at `now`, as the member's certificate.
    fn save(
        &self,
        issued: &IssuedCertificate,
        now: SystemTime,
    ) -> Result<MemberCertificate, ServiceError> {
        let read = inspect(&issued.payload).map_err(ServiceError::BadCertificate)?;
        if hex::encode(read.claims.certificate_id.as_bytes()) != issued.certificate_id {
            return Err(ServiceError::BadCertificate(
                "id differs from the payload's",
            ));
        }
        let row = Row {
            payload: issued.payload.clone(),
            certificate_id: issued.certificate_id.clone(),
            // The payload's own expiry is what a worker checks; it is the one kept.
            expires_at: unix_seconds(read.expires_at),
            fetched_at: unix_seconds(now),
        };
        let certificate = view_of(&row, read, now)?;
        self.store.with_conn(|c| {
            c.execute(
                "INSERT INTO roadside_certificate
                     (id, payload, certificate_id, expires_at, fetched_at)
                 VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET payload = excluded.payload,
                     certificate_id = excluded.certificate_id,
                     expires_at = excluded.expires_at, fetched_at = excluded.fetched_at",
                rusqlite::params![
                    row.payload,
                    row.certificate_id,
                    row.expires_at,
                    row.fetched_at
                ],
            )?;
            Ok(())
        })?;
        Ok(certificate)
    }
}

fn view(row: Row, now: SystemTime) -> Result<MemberCertificate, ServiceError> {
    let read = inspect(&row.payload).map_err(ServiceError::BadCertificate)?;
    view_of(&row, read, now)
}

fn view_of(
    row: &Row,
    read: super::certificate::Inspected,
    now: SystemTime,
) -> Result<MemberCertificate, ServiceError> {
    let expires_at = from_unix_seconds(row.expires_at);
    Ok(MemberCertificate {
        qr: QrMatrix::encode(&row.payload)?,
        payload: row.payload.clone(),
        certificate_id: row.certificate_id.clone(),
        cover: read.claims.cover,
        holder: read.claims.holder,
        vehicle: read.claims.vehicle,
        issued_at: read.issued_at,
        expires_at,
        fetched_at: from_unix_seconds(row.fetched_at),
        status: CertificateStatus::at(expires_at, now),
    })
}

impl MemberData for Wallet {
    fn describe(&self) -> &'static str {
        "roadside certificate"
    }

    fn unsynced_changes(&self) -> Result<u64, StoreError> {
        // The certificate is the server's; the device never changes it.
        Ok(0)
    }

    fn erase(&self) -> Result<(), StoreError> {
        self.store.with_conn(|c| {
            c.execute("DELETE FROM roadside_certificate", [])?;
            Ok(())
        })
    }

    fn export(&self) -> Result<serde_json::Value, StoreError> {
        self.store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT payload, certificate_id, expires_at, fetched_at FROM roadside_certificate",
                [],
                |r| {
                    Ok(serde_json::json!({
                        "payload": r.get::<_, String>(0)?,
                        "certificate_id": r.get::<_, String>(1)?,
                        "expires_at": r.get::<_, i64>(2)?,
                        "fetched_at": r.get::<_, i64>(3)?,
                    }))
                },
            )
            .optional()?
            .unwrap_or(serde_json::Value::Null))
        })
    }
}

/// A new certificate from the member API, on the member's behalf. The server makes it from
/// what it already holds; the request carries nothing about the member but the token.
async fn fetch(api: &MemberApi) -> Result<IssuedCertificate, ServiceError> {
    match api
        .send(ApiRequest::post(CERTIFICATE_PATH, Disclosure::Nothing))
        .await
    {
        Ok(issued) => Ok(issued),
        Err(e) if e.status() == Some(404) => Err(ServiceError::NoCover),
        Err(e) => Err(e.into()),
    }
}

/// The certificate to show at `now`: the cached one while it has at least [`RENEW_BEFORE`]
/// left; else (or with `force`) a new one from the member API. When that fails, the cached
/// one is shown all the same (with its status, `Expired` included), unless `force`.
pub(crate) async fn current(
    wallet: &Wallet,
    api: &MemberApi,
    now: SystemTime,
    force: bool,
) -> Result<MemberCertificate, ServiceError> {
    let cached = wallet.cached(now)?;
    if !force
        && let Some(certificate) = &cached
        && certificate.status == CertificateStatus::Valid
    {
        return Ok(certificate.clone());
    }
    match fetch(api).await {
        Ok(issued) => wallet.save(&issued, now),
        Err(e) => match cached {
            Some(certificate) if !force => {
                log::info!(
                    target: "lofavor_core::roadside",
                    "certificate renewal failed ({e}); showing the cached one"
                );
                Ok(certificate)
            }
            None if e.is_offline() => Err(ServiceError::NoCertificateOffline),
            _ => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_turns_at_seven_days_and_at_expiry() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(
            CertificateStatus::at(now + Duration::from_secs(30 * DAY), now),
            CertificateStatus::Valid
        );
        assert_eq!(
            CertificateStatus::at(now + RENEW_BEFORE, now),
            CertificateStatus::Valid
        );
        assert_eq!(
            CertificateStatus::at(now + RENEW_BEFORE - Duration::from_secs(1), now),
            CertificateStatus::ExpiresSoon { days: 7 }
        );
        assert_eq!(
            CertificateStatus::at(now + Duration::from_secs(60), now),
            CertificateStatus::ExpiresSoon { days: 1 }
        );
        assert_eq!(CertificateStatus::at(now, now), CertificateStatus::Expired);
        assert_eq!(
            CertificateStatus::at(now - Duration::from_secs(1), now),
            CertificateStatus::Expired
        );
    }
}
