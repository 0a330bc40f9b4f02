import SwiftUI
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// "Personvern": every consent with its switch (saved with the core's save button; partner
/// switches ask for the explicit confirmation), the reservation against direct marketing, the
/// history with each receipt's state, what is stored, the archive and the receipts through the
/// share sheet, the rights requests with their deadlines and a new one, and erasure on this
/// phone behind a confirmation.
struct PrivacyView: View {
    /// The app's one core.
    let core: LofavorCore

    @State private var consents = ConsentModel(firstRun: false)
    @State private var model = PrivacyModel()
    @Environment(\.dismiss) private var dismiss

    /// The privacy screen of `core`'s member.
    init(core: LofavorCore) {
        self.core = core
    }

    var body: some View {
        List {
            consentsSection
            reservationSection
            historySection
            dataSection
            requestsSection
            eraseSection
        }
        .navigationTitle(Text("privacy.title"))
        .task {
            await consents.reload(core)
            await model.reload(core)
        }
        .refreshable {
            await consents.reload(core)
            await model.reload(core)
        }
        .onChange(of: consents.busy) { _, busy in
            // Saved: the history has new lines.
            if !busy { Task { await model.reload(core) } }
        }
        .onChange(of: model.erased) { _, erased in
            if erased { dismiss() }
        }
        .explicitConfirmation(model: consents, core: core)
        .sheet(item: $model.export) { export in
            ActivitySheet(items: [export.url])
        }
        .confirmationDialog(Text("privacy.erase_confirm_title"), isPresented: $model.confirmErase, titleVisibility: .visible) {
            Button(role: .destructive) {
                model.erase(core)
            } label: {
                Text("privacy.erase_confirm")
            }
            Button(role: .cancel) {
            } label: {
                Text("privacy.erase_cancel")
            }
        } message: {
            Text("privacy.erase_confirm_text")
        }
    }

    @ViewBuilder private var consentsSection: some View {
        Section {
            switch consents.load {
            case .loading:
                ProgressView()
            case let .failed(kind):
                ErrorMessage(kind: kind)
            case let .shown(screen):
                ConsentSwitches(model: consents)
                Button {
                    consents.save(core)
                } label: {
                    Text(verbatim: screen.saveLabel)
                }
                .disabled(consents.busy || consents.changes.isEmpty)
            }
            if let problem = consents.problem {
                ErrorMessage(kind: problem)
            }
        } header: {
            Text("privacy.consents").accessibilityAddTraits(.isHeader)
        }
    }

