import Foundation
import Observation
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The inventory screens' state: rooms, items and totals, the chosen item, the add/edit form,
/// search as the member types, the insured sum, imports and the photos' images. Every call of
/// the inventory reads or writes the local database: each runs in a detached task, never on
/// the main actor.
@Observable
@MainActor
final class InventoryModel {
    /// The rooms, by name.
    private(set) var rooms: [Room] = []
    /// Every item, by room and name.
    private(set) var items: [Item] = []
    /// The totals, once read.
    private(set) var totals: Totals?
    /// The item shown on the item screen, once read.
    private(set) var item: Item?
    /// The overview photos of the room shown.
    private(set) var roomPhotos: [Photo] = []
    /// The search text.
    var query = ""
    /// The matches of `query`, nil while none is typed.
    private(set) var results: [Item]?
    /// The insured sum as typed.
    var insuredInput = ""
    /// The add/edit form as typed.
    var form = InventoryForm()
    /// True while a change is saved.
    private(set) var busy = false
    /// The kind of the last failure, if any.
    private(set) var problem: String?
    /// The import under way or last finished.
    private(set) var importing: InventoryImport?
    /// True once read at least once.
    private(set) var loaded = false

    @ObservationIgnored private var inventory: InventoryHandle?
    @ObservationIgnored private var searchTask: Task<Void, Never>?
    private let thumbnails = NSCache<NSString, UIImage>()

    /// Reads rooms, items and totals (and the item `itemId` and the room `room`'s photos).
    func reload(_ core: LofavorCore, itemId: String? = nil, room: String? = nil) async {
        let inventory = core.inventory()
        self.inventory = inventory
        do {
            let (rooms, items, totals, item, photos) = try await Task.detached(priority: .userInitiated) {
                (try inventory.rooms(), try inventory.items(), try inventory.totals(),
                 try itemId.map { try inventory.item(id: $0) }, try room.map { try inventory.roomPhotos(room: $0) } ?? [])
            }.value
            self.rooms = rooms
            self.items = items
            self.totals = totals
            self.item = item
            self.roomPhotos = photos
            if insuredInput.isEmpty, let sum = totals.insuredSum { insuredInput = Kroner.input(sum) }
            loaded = true
        } catch {
            problem = coreFailureKind(error)
        }
    }

    /// The items of `room` (nil: items without a room).
    func items(in room: String?) -> [Item] {
        items.filter { $0.fields.room == room }
    }

    /// Runs `work` as the one change under way, then reads everything again.
    private func change(_ core: LofavorCore, itemId: String? = nil, _ work: @escaping @Sendable (InventoryHandle) throws -> Void) async -> Bool {
        guard !busy else { return false }
        busy = true
        problem = nil
        defer { busy = false }
        let inventory = core.inventory()
        do {
            try await Task.detached(priority: .userInitiated) { try work(inventory) }.value
        } catch {
            problem = coreFailureKind(error)
            return false
        }
        await reload(core, itemId: itemId)
        return true
    }

    /// Saves the form as a new item (`id` nil) or as item `id`; the item's id once saved, nil
    /// when the form has problems (the view shows them) or saving failed.
    func save(_ core: LofavorCore, id: String?) async -> String? {
        guard case let .success(fields) = form.read() else { return nil }
        let saved = SavedId()
        let ok = await change(core) { inventory in
            if let id {
                try inventory.updateItem(id: id, fields: fields)
                saved.value = id
            } else {
                saved.value = try inventory.addItem(fields: fields)
            }
        }
        guard ok, let id = saved.value else { return nil }
        await reload(core, itemId: id)
        return id
    }

    /// The id a change wrote, handed out of its detached task.
    private final class SavedId: @unchecked Sendable {
        var value: String?
    }

    /// Deletes item `id`; true once deleted.
    func delete(_ core: LofavorCore, id: String) async -> Bool {
        await change(core) { try $0.deleteItem(id: id) }
    }

    /// Saves the insured sum as typed (empty clears it).
    func saveInsured(_ core: LofavorCore) async {
        let sum: UInt64?
        switch Kroner.parse(insuredInput) {
        case .empty: sum = nil
        case let .ore(ore): sum = ore
        case .invalid:
            problem = "invalid_input"
            return
        }
        _ = await change(core) { try $0.setInsuredSum(sum: sum) }
    }

    /// Searches `query` a moment after the member stops typing: the view calls this at each
    /// change of the text; a newer call cancels the one waiting.
    func searchSoon() {
        searchTask?.cancel()
        let text = query
        guard let inventory, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            results = nil
            return
        }
        searchTask = Task {
            try? await Task.sleep(for: .milliseconds(250))
            guard !Task.isCancelled else { return }
            let found = (try? await Task.detached(priority: .userInitiated) { try inventory.search(text: text) }.value) ?? []
            guard !Task.isCancelled else { return }
            results = found
        }
    }

    /// Photo `id` as an image: the thumbnail (kept) or the large rendition; read and decoded
    /// off the main actor; nil if it could not be read.
    func image(_ core: LofavorCore, id: String, thumbnail: Bool) async -> UIImage? {
        if thumbnail, let kept = thumbnails.object(forKey: id as NSString) { return kept }
        let inventory = core.inventory()
        let decoded: UIImage?? = try? await Task.detached(priority: .userInitiated) {
            let data = try inventory.photoJpeg(id: id, thumbnail: thumbnail)
            return UIImage(data: data)?.preparingForDisplay()
        }.value
        guard let image = decoded ?? nil else { return nil }
        if thumbnail { thumbnails.setObject(image, forKey: id as NSString) }
        return image
    }

    /// Imports `photos` (from the picker or the camera) to `target(i)` for the i-th; one import
    /// at a time. The files are removed after the import (the core keeps its own renditions).
    func importPhotos(_ core: LofavorCore, files: [URL?], target: @escaping (Int) -> ImportTarget, itemId: String?, room: String?) {
        guard !(importing?.running ?? false), !files.isEmpty else { return }
        let run = InventoryImport(count: files.count)
        importing = run
        let photos = files.enumerated().map { i, url in
            // A photo that could not be read goes to the core as nothing: the core refuses it
            // and the summary names it by its place.
            PhotoImport(source: url.map { PhotoSource.file(path: $0.path) } ?? PhotoSource.bytes(bytes: Data()),
                        target: target(i), keepOriginal: false)
        }
        let inventory = core.inventory()
        Task {
            await run.run(inventory, photos: photos) {
                for case let url? in files { try? FileManager.default.removeItem(at: url) }
            }
            await reload(core, itemId: itemId, room: room)
        }
    }

    /// The finished import's summary was seen.
    func dismissImport() {
        if importing?.running == false { importing = nil }
    }

    /// Opens the form for a new item in `room`, or for `item`.
    func startForm(item: Item?, room: String?) {
        if let item {
            form = InventoryForm.of(item.fields)
        } else {
            form = InventoryForm.new(room: room)
        }
    }
}
