import SwiftUI
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// The inventory's screens reached by navigation.
enum InventoryDestination: Hashable {
    /// A room's items (nil: items without a room).
    case room(String?)
    /// One item.
    case item(String)
    /// A new item's form, in a room.
    case add(room: String?)
    /// An item's form.
    case edit(String)
    /// Search as the member types.
    case search
}

/// "Husk Hva Du Har": the rooms with their items' count and value, the totals beside the
/// insured sum, search, the claim report and the sync status. The other inventory screens are
/// pushed on the home screen's navigation stack and share this screen's model.
struct InventoryView: View {
    /// The app's one core.
    let core: LofavorCore
    /// The report's language.
    let locale: AppLocale

    @State private var model = InventoryModel()

    /// The inventory of `core`'s member.
    init(core: LofavorCore, locale: AppLocale) {
        self.core = core
        self.locale = locale
    }

    var body: some View {
        List {
            if let problem = model.problem {
                Section { ErrorMessage(kind: problem) }
            }
            Section {
                NavigationLink(value: InventoryDestination.search) {
                    Label { Text("inventory.search") } icon: { Image(systemName: "magnifyingglass") }
                }
            }
            roomsSection
            totalsSection
            InventorySyncSection(core: core, locale: locale)
        }
        .navigationTitle(Text("inventory.title"))
        .task { await model.reload(core) }
        .refreshable { await model.reload(core) }
        .navigationDestination(for: InventoryDestination.self) { destination in
            switch destination {
            case let .room(name):
                InventoryRoomView(core: core, model: model, room: name)
            case let .item(id):
                InventoryItemView(core: core, model: model, itemId: id)
            case let .add(room):
                InventoryEditView(core: core, model: model, itemId: nil, room: room)
            case let .edit(id):
                InventoryEditView(core: core, model: model, itemId: id, room: nil)
            case .search:
                InventorySearchView(core: core, model: model)
            }
        }
    }

    @ViewBuilder private var roomsSection: some View {
        Section {
            if !model.loaded {
                ProgressView()
            } else {
                if model.items.isEmpty { Text("inventory.empty") }
                ForEach(roomNames, id: \.self) { name in
                    NavigationLink(value: InventoryDestination.room(name)) {
                        let total = model.totals?.byRoom.first { $0.name == name }
                        VStack(alignment: .leading) {
                            if let name { Text(verbatim: name) } else { Text("inventory.no_room") }
                            Text("inventory.room_summary \(String(total?.items ?? 0)) \(Kroner.format(total?.replacementValue ?? 0))")
                                .font(.subheadline)
                                .foregroundStyle(.secondary)
                        }
                    }
                }
                NavigationLink(value: InventoryDestination.add(room: nil)) {
                    Label { Text("inventory.add") } icon: { Image(systemName: "plus") }
                }
            }
        } header: {
            Text("inventory.rooms").accessibilityAddTraits(.isHeader)
        }
    }

    /// The rooms by name, then "no room" when some items have none.
    private var roomNames: [String?] {
        model.rooms.map { Optional($0.name) } + (model.items.contains { $0.fields.room == nil } ? [nil] : [])
    }

    @ViewBuilder private var totalsSection: some View {
        Section {
            if let totals = model.totals {
                Text("inventory.total_purchase \(Kroner.format(totals.all.purchasePrice))")
                Text("inventory.total_replacement \(Kroner.format(totals.all.replacementValue))")
                if totals.insuredSum == nil {
                    Text("inventory.no_insured_sum")
                } else if let shortfall = totals.shortfall, shortfall > 0 {
                    Label { Text("inventory.shortfall \(Kroner.format(shortfall))") } icon: {
                        Image(systemName: "exclamationmark.triangle.fill").accessibilityHidden(true)
                    }
                    .foregroundStyle(.red)
                } else {
                    Text("inventory.covered")
                }
            }
            TextField(text: $model.insuredInput) { Text("inventory.insured_sum") }
                .keyboardType(.decimalPad)
            Button {
                Task { await model.saveInsured(core) }
            } label: {
                Text("inventory.insured_save")
            }
            .disabled(model.busy)
        } header: {
            Text("inventory.totals").accessibilityAddTraits(.isHeader)
        }
    }
}

/// Search as the member types: the results follow a moment after typing stops.
struct InventorySearchView: View {
    let core: LofavorCore
    @Bindable var model: InventoryModel

    var body: some View {
        List {
            if let results = model.results {
                if results.isEmpty { Text("inventory.search_none") }
                ForEach(results, id: \.id) { item in
                    NavigationLink(value: InventoryDestination.item(item.id)) {
                        InventoryItemRow(core: core, model: model, item: item)
                    }
                }
            }
        }
        .searchable(text: $model.query, prompt: Text("inventory.search_hint"))
        .onChange(of: model.query) { _, _ in model.searchSoon() }
        .navigationTitle(Text("inventory.search"))
        .task { if !model.loaded { await model.reload(core) } }
    }
}

/// An item in a list: its first photo's thumbnail, its name and value.
struct InventoryItemRow: View {
    let core: LofavorCore
    let model: InventoryModel
    let item: Item

    var body: some View {
        HStack(spacing: 12) {
            if let first = item.photos.first {
                // The row says the item's name: the thumbnail adds nothing for VoiceOver.
                InventoryImage(core: core, model: model, photoId: first.id, thumbnail: true)
                    .frame(width: 56, height: 56)
                    .clipped()
                    .accessibilityHidden(true)
            }
            VStack(alignment: .leading) {
                Text(verbatim: item.fields.name).font(.headline)
                if let value = item.fields.replacementValue ?? item.fields.purchasePrice {
                    Text(verbatim: Kroner.format(value)).font(.subheadline).foregroundStyle(.secondary)
                }
            }
        }
        .frame(minHeight: 44)
    }
}

/// A photo of the inventory, read and decoded off the main actor; a spinner until it is there.
struct InventoryImage: View {
    let core: LofavorCore
    let model: InventoryModel
    let photoId: String
    let thumbnail: Bool
    @State private var image: UIImage?

    /// Photo `photoId` of `model`'s inventory: its thumbnail or its large rendition.
    init(core: LofavorCore, model: InventoryModel, photoId: String, thumbnail: Bool) {
        self.core = core
        self.model = model
        self.photoId = photoId
        self.thumbnail = thumbnail
    }

    var body: some View {
        Group {
            if let image {
                Image(uiImage: image).resizable().scaledToFill()
            } else {
                ProgressView()
            }
        }
        .task(id: photoId) { image = await model.image(core, id: photoId, thumbnail: thumbnail) }
    }
}
