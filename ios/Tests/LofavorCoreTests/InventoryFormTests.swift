import Foundation
import LofavorCore
import LofavorCoreApple
import XCTest

/// The inventory's form on iOS reads what the Android one reads (InventoryFormTest.kt on the
/// JVM): kroner as Norwegians type them to the exact øre, dates that exist, and each field that
/// does not read named; a form read into the core's fields comes back as the same form.
final class InventoryFormTests: XCTestCase {
    private func ore(_ text: String) -> UInt64? {
        if case let .ore(ore) = Kroner.parse(text) { return ore }
        return nil
    }

    func testKronerTypedTheNorwegianWaysReadToTheExactOre() {
        XCTAssertEqual(ore("1 299,90"), 129_990)
        XCTAssertEqual(ore("1\u{00A0}299,90\u{00A0}kr"), 129_990)
        XCTAssertEqual(ore("1299.90"), 129_990)
        XCTAssertEqual(ore("1.299,90"), 129_990)
        XCTAssertEqual(ore("1299,9"), 129_990)
        XCTAssertEqual(ore("1 299,-"), 129_900)
        XCTAssertEqual(ore("kr 1 299"), 129_900)
        XCTAssertEqual(ore("1.299"), 129_900, "a point before three digits groups thousands")
        XCTAssertEqual(ore("1.29"), 129, "a point before two digits is the decimal point")
        XCTAssertEqual(ore("0,5"), 50)
        XCTAssertEqual(Kroner.parse("  "), .empty)
    }

    func testWhatIsNotAnAmountIsRefusedNotGuessed() {
        for bad in ["-5", "12 99", "1,999", "abc", "1 2", "12,34,56", "1..2", "99999999999999999999", "1e5", "1 299,90 €"] {
            XCTAssertEqual(Kroner.parse(bad), .invalid, bad)
        }
    }

    func testAmountsAreShownGroupedAndReadBackTheSame() {
        XCTAssertEqual(Kroner.format(129_990), "1\u{00A0}299,90\u{00A0}kr")
        XCTAssertEqual(Kroner.format(5), "0,05\u{00A0}kr")
        XCTAssertEqual(Kroner.input(129_990), "1 299,90")
        XCTAssertEqual(Kroner.input(129_900), "1 299")
        for amount: UInt64 in [0, 1, 99, 100, 129_990, 123_456_789] {
            XCTAssertEqual(ore(Kroner.input(amount)), amount)
            XCTAssertEqual(ore(Kroner.format(amount)), amount)
        }
    }

    func testDatesReadInEitherFormAndADayThatDoesNotExistIsRefused() throws {
        XCTAssertEqual(try InventoryForm.date("2024-03-01").get(), "2024-03-01")
        XCTAssertEqual(try InventoryForm.date("1.3.2024").get(), "2024-03-01")
        XCTAssertEqual(try InventoryForm.date("29.02.2024").get(), "2024-02-29")
        XCTAssertNil(try InventoryForm.date("").get())
        for bad in ["2023-02-29", "31.04.2024", "2024-13-01", "1/3/2024", "i går"] {
            XCTAssertThrowsError(try InventoryForm.date(bad).get(), bad)
        }
    }

    func testAFormWithMistakesNamesEachFieldThatDoesNotRead() {
        let form = InventoryForm(values: [
            .purchasePrice: "tusen", .warrantyEnd: "31.02.2026", .quantity: "0", .currency: "kroner",
        ])
        XCTAssertEqual(form.problems, [
            .name: .required, .purchasePrice: .notAnAmount, .warrantyEnd: .notADate,
            .quantity: .notAQuantity, .currency: .notACurrency,
        ])
    }

    func testAFormReadsToTheCoresFieldsAndBack() throws {
        var typed = InventoryForm.new(room: "Stue")
        typed.values[.name] = "  TV "
        typed.values[.purchasePrice] = "12 499,50"
        typed.values[.replacementValue] = "13.999,-"
        typed.values[.purchaseDate] = "1.3.2024"
        typed.values[.currency] = "nok"
        typed.values[.tags] = "stue, elektronikk, ,stue"
        let fields = try typed.read().get()
        XCTAssertEqual(fields.name, "TV")
        XCTAssertEqual(fields.room, "Stue")
        XCTAssertEqual(fields.purchasePrice, 1_249_950)
        XCTAssertEqual(fields.replacementValue, 1_399_900)
        XCTAssertEqual(fields.purchaseDate, "2024-03-01")
        XCTAssertEqual(fields.currency, "NOK")
        XCTAssertEqual(fields.tags, ["stue", "elektronikk"])
        XCTAssertNil(fields.notes, "an untouched field is not given, not an empty text")
        XCTAssertEqual(try InventoryForm.of(fields).read().get(), fields)
    }
}
