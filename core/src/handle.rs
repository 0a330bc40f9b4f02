//! The core handle: one per app process, every capability hangs off it.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::auth::{Auth, LogoutOutcome, Member, SessionListener, SessionSubscription};
use crate::config::{CoreConfig, Locale, SecureStoreChoice, ValidConfig};
use crate::error::{Error, ErrorKind, Result};
use crate::net::{ApiClient, NetConfig, http_client};
use crate::platform::{
    InsecureFileStandInStore, MemoryStandInStore, OsKeystore, Platform, SecureStore, install_logger,
};
use crate::roadside::certificate::{LumaFrame, Verification};
use crate::roadside::field::TrustCache;
use crate::roadside::wallet::{self, Wallet};
use crate::roadside::{MemberCertificate, OnlineStatus, TrustMaterial, field};
use crate::store::Store;

/// What the core says about itself (for an about screen, the demo, and support).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreInfo {
    /// Version of the core library.
    pub core_version: String,
    /// Schema version of the local database.
    pub schema_version: i64,
    /// The locale the core speaks.
    pub locale: Locale,
    /// Version of SQLCipher behind the store.
    pub cipher_version: String,
    /// Whether the database file on disk is encrypted (checked, not assumed).
    pub database_encrypted: bool,
}

/// What the member API said when asked how it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerStatus {
    /// The service's name.
    pub service: String,
    /// The service's version.
    pub version: String,
    /// Whether its database answered.
    pub database_ok: bool,
    /// Time the check took, in milliseconds.
    pub round_trip_ms: u64,
}

