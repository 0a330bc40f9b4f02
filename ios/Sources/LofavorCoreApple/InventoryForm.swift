import Foundation
#if canImport(LofavorCore)
import LofavorCore
#endif

// Shared by the app and the XCTests: the inventory's add/edit form and its amounts. Pure
// Swift, no UI.

/// Amounts as Norwegians type and read them, in øre (the core's unit): the same rules as the
/// Android shell's Kroner.kt, which the JVM tests pin down.
public enum Kroner {
    /// What the member typed in an amount field.
    public enum Input: Equatable {
        /// Nothing: not given.
        case empty
        /// An amount in øre.
        case ore(UInt64)
        /// Not an amount (letters, a minus, three decimals, too large).
        case invalid
    }

    /// The largest amount taken, in kroner.
    private static let maxKroner: UInt64 = 9_999_999_999

    /// Reads "1 299,90", "1299,9", "1299.90", "1.299,90", "1 299,-", "1 299 kr", "kr 1 299". A
    /// point before one or two digits is a decimal point, before three it groups thousands;
    /// spaces group only by three, so "12 99" is refused rather than guessed.
    public static func parse(_ text: String) -> Input {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return .empty }
        if s.hasSuffix(".") { s.removeLast() }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.lowercased().hasSuffix("kr") { s = String(s.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        if s.lowercased().hasPrefix("kr") {
            s = String(s.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            if s.hasPrefix(".") { s = String(s.dropFirst()).trimmingCharacters(in: .whitespaces) }
        }
        s = s.replacingOccurrences(of: "[ \u{00A0}\u{202F}\u{2009}]+", with: " ", options: .regularExpression)
        let spaced = #"^(\d{1,3}(?: \d{3})+|\d+)(?:[,.](\d{1,2}|-))?$"#
        let dotted = #"^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}|-))?$"#
        guard let parts = match(s, spaced) ?? match(s, dotted) else { return .invalid }
        let digits = parts.whole.filter(\.isNumber)
        let trimmed = digits.drop(while: { $0 == "0" })
        guard trimmed.count <= String(maxKroner).count, let kroner = UInt64(trimmed.isEmpty ? "0" : String(trimmed)),
              kroner <= maxKroner else { return .invalid }
        let fraction = parts.fraction
        let ore: UInt64
        if fraction.isEmpty || fraction == "-" {
            ore = 0
        } else if fraction.count == 1 {
            ore = (UInt64(fraction) ?? 0) * 10
        } else {
            ore = UInt64(fraction) ?? 0
        }
        return .ore(kroner * 100 + ore)
    }

    private static func match(_ s: String, _ pattern: String) -> (whole: String, fraction: String)? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
              let whole = Range(m.range(at: 1), in: s) else { return nil }
        let fraction = Range(m.range(at: 2), in: s).map { String(s[$0]) } ?? ""
        return (String(s[whole]), fraction)
    }

    private static func grouped(_ kroner: UInt64, _ separator: String) -> String {
        var digits = Array(String(kroner))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(String(digits), at: 0)
        return groups.joined(separator: separator)
    }

    /// For display: "1 299,90 kr", with spaces that do not break.
    public static func format(_ ore: UInt64) -> String {
        let cents = ore % 100
        return "\(grouped(ore / 100, "\u{00A0}")),\(cents < 10 ? "0" : "")\(cents)\u{00A0}kr"
    }

    /// For an edit field, read back to the same øre: "1 299,90", or "1 299" for whole kroner.
    public static func input(_ ore: UInt64) -> String {
        let cents = ore % 100
        let whole = grouped(ore / 100, " ")
        return cents == 0 ? whole : "\(whole),\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// The add/edit form as typed, kept as text so a half-typed price stays as the member left it.
public struct InventoryForm: Equatable {
    /// The fields, in the order the form shows them; the raw value names the label's key.
    public enum Field: String, CaseIterable, Identifiable {
        case name, room, category, description, brand, model
        case serialNumber = "serial_number", quantity
        case purchaseDate = "purchase_date", purchasePlace = "purchase_place", purchasePrice = "purchase_price"
        case currency, replacementValue = "replacement_value", receiptNumber = "receipt_number"
        case warrantyEnd = "warranty_end", notes, tags

        /// Identity for `ForEach`.
        public var id: String { rawValue }
        /// Its label's key in Localizable.strings.
        public var labelKey: String { "inventory.field.\(rawValue)" }
        /// Typed in kroner.
        public var isAmount: Bool { self == .purchasePrice || self == .replacementValue }
        /// Several lines.
        public var isLines: Bool { self == .description || self == .notes }
    }

    /// Why a field does not read; the raw value names its message's key.
    public enum Problem: String, Error {
        case required, notAnAmount = "not_an_amount", notADate = "not_a_date"
        case notAQuantity = "not_a_quantity", notACurrency = "not_a_currency"

        /// Its message's key in Localizable.strings.
        public var messageKey: String { "inventory.problem.\(rawValue)" }
    }

    /// Each field's text.
    public var values: [Field: String]

    /// A form with `values` typed (none: empty).
    public init(values: [Field: String] = [:]) {
        self.values = values
    }

    /// The text of `field`.
    public func text(of field: Field) -> String {
        values[field] ?? ""
    }

    /// A date as the core stores it (`YYYY-MM-DD`) from "2024-03-01" or "1.3.2024"; nil for
    /// empty; a day that does not exist is refused.
    public static func date(_ text: String) -> Result<String?, Problem> {
        let s = text.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return .success(nil) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        for (pattern, order) in [(#"^(\d{4})-(\d{2})-(\d{2})$"#, [0, 1, 2]), (#"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"#, [2, 1, 0])] {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { continue }
            let parts = (1...3).compactMap { Range(m.range(at: $0), in: s).flatMap { Int(s[$0]) } }
            guard parts.count == 3 else { continue }
            let (year, month, day) = (parts[order[0]], parts[order[1]], parts[order[2]])
            let components = DateComponents(year: year, month: month, day: day)
            // A valid date round-trips; 30 February does not.
            guard components.isValidDate(in: calendar) else { return .failure(.notADate) }
            return .success(String(format: "%04d-%02d-%02d", year, month, day))
        }
        return .failure(.notADate)
    }

    /// The problem of each field that does not read.
    public var problems: [Field: Problem] {
        if case let .failure(problems) = read() { return problems.byField }
        return [:]
    }

    /// Wraps the problems so `Result` can carry them.
    public struct Problems: Error {
        /// By field.
        public let byField: [Field: Problem]
    }

    /// The core's fields, or the problems.
    public func read() -> Result<ItemFields, Problems> {
        var problems: [Field: Problem] = [:]
        func given(_ f: Field) -> String? {
            let t = text(of: f).trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        func amount(_ f: Field) -> UInt64? {
            switch Kroner.parse(text(of: f)) {
            case .empty: return nil
            case let .ore(ore): return ore
            case .invalid: problems[f] = .notAnAmount; return nil
            }
        }
        func day(_ f: Field) -> String? {
            switch Self.date(text(of: f)) {
            case let .success(day): return day
            case let .failure(problem): problems[f] = problem; return nil
            }
        }
        let name = given(.name)
        if name == nil { problems[.name] = .required }
        let quantityText = given(.quantity)
        let quantity = quantityText.flatMap { UInt32($0) }
        if quantityText != nil, !(1...9999).contains(quantity ?? 0) { problems[.quantity] = .notAQuantity }
        let currency = given(.currency)?.uppercased()
        if let currency, currency.range(of: "^[A-Z]{3}$", options: .regularExpression) == nil {
            problems[.currency] = .notACurrency
        }
        let tags = text(of: .tags).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let fields = ItemFields(
            name: name ?? "", description: given(.description), room: given(.room), category: given(.category),
            brand: given(.brand), model: given(.model), serialNumber: given(.serialNumber),
            quantity: min(max(quantity ?? 1, 1), 9999), purchaseDate: day(.purchaseDate),
            purchasePlace: given(.purchasePlace), purchasePrice: amount(.purchasePrice), currency: currency,
            replacementValue: amount(.replacementValue), receiptNumber: given(.receiptNumber),
            warrantyEnd: day(.warrantyEnd), notes: given(.notes),
            tags: tags.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        )
        return problems.isEmpty ? .success(fields) : .failure(Problems(byField: problems))
    }

    /// A new item's form, in `room`.
    public static func new(room: String?) -> InventoryForm {
        var form = InventoryForm()
        form.values[.room] = room ?? ""
        return form
    }

    /// The form of an existing item.
    public static func of(_ fields: ItemFields) -> InventoryForm {
        var form = InventoryForm()
        form.values[.name] = fields.name
        form.values[.room] = fields.room ?? ""
        form.values[.category] = fields.category ?? ""
        form.values[.description] = fields.description ?? ""
        form.values[.brand] = fields.brand ?? ""
        form.values[.model] = fields.model ?? ""
        form.values[.serialNumber] = fields.serialNumber ?? ""
        form.values[.quantity] = String(fields.quantity)
        form.values[.purchaseDate] = fields.purchaseDate ?? ""
        form.values[.purchasePlace] = fields.purchasePlace ?? ""
        form.values[.purchasePrice] = fields.purchasePrice.map(Kroner.input) ?? ""
        form.values[.currency] = fields.currency ?? ""
        form.values[.replacementValue] = fields.replacementValue.map(Kroner.input) ?? ""
        form.values[.receiptNumber] = fields.receiptNumber ?? ""
        form.values[.warrantyEnd] = fields.warrantyEnd ?? ""
        form.values[.notes] = fields.notes ?? ""
        form.values[.tags] = fields.tags.joined(separator: ", ")
        return form
    }
}
