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

/// Where the member is, in the formats a rescue dispatcher uses, on the certificate screen.
///
/// Nothing is asked or read until the member taps "Show my position": then the app asks for
/// location "When In Use" if the member has not decided (the core's reason is on the screen
/// behind the system prompt, which carries the same text from Info.plist). The screen that
/// shows this section owns the reader and stops it when the screen goes away and while the
/// app is not in the foreground (a section of a lazy list comes and goes as it scrolls).
struct LocationSection: View {
    /// The language of the core's texts.
    let locale: AppLocale
    /// The position reader, owned by the screen.
    let reader: LocationReader

    /// The latest fix as the core described it, or the stable kind of its refusal.
    @State private var described: Described?

    /// The location part for the core's texts in `locale`, with the screen's `reader`.
    init(locale: AppLocale, reader: LocationReader) {
        self.locale = locale
        self.reader = reader
    }

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
        Section {
            content
        } header: {
            Text("certificate.location").accessibilityAddTraits(.isHeader)
        }
        // Each new fix is described at once and again every few seconds while on screen;
        // the task ends when the view goes away or the next fix replaces it.
        .task(id: reader.lastFix) {
            guard let fix = reader.lastFix else {
                described = nil
                return
            }
            while !Task.isCancelled {
                described = Self.describe(fix, locale: locale)
                try? await Task.sleep(nanoseconds: Self.redescribeEvery)
            }
        }
    }

    /// By what the member asked for, allowed, and what the core said.
    @ViewBuilder private var content: some View {
        let request = locationPermissionRequest(locale: locale)
        if !reader.wanted {
            Text(verbatim: request.reason)
            Button {
                reader.show()
            } label: {
                Label {
                    Text("certificate.show_position")
                } icon: {
                    Image(systemName: "location")
                }
            }
        } else {
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
                    Label {
                        Text("certificate.location_approximate")
                    } icon: {
                        Image(systemName: "exclamationmark.triangle.fill").accessibilityHidden(true)
                    }
                    .foregroundStyle(.red)
                }
                switch described {
                case .none:
                    HStack {
                        ProgressView()
                        Text("certificate.location_waiting")
                    }
                case .refused(let kind):
                    ErrorMessage(kind: kind)
                case .report(let report):
                    reportRows(report)
                }
            }
        }
    }

    /// Every format with its label, the nearest place, warnings, share and map.
    @ViewBuilder private func reportRows(_ report: LocationReport) -> some View {
        ForEach(report.quality.warnings, id: \.self) { warning in
            Label {
                Text(verbatim: warning)
            } icon: {
                Image(systemName: "exclamationmark.triangle.fill").accessibilityHidden(true)
            }
            .foregroundStyle(.red)
        }
        ForEach(report.formats, id: \.kind) { format in
            VStack(alignment: .leading) {
                Text(verbatim: format.label).font(.caption).foregroundStyle(.secondary)
                Text(verbatim: format.value).textSelection(.enabled)
            }
        }
        if let place = report.nearestPlace {
            VStack(alignment: .leading) {
                Text(verbatim: place.label).font(.caption).foregroundStyle(.secondary)
                Text(verbatim: place.text)
                Text(verbatim: report.attribution).font(.footnote).foregroundStyle(.secondary)
            }
        }
        ShareLink(item: report.shareText) {
            Text("certificate.share")
        }
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
