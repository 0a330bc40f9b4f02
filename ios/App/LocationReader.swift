import CoreLocation
import Foundation
import Observation
#if canImport(LofavorCore)
import LofavorCore
#endif

/// Reads the member's position with Core Location, only after the member asked for it on the
/// certificate screen and only while that screen is on screen with the app in the foreground.
///
/// Never "Always", no background modes, no significant-change or visit monitoring: updates
/// stop when the screen goes away (`stop`) and when the app leaves the foreground (`pause`).
/// Created on the main thread, so Core Location calls the delegate methods there.
@Observable
final class LocationReader: NSObject, CLLocationManagerDelegate {
    /// What the member has allowed.
    enum Access: Equatable {
        /// Not asked yet.
        case undecided
        /// Refused, or restricted by the device's management.
        case denied
        /// When in use; `precise` is false when the member allowed only an approximate one.
        case allowed(precise: Bool)
    }

    /// What the member has allowed.
    private(set) var access: Access = .undecided
    /// True once the member tapped to show their position on this visit of the screen.
    private(set) var wanted = false
    /// The latest usable position as the core's fix.
    private(set) var lastFix: LocationFix?

    private let manager = CLLocationManager()
    /// Whether the app is in the foreground (updates only then).
    @ObservationIgnored private var foreground = true

    override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyBest
        access = Self.currentAccess(of: manager)
    }

    /// The member tapped to show their position: ask when undecided (the only place the app
    /// asks), else start.
    func show() {
        wanted = true
        access = Self.currentAccess(of: manager)
        if access == .undecided {
            manager.requestWhenInUseAuthorization()
        } else {
            startIfWanted()
        }
    }

    /// The screen went away: no more positions, and the next visit asks the member again.
    func stop() {
        wanted = false
        lastFix = nil
        manager.stopUpdatingLocation()
    }

    /// The app left the foreground (`active` false) or came back to it (`active` true).
    func setForeground(_ active: Bool) {
        foreground = active
        if active {
            startIfWanted()
        } else {
            manager.stopUpdatingLocation()
        }
    }

    private func startIfWanted() {
        guard wanted, foreground, case .allowed = access else { return }
        manager.startUpdatingLocation()
    }

    func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        access = Self.currentAccess(of: manager)
        if case .allowed = access {
            startIfWanted()
        } else {
            manager.stopUpdatingLocation()
        }
    }

    func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        // A negative accuracy marks an invalid position: wait for the next one.
        guard wanted, let location = locations.last, location.horizontalAccuracy >= 0 else { return }
        lastFix = LocationFix(
            latitude: location.coordinate.latitude,
            longitude: location.coordinate.longitude,
            accuracyM: location.horizontalAccuracy,
            timeUnixMs: Int64((location.timestamp.timeIntervalSince1970 * 1000).rounded()),
            source: FixSource.fused
        )
    }

    func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        // kCLErrorLocationUnknown is temporary (Core Location keeps trying); a denial arrives
        // through the authorization callback. Nothing about the position is logged.
    }

    private static func currentAccess(of manager: CLLocationManager) -> Access {
        switch manager.authorizationStatus {
        case .notDetermined:
            return .undecided
        case .authorizedWhenInUse, .authorizedAlways:
            return .allowed(precise: manager.accuracyAuthorization == .fullAccuracy)
        case .denied, .restricted:
            return .denied
        @unknown default:
            return .denied
        }
    }
}
