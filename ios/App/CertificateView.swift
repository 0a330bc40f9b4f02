import CoreLocation
import MapKit
import SwiftUI
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The roadside-assistance certificate: its QR code for the assistance worker to scan, and
/// where the member is, in the formats a rescue dispatcher uses.
///
/// Location is asked for here and nowhere else: when the view appears and the member has
/// not decided yet, it asks for "When In Use" (never "Always"); the core's reason shows on
/// the screen behind the system prompt, which carries the same reason from Info.plist.
/// Positions are read only while the view is on screen: updates stop when it disappears.
struct CertificateView: View {
    /// The certificate's QR code, or nil while there is none to show.
    let qr: QrModules?
    /// The language of the core's texts.
    let locale: AppLocale

    @StateObject private var reader = LocationReader()
    /// The latest fix as the core described it, or the stable kind of its refusal.
    @State private var described: Described?

    /// What the core made of the latest fix.
    enum Described {
        /// The report to show.
        case report(LocationReport)
        /// The core refused the fix; `kind` is the stable kind (`latitude_out_of_range`, …).
        case refused(kind: String)
    }

    /// How often the last fix is described again, so its age and the stale flag stay true.
    private static let redescribeEvery: UInt64 = 10_000_000_000

    var body: some View {
        List {
            Section {
                qrCode
            }
            Section {
                locationPart
            } header: {
                Text("certificate.location")
            }
        }
        .navigationTitle(Text("certificate.title"))
        .onAppear { reader.appear() }
        .onDisappear { reader.disappear() }
        // Each new fix is described at once and again every few seconds while on screen;
        // the task ends when the view goes away or the next fix replaces it.
        .task(id: reader.lastFix) {
            guard let fix = reader.lastFix else { return }
            while !Task.isCancelled {
                described = Self.describe(fix, locale: locale)
                try? await Task.sleep(nanoseconds: Self.redescribeEvery)
            }
        }
    }

    /// The QR code, black on white whatever the appearance (scanners need the contrast).
    @ViewBuilder private var qrCode: some View {
        if let qr {
            let runs = qr.darkRuns()
            Canvas { context, size in
                let cell = min(size.width, size.height) / CGFloat(qr.sideWithQuietZone)
                for run in runs {
                    let rect = CGRect(
                        x: CGFloat(run.x) * cell, y: CGFloat(run.y) * cell,
                        width: CGFloat(run.length) * cell, height: cell)
                    context.fill(Path(rect), with: .color(.black))
                }
            }
            .aspectRatio(1, contentMode: .fit)
            .background(Color.white)
            .frame(maxWidth: 360)
            .accessibilityLabel(Text("certificate.qr_description"))
        } else {
            Text("certificate.missing")
        }
    }

    /// The location part, by what the member allowed and what the core said.
    @ViewBuilder private var locationPart: some View {
        let request = locationPermissionRequest(locale: locale)
        switch reader.access {
        case .undecided:
            Text(verbatim: request.reason)
        case .denied:
            Text(verbatim: request.reason)
            Text("certificate.location_denied")
            Button {
                if let url = URL(string: UIApplication.openSettingsURLString) {
                    UIApplication.shared.open(url)
                }
            } label: {
                Text("certificate.open_settings")
            }
        case .allowed(let precise):
            if !precise {
                Text("certificate.location_approximate").foregroundColor(.red)
            }
            switch described {
            case .none:
                HStack {
                    ProgressView()
                    Text("certificate.location_waiting")
                }
            case .refused(let kind):
                Text("certificate.location_refused \(kind)")
            case .report(let report):
                reportRows(report)
            }
        }
    }

