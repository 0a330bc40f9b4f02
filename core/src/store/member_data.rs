//! Member data a capability keeps in the store, and what the end of a session does to it.

use super::StoreError;

/// A capability that keeps the member's data on the device (consents, the roadside
/// certificate, the inventory). Logout asks each whether it holds changes the server has
/// not got yet; every end of a session (logout, a session the provider ends, another member
/// logging in) tells each to erase what it holds.
pub trait MemberData: Send + Sync {
    /// What the data is, for the refusal message ("inventory changes").
    fn describe(&self) -> &'static str;
    /// How many local changes are not yet synced (lost if the member logs out now).
    fn unsynced_changes(&self) -> Result<u64, StoreError>;
    /// Erases the member's data on this device.
    fn erase(&self) -> Result<(), StoreError>;
    /// Everything it holds about the member, as JSON, for the right of access and the
    /// export archive (GDPR art. 15 and 20). Required, so a new kind of member data cannot
    /// be left out of them.
    fn export(&self) -> Result<serde_json::Value, StoreError>;
}
