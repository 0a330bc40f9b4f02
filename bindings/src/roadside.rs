//! The roadside-assistance certificate as exported types: the member's certificate with its
//! QR code for the shells to draw, the field worker's verdict, the cached trust material and
//! the online status. Newtypes and conversions only.

use std::sync::Arc;
use std::time::SystemTime;

use lofavor_core::roadside as core;
use lofavor_core::roadside::certificate as cert;

use crate::core::LofavorCore;
use crate::error::LofavorError;

/// A QR code as modules, without the quiet zone: draw 4 light modules around it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QrCode {
    /// Modules per side.
    pub size: u32,
    /// `size * size` modules, row by row from the top left; `true` is dark.
    pub modules: Vec<bool>,
}

impl From<cert::QrMatrix> for QrCode {
    fn from(q: cert::QrMatrix) -> Self {
        Self {
            size: q.size,
            modules: q.modules,
        }
    }
}

/// A roadside-assistance product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CoverProduct {
    /// "Veihjelp": roadside assistance in Norway.
    Veihjelp,
    /// "Veihjelp Pluss": in the Nordic countries, with towing to the member's own workshop
    /// and a rental car.
    VeihjelpPluss,
}

impl From<cert::CoverProduct> for CoverProduct {
    fn from(p: cert::CoverProduct) -> Self {
        match p {
            cert::CoverProduct::Veihjelp => Self::Veihjelp,
            cert::CoverProduct::VeihjelpPluss => Self::VeihjelpPluss,
        }
    }
}

/// The member's cover.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RoadsideCover {
    /// The product.
    pub product: CoverProduct,
    /// The product's name as people read it ("Veihjelp Pluss").
    pub product_name: String,
    /// First day, `YYYY-MM-DD` (UTC).
    pub valid_from: String,
    /// Last day, inclusive, `YYYY-MM-DD` (UTC).
    pub valid_to: String,
}

impl From<cert::Cover> for RoadsideCover {
    fn from(c: cert::Cover) -> Self {
        Self {
            product: c.product.into(),
            product_name: c.product.name().to_owned(),
            valid_from: c.valid_from.to_string(),
            valid_to: c.valid_to.to_string(),
        }
    }
}

/// Whether the member's certificate can be shown as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CertificateStatus {
    /// Valid for at least 7 more days.
    Valid,
    /// Valid, but ends within 7 days; renewed when online.
    ExpiresSoon {
        /// Whole days left, rounded up.
        days: u32,
    },
    /// No longer valid: go online for a new one.
    Expired,
}

impl From<core::CertificateStatus> for CertificateStatus {
    fn from(s: core::CertificateStatus) -> Self {
        match s {
            core::CertificateStatus::Valid => Self::Valid,
            core::CertificateStatus::ExpiresSoon { days } => Self::ExpiresSoon { days },
            core::CertificateStatus::Expired => Self::Expired,
        }
    }
}

/// The member's certificate, ready to show.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct MemberCertificate {
    /// The QR code's text (`VH1:` + Base45).
    pub payload: String,
    /// The certificate id, 16 hex digits.
    pub certificate_id: String,
    /// The QR code to draw.
    pub qr: QrCode,
    /// The cover.
    pub cover: RoadsideCover,
    /// The member's short name ("Kari N.").
    pub holder: String,
    /// The car's registration, where the cover is tied to one.
    pub vehicle: Option<String>,
    /// When it was issued.
    pub issued_at: SystemTime,
    /// When it stops being valid.
    pub expires_at: SystemTime,
    /// When this device fetched it.
    pub fetched_at: SystemTime,
    /// Its status when read.
    pub status: CertificateStatus,
}

impl From<core::MemberCertificate> for MemberCertificate {
    fn from(c: core::MemberCertificate) -> Self {
        Self {
            payload: c.payload,
            certificate_id: c.certificate_id,
            qr: c.qr.into(),
            cover: c.cover.into(),
            holder: c.holder.as_str().to_owned(),
            vehicle: c.vehicle.map(|v| v.as_str().to_owned()),
            issued_at: c.issued_at,
            expires_at: c.expires_at,
            fetched_at: c.fetched_at,
            status: c.status.into(),
        }
    }
}

/// The outcome of checking a certificate.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Verification {
    /// Genuine, not revoked, and valid now.
    Valid {
        /// The member's cover.
        cover: RoadsideCover,
        /// The member's short name, to match against a driving licence.
        holder: String,
        /// The car the cover is tied to, if it is.
        vehicle: Option<String>,
        /// When the certificate (or the cover, if sooner) ends.
        expires_at: SystemTime,
    },
    /// Genuine but no longer valid.
    Expired {
        /// When it stopped being valid.
        expired_at: SystemTime,
    },
    /// Genuine but not valid yet.
    NotYetValid {
        /// When it becomes valid.
        valid_from: SystemTime,
    },
    /// Genuine but withdrawn by the issuer.
    Revoked,
    /// Not signed by a key the verifier trusts.
    UntrustedIssuer,
    /// Not a certificate: a code was read and is not one ("not genuine" on a scanner).
    Malformed {
        /// A short fixed reason; never content of the payload.
        reason: String,
    },
    /// No code could be read from the camera frame (none, several, unreadable, or a frame of
    /// the wrong size): no verdict on any certificate; the scanner keeps scanning.
    Unreadable {
        /// A short fixed reason, e.g. "several QR codes found" (a hint to frame one only).
        reason: String,
    },
}

