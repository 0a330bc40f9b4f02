import Foundation
import Observation
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The privacy screen's state besides the consent switches: the reservation, the history with
/// each receipt checked against the server's published key, the access report, exports for the
/// share sheet, the rights requests with their deadlines, and erasure on this phone. As on
/// Android (PrivacyView.kt), the texts are the core's; the model adds only where a deadline
/// or a receipt stands.
@Observable
@MainActor
final class PrivacyModel {
    /// Where a decision's receipt stands.
    enum Receipt {
        /// Not on the server yet.
        case pending
        /// The server refused the decision: it does not count.
        case rejected
        /// On the server, and the receipt verifies.
        case verified
        /// On the server, but the receipt is missing or does not verify.
        case invalid
    }

    /// One decision of the history.
    struct HistoryLine: Identifiable {
        /// The record id.
        let id: String
        /// The purpose's title.
        let title: String
        /// `given`, `refused` or `withdrawn`.
        let decision: String
        /// When.
        let decidedAt: Date
        /// The notice version decided on.
        let noticeVersion: String
        /// Made on this phone.
        let madeHere: Bool
        /// Its receipt.
        let receipt: Receipt
    }

    /// Where a request's deadline stands.
    enum Deadline {
        /// Not sent yet: no deadline runs.
        case notSent
        /// Answered.
        case answered
        /// Open, `days` whole days left.
        case open(days: Int)
        /// Open, past its deadline.
        case overdue
    }

    /// One rights request.
    struct RequestLine: Identifiable {
        /// The request id.
        let id: String
        /// The core's label of the kind.
        let kindLabel: String
        /// The core's label of the status.
        let statusLabel: String
        /// The core's "answer by …", once received.
        let dueLabel: String?
        /// Where the deadline stands.
        let deadline: Deadline
    }

    /// An export ready for the share sheet.
    struct Export: Identifiable {
        /// The file.
        let url: URL
        /// Identity for `.sheet(item:)`.
        var id: URL { url }
    }

    /// The kinds of request the member can send (the core's stable names).
    static let requestKinds = ["access", "rectification", "erasure", "restriction", "objection", "portability", "human_review"]

    /// The reservation, once read.
    private(set) var reservation: ReservationRow?
    /// The history, newest first.
    private(set) var history: [HistoryLine] = []
    /// The requests, once read (they need the network).
    private(set) var requests: [RequestLine]?
    /// Why the requests could not be read.
    private(set) var requestsProblem: String?
    /// The access report, once asked for.
    private(set) var access: AccessReport?
    /// An export waiting for the share sheet.
    var export: Export?
    /// True while an action runs.
    private(set) var busy = false
    /// The kind of the last failure, if any.
    private(set) var problem: String?
    /// True once the member's data on this phone is erased.
    private(set) var erased = false
    /// The kind of request being written.
    var requestKind = requestKinds[0]
    /// Its text.
    var requestText = ""
    /// Whether the erase confirmation is open.
    var confirmErase = false

    /// Reads everything again: when the screen opens and after each change.
    func reload(_ core: LofavorCore) async {
        let consent = core.consent()
        do {
            // The database and the signature checks: off the main actor.
            let (reservation, history) = try await Task.detached(priority: .userInitiated) {
                let reservation = try consent.screen().reservation
                let history = try consent.history().map { entry in
                    PrivacyModel.line(entry) { (try? consent.verifyReceipt(receipt: $0)) != nil }
                }
                return (reservation, history)
            }.value
            self.reservation = reservation
            self.history = history
        } catch {
            problem = coreFailureKind(error)
            return
        }
        do {
            let now = Date().timeIntervalSince1970
            requests = try await consent.requests().map { PrivacyModel.line($0, now: Int64(now)) }
            requestsProblem = nil
        } catch {
            requestsProblem = coreFailureKind(error)
        }
    }

