import Foundation
import Observation
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The consent screens' state, as on Android (ConsentFlow.kt): which layer shows, the switches
/// as the member has set them but not saved, the partner purposes the member confirmed
/// explicitly here, and the confirmation being asked. Every text is the core's
/// (`ConsentScreen`); this decides only what shows and what is recorded.
///
/// The rules it keeps, whatever order the taps come in:
/// - nothing is on unless the core says the member said yes, or the member turned it on here;
/// - a partner purpose turns on only after its explicit confirmation was accepted; a
///   cancelled confirmation leaves it off;
/// - "accept all" with partner purposes asks for their confirmations first and records nothing
///   when cancelled (the core would refuse it without them, too);
/// - "save" answers every purpose the core still asks about, and sends `explicit` only for a
///   partner purpose confirmed here.
@Observable
@MainActor
final class ConsentModel {
    /// Which part of the consent screens shows.
    enum Layer {
        /// Summary, "accept all", "refuse all" (equal weight) and "let me choose".
        case first
        /// One switch per purpose and partner.
        case second
        /// Answered: the first-run screen closes.
        case done
    }

    /// The explicit confirmation being asked.
    enum Ask: Equatable {
        /// For one partner purpose being turned on.
        case one(purpose: String, ExplicitConfirmation)
        /// For "accept all": every partner's.
        case all([ExplicitConfirmation])
    }

    /// Where reading the screen model stands.
    enum Load {
        /// Reading.
        case loading
        /// Read.
        case shown(ConsentScreen)
        /// Could not be read; `kind` is the stable kind.
        case failed(kind: String)
    }

    /// The screen a decision is recorded from (kept in the consent record).
    let recordedFrom: String
    /// Whether this is the first-run screen (first layer), or the privacy screen's switches.
    let firstRun: Bool

    /// Where reading the screen model stands.
    private(set) var load: Load = .loading
    /// The layer showing.
    private(set) var layer: Layer
    /// The purposes whose switch shows on.
    private(set) var on: Set<String> = []
    /// The partner purposes confirmed explicitly here.
    private(set) var confirmed: Set<String> = []
    /// The confirmation being asked, if any.
    var asking: Ask?
    /// True while decisions are being recorded.
    private(set) var busy = false
    /// The kind of the last failure to record, if any.
    private(set) var problem: String?

    /// The first-run screen (`firstRun`) or the privacy screen's switches.
    init(firstRun: Bool) {
        self.firstRun = firstRun
        self.layer = firstRun ? .first : .second
        self.recordedFrom = firstRun ? "ios.consent.second_layer" : "ios.privacy.consents"
    }

    /// The core's screen model, once read.
    var screen: ConsentScreen? {
        if case let .shown(screen) = load { return screen }
        return nil
    }

    /// Whether the explicit confirmation dialog is open (for `.alert(isPresented:)`).
    var isAsking: Bool {
        get { asking != nil }
        set { if !newValue { asking = nil } }
    }

    /// Reads the screen model; on the first run after fetching the signed catalogue (offline,
    /// or refused as tampered, the current one stays in force). Switches set and not saved stay.
    func reload(_ core: LofavorCore, refreshCatalogue: Bool = false) async {
        let consent = core.consent()
        if refreshCatalogue {
            _ = try? await consent.refreshCatalogue()
        }
        do {
            // screen() reads the database: off the main actor.
            let screen = try await Task.detached(priority: .userInitiated) { try consent.screen() }.value
            apply(screen, keepingUnsaved: true)
        } catch {
            load = .failed(kind: coreFailureKind(error))
        }
    }