impl From<cert::Verification> for Verification {
    fn from(v: cert::Verification) -> Self {
        match v {
            cert::Verification::Valid {
                cover,
                holder,
                vehicle,
                expires_at,
            } => Self::Valid {
                cover: cover.into(),
                holder: holder.as_str().to_owned(),
                vehicle: vehicle.map(|v| v.as_str().to_owned()),
                expires_at,
            },
            cert::Verification::Expired { expired_at } => Self::Expired { expired_at },
            cert::Verification::NotYetValid { valid_from } => Self::NotYetValid { valid_from },
            cert::Verification::Revoked => Self::Revoked,
            cert::Verification::UntrustedIssuer => Self::UntrustedIssuer,
            cert::Verification::Malformed { reason } => Self::Malformed {
                reason: reason.to_owned(),
            },
            cert::Verification::Unreadable { reason } => Self::Unreadable {
                reason: reason.to_owned(),
            },
        }
    }
}

/// What the worker's app has cached to check certificates offline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustMaterial {
    /// Issuer keys in the trust list.
    pub keys: u32,
    /// The trust list's sequence number.
    pub trust_list_sequence: u64,
    /// When the trust list was fetched.
    pub trust_list_fetched_at: SystemTime,
    /// Certificates the cached revocation list revokes.
    pub revoked: u32,
    /// When the revocation list was fetched, if there is one.
    pub revocations_fetched_at: Option<SystemTime>,
    /// When the issuer signed the revocation list, if there is one.
    pub revocations_issued_at: Option<SystemTime>,
    /// How old the revocation list is, in whole seconds, if there is one.
    pub revocations_age_seconds: Option<u64>,
    /// Whether the revocation list is stale: past the issuer's next update or older than
    /// `lofavor_core::roadside::REVOCATIONS_STALE_AFTER` (or there is none).
    pub revocations_stale: bool,
}

impl From<core::TrustMaterial> for TrustMaterial {
    fn from(t: core::TrustMaterial) -> Self {
        Self {
            keys: t.keys,
            trust_list_sequence: t.trust_list_sequence,
            trust_list_fetched_at: t.trust_list_fetched_at,
            revoked: t.revoked,
            revocations_fetched_at: t.revocations_fetched_at,
            revocations_issued_at: t.revocations_issued_at,
            revocations_age_seconds: t.revocations_age.map(|age| age.as_secs()),
            revocations_stale: t.revocations_stale,
        }
    }
}

/// What the member API says of a certificate, online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OnlineStatus {
    /// Issued and not revoked.
    Valid,
    /// Issued and revoked.
    Revoked,
    /// Not issued by this service.
    Unknown,
}

impl From<core::OnlineStatus> for OnlineStatus {
    fn from(s: core::OnlineStatus) -> Self {
        match s {
            core::OnlineStatus::Valid => Self::Valid,
            core::OnlineStatus::Revoked => Self::Revoked,
            core::OnlineStatus::Unknown => Self::Unknown,
        }
    }
}

/// The roadside-assistance certificate and the field worker's checks: `core.roadside()`.
#[derive(Debug, uniffi::Object)]
pub struct RoadsideHandle {
    inner: lofavor_core::roadside::RoadsideHandle,
}

#[uniffi::export]
impl LofavorCore {
    /// The roadside-assistance certificate and the field worker's checks.
    pub fn roadside(&self) -> Arc<RoadsideHandle> {
        Arc::new(RoadsideHandle {
            inner: self.inner.roadside().clone(),
        })
    }
}

#[uniffi::export]
impl RoadsideHandle {
    /// The member's certificate to show: the cached one while 7 days or more remain (works
    /// offline), else a new one. Offline, a cached one is returned whatever its status;
    /// with none cached the error is `CertificateUnavailable`.
    pub async fn certificate(&self) -> Result<MemberCertificate, LofavorError> {
        Ok(self.inner.certificate().await?.into())
    }

    /// Fetches a new certificate now; fails when offline.
    pub async fn renew_certificate(&self) -> Result<MemberCertificate, LofavorError> {
        Ok(self.inner.renew_certificate().await?.into())
    }

    /// The cached certificate, if any, without the network.
    pub fn cached_certificate(&self) -> Result<Option<MemberCertificate>, LofavorError> {
        Ok(self.inner.cached_certificate()?.map(Into::into))
    }

    /// Fetches and caches the trust list and the revocation list for offline checks.
    pub async fn refresh_trust_material(&self) -> Result<TrustMaterial, LofavorError> {
        Ok(self.inner.refresh_trust_material().await?.into())
    }

    /// What is cached for offline checks, if anything.
    pub fn trust_material(&self) -> Result<Option<TrustMaterial>, LofavorError> {
        Ok(self.inner.trust_material()?.map(Into::into))
    }

    /// Checks a scanned payload offline. Before the first `refresh_trust_material` the error
    /// is `TrustListMissing`.
    pub fn verify_certificate(&self, payload: String) -> Result<Verification, LofavorError> {
        Ok(self.inner.verify_certificate(&payload)?.into())
    }

    /// Finds the QR code in a greyscale camera frame (`width * height` luma bytes, row by
    /// row) and checks it offline.
    pub fn verify_certificate_image(
        &self,
        width: u32,
        height: u32,
        luma: Vec<u8>,
    ) -> Result<Verification, LofavorError> {
        Ok(self
            .inner
            .verify_certificate_image(width, height, &luma)?
            .into())
    }

    /// Asks the member API about the certificate in `payload` by its id.
    pub async fn lookup_certificate_online(
        &self,
        payload: String,
    ) -> Result<OnlineStatus, LofavorError> {
        Ok(self.inner.lookup_certificate_online(&payload).await?.into())
    }
}
