import Foundation
import Observation
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// One import of photos: the core's progress and summary as the import panel shows them, the
/// same rules as the Android shell's ImportState.kt (tested on the JVM): counts only grow,
/// nothing changes after the end, the summary is the truth.
@Observable
@MainActor
final class InventoryImport {
    /// Where the import stands.
    enum Phase {
        /// Photos are going in.
        case running
        /// Cancelled: photos under way finish, the rest do not start.
        case cancelling
        /// Every photo was handled.
        case finished
        /// Stopped by the member before every photo was handled.
        case cancelled
        /// The import failed as a whole.
        case failed
    }

    /// A refused photo by its place in the pick (never its file name), and why (the kind).
    struct Refusal: Identifiable {
        /// 0-based place in the pick.
        let index: Int
        /// The failure's kind, for `ErrorMessage`.
        let kind: String
        /// Identity for `ForEach`.
        var id: Int { index }
    }

    private(set) var phase = Phase.running
    private(set) var total: Int
    private(set) var done = 0
    private(set) var imported = 0
    private(set) var duplicates = 0
    private(set) var refused: [Refusal] = []
    private(set) var cancelledCount = 0
    private(set) var failure: String?
    private var job: ImportJob?

    /// An import of `count` photos.
    init(count: Int) {
        total = count
    }

    /// True until it has ended.
    var running: Bool { phase == .running || phase == .cancelling }

    /// From 0 to 1.
    var fraction: Double { total == 0 ? 1 : Double(min(done, total)) / Double(total) }

    /// Receives the core's progress on its worker threads and hands it to the main actor.
    private final class Relay: ImportObserver, @unchecked Sendable {
        weak var target: InventoryImport?

        func onProgress(progress: ImportProgress) {
            // Return at once; the state changes on the main actor.
            let target = self.target
            Task { @MainActor in target?.progressed(progress) }
        }
    }

    private func progressed(_ progress: ImportProgress) {
        guard running else { return }
        let outcome = progress.outcome
        total = max(total, Int(progress.total))
        done = max(done, Int(progress.done))
        if let error = outcome.error {
            if !refused.contains(where: { $0.index == Int(outcome.index) }) {
                refused.append(Refusal(index: Int(outcome.index), kind: coreFailureKind(error)))
                refused.sort { $0.index < $1.index }
            }
        } else {
            imported += 1
            if outcome.duplicate { duplicates += 1 }
        }
    }

    /// Runs the import of `photos` with `inventory` until its summary; `cleanUp` runs after.
    func run(_ inventory: InventoryHandle, photos: [PhotoImport], cleanUp: @escaping @Sendable () -> Void) async {
        let relay = Relay()
        relay.target = self
        do {
            let started = try await Task.detached(priority: .userInitiated) {
                try inventory.startImport(photos: photos, observer: relay)
            }.value
            job = started
            if phase == .cancelling { started.cancel() }
            let summary = try await started.finish()
            finished(summary)
        } catch {
            if running {
                phase = .failed
                failure = coreFailureKind(error)
            }
        }
        job = nil
        cleanUp()
    }

    private func finished(_ summary: ImportSummary) {
        guard running else { return }
        phase = summary.cancelled > 0 ? .cancelled : .finished
        done = Int(summary.imported + summary.refused)
        imported = Int(summary.imported)
        duplicates = summary.outcomes.filter { $0.error == nil && $0.duplicate }.count
        refused = summary.outcomes.compactMap { o in o.error.map { Refusal(index: Int(o.index), kind: coreFailureKind($0)) } }
            .sorted { $0.index < $1.index }
        cancelledCount = Int(summary.cancelled)
    }

    /// Cancels: photos under way finish, the rest do not start.
    func cancel() {
        guard phase == .running else { return }
        phase = .cancelling
        job?.cancel()
    }
}