    /// Shows `screen`: the switches as the core has them, plus (if `keepingUnsaved`) the ones
    /// the member set here and can still have on (a partner only if confirmed here).
    private func apply(_ screen: ConsentScreen, keepingUnsaved: Bool) {
        let ids = Set(screen.purposes.map(\.id))
        let partners = Set(screen.purposes.filter { $0.explicitConfirmation != nil }.map(\.id))
        let saved = Set(screen.purposes.filter(\.switchedOn).map(\.id))
        if keepingUnsaved, case .shown = load, layer != .done {
            confirmed = confirmed.intersection(partners)
            on = on.filter { ids.contains($0) && (!partners.contains($0) || confirmed.contains($0) || saved.contains($0)) }
        } else {
            on = saved
            confirmed = []
        }
        load = .shown(screen)
        if firstRun {
            if !screen.needsAnswer { layer = .done } else if layer == .done { layer = .first }
        }
    }

    /// "Let me choose".
    func choose() {
        layer = .second
    }

    /// Back within the screens; false when back should leave them.
    func back() -> Bool {
        if asking != nil {
            asking = nil
            return true
        }
        guard firstRun, layer == .second, let screen else { return false }
        layer = .first
        on = Set(screen.purposes.filter(\.switchedOn).map(\.id))
        confirmed = []
        return true
    }

    /// The member turned `row`'s switch to `wanted`: a partner purpose asks first.
    func toggle(_ row: PurposeRow, to wanted: Bool) {
        guard !busy else { return }
        if !wanted {
            on.remove(row.id)
            confirmed.remove(row.id)
            return
        }
        if let confirmation = row.explicitConfirmation, !row.switchedOn, !on.contains(row.id) {
            asking = .one(purpose: row.id, confirmation)
        } else {
            on.insert(row.id)
        }
    }

    /// The member accepted the confirmation being asked.
    func confirm(_ core: LofavorCore) {
        switch asking {
        case let .one(purpose, _)?:
            on.insert(purpose)
            confirmed.insert(purpose)
            asking = nil
        case .all?:
            asking = nil
            record(core) { consent in _ = try await consent.acceptAll(explicit: true) }
        case nil:
            break
        }
    }

    /// "Accept all": at once without partner purposes, else after every partner's confirmation.
    func acceptAll(_ core: LofavorCore) {
        guard let screen else { return }
        let confirmations = screen.purposes.compactMap(\.explicitConfirmation)
        if confirmations.isEmpty {
            record(core) { consent in _ = try await consent.acceptAll(explicit: false) }
        } else {
            asking = .all(confirmations)
        }
    }

    /// "Refuse all": one tap, like "accept all".
    func refuseAll(_ core: LofavorCore) {
        record(core) { consent in _ = try await consent.refuseAll() }
    }

    /// The decisions "save" records: each switch that differs from what the core holds, and
    /// each purpose the core still asks about.
    var changes: [(purpose: String, given: Bool, explicit: Bool)] {
        guard let screen else { return [] }
        return screen.purposes.compactMap { row in
            let wanted = on.contains(row.id)
            let unanswered = row.state == .notAsked || row.state == .needsAnswer
            if wanted == row.switchedOn && !unanswered { return nil }
            let explicit = wanted && row.explicitConfirmation != nil && confirmed.contains(row.id)
            if wanted && row.explicitConfirmation != nil && !explicit && !row.switchedOn { return nil }
            return (row.id, wanted, explicit)
        }
    }

    /// "Save".
    func save(_ core: LofavorCore) {
        let changes = self.changes
        let from = recordedFrom
        record(core) { consent in
            for change in changes {
                _ = try await consent.set(purpose: change.purpose, given: change.given, explicit: change.explicit, screen: from)
            }
        }
    }

    /// Records with `work`, then shows what the core holds now (also after a failure part-way).
    private func record(_ core: LofavorCore, _ work: @escaping (ConsentHandle) async throws -> Void) {
        guard !busy else { return }
        busy = true
        problem = nil
        Task {
            defer { busy = false }
            let consent = core.consent()
            var failed = false
            do {
                try await work(consent)
            } catch {
                problem = coreFailureKind(error)
                failed = true
            }
            do {
                let screen = try await Task.detached(priority: .userInitiated) { try consent.screen() }.value
                apply(screen, keepingUnsaved: failed)
            } catch {
                problem = coreFailureKind(error)
            }
        }
    }
}
