import AVFoundation
import Foundation
import Network
import Observation
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The roadside worker's scanner: camera access (asked when the worker opens the scanner and
/// never before), frames to the core one at a time off the main thread, the verdict, and the
/// trust material the offline check relies on (its age, and a refresh when online).
@Observable
@MainActor
final class ScannerModel {
    /// Where camera access stands.
    enum Camera: Equatable {
        /// Not known yet (the scanner has not opened).
        case unknown
        /// The system prompt is on screen.
        case asking
        /// Frames are being read.
        case running
        /// Refused or restricted: the reason and a way to Settings.
        case denied
        /// No usable back camera on this device.
        case unavailable
    }

    /// Where camera access stands.
    private(set) var camera: Camera = .unknown
    /// The verdict on screen, held until the worker scans the next certificate.
    private(set) var verdict: ScanVerdict?
    /// True while the last frames held several QR codes: a hint to show one only.
    private(set) var severalCodes = false
    /// The core has no trust list yet: nothing can be checked until the phone has been
    /// online once. Not a verdict on any certificate.
    private(set) var trustListMissing = false
    /// The kind of a failure of the check itself (storage, a bug), shown as an error.
    private(set) var checkProblem: String?
    /// What is cached for offline checks, if anything.
    private(set) var material: TrustMaterial?
    /// True while the trust material is being refreshed.
    private(set) var refreshing = false
    /// The kind of the last refresh's failure.
    private(set) var refreshProblem: String?
    /// Whether the phone has a usable network path (refresh is offered only then).
    private(set) var online = false

    // Constants are not observed (the Observable macro tracks only `var`s).

    /// The camera; its session feeds the preview.
    let controller: CameraController
    private let gate: FrameGate
    private let checker: FrameChecker
    private let pathMonitor = NWPathMonitor()
    @ObservationIgnored private var monitoring = false
    private let core: LofavorCore

    /// The scanner of `core`.
    init(core: LofavorCore) {
        let gate = FrameGate()
        let checker = FrameChecker(roadside: core.roadside(), gate: gate)
        self.core = core
        self.gate = gate
        self.checker = checker
        controller = CameraController(gate: gate) { width, height, luma in
            checker.check(width: width, height: height, luma: luma)
        }
        checker.deliver = { [weak self] result in
            Task { @MainActor in self?.handle(result) }
        }
    }

    /// The scanner opened: read the trust material, watch the network, and ask for the
    /// camera now if the worker has not decided (the only place the app asks).
    func open() async {
        startMonitoring()
        loadMaterial()
        switch AVCaptureDevice.authorizationStatus(for: .video) {
        case .authorized:
            await startCamera()
        case .notDetermined:
            camera = .asking
            if await AVCaptureDevice.requestAccess(for: .video) {
                await startCamera()
            } else {
                camera = .denied
            }
        case .denied, .restricted:
            camera = .denied
        @unknown default:
            camera = .denied
        }
    }

    /// The scanner went away, or the app left the foreground: no more frames.
    func close() {
        gate.setOpen(false)
        controller.stop()
        if camera == .running { camera = .unknown }
    }

    /// Drops the verdict on screen and reads frames again.
    func scanNext() {
        verdict = nil
        severalCodes = false
        checkProblem = nil
        gate.setOpen(!trustListMissing)
    }

    /// Fetches the trust and revocation lists; ignored while a refresh is under way.
    func refresh() {
        guard !refreshing else { return }
        refreshing = true
        refreshProblem = nil
        Task {
            defer { refreshing = false }
            do {
                material = try await core.roadside().refreshTrustMaterial()
                trustListMissing = false
                if verdict == nil, checkProblem == nil { gate.setOpen(true) }
            } catch {
                refreshProblem = coreFailureKind(error)
            }
        }
    }

    private func startCamera() async {
        if await controller.start() {
            camera = .running
            gate.setOpen(verdict == nil && !trustListMissing && checkProblem == nil)
        } else {
            camera = .unavailable
        }
    }

    /// The cached trust material; when there is none, or its revocation list is stale, and
    /// the phone is online, a refresh starts by itself.
    private func loadMaterial() {
        do {
            material = try core.roadside().trustMaterial()
            trustListMissing = material == nil
        } catch {
            // Reading the cache failed: an error to show, not a missing list.
            refreshProblem = coreFailureKind(error)
        }
        if online, material?.revocationsStale ?? true { refresh() }
    }

    /// Follows the network path on a background queue; refresh is offered only online.
    private func startMonitoring() {
        guard !monitoring else { return }
        monitoring = true
        pathMonitor.pathUpdateHandler = { [weak self] path in
            let satisfied = path.status == .satisfied
            Task { @MainActor in self?.setOnline(satisfied) }
        }
        pathMonitor.start(queue: DispatchQueue(label: "no.lofavor.scanner.network"))
    }

    private func setOnline(_ isOnline: Bool) {
        let cameOnline = isOnline && !online
        online = isOnline
        if cameOnline, material?.revocationsStale ?? true { refresh() }
    }

    /// The core's answer for one frame.
    private func handle(_ result: Result<Verification, Error>) {
        switch result {
        case let .success(verification):
            let answer = ScanVerdict(verification)
            if answer.isDecision {
                gate.setOpen(false)
                verdict = answer
                severalCodes = false
                announce(answer)
            } else if case let .unreadable(reason) = verification {
                severalCodes = reason == "several QR codes found"
            }
        case let .failure(error):
            let kind = coreFailureKind(error)
            gate.setOpen(false)
            if kind == "trust_list_missing" {
                trustListMissing = true
                material = nil
            } else {
                checkProblem = kind
            }
        }
    }

    /// A verdict is felt and heard as well as seen: a success or error haptic, and the
    /// headline read out by VoiceOver.
    private func announce(_ answer: ScanVerdict) {
        let feedback = UINotificationFeedbackGenerator()
        feedback.notificationOccurred(answer.tone == .good ? .success : .error)
        UIAccessibility.post(
            notification: .announcement, argument: NSLocalizedString(answer.headlineKey, comment: ""))
    }

    deinit {
        pathMonitor.cancel()
    }
}

/// Checks the frames the gate lets through with the core, on its own serial queue (never the
/// main thread, never the camera's), and hands each answer to `deliver`.
final class FrameChecker: @unchecked Sendable {
    private let roadside: RoadsideHandle
    private let gate: FrameGate
    private let queue = DispatchQueue(label: "no.lofavor.scanner.check", qos: .userInitiated)
    /// Receives the core's answer, on the checking queue; set once, before the camera starts.
    var deliver: (@Sendable (Result<Verification, Error>) -> Void)?

    /// A checker of frames with `roadside`, releasing `gate` after each check.
    init(roadside: RoadsideHandle, gate: FrameGate) {
        self.roadside = roadside
        self.gate = gate
    }

    /// Checks one frame; the gate is released when the core has answered.
    func check(width: Int, height: Int, luma: Data) {
        queue.async { [self] in
            let result: Result<Verification, Error>
            if let w = UInt32(exactly: width), let h = UInt32(exactly: height) {
                result = Result { try roadside.verifyCertificateImage(width: w, height: h, luma: luma) }
            } else {
                result = .success(.unreadable(reason: "frame too large"))
            }
            gate.finish()
            deliver?(result)
        }
    }
}
