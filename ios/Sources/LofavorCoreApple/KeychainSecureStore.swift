import Foundation
import Security
#if canImport(LofavorCore)
import LofavorCore
#endif

/// The core's `SecureStore` on the Keychain: where the app keeps the database key and, later,
/// the member's tokens.
///
/// Each secret is a generic-password item with service `no.lofavor.core` and the secret's
/// name as its account. Items are `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`: readable
/// by background work once the member has unlocked the phone after a restart, and never
/// copied off the device — not to iCloud Keychain, not into backups, not to a new phone. A
/// restored or migrated phone therefore comes up without the key, which the core reports as
/// `LofavorError.DatabaseKeyMissing` instead of opening someone's data with a copied key.
///
/// Errors carry the Keychain status code and what was attempted, never the secret. No method
/// logs.
///
/// Re-entrancy: the core may hold a lock while it waits on this store. Nothing here may call
/// back into the core (no `LofavorCore` method, no logging through the core's logger).
///
/// On macOS the items go to the data-protection keychain, which needs a signed host with a
/// keychain access group; the unsigned XCTest host has none, so the binding tests use an
/// in-memory store instead.
public final class KeychainSecureStore: SecureStore {
    /// The Keychain service of the core's items.
    public static let defaultService = "no.lofavor.core"

    private let service: String

    /// A store for the items of `service` (tests may pass their own to stay apart).
    public init(service: String = KeychainSecureStore.defaultService) {
        self.service = service
    }

    /// The secret stored under `name`, or `nil` when there is none.
    public func get(name: String) throws -> Data? {
        var query = itemQuery(name)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess:
            guard let data = result as? Data else {
                throw SecureStoreError.Failed(reason: "the keychain item has no data")
            }
            return data
        case errSecItemNotFound:
            return nil
        default:
            throw Self.error(status, doing: "read")
        }
    }

    /// Stores `secret` under `name`, replacing any earlier secret of that name.
    public func put(name: String, secret: Data) throws {
        let query = itemQuery(name)
        let attributes: [String: Any] = [
            kSecValueData as String: secret,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        // Update first: an item that exists keeps its identity; add only when there is none.
        let updated = SecItemUpdate(query as CFDictionary, attributes as CFDictionary)
        switch updated {
        case errSecSuccess:
            return
        case errSecItemNotFound:
            let added = SecItemAdd(query.merging(attributes) { _, new in new } as CFDictionary, nil)
            guard added == errSecSuccess else { throw Self.error(added, doing: "add") }
        default:
            throw Self.error(updated, doing: "update")
        }
    }

    /// Removes the secret under `name`; a secret that is not there is not an error.
    public func delete(name: String) throws {
        let status = SecItemDelete(itemQuery(name) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw Self.error(status, doing: "delete")
        }
    }

    /// Removes every secret of this store's service: the database key and the member's
    /// tokens. Only for starting again after the member confirmed it (the data they protect
    /// is unreadable or erased); never while a core is open on them.
    public func deleteAll() throws {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecUseDataProtectionKeychain as String: true,
        ]
        let status = SecItemDelete(query as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw Self.error(status, doing: "delete all")
        }
    }

    /// The attributes that identify one item (and nothing that would filter it further).
    private func itemQuery(_ name: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: name,
            // The iOS-style keychain on macOS too, so the accessibility class means the same.
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    /// The core's error for a Keychain status: `Unavailable` when the Keychain cannot be used
    /// right now or by this app (locked device, no entitlement), `Failed` otherwise.
    private static func error(_ status: OSStatus, doing operation: String) -> SecureStoreError {
        switch status {
        case errSecInteractionNotAllowed:
            // Before the first unlock after a restart the items are not readable yet.
            return SecureStoreError.Unavailable(
                reason: "keychain \(operation): the device is locked (status \(status))")
        case errSecNotAvailable, errSecMissingEntitlement:
            return SecureStoreError.Unavailable(
                reason: "keychain \(operation): no keychain for this app (status \(status))")
        default:
            return SecureStoreError.Failed(reason: "keychain \(operation) failed (status \(status))")
        }
    }
}
