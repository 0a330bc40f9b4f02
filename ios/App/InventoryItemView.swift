import SwiftUI
import UIKit
#if canImport(LofavorCore)
import LofavorCore
#endif
#if canImport(LofavorCoreApple)
import LofavorCoreApple
#endif

/// One item: its photos (thumbnails, large on tap), photos added from the picker or the
/// camera as the item itself, its receipt or its serial plate, every field the member gave,
/// edit, and delete behind a confirmation.
struct InventoryItemView: View {
    let core: LofavorCore
    @Bindable var model: InventoryModel
    let itemId: String

    /// The item `itemId` of `model`'s inventory. (Written out: the synthesised initialiser
    /// would be private, as the view keeps private state.)
    init(core: LofavorCore, model: InventoryModel, itemId: String) {
        self.core = core
        _model = Bindable(wrappedValue: model)
        self.itemId = itemId
    }

    /// The roles a member gives a photo of an item (a room's overview is taken on the room).
    private static let roles: [PhotoRole] = [.item, .receipt, .serialPlate]

    @State private var role = PhotoRole.item
    @State private var picking = false
    @State private var takingPhoto = false
    @State private var cameraRefused = false
    @State private var large: LargePhoto?
    @State private var confirmDelete = false
    @Environment(\.dismiss) private var dismiss

    /// The photo shown large.
    struct LargePhoto: Identifiable {
        /// The photo's id.
        let id: String
    }

    var body: some View {
        List {
            if let problem = model.problem {
                Section { ErrorMessage(kind: problem) }
            }
            if let item = model.item, item.id == itemId {
                photosSection(item)
                detailsSection(item)
                Section {
                    Button(role: .destructive) { confirmDelete = true } label: { Text("inventory.delete") }
                        .disabled(model.busy)
                }
            } else {
                ProgressView()
            }
        }
        .navigationTitle(model.item.map { Text(verbatim: $0.fields.name) } ?? Text("inventory.title"))
        .toolbar {
            NavigationLink(value: InventoryDestination.edit(itemId)) { Text("inventory.edit") }
        }
        .task { await model.reload(core, itemId: itemId) }
        .sheet(isPresented: $picking) {
            InventoryPhotoPicker(close: { picking = false }) { files in
                model.importPhotos(core, files: files, target: { _ in target }, itemId: itemId, room: nil)
            }
        }
        .fullScreenCover(isPresented: $takingPhoto) {
            InventoryCamera { file in
                takingPhoto = false
                guard let file else { return }
                model.importPhotos(core, files: [file], target: { _ in target }, itemId: itemId, room: nil)
            }
            .ignoresSafeArea()
        }
        .sheet(item: $large) { photo in
            NavigationStack {
                InventoryImage(core: core, model: model, photoId: photo.id, thumbnail: false)
                    .scaledToFit()
                    .accessibilityLabel(Text("inventory.photo_large"))
                    .toolbar {
                        Button { large = nil } label: { Text("inventory.photo_close") }
                    }
            }
        }
        .confirmationDialog(Text("inventory.delete_title"), isPresented: $confirmDelete, titleVisibility: .visible) {
            Button(role: .destructive) {
                Task { if await model.delete(core, id: itemId) { dismiss() } }
            } label: {
                Text("inventory.delete_confirm")
            }
            Button(role: .cancel) {} label: { Text("privacy.erase_cancel") }
        } message: {
            Text("inventory.delete_text")
        }
    }

    private var target: ImportTarget { .item(itemId: itemId, role: role) }

    private func photosSection(_ item: Item) -> some View {
        Section {
            if item.photos.isEmpty { Text("inventory.no_photos") }
            ForEach(Self.roles, id: \.self) { shown in
                let photos = item.photos.filter { $0.role == shown }
                if !photos.isEmpty {
                    PhotoStrip(core: core, model: model, photos: photos) { large = LargePhoto(id: $0) }
                }
            }
            Picker(selection: $role) {
                ForEach(Self.roles, id: \.self) { choice in
                    Text(verbatim: photoRoleLabel(choice)).tag(choice)
                }
            } label: {
                Text("inventory.photo_role")
            }
            Button { picking = true } label: { Text("inventory.add_photos") }
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
        } header: {
            Text("inventory.photos").accessibilityAddTraits(.isHeader)
        }
    }

    private func detailsSection(_ item: Item) -> some View {
        let form = InventoryForm.of(item.fields)
        let shown = InventoryForm.Field.allCases.filter { $0 != .name && !form.text(of: $0).isEmpty }
        return Section {
            ForEach(shown) { field in
                LabeledContent {
                    if field.isAmount, case let .ore(ore) = Kroner.parse(form.text(of: field)) {
                        Text(verbatim: Kroner.format(ore))
                    } else {
                        Text(verbatim: form.text(of: field))
                    }
                } label: {
                    Text(LocalizedStringKey(field.labelKey))
                }
            }
        } header: {
            Text("inventory.details").accessibilityAddTraits(.isHeader)
        }
    }
}

/// The add/edit form: every field of an item, prices typed in kroner as Norwegians write them.
/// A field that does not read says so under itself after the first try to save.
struct InventoryEditView: View {
    let core: LofavorCore
    @Bindable var model: InventoryModel
    /// The item edited, or nil for a new one.
    let itemId: String?
    /// A new item's room.
    let room: String?

    /// The form of item `itemId`, or of a new item in `room`. (Written out: the synthesised
    /// initialiser would be private, as the view keeps private state.)
    init(core: LofavorCore, model: InventoryModel, itemId: String?, room: String?) {
        self.core = core
        _model = Bindable(wrappedValue: model)
        self.itemId = itemId
        self.room = room
    }

    @State private var tried = false
    @State private var started = false
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        let problems = tried ? model.form.problems : [:]
        Form {
            if let problem = model.problem {
                Section { ErrorMessage(kind: problem) }
            }
            ForEach(InventoryForm.Field.allCases) { field in
                VStack(alignment: .leading) {
                    TextField(text: binding(field), axis: field.isLines ? .vertical : .horizontal) {
                        Text(LocalizedStringKey(field.labelKey))
                    }
                    .keyboardType(field.isAmount ? .decimalPad : field == .quantity ? .numberPad : .default)
                    .lineLimit(field.isLines ? 3...8 : 1...1)
                    if let problem = problems[field] {
                        Text(LocalizedStringKey(problem.messageKey))
                            .font(.footnote)
                            .foregroundStyle(.red)
                    }
                }
            }
            Button {
                tried = true
                Task {
                    if await model.save(core, id: itemId) != nil { dismiss() }
                }
            } label: {
                Text("inventory.save")
            }
            .disabled(model.busy)
        }
        .navigationTitle(itemId == nil ? Text("inventory.add_title") : Text("inventory.edit_title"))
        .onAppear {
            // Once per visit: coming back from the keyboard's sheets keeps what was typed.
            guard !started else { return }
            started = true
            model.startForm(item: itemId == nil ? nil : model.item, room: room)
        }
    }

    /// The text of `field` in the model's form, as a binding for its text field.
    private func binding(_ field: InventoryForm.Field) -> Binding<String> {
        Binding(get: { model.form.text(of: field) }, set: { model.form.values[field] = $0 })
    }
}
