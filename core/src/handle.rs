//! The core handle: one per app process. It opens the shared parts (store, secrets, HTTP,
//! runtime) and hands out one handle per capability, as matrix-rust-sdk's client hands out
//! its services: `core.auth()`, `core.roadside()`, `core.consent()`. This is the one place
//! that knows every capability: it registers their tables and their member data, and puts
//! the consent capability's gate in charge of the authorised request path.

use std::sync::Arc;

use crate::auth::{self, Auth, AuthHandle, ProfileData};
use crate::config::{CoreConfig, ValidConfig};
use crate::consent::{self, Consent, ConsentData, ConsentHandle, MemberIdentity};
use crate::error::{ErrorKind, Result};
use crate::inventory::{self, InventoryHandle};
use crate::net::{AccessTokens, ApiClient, MemberApi, NetConfig, http_client};
use crate::platform::{Platform, choose_secure_store, install_logger};
use crate::roadside::field::TrustCache;
use crate::roadside::wallet::Wallet;
use crate::roadside::{self, RoadsideHandle};
use crate::runtime::CoreRuntime;
use crate::store::{STORE_MIGRATIONS, Schema, Store};

/// Every capability's tables, registered in one list; [`Schema::new`] orders them by version
/// and refuses a clash.
const SCHEMA: &[&[crate::store::Migration]] = &[
    STORE_MIGRATIONS,
    auth::schema::MIGRATIONS,
    roadside::schema::MIGRATIONS,
    consent::schema::MIGRATIONS,
    inventory::schema::MIGRATIONS,
];

/// Who is logged in, for the consent ledger: login's cached member.
struct LoginIdentity(Arc<Auth>);

impl MemberIdentity for LoginIdentity {
    fn subject(&self) -> Option<String> {
        self.0.member().ok().flatten().map(|m| m.subject)
    }
}

/// The schema of this build.
pub fn schema() -> Result<Schema> {
    Ok(Schema::new(SCHEMA)?)
}

/// The open core. All methods take `&self`; the capability handles it gives out are cheap
/// clones that share its store, HTTP client and runtime.
pub struct Core {
    pub(crate) config: ValidConfig,
    pub(crate) store: Arc<Store>,
    pub(crate) api: ApiClient,
    auth: AuthHandle,
    roadside: RoadsideHandle,
    consent: ConsentHandle,
    inventory: InventoryHandle,
    pub(crate) runtime: Arc<CoreRuntime>,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core")
            .field("locale", &self.config.raw.locale)
            .finish_non_exhaustive()
    }
}

impl Core {
    /// Opens the core: checks the configuration, registers the platform services, opens
    /// the encrypted store (creating it on first use), and starts the runtime.
    pub fn open(config: CoreConfig, platform: Platform) -> Result<Core> {
        if let Some(logger) = platform.logger.clone() {
            install_logger(logger);
        }
        let config = config.validate()?;
        let secrets = choose_secure_store(&config.raw.secure_store, platform.secure_store)?;
        let store = Arc::new(Store::open(
            &config.raw.data_dir,
            secrets.as_ref(),
            &schema()?,
        )?);
        // One HTTP client for the member API and login.
        let net = NetConfig::default();
        let api = ApiClient::with_client(http_client(&net)?, config.api_base_url.clone(), net);
        let login = Arc::new(Auth::new(
            config.oidc_issuer.clone(),
            &config.raw.oidc_client_id,
            &config.raw.redirect_uri,
            api.http().clone(),
            store.clone(),
            secrets.clone(),
        )?);
        let member_api = Arc::new(MemberApi::new(
            api.clone(),
            login.clone() as Arc<dyn AccessTokens>,
        ));
        let runtime = CoreRuntime::start()?;

        let consent = Arc::new(Consent::new(
            store.clone(),
            api.clone(),
            member_api.clone(),
            config.trust_anchors.clone(),
            Arc::new(LoginIdentity(login.clone())),
            config.raw.locale,
        )?);
        // From here on every request on the member's behalf asks the consent gate.
        member_api.set_gate(consent.gate.clone());
        let consent = ConsentHandle::new(consent, runtime.clone());

        // Every capability's member data: erased when a session ends (login), read by the
        // rights of access and export (consent). The consent ledger is in both.
        let wallet = Arc::new(Wallet::new(store.clone()));
        login.register_member_data(wallet.clone());
        login.register_member_data(Arc::new(ConsentData(consent.service())));
        consent.register_member_data(Arc::new(ProfileData(store.clone())));
        consent.register_member_data(wallet.clone());
        let inventory =
            InventoryHandle::new(store.clone(), secrets, member_api.clone(), runtime.clone());
        login.register_member_data(inventory.member_data());
        consent.register_member_data(inventory.member_data());
        let roadside = RoadsideHandle::new(
            wallet,
            Arc::new(TrustCache::new(store.clone(), config.trust_anchors.clone())),
            api.clone(),
            member_api.clone(),
            runtime.clone(),
        );
        let auth = AuthHandle::new(login, member_api, runtime.clone());
        log::info!(target: "lofavor_core", "core opened (schema {})", store.schema_version());
        Ok(Core {
            config,
            store,
            api,
            auth,
            roadside,
            consent,
            inventory,
            runtime,
        })
    }

    /// Husk Hva Du Har: belongings, photos, search.
    pub fn inventory(&self) -> &InventoryHandle {
        &self.inventory
    }

    /// Consents, the reservation, partner orders and the privacy rights.
    pub fn consent(&self) -> &ConsentHandle {
        &self.consent
    }

    /// Erasure on this device (GDPR art. 17, on the device): the member is logged out (the
    /// grant revoked at the provider when it can be reached), every capability's data and
    /// every token erased, and the database compacted so no freed page keeps a trace. Local
    /// changes not yet synced are lost: the shell asks first. The store and its key stay
    /// (they hold nothing of the member), so the app works on for the next login.
    pub async fn erase_device(&self) -> Result<()> {
        match self.auth.logout(true).await {
            Ok(_) => {}
            // Nobody logged in: there may still be data of a member whose session ended.
            Err(e) if e.kind() == ErrorKind::NotLoggedIn => {}
            Err(e) => return Err(e),
        }
        for data in self.consent.member_data() {
            data.erase()?;
        }
        self.store.compact()?;
        Ok(())
    }

    /// Login, the session and the member's profile.
    pub fn auth(&self) -> &AuthHandle {
        &self.auth
    }

    /// The roadside-assistance certificate and the field worker's checks.
    pub fn roadside(&self) -> &RoadsideHandle {
        &self.roadside
    }

    /// The configuration the core was opened with.
    pub fn config(&self) -> &CoreConfig {
        &self.config.raw
    }

    /// The encrypted store (its settings table and facts about it).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_capability_claims_its_own_schema_versions() {
        let schema = super::schema().unwrap();
        assert_eq!(schema.latest(), 8);
    }
}