    @ViewBuilder private var reservationSection: some View {
        if let reservation = model.reservation {
            Section {
                Toggle(isOn: Binding(
                    get: { reservation.reserved },
                    set: { model.setReservation(core, reserved: $0) }
                )) {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: reservation.title).font(.headline)
                        Text(verbatim: reservation.text).font(.subheadline)
                    }
                }
                .disabled(model.busy)
                .accessibilityLabel(Text(verbatim: reservation.title))
                .accessibilityValue(Text(verbatim: reservation.stateLabel))
                Text(verbatim: reservation.stateLabel).font(.caption)
                Button {
                    model.sync(core)
                } label: {
                    Text("privacy.sync")
                }
                .disabled(model.busy)
            } header: {
                Text("privacy.reservation").accessibilityAddTraits(.isHeader)
            }
        }
    }

    @ViewBuilder private var historySection: some View {
        Section {
            if model.history.isEmpty {
                Text("privacy.history_empty")
            }
            ForEach(model.history) { line in
                VStack(alignment: .leading, spacing: 2) {
                    HStack {
                        Text(verbatim: line.title).font(.headline)
                        Spacer()
                        decisionText(line.decision)
                    }
                    Text("privacy.history_when \(line.decidedAt.formatted(date: .abbreviated, time: .shortened)) \(line.noticeVersion)")
                        .font(.caption)
                    if !line.madeHere {
                        Text("privacy.history_other_device").font(.caption)
                    }
                    receiptLabel(line.receipt)
                }
                .accessibilityElement(children: .combine)
            }
            if let problem = model.problem {
                ErrorMessage(kind: problem)
            }
        } header: {
            Text("privacy.history").accessibilityAddTraits(.isHeader)
        }
    }

    @ViewBuilder private func decisionText(_ decision: String) -> some View {
        switch decision {
        case "given": Text("privacy.decision_given")
        case "refused": Text("privacy.decision_refused")
        case "withdrawn": Text("privacy.decision_withdrawn")
        default: Text("privacy.decision_other")
        }
    }

    /// The receipt's state in words and a symbol, never by colour alone.
    @ViewBuilder private func receiptLabel(_ receipt: PrivacyModel.Receipt) -> some View {
        switch receipt {
        case .verified:
            Label { Text("privacy.receipt_verified") } icon: { Image(systemName: "checkmark.seal") }.font(.caption)
        case .pending:
            Label { Text("privacy.receipt_pending") } icon: { Image(systemName: "clock") }.font(.caption)
        case .rejected:
            Label { Text("privacy.receipt_rejected") } icon: { Image(systemName: "xmark.octagon") }
                .font(.caption).foregroundStyle(.red)
        case .invalid:
            Label { Text("privacy.receipt_invalid") } icon: { Image(systemName: "exclamationmark.triangle") }
                .font(.caption).foregroundStyle(.red)
        }
    }

    @ViewBuilder private var dataSection: some View {
        Section {
            Button {
                model.readAccess(core)
            } label: {
                Text("privacy.access")
            }
            .disabled(model.busy)
            if let access = model.access {
                accessRows("privacy.access_device", access.device)
                if access.serverReached {
                    accessRows("privacy.access_server", access.server)
                } else {
                    Text("privacy.access_offline")
                }
                accessRows("privacy.access_processing", access.processing)
            }
            Button {
                model.export(core, receipts: false)
            } label: {
                Text("privacy.export")
            }
            .disabled(model.busy)
            Button {
                model.export(core, receipts: true)
            } label: {
                Text("privacy.export_receipts")
            }
            .disabled(model.busy)
        } header: {
            Text("privacy.your_data").accessibilityAddTraits(.isHeader)
        }
    }

    @ViewBuilder private func accessRows(_ heading: LocalizedStringKey, _ sections: [AccessSection]) -> some View {
        Text(heading).font(.subheadline.bold())
        ForEach(sections, id: \.self) { (section: AccessSection) in
            VStack(alignment: .leading, spacing: 2) {
                Text(verbatim: section.title).font(.caption.bold())
                ForEach(section.entries, id: \.self) { (entry: AccessEntry) in
                    Text(verbatim: "\(entry.label): \(entry.value)").font(.caption)
                }
            }
        }
    }

    @ViewBuilder private var requestsSection: some View {
        Section {
            if let requests = model.requests {
                if requests.isEmpty {
                    Text("privacy.requests_empty")
                }
                ForEach(requests) { line in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: "\(line.kindLabel): \(line.statusLabel)")
                        if let due = line.dueLabel {
                            Text(verbatim: due).font(.caption)
                        }
                        deadlineText(line.deadline)
                    }
                    .accessibilityElement(children: .combine)
                }
            } else if model.requestsProblem == nil {
                ProgressView()
            }
            if let problem = model.requestsProblem {
                ErrorMessage(kind: problem)
            }
            Picker(selection: $model.requestKind) {
                ForEach(PrivacyModel.requestKinds, id: \.self) { kind in
                    kindText(kind).tag(kind)
                }
            } label: {
                Text("privacy.request_kind")
            }
            TextField("privacy.request_text", text: $model.requestText, axis: .vertical)
                .lineLimit(2...6)
            Button {
                model.sendRequest(core)
            } label: {
                Text("privacy.request_send")
            }
            .disabled(model.busy)
        } header: {
            Text("privacy.requests").accessibilityAddTraits(.isHeader)
        }
    }

    /// The app's word for a kind of request, for the picker (the core labels those sent).
    @ViewBuilder private func kindText(_ kind: String) -> some View {
        switch kind {
        case "access": Text("privacy.kind.access")
        case "rectification": Text("privacy.kind.rectification")
        case "erasure": Text("privacy.kind.erasure")
        case "restriction": Text("privacy.kind.restriction")
        case "objection": Text("privacy.kind.objection")
        case "portability": Text("privacy.kind.portability")
        default: Text("privacy.kind.human_review")
        }
    }

    @ViewBuilder private func deadlineText(_ deadline: PrivacyModel.Deadline) -> some View {
        switch deadline {
        case .overdue:
            Label { Text("privacy.request_overdue") } icon: { Image(systemName: "exclamationmark.triangle.fill") }
                .font(.caption).foregroundStyle(.red)
        case .notSent:
            Text("privacy.request_not_sent").font(.caption)
        case let .open(days):
            Text("privacy.request_days_left \(days)").font(.caption)
        case .answered:
            EmptyView()
        }
    }

    @ViewBuilder private var eraseSection: some View {
        Section {
            Text("privacy.erase_text")
            Button(role: .destructive) {
                model.confirmErase = true
            } label: {
                Text("privacy.erase_button")
            }
            .disabled(model.busy)
        } header: {
            Text("privacy.erase_title").accessibilityAddTraits(.isHeader)
        }
    }
}

/// The system share sheet for files (UIActivityViewController): the member picks where the
/// export goes; the app asks for no photo-library or file permission.
struct ActivitySheet: UIViewControllerRepresentable {
    /// What to share.
    let items: [Any]

    func makeUIViewController(context: Context) -> UIActivityViewController {
        UIActivityViewController(activityItems: items, applicationActivities: nil)
    }

    func updateUIViewController(_ controller: UIActivityViewController, context: Context) {}
}
