//! The roadside capability as the shells see it: `core.roadside()`.

use std::sync::Arc;
use std::time::SystemTime;

use super::certificate::{LumaFrame, Verification};
use super::field::{self, TrustCache};
use super::wallet::{self, Wallet};
use super::{MemberCertificate, OnlineStatus, TrustMaterial};
use crate::error::Result;
use crate::net::{ApiClient, MemberApi};
use crate::runtime::CoreRuntime;

/// The member's roadside-assistance certificate and the field worker's checks. Cheap to
/// clone; every method takes `&self`.
#[derive(Clone)]
pub struct RoadsideHandle {
    wallet: Arc<Wallet>,
    field: Arc<TrustCache>,
    /// The member API without a token: the worker's lists and lookups are anonymous.
    public_api: ApiClient,
    /// The member API on the member's behalf.
    member_api: Arc<MemberApi>,
    runtime: Arc<CoreRuntime>,
}

impl std::fmt::Debug for RoadsideHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoadsideHandle").finish_non_exhaustive()
    }
}

impl RoadsideHandle {
    pub(crate) fn new(
        wallet: Arc<Wallet>,
        field: Arc<TrustCache>,
        public_api: ApiClient,
        member_api: Arc<MemberApi>,
        runtime: Arc<CoreRuntime>,
    ) -> Self {
        Self {
            wallet,
            field,
            public_api,
            member_api,
            runtime,
        }
    }

    /// The member's certificate, to show: the cached one while at least 7 days remain (works
    /// offline); else a new one from the member API. Offline, a cached certificate is shown
    /// whatever its status (`Expired` says so plainly); with none cached the error is
    /// [`crate::ErrorKind::CertificateUnavailable`].
    pub async fn certificate(&self) -> Result<MemberCertificate> {
        self.certificate_when(SystemTime::now(), false).await
    }

    /// [`RoadsideHandle::certificate`] as if the time were `now` (tests of renewal and
    /// expiry). Only with the `test-hooks` feature.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub async fn certificate_at(&self, now: SystemTime) -> Result<MemberCertificate> {
        self.certificate_when(now, false).await
    }

    /// Fetches a new certificate now, whatever is cached; fails when offline.
    pub async fn renew_certificate(&self) -> Result<MemberCertificate> {
        self.certificate_when(SystemTime::now(), true).await
    }

    async fn certificate_when(&self, now: SystemTime, force: bool) -> Result<MemberCertificate> {
        let (wallet, api) = (self.wallet.clone(), self.member_api.clone());
        self.runtime
            .run(async move { Ok(wallet::current(&wallet, &api, now, force).await?) })
            .await
    }

    /// The cached certificate, if any, without touching the network.
    pub fn cached_certificate(&self) -> Result<Option<MemberCertificate>> {
        Ok(self.wallet.cached(SystemTime::now())?)
    }

    /// Fetches the trust list and the signed revocation list for checking certificates
    /// offline, and caches them (the revocation list only if no older than the cached one).
    pub async fn refresh_trust_material(&self) -> Result<TrustMaterial> {
        let (field, api) = (self.field.clone(), self.public_api.clone());
        self.runtime
            .run(async move { Ok(field.refresh(&api, SystemTime::now()).await?) })
            .await
    }

    /// What is cached for offline checks, if anything.
    pub fn trust_material(&self) -> Result<Option<TrustMaterial>> {
        Ok(self.field.material(SystemTime::now())?)
    }

    /// Checks a scanned certificate payload offline against the cached trust and revocation
    /// lists. Before the first [`RoadsideHandle::refresh_trust_material`] the error is
    /// [`crate::ErrorKind::TrustListMissing`] ("no trust list yet; go online once"), not an
    /// `UntrustedIssuer` answer that would wrongly call the certificate false.
    pub fn verify_certificate(&self, payload: &str) -> Result<Verification> {
        Ok(self.field.check_payload(payload, SystemTime::now())?)
    }

    /// Finds the one QR code in a greyscale camera frame (`width * height` luma bytes, row by
    /// row) and checks it like [`RoadsideHandle::verify_certificate`]. No code, several, an
    /// unreadable one or a frame of the wrong size is [`Verification::Unreadable`].
    pub fn verify_certificate_image(
        &self,
        width: u32,
        height: u32,
        luma: &[u8],
    ) -> Result<Verification> {
        let frame = LumaFrame {
            width,
            height,
            luma,
        };
        Ok(self.field.check_frame(&frame, SystemTime::now())?)
    }

    /// Asks the member API whether the certificate in `payload` was issued and is revoked,
    /// by its id only. Does not check the signature: use it next to
    /// [`RoadsideHandle::verify_certificate`].
    pub async fn lookup_certificate_online(&self, payload: &str) -> Result<OnlineStatus> {
        let api = self.public_api.clone();
        let payload = payload.to_owned();
        self.runtime
            .run(async move { Ok(field::lookup(&api, &payload).await?) })
            .await
    }
}
