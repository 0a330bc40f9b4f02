import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The first-run consent screen, shown after login while the core asks for an answer.
///
/// The first layer is the core's summary with "accept all" and "refuse all" as two buttons of
/// one view (`ConsentChoiceButton`: same style, width and weight, so neither is the easy one)
/// and "let me choose". The second layer has one switch per purpose and partner, none on
/// unless the member said yes; a partner switch asks for the core's explicit confirmation
/// before it turns on. Closing the screen gives no consent (asked again at the next login).
struct ConsentView: View {
    /// The app's one core.
    let core: LofavorCore
    /// Closes the screen.
    let onDone: () -> Void

    @State private var model = ConsentModel(firstRun: true)

    /// The consent screen of `core`'s member; `onDone` when answered or closed.
    init(core: LofavorCore, onDone: @escaping () -> Void) {
        self.core = core
        self.onDone = onDone
    }

    var body: some View {
        NavigationStack {
            List {
                switch model.load {
                case .loading:
                    HStack {
                        ProgressView()
                        Text("consent.loading")
                    }
                case let .failed(kind):
                    ErrorMessage(kind: kind)
                    Button {
                        Task { await model.reload(core, refreshCatalogue: true) }
                    } label: {
                        Text("consent.retry")
                    }
                case let .shown(screen):
                    if model.layer == .first {
                        firstLayer(screen.firstLayer)
                    } else {
                        Section {
                            ConsentSwitches(model: model)
                        } header: {
                            Text(verbatim: screen.secondLayerTitle).accessibilityAddTraits(.isHeader)
                        }
                        Section {
                            Button {
                                model.save(core)
                            } label: {
                                Text(verbatim: screen.saveLabel).frame(maxWidth: .infinity)
                            }
                            .buttonStyle(.borderedProminent)
                            .disabled(model.busy)
                        }
                    }
                }
                if model.busy {
                    ProgressView()
                }
                if let problem = model.problem {
                    ErrorMessage(kind: problem)
                }
            }
            .navigationTitle(Text(verbatim: model.screen?.firstLayer.title ?? ""))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button {
                        if !model.back() { onDone() }
                    } label: {
                        if model.layer == .second {
                            Text("consent.back")
                        } else {
                            Text("consent.not_now")
                        }
                    }
                }
            }
        }
        .interactiveDismissDisabled(model.layer == .second)
        .task { await model.reload(core, refreshCatalogue: true) }
        .onChange(of: model.layer) { _, layer in
            if layer == .done { onDone() }
        }
        .explicitConfirmation(model: model, core: core)
    }

    /// The first layer: the core's summary, what happens without consent, the three choices.
    @ViewBuilder private func firstLayer(_ first: FirstLayer) -> some View {
        Section {
            Text(verbatim: first.summary)
            ForEach(first.purposes, id: \.self) { line in
                Label {
                    Text(verbatim: line)
                } icon: {
                    Image(systemName: "circle.fill").font(.system(size: 6)).accessibilityHidden(true)
                }
            }
        }
        Section {
            ForEach(first.withoutConsent, id: \.self) { line in
                Text(verbatim: line)
            }
        } header: {
            Text(verbatim: first.withoutConsentHeading).accessibilityAddTraits(.isHeader)
        }
        Section {
            // Equal weight: one view for both, full width, one above the other.
            ConsentChoiceButton(title: first.acceptAllLabel) { model.acceptAll(core) }
                .disabled(model.busy)
            ConsentChoiceButton(title: first.refuseAllLabel) { model.refuseAll(core) }
                .disabled(model.busy)
            Button {
                model.choose()
            } label: {
                Text(verbatim: first.chooseLabel).frame(maxWidth: .infinity)
            }
            .disabled(model.busy)
        }
    }
}

/// "Accept all" and "refuse all": one view for both, so they cannot drift apart in style,
/// width or emphasis (the shell checks both are drawn by it).
struct ConsentChoiceButton: View {
    /// The core's label.
    let title: String
    /// What the tap does.
    let action: () -> Void

    var body: some View {
        Button(action: action) {
            Text(verbatim: title)
                .frame(maxWidth: .infinity, minHeight: 44)
        }
        .buttonStyle(.bordered)
    }
}

/// One switch per purpose and partner, with what the member needs to decide: the core's
/// summary, state, legal basis, recipients, data, retention, what a no changes, and the full
/// notice. Each switch is read by VoiceOver as the purpose's title and its state.
struct ConsentSwitches: View {
    /// The consent state.
    @Bindable var model: ConsentModel

    var body: some View {
        if let screen = model.screen {
            ForEach(screen.purposes, id: \.id) { (row: PurposeRow) in
                VStack(alignment: .leading, spacing: 6) {
                    Toggle(isOn: Binding(
                        get: { model.on.contains(row.id) },
                        set: { model.toggle(row, to: $0) }
                    )) {
                        VStack(alignment: .leading, spacing: 2) {
                            Text(verbatim: row.title).font(.headline)
                            Text(verbatim: row.summary).font(.subheadline)
                        }
                    }
                    .disabled(model.busy)
                    .accessibilityLabel(Text(verbatim: row.title))
                    .accessibilityValue(Text(verbatim: row.stateLabel))
                    Text(verbatim: row.stateLabel).font(.caption)
                    Text(verbatim: row.legalBasis).font(.caption)
                    if !row.recipients.isEmpty {
                        Text("consent.recipients \(listed(row.recipients))").font(.caption)
                    }
                    if !row.dataCategories.isEmpty {
                        Text("consent.data \(listed(row.dataCategories))").font(.caption)
                    }
                    Text("consent.retention \(row.retention)").font(.caption)
                    Text("consent.if_refused \(row.ifRefused)").font(.caption)
                    DisclosureGroup {
                        Text(verbatim: "\(row.title) · v\(row.noticeVersion)").font(.caption.bold())
                        Text(verbatim: row.noticeText).font(.caption)
                    } label: {
                        Text(verbatim: row.readMoreLabel).font(.caption)
                    }
                }
            }
        }
    }
}

/// Items of the core's, as one line.
private func listed(_ items: [String]) -> String {
    items.joined(separator: ", ")
}

extension View {
    /// The core's explicit confirmation (GDPR art. 9(2)(a)) as an alert: for one partner
    /// switch, or for "accept all" every partner's. Cancel leaves everything off.
    func explicitConfirmation(model: ConsentModel, core: LofavorCore) -> some View {
        self.modifier(ExplicitConfirmationAlert(model: model, core: core))
    }
}

/// The alert of `explicitConfirmation(model:core:)`.
private struct ExplicitConfirmationAlert: ViewModifier {
    @Bindable var model: ConsentModel
    let core: LofavorCore

    private var confirmations: [ExplicitConfirmation] {
        switch model.asking {
        case let .one(_, confirmation)?: return [confirmation]
        case let .all(list)?: return list
        case nil: return []
        }
    }

    private var confirmLabel: String {
        switch model.asking {
        case let .one(_, confirmation)?: return confirmation.confirmLabel
        default: return model.screen?.firstLayer.acceptAllLabel ?? ""
        }
    }

    func body(content: Content) -> some View {
        content.alert(
            Text(verbatim: confirmations.first?.title ?? ""),
            isPresented: $model.isAsking
        ) {
            Button {
                model.confirm(core)
            } label: {
                Text(verbatim: confirmLabel)
            }
            Button(role: .cancel) {
                model.asking = nil
            } label: {
                Text(verbatim: confirmations.first?.cancelLabel ?? "")
            }
        } message: {
            Text(verbatim: confirmations.map(\.body).joined(separator: "\n\n"))
        }
    }
}