/// The open core. Cheap to share (`Arc`); all methods take `&self`.
pub struct Core {
    config: ValidConfig,
    store: Arc<Store>,
    auth: Arc<Auth>,
    api: ApiClient,
    wallet: Arc<Wallet>,
    /// The field worker's trust and revocation lists, parsed once.
    field: Arc<TrustCache>,
    /// The core's own runtime for network and background work. In an `Option` only so
    /// `Drop` can take it and shut it down without blocking (dropping a runtime from inside
    /// another async context would panic).
    runtime: Option<tokio::runtime::Runtime>,
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
        let store = Arc::new(Store::open(&config.raw.data_dir, secrets.as_ref())?);
        // One HTTP client for the member API and login.
        let net = NetConfig::default();
        let api = ApiClient::with_client(http_client(&net)?, config.api_base_url.clone(), net);
        let auth = Arc::new(Auth::new(
            &config.raw.oidc_issuer,
            &config.raw.oidc_client_id,
            &config.raw.redirect_uri,
            api.http().clone(),
            store.clone(),
            secrets,
        )?);
        let wallet = Arc::new(Wallet::new(store.clone()));
        auth.register_member_data(wallet.clone());
        let field = Arc::new(TrustCache::new(store.clone()));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lofavor-core")
            .enable_all()
            .build()
            .map_err(|_| Error::new(ErrorKind::Internal, "cannot start the core's runtime"))?;
        log::info!(target: "lofavor_core", "core opened (schema {})", store.schema_version());
        Ok(Core {
            config,
            store,
            auth,
            api,
            wallet,
            field,
            runtime: Some(runtime),
        })
    }

    /// The configuration the core was opened with.
    pub fn config(&self) -> &CoreConfig {
        &self.config.raw
    }

    /// The encrypted store, for the capabilities.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Facts about this core and its store.
    pub fn info(&self) -> Result<CoreInfo> {
        Ok(CoreInfo {
            core_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version: self.store.schema_version(),
            locale: self.config.raw.locale,
            cipher_version: self.store.cipher_version()?,
            database_encrypted: self.store.is_encrypted_on_disk()?,
        })
    }

    /// Asks the member API whether it is up (`GET /health`).
    pub async fn check_server(&self) -> Result<ServerStatus> {
        let api = self.api.clone();
        self.run(async move {
            let (health, took) = api.health().await?;
            if health.status != "ok" {
                return Err(Error::new(
                    ErrorKind::Server,
                    "the server reports it is not ok",
                ));
            }
            Ok(ServerStatus {
                service: health.service,
                version: health.version,
                database_ok: health.database,
                round_trip_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
            })
        })
        .await
    }

    /// Starts a login at the configured redirect URI; returns the URL for the system
    /// browser. The pending login is saved first, so the app may die while the browser is
    /// open.
    pub async fn begin_login(&self) -> Result<String> {
        let auth = self.auth.clone();
        self.run(async move { Ok(auth.begin_login().await?) }).await
    }

    /// Starts a login that returns to `redirect_uri` (the terminal shell's loopback port).
    pub async fn begin_login_at(&self, redirect_uri: &str) -> Result<String> {
        let auth = self.auth.clone();
        let redirect_uri = redirect_uri.to_owned();
        self.run(async move { Ok(auth.begin_login_at(&redirect_uri).await?) })
            .await
    }

    /// Completes the login with the redirect the browser handed back.
    pub async fn complete_login(&self, redirect_url: &str) -> Result<Member> {
        let auth = self.auth.clone();
        let redirect_url = redirect_url.to_owned();
        self.run(async move { Ok(auth.complete_login(&redirect_url).await?) })
            .await
    }

    /// The logged-in member from the encrypted cache, if any (works offline).
    pub fn member(&self) -> Result<Option<Member>> {
        Ok(self.auth.member()?)
    }

    /// An access token for the member API, refreshed ahead of expiry; one refresh however
    /// many callers ask at once. Only for shells that call an API of their own; the core's
    /// capabilities fetch tokens themselves.
    pub async fn access_token(&self) -> Result<String> {
        let auth = self.auth.clone();
        self.run(async move { Ok(auth.access_token().await?) })
            .await
    }

    /// Logs the member out: revokes the session at the provider, forgets its secrets and
    /// erases the member's data on the device. Refuses while local changes are not yet
    /// synced, unless `force`. The outcome carries the end-session URL for the browser.
    pub async fn logout(&self, force: bool) -> Result<LogoutOutcome> {
        let auth = self.auth.clone();
        self.run(async move { Ok(auth.logout(force).await?) }).await
    }

    /// Registers `listener` for session changes; it first hears the current state. Keep
    /// the returned subscription: dropping it stops the deliveries.
    pub fn subscribe_session(
        &self,
        listener: Arc<dyn SessionListener>,
    ) -> Result<SessionSubscription> {
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Internal, "the core is shutting down"))?;
        Ok(self.auth.subscribe(runtime.handle(), listener))
    }

    /// Fetches the member's profile from the member API (`GET /v1/me`) and caches it; the
    /// session listeners hear [`crate::auth::SessionEvent::ProfileRefreshed`]. A token the API refuses
    /// is refreshed once and the request tried again.
    pub async fn refresh_profile(&self) -> Result<Member> {
        let auth = self.auth.clone();
        let api = self.api.clone();
        self.run(async move {
            let mut retried = false;
            loop {
                let token = auth.access_token().await?;
                match api
                    .get_json_as::<crate::net::wire::MeResponse>("v1/me", Some(&token))
                    .await
                {
                    Ok(me) => {
                        let member = Member {
                            subject: me.subject,
                            name: me.name,
                            membership: me.membership,
                        };
                        auth.profile_refreshed(&member)?;
                        return Ok(member);
                    }
                    Err(crate::net::NetError::Status { status: 401 }) if !retried => {
                        auth.access_token_refused(&token);
                        retried = true;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        })
        .await
    }

    /// The member's roadside-assistance certificate, to show: the cached one while at least
    /// 7 days remain (works offline); else a new one from the member API. Offline, a cached
    /// certificate is shown whatever its status (`Expired` says so plainly); with none cached
    /// the error is [`ErrorKind::CertificateUnavailable`].
    pub async fn roadside_certificate(&self) -> Result<MemberCertificate> {
        self.roadside_certificate_at(SystemTime::now()).await
    }

    /// [`Core::roadside_certificate`] as if the time were `now` (tests of renewal and expiry).
    #[doc(hidden)]
    pub async fn roadside_certificate_at(&self, now: SystemTime) -> Result<MemberCertificate> {
        let (wallet, auth, api) = (self.wallet.clone(), self.auth.clone(), self.api.clone());
        self.run(async move { Ok(wallet::current(&wallet, &auth, &api, now, false).await?) })
            .await
    }

    /// Fetches a new certificate now, whatever is cached; fails when offline.
    pub async fn renew_roadside_certificate(&self) -> Result<MemberCertificate> {
        let (wallet, auth, api) = (self.wallet.clone(), self.auth.clone(), self.api.clone());
        self.run(async move {
            Ok(wallet::current(&wallet, &auth, &api, SystemTime::now(), true).await?)
        })
        .await
    }

    /// The cached certificate, if any, without touching the network.
    pub fn cached_roadside_certificate(&self) -> Result<Option<MemberCertificate>> {
        Ok(self.wallet.cached(SystemTime::now())?)
    }

    /// Fetches the trust list and the signed revocation list for checking certificates
    /// offline, and caches them (the revocation list only if no older than the cached one).
    pub async fn refresh_trust_material(&self) -> Result<TrustMaterial> {
        let (field, api) = (self.field.clone(), self.api.clone());
        self.run(async move { Ok(field.refresh(&api, SystemTime::now()).await?) })
            .await
    }

    /// What is cached for offline checks, if anything.
    pub fn trust_material(&self) -> Result<Option<TrustMaterial>> {
        Ok(self.field.material(SystemTime::now())?)
    }

    /// Checks a scanned certificate payload offline against the cached trust and revocation
    /// lists. Before the first [`Core::refresh_trust_material`] the error is
    /// [`ErrorKind::TrustListMissing`] ("no trust list yet; go online once"), not an
    /// `UntrustedIssuer` answer that would wrongly call the certificate false.
    pub fn verify_certificate(&self, payload: &str) -> Result<Verification> {
        Ok(self.field.check_payload(payload, SystemTime::now())?)
    }

    /// Finds the one QR code in a greyscale camera frame (`width * height` luma bytes, row by
    /// row) and checks it like [`Core::verify_certificate`]. No code, several, an unreadable
    /// one or a frame of the wrong size is [`Verification::Malformed`].
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
    /// [`Core::verify_certificate`].
    pub async fn lookup_certificate_online(&self, payload: &str) -> Result<OnlineStatus> {
        let api = self.api.clone();
        let payload = payload.to_owned();
        self.run(async move { Ok(field::lookup(&api, &payload).await?) })
            .await
    }

    /// The login service, for the capabilities that call the member API.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// Runs `work` on the core's runtime and awaits it from whatever executor the caller
    /// uses (Kotlin coroutines, Swift tasks, another tokio runtime). A panic inside `work`
    /// comes back as an [`ErrorKind::Internal`] error.
    async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Internal, "the core is shutting down"))?;
        match runtime.spawn(work).await {
            Ok(result) => result,
            Err(e) if e.is_panic() => Err(Error::new(ErrorKind::Internal, "a core task panicked")),
            Err(_) => Err(Error::new(ErrorKind::Internal, "a core task was cancelled")),
        }
    }

    /// Panics on purpose, so the shells' tests can prove a panic reaches them as an
    /// exception and not as a crash. Exported only by a test build of the bindings.
    #[doc(hidden)]
    pub fn trigger_panic_for_tests(&self) {
        panic!("deliberate panic for the FFI tests");
    }

    /// Like [`Core::trigger_panic_for_tests`], inside a task on the core's runtime.
    #[doc(hidden)]
    pub async fn trigger_async_panic_for_tests(&self) -> Result<()> {
        self.run(async {
            tokio::time::sleep(Duration::from_millis(1)).await;
            panic!("deliberate panic in a core task for the FFI tests")
        })
        .await
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Picks the secure store the configuration names; never falls back on its own.
fn choose_secure_store(
    choice: &SecureStoreChoice,
    supplied: Option<Arc<dyn SecureStore>>,
) -> Result<Arc<dyn SecureStore>> {
    use crate::config::ConfigError::SecureStoreMismatch;
    match (choice, supplied) {
        (SecureStoreChoice::ShellProvided, Some(store)) => Ok(store),
        (SecureStoreChoice::ShellProvided, None) => Err(SecureStoreMismatch(
            "the configuration expects a shell-provided secure store, but none was given",
        )
        .into()),
        (_, Some(_)) => Err(SecureStoreMismatch(
            "a secure store was given, but the configuration chose another; choose ShellProvided",
        )
        .into()),
        (SecureStoreChoice::OsKeystore, None) => Ok(Arc::new(OsKeystore::open()?)),
        (SecureStoreChoice::InsecureFileStandIn { path }, None) => {
            log::warn!(target: "lofavor_core", "using the insecure file stand-in for the keystore");
            Ok(Arc::new(InsecureFileStandInStore::new(path.clone())))
        }
        (SecureStoreChoice::MemoryStandIn, None) => Ok(Arc::new(MemoryStandInStore::new())),
    }
}
