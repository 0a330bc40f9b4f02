import Foundation
import Observation
import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The inventory's sync status (changes waiting, the last sync on this phone, "sync now")
/// and its claim report as PDF or CSV for the share sheet. The time of the last sync is kept
/// in UserDefaults: a time, no personal data (declared in the privacy manifest).
@Observable
@MainActor
final class InventorySyncModel {
    /// A report ready for the share sheet.
    struct Report: Identifiable {
        /// The file.
        let url: URL
        /// Identity for `.sheet(item:)`.
        var id: URL { url }
    }

    /// Changes not yet sent, once read.
    private(set) var pending: UInt64?
    /// When the last sync succeeded on this phone.
    private(set) var lastSync: Date? = UserDefaults.standard.object(forKey: InventorySyncModel.lastSyncKey) as? Date
    /// What the last sync of this session sent and fetched.
    private(set) var result: InventorySync?
    /// True while a sync or a report runs.
    private(set) var busy = false
    /// The kind of the last failure, if any.
    private(set) var problem: String?
    /// A report waiting for the share sheet.
    var report: Report?

    nonisolated private static let lastSyncKey = "inventory.lastSync"

    /// Reads the number of waiting changes (the database: off the main actor).
    func reload(_ core: LofavorCore) async {
        let inventory = core.inventory()
        do {
            pending = try await Task.detached(priority: .userInitiated) { try inventory.pendingChanges() }.value
        } catch {
            problem = coreFailureKind(error)
        }
    }

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
            await reload(core)
        }
    }

    /// Sends the changes on this phone and fetches those made elsewhere.
    func sync(_ core: LofavorCore) {
        act(core) { [weak self] in
            let result = try await core.inventory().sync()
            let now = Date()
            UserDefaults.standard.set(now, forKey: Self.lastSyncKey)
            self?.lastSync = now
            self?.result = result
            self?.pending = result.pending
        }
    }

    /// Writes the claim report (`pdf`, else CSV) in `language` for the share sheet.
    func makeReport(_ core: LofavorCore, pdf: Bool, language: AppLocale) {
        act(core) { [weak self] in
            let inventory = core.inventory()
            let data: Data
            if pdf {
                data = try await inventory.reportPdf(language: language)
            } else {
                data = try await inventory.reportCsv(language: language)
            }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reports", isDirectory: true)
            try? FileManager.default.removeItem(at: dir)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(secondsFromGMT: 0) ?? .current, formatOptions: [.withFullDate])
            // Named by the date only: no member's name in a file another app receives.
            let url = dir.appendingPathComponent("husk-hva-du-har-\(day).\(pdf ? "pdf" : "csv")")
            try data.write(to: url, options: [.atomic, .completeFileProtection])
            self?.report = Report(url: url)
        }
    }
}

/// The sync status and the report, as sections of the inventory's list.
struct InventorySyncSection: View {
    let core: LofavorCore
    /// The report's language.
    let locale: AppLocale
    @State private var model = InventorySyncModel()

    /// The sync status and report of `core`'s inventory, the report in `locale`.
    init(core: LofavorCore, locale: AppLocale) {
        self.core = core
        self.locale = locale
    }

    var body: some View {
        Section {
            if let pending = model.pending {
                if pending == 0 {
                    Text("inventory.all_sent")
                } else {
                    Text("inventory.pending \(String(pending))")
                }
            }
            if let last = model.lastSync {
                Text("inventory.last_sync \(last.formatted(date: .abbreviated, time: .shortened))")
            } else {
                Text("inventory.never_synced")
            }
            if let result = model.result {
                Text("inventory.sync_result \(String(result.uploaded)) \(String(result.downloaded))")
            }
            Button { model.sync(core) } label: { Text("inventory.sync_now") }
                .disabled(model.busy)
            if let problem = model.problem { ErrorMessage(kind: problem) }
        } header: {
            Text("inventory.sync_title").accessibilityAddTraits(.isHeader)
        }
        .task { await model.reload(core) }
        .sheet(item: $model.report) { report in
            ActivitySheet(items: [report.url])
        }
        Section {
            Text("inventory.report_text")
            Button { model.makeReport(core, pdf: true, language: locale) } label: { Text("inventory.report_pdf") }
                .disabled(model.busy)
            Button { model.makeReport(core, pdf: false, language: locale) } label: { Text("inventory.report_csv") }
                .disabled(model.busy)
        } header: {
            Text("inventory.report").accessibilityAddTraits(.isHeader)
        }
    }
}