    /// The history line of `entry`; `verify` checks a receipt.
    nonisolated static func line(_ entry: HistoryEntry, verify: (Data) -> Bool) -> HistoryLine {
        let receipt: Receipt
        switch entry.state {
        case "rejected": receipt = .rejected
        case "pending": receipt = .pending
        default: receipt = entry.receipt.map { verify($0) ? Receipt.verified : Receipt.invalid } ?? Receipt.invalid
        }
        return HistoryLine(
            id: entry.recordId, title: entry.title, decision: entry.decision,
            decidedAt: Date(timeIntervalSince1970: TimeInterval(entry.decidedAt)),
            noticeVersion: entry.noticeVersion, madeHere: entry.madeHere, receipt: receipt
        )
    }

    /// The line of `request` at `now` (Unix seconds): overdue once past its deadline until answered.
    nonisolated static func line(_ request: PrivacyRequest, now: Int64) -> RequestLine {
        let deadline: Deadline
        if request.status == "completed" || request.status == "refused" {
            deadline = .answered
        } else if request.status == "queued" || request.dueAt == nil {
            deadline = .notSent
        } else if let due = request.dueAt, now > due {
            deadline = .overdue
        } else {
            deadline = .open(days: Int(((request.dueAt ?? now) - now) / 86_400))
        }
        return RequestLine(
            id: request.id, kindLabel: request.kindLabel, statusLabel: request.statusLabel,
            dueLabel: request.dueLabel, deadline: deadline
        )
    }

    /// Runs `work` as the one action under way, then reads everything again.
    private func act(_ core: LofavorCore, _ work: @escaping () async throws -> Void) {
        guard !busy else { return }
        busy = true
        problem = nil
        Task {
            defer { busy = false }
            do {
                try await work()
            } catch {
                problem = coreFailureKind(error)
            }
            if !erased { await reload(core) }
        }
    }

    /// Reserves against direct marketing, or lifts the reservation.
    func setReservation(_ core: LofavorCore, reserved: Bool) {
        act(core) { _ = try await core.consent().setReservation(reserved: reserved) }
    }

    /// Sends what waits and reads decisions made on other devices.
    func sync(_ core: LofavorCore) {
        act(core) { _ = try await core.consent().sync() }
    }

    /// Reads the access report.
    func readAccess(_ core: LofavorCore) {
        act(core) { [weak self] in
            let report = try await core.consent().access()
            self?.access = report
        }
    }

    /// Writes the archive (`receipts` false) or the receipts to a file for the share sheet.
    func export(_ core: LofavorCore, receipts: Bool) {
        act(core) { [weak self] in
            let consent = core.consent()
            let data: Data
            if receipts {
                data = try consent.exportReceipts()
            } else {
                data = try await consent.export()
            }
            let url = try Self.write(data, named: receipts ? "lofavor-consent-receipts" : "lofavor-data")
            self?.export = Export(url: url)
        }
    }

    /// Writes `data` to the exports folder of the temporary directory (the previous exports
    /// go), named by kind and date only, with complete file protection.
    nonisolated private static func write(_ data: Data, named stem: String) throws -> URL {
        let dir = exportsDirectory()
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(secondsFromGMT: 0) ?? .current, formatOptions: [.withFullDate])
        let url = dir.appendingPathComponent("\(stem)-\(day).json")
        try data.write(to: url, options: [.atomic, .completeFileProtection])
        return url
    }

    nonisolated private static func exportsDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("exports", isDirectory: true)
    }

    /// Sends the request being written; offline the core keeps it and sends it later.
    func sendRequest(_ core: LofavorCore) {
        let kind = requestKind
        let trimmed = requestText.trimmingCharacters(in: .whitespacesAndNewlines)
        let text: String? = trimmed.isEmpty ? nil : trimmed
        act(core) { [weak self] in
            _ = try await core.consent().request(kind: kind, text: text)
            self?.requestText = ""
        }
    }

    /// Erases the member's data on this phone (after the confirmation): the core logs out and
    /// erases every capability's data and token; the exports go too.
    func erase(_ core: LofavorCore) {
        confirmErase = false
        act(core) { [weak self] in
            try await core.eraseDevice()
            try? FileManager.default.removeItem(at: Self.exportsDirectory())
            self?.access = nil
            self?.erased = true
        }
    }
}
