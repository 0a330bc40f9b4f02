import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// A room's items, its overview photos, and the ways to add: a form, new items from picked
/// photos (one item per photo, named for the member to rename), or the camera.
struct InventoryRoomView: View {
    let core: LofavorCore
    @Bindable var model: InventoryModel
    /// The room's name (nil: items without a room).
    let room: String?

    /// The room `room` of `model`'s inventory. (Written out: the synthesised initialiser would
    /// be private, as the view keeps private state.)
    init(core: LofavorCore, model: InventoryModel, room: String?) {
        self.core = core
        _model = Bindable(wrappedValue: model)
        self.room = room
    }

    @State private var picking: PickPurpose?
    @State private var takingPhoto = false
    @State private var cameraRefused = false

    /// What picked photos become.
    enum PickPurpose: String, Identifiable {
        /// One new item each.
        case newItems
        /// Overview photos of the room.
        case roomOverview
        /// Identity for `.sheet(item:)`.
        var id: String { rawValue }
    }

    var body: some View {
        List {
            if let problem = model.problem {
                Section { ErrorMessage(kind: problem) }
            }
            Section {
                NavigationLink(value: InventoryDestination.add(room: room)) {
                    Label { Text("inventory.add") } icon: { Image(systemName: "plus") }
                }
                Button { picking = .newItems } label: { Text("inventory.add_from_photos") }
                    .disabled(model.importing?.running ?? false)
                if InventoryCamera.available {
                    Button {
                        Task {
                            let allowed = await InventoryCamera.askForCamera()
                            cameraRefused = !allowed
                            takingPhoto = allowed
                        }
                    } label: {
                        Text("inventory.take_photo")
                    }
                    .disabled(model.importing?.running ?? false)
                }
                if cameraRefused { Text("inventory.camera_refused") }
                if let run = model.importing { ImportPanel(run: run) { model.dismissImport() } }
            }
            if let room {
                Section {
                    if model.roomPhotos.isEmpty { Text("inventory.no_photos") }
                    PhotoStrip(core: core, model: model, photos: model.roomPhotos, onOpen: nil)
                    Button { picking = .roomOverview } label: { Text("inventory.add_room_photos") }
                        .disabled(model.importing?.running ?? false)
                } header: {
                    Text("inventory.room_photos").accessibilityAddTraits(.isHeader)
                }
            }
            Section {
                let items = model.items(in: room)
                if items.isEmpty { Text("inventory.room_empty") }
                ForEach(items, id: \.id) { item in
                    NavigationLink(value: InventoryDestination.item(item.id)) {
                        InventoryItemRow(core: core, model: model, item: item)
                    }
                }
            } header: {
                Text("inventory.items").accessibilityAddTraits(.isHeader)
            }
        }
        .navigationTitle(room.map { Text(verbatim: $0) } ?? Text("inventory.no_room"))
        .task { await model.reload(core, room: room) }
        .sheet(item: $picking) { purpose in
            InventoryPhotoPicker(close: { picking = nil }) { files in
                model.importPhotos(core, files: files, target: { _ in target(purpose) }, itemId: nil, room: room)
            }
        }
        .fullScreenCover(isPresented: $takingPhoto) {
            InventoryCamera { file in
                takingPhoto = false
                guard let file else { return }
                model.importPhotos(core, files: [file], target: { _ in target(.newItems) }, itemId: nil, room: room)
            }
            .ignoresSafeArea()
        }
    }

    /// Where a picked photo goes.
    private func target(_ purpose: PickPurpose) -> ImportTarget {
        switch purpose {
        case .newItems:
            // Every label written out: the shell checks compare them with the bindings' initialiser.
            return .newItem(fields: ItemFields(
                name: NSLocalizedString("inventory.new_item_name", comment: ""), description: nil, room: room,
                category: nil, brand: nil, model: nil, serialNumber: nil, quantity: 1, purchaseDate: nil,
                purchasePlace: nil, purchasePrice: nil, currency: nil, replacementValue: nil, receiptNumber: nil,
                warrantyEnd: nil, notes: nil, tags: []
            ))
        case .roomOverview:
            return .room(name: room ?? NSLocalizedString("inventory.no_room", comment: ""))
        }
    }
}

/// An import's progress with its cancel button while it runs; then what went in, what was
/// there already, what the cancel left out, and each refused photo by its place and reason.
struct ImportPanel: View {
    let run: InventoryImport
    let onDismiss: () -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            if run.running {
                Text("inventory.importing \(min(run.done + 1, run.total)) \(run.total)")
                ProgressView(value: run.fraction)
                Button(role: .cancel) {
                    run.cancel()
                } label: {
                        run.phase == .running ? Text("inventory.cancel_import") : Text("inventory.cancelling")
                }
                .disabled(run.phase != .running)
            } else {
                if let failure = run.failure { ErrorMessage(kind: failure) }
                Text("inventory.import_done \(run.imported)")
                if run.duplicates > 0 { Text("inventory.import_duplicates \(run.duplicates)") }
                if run.cancelledCount > 0 { Text("inventory.import_cancelled \(run.cancelledCount)") }
                ForEach(run.refused) { refusal in
                    Text("inventory.import_refused \(refusal.index + 1)")
                    ErrorMessage(kind: refusal.kind)
                }
                Button { onDismiss() } label: { Text("inventory.import_ok") }
            }
        }
    }
}

/// Photos side by side, scrolling sideways; `onOpen` shows one large.
struct PhotoStrip: View {
    let core: LofavorCore
    let model: InventoryModel
    let photos: [Photo]
    let onOpen: ((String) -> Void)?

    var body: some View {
        ScrollView(.horizontal) {
            HStack(spacing: 8) {
                ForEach(Array(photos.enumerated()), id: \.element.id) { index, photo in
                    let image = InventoryImage(core: core, model: model, photoId: photo.id, thumbnail: true)
                        .frame(width: 96, height: 96)
                        .clipped()
                        .accessibilityElement()
                        .accessibilityLabel(Text("inventory.photo_description \(photoRoleLabel(photo.role)) \(String(index + 1))"))
                    if let onOpen {
                        Button { onOpen(photo.id) } label: { image }
                            .buttonStyle(.plain)
                            .accessibilityAddTraits(.isImage)
                    } else {
                        image
                    }
                }
            }
        }
    }
}

/// What a photo shows, in the member's language.
func photoRoleLabel(_ role: PhotoRole) -> String {
    switch role {
    case .item: return NSLocalizedString("inventory.role_item", comment: "")
    case .receipt: return NSLocalizedString("inventory.role_receipt", comment: "")
    case .serialPlate: return NSLocalizedString("inventory.role_serial_plate", comment: "")
    case .roomOverview: return NSLocalizedString("inventory.role_room_overview", comment: "")
    }
}