    /// Every format with its label, the nearest place, warnings, share and map.
    @ViewBuilder private func reportRows(_ report: LocationReport) -> some View {
        ForEach(report.quality.warnings, id: \.self) { warning in
            Text(verbatim: warning).foregroundColor(.red)
        }
        ForEach(report.formats, id: \.kind) { format in
            VStack(alignment: .leading) {
                Text(verbatim: format.label).font(.caption).foregroundColor(.secondary)
                Text(verbatim: format.value).textSelection(.enabled)
            }
        }
        if let place = report.nearestPlace {
            VStack(alignment: .leading) {
                Text(verbatim: place.label).font(.caption).foregroundColor(.secondary)
                Text(verbatim: place.text)
                Text(verbatim: report.attribution).font(.footnote).foregroundColor(.secondary)
            }
        }
        ShareButton(text: report.shareText)
        if let fix = reader.lastFix {
            Button {
                openInMaps(fix)
            } label: {
                Text("certificate.open_map")
            }
        }
    }

    /// Opens the position in Maps. iOS has no handler for the report's `geo:` URI, so the
    /// same position goes to Maps as a map item.
    private func openInMaps(_ fix: LocationFix) {
        let coordinate = CLLocationCoordinate2D(latitude: fix.latitude, longitude: fix.longitude)
        MKMapItem(placemark: MKPlacemark(coordinate: coordinate)).openInMaps()
    }

    /// The core's report of `fix` now, or the kind of its refusal.
    private static func describe(_ fix: LocationFix, locale: AppLocale) -> Described {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        do {
            return .report(try describeLocation(fix: fix, nowUnixMs: now, locale: locale))
        } catch {
            return .refused(kind: coreFailureKind(error))
        }
    }
}

/// Shares the text: ShareLink from iOS 16, the activity sheet before.
private struct ShareButton: View {
    let text: String
    @State private var sheet = false

    var body: some View {
        if #available(iOS 16.0, *) {
            ShareLink(item: text) {
                Text("certificate.share")
            }
        } else {
            Button {
                sheet = true
            } label: {
                Text("certificate.share")
            }
            .sheet(isPresented: $sheet) {
                ActivitySheet(items: [text])
            }
        }
    }
}

/// `UIActivityViewController` for iOS 15, which has no ShareLink.
private struct ActivitySheet: UIViewControllerRepresentable {
    let items: [Any]

    func makeUIViewController(context: Context) -> UIActivityViewController {
        UIActivityViewController(activityItems: items, applicationActivities: nil)
    }

    func updateUIViewController(_ controller: UIActivityViewController, context: Context) {}
}

/// Reads the position with Core Location while the certificate view is on screen.
final class LocationReader: NSObject, ObservableObject, CLLocationManagerDelegate {
    /// What the member has allowed.
    enum Access: Equatable {
        /// Not asked yet.
        case undecided
        /// Refused, or restricted by the device's management.
        case denied
        /// When in use; `precise` is false when the member allowed only an approximate one.
        case allowed(precise: Bool)
    }

    /// What the member has allowed; changes on the main thread.
    @Published private(set) var access: Access = .undecided
    /// The latest usable position as the core's fix; changes on the main thread.
    @Published private(set) var lastFix: LocationFix?

    private let manager = CLLocationManager()
    private var visible = false

    override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyBest
        access = Self.currentAccess(of: manager)
    }

    /// The view appeared: ask when undecided (the only place the app asks), else start.
    func appear() {
        visible = true
        access = Self.currentAccess(of: manager)
        if access == .undecided {
            manager.requestWhenInUseAuthorization()
        } else {
            startIfAllowed()
        }
    }

    /// The view went away: no more positions.
    func disappear() {
        visible = false
        manager.stopUpdatingLocation()
    }

    private func startIfAllowed() {
        guard visible, case .allowed = access else { return }
        manager.startUpdatingLocation()
    }

    func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        access = Self.currentAccess(of: manager)
        if case .allowed = access {
            startIfAllowed()
        } else {
            manager.stopUpdatingLocation()
        }
    }

    func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        // A negative accuracy marks an invalid position: wait for the next one.
        guard let location = locations.last, location.horizontalAccuracy >= 0 else { return }
        lastFix = LocationFix(
            latitude: location.coordinate.latitude,
            longitude: location.coordinate.longitude,
            accuracyM: location.horizontalAccuracy,
            timeUnixMs: Int64((location.timestamp.timeIntervalSince1970 * 1000).rounded()),
            source: .fused
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
