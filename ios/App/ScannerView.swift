import SwiftUI
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The roadside worker's scanner: the camera aimed at a member's QR code, the verdict large
/// and unmistakable, and how old the lists behind an offline check are. Camera access is
/// asked when this screen opens, with the core's reason on screen, and nowhere else.
struct ScannerView: View {
    /// The app's one core.
    let core: LofavorCore
    /// The language of the core's texts.
    let locale: AppLocale

    @State private var model: ScannerModel
    @Environment(\.scenePhase) private var scenePhase

    /// The scanner of `core`, with the core's texts in `locale`.
    init(core: LofavorCore, locale: AppLocale) {
        self.core = core
        self.locale = locale
        _model = State(initialValue: ScannerModel(core: core))
    }

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                cameraPart
                if let verdict = model.verdict {
                    VerdictView(verdict: verdict) { model.scanNext() }
                } else if let problem = model.checkProblem {
                    ErrorMessage(kind: problem)
                    Button {
                        model.scanNext()
                    } label: {
                        Text("scan.try_again")
                    }
                    .buttonStyle(.bordered)
                } else if model.trustListMissing {
                    trustListMissing
                } else if model.camera == .running {
                    Label {
                        Text(model.severalCodes ? LocalizedStringKey("scan.one_code") : LocalizedStringKey("scan.aim"))
                    } icon: {
                        Image(systemName: "viewfinder").accessibilityHidden(true)
                    }
                    .font(.title3)
                }
                TrustMaterialView(
                    material: model.material, online: model.online, refreshing: model.refreshing,
                    problem: model.refreshProblem
                ) { model.refresh() }
            }
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding()
        }
        .navigationTitle(Text("scan.title"))
        .task { await model.open() }
        .onDisappear { model.close() }
        .onChange(of: scenePhase) { _, phase in
            if phase == .active {
                Task { await model.open() }
            } else {
                model.close()
            }
        }
    }

    /// The camera's picture, or why there is none.
    @ViewBuilder private var cameraPart: some View {
        switch model.camera {
        case .unknown, .asking:
            // Behind the system prompt: why the app asks, in the core's words.
            Text(verbatim: cameraPermissionRequest(locale: locale).reason)
        case .running:
            CameraPreview(session: model.controller.session)
                .aspectRatio(0.75, contentMode: .fit)
                .frame(maxWidth: .infinity)
                .clipShape(RoundedRectangle(cornerRadius: 12))
                .accessibilityHidden(true)
        case .denied:
            Text(verbatim: cameraPermissionRequest(locale: locale).reason)
            Text("scan.camera_denied")
            Button {
                if let url = URL(string: UIApplication.openSettingsURLString) {
                    UIApplication.shared.open(url)
                }
            } label: {
                Text("certificate.open_settings")
            }
        case .unavailable:
            Label {
                Text("scan.no_camera")
            } icon: {
                Image(systemName: "video.slash").accessibilityHidden(true)
            }
        }
    }

    /// No trust list on this phone yet: go online once. Not a verdict on the certificate.
    private var trustListMissing: some View {
        Label {
            Text("scan.trust_list_missing")
                .fixedSize(horizontal: false, vertical: true)
        } icon: {
            Image(systemName: "wifi.exclamationmark").accessibilityHidden(true)
        }
        .font(.title3)
    }
}

/// The verdict, large: colour, symbol and words together, so it reads in sunlight and without
/// colour vision; for a valid certificate the holder's short name (to match against a driving
/// licence), the cover and when it ends.
struct VerdictView: View {
    /// What the scanner decided.
    let verdict: ScanVerdict
    /// Drops the verdict and scans the next certificate.
    let next: () -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            Label {
                Text(LocalizedStringKey(verdict.headlineKey))
                    .font(.largeTitle.bold())
                    .fixedSize(horizontal: false, vertical: true)
                    .accessibilityAddTraits(.isHeader)
            } icon: {
                Image(systemName: verdict.tone.symbolName)
                    .font(.largeTitle)
                    .accessibilityHidden(true)
            }
            if let holder = verdict.holder {
                Text(verbatim: holder).font(.title.bold())
            }
            if let cover = verdict.coverName {
                Text(verbatim: cover).font(.title2)
            }
            if let vehicle = verdict.vehicle {
                Text("certificate.vehicle \(vehicle)").font(.title3)
            }
            if let until = verdict.until {
                untilLine(until).font(.title3)
            }
            Button {
                next()
            } label: {
                Text("scan.next")
                    .font(.title3.bold())
                    .frame(maxWidth: .infinity)
            }
            .buttonStyle(.borderedProminent)
            .tint(.white)
            .foregroundStyle(.black)
        }
        .foregroundStyle(.white)
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(background, in: RoundedRectangle(cornerRadius: 16))
        .accessibilityElement(children: .contain)
    }

    /// When it ends, ended or starts, by the verdict.
    private func untilLine(_ date: Date) -> Text {
        let style = Date.FormatStyle(date: .abbreviated, time: .shortened)
        switch verdict.kind {
        case .valid:
            return Text("scan.valid_until \(date, format: style)")
        case .expired where verdict.notYetValid:
            return Text("scan.valid_from \(date, format: style)")
        default:
            return Text("scan.expired_at \(date, format: style)")
        }
    }

    /// Dark enough green, red and grey for white text (contrast above 4.5:1).
    private var background: Color {
        switch verdict.tone {
        case .good: return Color(red: 0.0, green: 0.45, blue: 0.2)
        case .bad: return Color(red: 0.7, green: 0.05, blue: 0.05)
        case .neutral: return Color(white: 0.35)
        }
    }
}

/// How old the lists behind an offline check are ("5 minutes ago", in the app's language),
/// and a refresh when online.
struct TrustMaterialView: View {
    /// What is cached, if anything.
    let material: TrustMaterial?
    /// Whether the phone is online.
    let online: Bool
    /// True while a refresh is under way.
    let refreshing: Bool
    /// The kind of the last refresh's failure.
    let problem: String?
    /// Starts a refresh.
    let refresh: () -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text("scan.lists").font(.headline).accessibilityAddTraits(.isHeader)
            if let material {
                TimelineView(.everyMinute) { _ in
                    VStack(alignment: .leading, spacing: 4) {
                        Text("scan.trust_list_age \(material.trustListFetchedAt, format: .relative(presentation: .named))")
                        if let fetched = material.revocationsFetchedAt {
                            Text("scan.revocations_age \(fetched, format: .relative(presentation: .named))")
                        } else {
                            Text("scan.revocations_none")
                        }
                    }
                }
                if material.revocationsStale {
                    Label {
                        Text("scan.revocations_stale")
                    } icon: {
                        Image(systemName: "exclamationmark.triangle.fill").accessibilityHidden(true)
                    }
                    .foregroundStyle(.orange)
                }
            } else {
                Text("scan.lists_none")
            }
            if online {
                Button {
                    refresh()
                } label: {
                    HStack {
                        Text("scan.refresh")
                        if refreshing {
                            ProgressView()
                        }
                    }
                }
                .buttonStyle(.bordered)
                .disabled(refreshing)
            } else {
                Text("scan.offline").foregroundStyle(.secondary)
            }
            if let problem {
                ErrorMessage(kind: problem)
            }
        }
    }
}
