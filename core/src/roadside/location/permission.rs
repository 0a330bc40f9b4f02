//! The permissions the roadside screens ask for, and why: location on the member's
//! certificate screen, the camera on the field worker's scanner.

use crate::Locale;

use super::text;

/// A platform permission the app may ask for.
///
/// Deliberately only the foreground one: the location is read while the certificate screen
/// is open and never in the background, so the shells must not declare or ask for
/// background location (`ACCESS_BACKGROUND_LOCATION`, "Always").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Location while the app is in use: Android `ACCESS_FINE_LOCATION` (with
    /// `ACCESS_COARSE_LOCATION`, as Android requires), iOS "When In Use"
    /// (`NSLocationWhenInUseUsageDescription`).
    LocationWhenInUse,
    /// The camera, while the field worker's scanner is open: Android `CAMERA`, iOS
    /// `NSCameraUsageDescription`. Never asked for by the member's screens.
    CameraWhileScanning,
}

/// What to ask the platform for and the reason to show with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PermissionRequest {
    /// The permission.
    pub permission: Permission,
    /// For location: precise location is needed: an approximate one (several kilometres) would send the
    /// patrol to the wrong road. On iOS 14+ and Android 12+ the member may still grant
    /// only approximate; the fix's accuracy then flags it as inaccurate. Always false for
    /// the camera.
    pub precise: bool,
    /// The reason, in the locale, for the prompt or the screen before it.
    pub reason: String,
}

/// The permission the roadside certificate screen needs: location when in use, precise,
/// never in the background.
pub fn location_permission_request(locale: Locale) -> PermissionRequest {
    PermissionRequest {
        permission: Permission::LocationWhenInUse,
        precise: true,
        reason: text::permission_reason(locale).to_owned(),
    }
}

/// The permission the field worker's scanner needs: the camera, asked for when the scanner
/// opens and not before, so the member's screens never ask for it.
pub fn camera_permission_request(locale: Locale) -> PermissionRequest {
    PermissionRequest {
        permission: Permission::CameraWhileScanning,
        precise: false,
        reason: text::camera_reason(locale).to_owned(),
    }
}
