//! # lofavor-ffi
//!
//! The uniffi surface of `lofavor-core` for the Kotlin and Swift shells. Newtypes and `From`
//! conversions only: behaviour belongs in the core. If a function here grows an `if`, move
//! it there.
//!
//! Panics inside a call are caught by the uniffi scaffolding and reach the shell as an
//! exception (`InternalException` in Kotlin, `UniffiInternalError.rustPanic` in Swift), never
//! as an abort; the release profile keeps `panic = "unwind"` for that. Every method that can
//! reach core logic returns `Result`: Swift calls a non-throwing export with `try!`, so a
//! panic there would trap instead of throwing.

// uniffi's generated scaffolding is `unsafe extern "C"` code; no hand-written unsafe here.
#![allow(unsafe_code)]

mod auth;
mod config;
mod consent;
mod core;
mod error;
mod inventory;
mod inventory_sync;
mod location;
mod platform;
mod roadside;
#[cfg(feature = "test-hooks")]
mod test_hooks;

pub use auth::{
    AuthHandle, LogoutOutcome, LogoutReason, Member, Membership, SessionEvent, SessionListener,
    SessionSubscription,
};
pub use config::{AppLocale, CoreConfig, SecureStoreChoice};
pub use consent::{
    AccessEntry, AccessReport, AccessSection, ConsentHandle, ConsentScreen, ExplicitConfirmation,
    FirstLayer, HistoryEntry, Offer, OrderConfirmation, OrderField, OrderPreview, PrivacyRequest,
    PurposeRow, PurposeState, ReceiptClaims, ReservationRow, SyncReport,
};
pub use core::{CoreInfo, LofavorCore, ServerStatus};
pub use error::LofavorError;
pub use inventory::{
    DepreciationRule, GroupTotal, ImportJob, ImportObserver, ImportOutcome, ImportProgress,
    ImportSummary, ImportTarget, InventoryHandle, Item, ItemFields, Photo, PhotoImport, PhotoRole,
    PhotoSource, RestoreSummary, Room, Totals, Valuation,
};
pub use inventory_sync::{
    InventorySync, ReportFiles, ReportPhotos, ReportReceipt, ReportRequest, ReportTransferField,
    ReportTransferPreview,
};
pub use location::{
    Compass, FixSource, FormatKind, InvalidFixError, LabelledFormat, LocationFix, LocationReport,
    NearestPlace, Permission, PermissionRequest, QualityFlags, UtmPosition,
};
pub use platform::{LogLevel, Logger, SecureStore, SecureStoreError};
pub use roadside::{
    CertificateStatus, CoverProduct, MemberCertificate, OnlineStatus, QrCode, RoadsideCover,
    RoadsideHandle, TrustMaterial, Verification,
};

uniffi::setup_scaffolding!("lofavor");

/// The version of the core library.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The locale for a BCP 47 tag from the platform (`nb-NO`, `nn`, `en-GB`), if the apps
/// speak it.
#[uniffi::export]
pub fn locale_from_tag(tag: String) -> Option<AppLocale> {
    lofavor_core::Locale::from_tag(&tag).map(AppLocale::from)
}
