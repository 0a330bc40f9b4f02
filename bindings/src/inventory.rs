//! Husk Hva Du Har as exported types: rooms, items, photos, search, totals and the photo
//! import. Newtypes and conversions only.

use std::sync::Arc;

use lofavor_core::inventory as core;

use crate::core::LofavorCore;
use crate::error::LofavorError;

/// A room of the home.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Room {
    /// Id.
    pub id: String,
    /// Name ("Stue").
    pub name: String,
}

impl From<core::Room> for Room {
    fn from(r: core::Room) -> Self {
        Self {
            id: r.id,
            name: r.name,
        }
    }
}

/// What a photo shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PhotoRole {
    /// The item itself.
    Item,
    /// Its receipt.
    Receipt,
    /// Its serial-number plate.
    SerialPlate,
    /// A whole room.
    RoomOverview,
}

impl From<core::PhotoRole> for PhotoRole {
    fn from(r: core::PhotoRole) -> Self {
        match r {
            core::PhotoRole::Item => Self::Item,
            core::PhotoRole::Receipt => Self::Receipt,
            core::PhotoRole::SerialPlate => Self::SerialPlate,
            core::PhotoRole::RoomOverview => Self::RoomOverview,
        }
    }
}

impl From<PhotoRole> for core::PhotoRole {
    fn from(r: PhotoRole) -> Self {
        match r {
            PhotoRole::Item => Self::Item,
            PhotoRole::Receipt => Self::Receipt,
            PhotoRole::SerialPlate => Self::SerialPlate,
            PhotoRole::RoomOverview => Self::RoomOverview,
        }
    }
}

/// A photo, without its pixels (read them with `photo_jpeg`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Photo {
    /// Id.
    pub id: String,
    /// What it shows.
    pub role: PhotoRole,
    /// The large rendition's width.
    pub width: u32,
    /// The large rendition's height.
    pub height: u32,
    /// When it was taken (EXIF DateTimeOriginal, `YYYY:MM:DD HH:MM:SS`), kept as evidence.
    pub captured_at: Option<String>,
}

impl From<core::Photo> for Photo {
    fn from(p: core::Photo) -> Self {
        Self {
            id: p.id,
            role: p.role.into(),
            width: p.width,
            height: p.height,
            captured_at: p.captured_at,
        }
    }
}

/// The fields of an item a member fills in. Money is in øre.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ItemFields {
    /// Name (required).
    pub name: String,
    /// Description.
    #[uniffi(default)]
    pub description: Option<String>,
    /// Room name; created if new.
    #[uniffi(default)]
    pub room: Option<String>,
    /// Category.
    #[uniffi(default)]
    pub category: Option<String>,
    /// Brand.
    #[uniffi(default)]
    pub brand: Option<String>,
    /// Model.
    #[uniffi(default)]
    pub model: Option<String>,
    /// Serial number.
    #[uniffi(default)]
    pub serial_number: Option<String>,
    /// How many.
    #[uniffi(default = 1)]
    pub quantity: u32,
    /// Purchase date `YYYY-MM-DD`.
    #[uniffi(default)]
    pub purchase_date: Option<String>,
    /// Where bought.
    #[uniffi(default)]
    pub purchase_place: Option<String>,
    /// Price paid, øre.
    #[uniffi(default)]
    pub purchase_price: Option<u64>,
    /// Currency (ISO 4217), NOK by default.
    #[uniffi(default)]
    pub currency: Option<String>,
    /// What replacing it costs now, øre.
    #[uniffi(default)]
    pub replacement_value: Option<u64>,
    /// Receipt number.
    #[uniffi(default)]
    pub receipt_number: Option<String>,
    /// Warranty end `YYYY-MM-DD`.
    #[uniffi(default)]
    pub warranty_end: Option<String>,
    /// Notes.
    #[uniffi(default)]
    pub notes: Option<String>,
    /// Tags.
    #[uniffi(default)]
    pub tags: Vec<String>,
}

impl From<core::ItemFields> for ItemFields {
    fn from(f: core::ItemFields) -> Self {
        Self {
            name: f.name,
            description: f.description,
            room: f.room,
            category: f.category,
            brand: f.brand,
            model: f.model,
            serial_number: f.serial_number,
            quantity: f.quantity,
            purchase_date: f.purchase_date,
            purchase_place: f.purchase_place,
            purchase_price: f.purchase_price,
            currency: f.currency,
            replacement_value: f.replacement_value,
            receipt_number: f.receipt_number,
            warranty_end: f.warranty_end,
            notes: f.notes,
            tags: f.tags,
        }
    }
}

impl From<ItemFields> for core::ItemFields {
    fn from(f: ItemFields) -> Self {
        Self {
            name: f.name,
            description: f.description,
            room: f.room,
            category: f.category,
            brand: f.brand,
            model: f.model,
            serial_number: f.serial_number,
            quantity: f.quantity,
            purchase_date: f.purchase_date,
            purchase_place: f.purchase_place,
            purchase_price: f.purchase_price,
            currency: f.currency,
            replacement_value: f.replacement_value,
            receipt_number: f.receipt_number,
            warranty_end: f.warranty_end,
            notes: f.notes,
            tags: f.tags,
        }
    }
}

/// An item with its photos.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Item {
    /// Id.
    pub id: String,
    /// The member's fields.
    pub fields: ItemFields,
    /// Its photos, oldest first.
    pub photos: Vec<Photo>,
    /// Last change (Unix seconds).
    pub updated_at: i64,
}

impl From<core::Item> for Item {
    fn from(i: core::Item) -> Self {
        Self {
            id: i.id,
            fields: i.fields.into(),
            photos: i.photos.into_iter().map(Into::into).collect(),
            updated_at: i.updated_at,
        }
    }
}

/// What a room or a category adds up to. Money in øre.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GroupTotal {
    /// The room or category (none: not given).
    pub name: Option<String>,
    /// Items (quantities counted).
    pub items: u64,
    /// What was paid.
    pub purchase_price: u64,
    /// What replacing them costs (the purchase price where no replacement value is given).
    pub replacement_value: u64,
    /// What they are worth today after depreciation.
    pub current_value: u64,
}

impl From<core::GroupTotal> for GroupTotal {
    fn from(g: core::GroupTotal) -> Self {
        Self {
            name: g.name,
            items: g.items,
            purchase_price: g.purchase_price,
            replacement_value: g.replacement_value,
            current_value: g.current_value,
        }
    }
}

/// The inventory's totals beside the insured sum. Money in øre.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Totals {
    /// By room.
    pub by_room: Vec<GroupTotal>,
    /// By category.
    pub by_category: Vec<GroupTotal>,
    /// Everything.
    pub all: GroupTotal,
    /// The insured sum the member gave.
    pub insured_sum: Option<u64>,
    /// How much the replacement value exceeds the insured sum (0 when covered).
    pub shortfall: Option<u64>,
}

impl From<core::Totals> for Totals {
    fn from(t: core::Totals) -> Self {
        Self {
            by_room: t.by_room.into_iter().map(Into::into).collect(),
            by_category: t.by_category.into_iter().map(Into::into).collect(),
            all: t.all.into(),
            insured_sum: t.insured_sum,
            shortfall: t.shortfall,
        }
    }
}

/// How a category loses value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DepreciationRule {
    /// The category (lower case); none: every category without a rule.
    pub category: Option<String>,
    /// Percent of the base lost per whole year of age.
    pub yearly_percent: u32,
    /// The least it is worth, percent of the base.
    pub floor_percent: u32,
    /// Set by the member rather than the built-in table.
    pub member_set: bool,
}

impl From<core::DepreciationRule> for DepreciationRule {
    fn from(r: core::DepreciationRule) -> Self {
        Self {
            category: r.category,
            yearly_percent: r.yearly_percent,
            floor_percent: r.floor_percent,
            member_set: r.member_set,
        }
    }
}

/// What an item is worth today, and why. Money in øre.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Valuation {
    /// Replacement value, else purchase price, times the quantity; none when neither is given.
    pub base: Option<u64>,
    /// The value today.
    pub current: Option<u64>,
    /// Whole years since purchase; none without a purchase date (nothing is deducted then).
    pub age_years: Option<u32>,
    /// The rule applied.
    pub rule: DepreciationRule,
}

impl From<core::Valuation> for Valuation {
    fn from(v: core::Valuation) -> Self {
        Self {
            base: v.base,
            current: v.current,
            age_years: v.age_years,
            rule: v.rule.into(),
        }
    }
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoreSummary {
    /// Items added.
    pub items: u32,
    /// Photos added.
    pub photos: u32,
    /// Items and photos already on this phone, left as they were.
    pub already_here: u32,
}

impl From<core::RestoreSummary> for RestoreSummary {
    fn from(s: core::RestoreSummary) -> Self {
        Self {
            items: s.items,
            photos: s.photos,
            already_here: s.already_here,
        }
    }
}

/// Where a photo's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PhotoSource {
    /// JPEG or PNG bytes (HEIC converted to JPEG by the platform first).
    Bytes {
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// A JPEG or PNG file the app may read.
    File {
        /// Its path.
        path: String,
    },
}

impl From<PhotoSource> for core::PhotoSource {
    fn from(s: PhotoSource) -> Self {
        match s {
            PhotoSource::Bytes { bytes } => Self::Bytes(bytes),
            PhotoSource::File { path } => Self::File(path.into()),
        }
    }
}

/// What an imported photo is attached to.
// Lifted and lowered by value across the FFI once per photo: a box would save nothing there.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ImportTarget {
    /// A new item with these fields.
    NewItem {
        /// Its fields.
        fields: ItemFields,
    },
    /// An existing item.
    Item {
        /// The item's id.
        item_id: String,
        /// What the photo shows.
        role: PhotoRole,
    },
    /// An overview of a room (created if new).
    Room {
        /// The room's name.
        name: String,
    },
}

impl From<ImportTarget> for core::ImportTarget {
    fn from(t: ImportTarget) -> Self {
        match t {
            ImportTarget::NewItem { fields } => Self::NewItem(Box::new(fields.into())),
            ImportTarget::Item { item_id, role } => Self::Item {
                item_id,
                role: role.into(),
            },
            ImportTarget::Room { name } => Self::Room(name),
        }
    }
}

/// One photo to import.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhotoImport {
    /// Its bytes.
    pub source: PhotoSource,
    /// Where it goes.
    pub target: ImportTarget,
    /// Keep the original too (its metadata, GPS included, removed).
    pub keep_original: bool,
}

impl From<PhotoImport> for core::PhotoImport {
    fn from(p: PhotoImport) -> Self {
        Self {
            source: p.source.into(),
            target: p.target.into(),
            keep_original: p.keep_original,
        }
    }
}

/// What became of one photo of an import.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportOutcome {
    /// Its place in the list given to `start_import`.
    pub index: u32,
    /// The item it belongs to (none for a room overview or a refused photo).
    pub item_id: Option<String>,
    /// The photo's id, when it went in.
    pub photo_id: Option<String>,
    /// The same photo was there already: nothing new was stored.
    pub duplicate: bool,
    /// Why it was refused, when it was.
    pub error: Option<LofavorError>,
}

impl From<core::ImportOutcome> for ImportOutcome {
    fn from(o: core::ImportOutcome) -> Self {
        match o.result {
            Ok(p) => Self {
                index: o.index,
                item_id: p.item_id,
                photo_id: Some(p.photo_id),
                duplicate: p.duplicate,
                error: None,
            },
            Err(e) => Self {
                index: o.index,
                item_id: None,
                photo_id: None,
                duplicate: false,
                error: Some(e.into()),
            },
        }
    }
}

/// How far an import is.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportProgress {
    /// Photos finished.
    pub done: u32,
    /// Photos in the import.
    pub total: u32,
    /// The photo just finished.
    pub outcome: ImportOutcome,
}

/// The end of an import.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportSummary {
    /// Each finished photo, in request order.
    pub outcomes: Vec<ImportOutcome>,
    /// Photos that went in (duplicates included).
    pub imported: u32,
    /// Photos refused.
    pub refused: u32,
    /// Photos not started because the import was cancelled.
    pub cancelled: u32,
}

impl From<core::ImportSummary> for ImportSummary {
    fn from(s: core::ImportSummary) -> Self {
        Self {
            imported: s.imported(),
            refused: s.refused(),
            cancelled: s.cancelled,
            outcomes: s.outcomes.into_iter().map(Into::into).collect(),
        }
    }
}

/// Receives an import's progress, from a background thread, one call at a time. Return
/// quickly (post to the main thread); never wait on another core call from here.
#[uniffi::export(with_foreign)]
pub trait ImportObserver: Send + Sync {
    /// One more photo is finished.
    fn on_progress(&self, progress: ImportProgress);
}

struct ForeignImportObserver(Arc<dyn ImportObserver>);

impl core::ImportObserver for ForeignImportObserver {
    fn on_progress(&self, progress: core::ImportProgress) {
        self.0.on_progress(ImportProgress {
            done: progress.done,
            total: progress.total,
            outcome: progress.outcome.into(),
        });
    }
}

/// A running import.
#[derive(Debug, uniffi::Object)]
pub struct ImportJob {
    inner: core::ImportJob,
}

#[uniffi::export]
impl ImportJob {
    /// Stops the import after the photos being worked on now (they finish whole).
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    /// Waits for the end of the import; only the first call gets the summary.
    pub async fn finish(&self) -> Result<ImportSummary, LofavorError> {
        Ok(self.inner.finish().await?.into())
    }
}

/// Husk Hva Du Har: `core.inventory()`. Calls without `async` read or write the local
/// database: call them off the main thread.
#[derive(Debug, uniffi::Object)]
pub struct InventoryHandle {
    pub(crate) inner: core::InventoryHandle,
}

#[uniffi::export]
impl LofavorCore {
    /// Husk Hva Du Har.
    pub fn inventory(&self) -> Arc<InventoryHandle> {
        Arc::new(InventoryHandle {
            inner: self.inner.inventory().clone(),
        })
    }
}

#[uniffi::export]
impl InventoryHandle {
    /// Adds an item without photos; its id.
    pub fn add_item(&self, fields: ItemFields) -> Result<String, LofavorError> {
        Ok(self.inner.add_item(fields.into())?)
    }

    /// Replaces the fields of item `id`.
    pub fn update_item(&self, id: String, fields: ItemFields) -> Result<(), LofavorError> {
        Ok(self.inner.update_item(&id, fields.into())?)
    }

    /// Deletes item `id`.
    pub fn delete_item(&self, id: String) -> Result<(), LofavorError> {
        Ok(self.inner.delete_item(&id)?)
    }

    /// Item `id` with its photos.
    pub fn item(&self, id: String) -> Result<Item, LofavorError> {
        Ok(self.inner.item(&id)?.into())
    }

    /// Every item, by room and name.
    pub fn items(&self) -> Result<Vec<Item>, LofavorError> {
        Ok(self.inner.items()?.into_iter().map(Into::into).collect())
    }

    /// The rooms, by name.
    pub fn rooms(&self) -> Result<Vec<Room>, LofavorError> {
        Ok(self.inner.rooms()?.into_iter().map(Into::into).collect())
    }

    /// The overview photos of the room named `room`.
    pub fn room_photos(&self, room: String) -> Result<Vec<Photo>, LofavorError> {
        Ok(self
            .inner
            .room_photos(&room)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Items matching `text` as the member types it.
    pub fn search(&self, text: String) -> Result<Vec<Item>, LofavorError> {
        Ok(self
            .inner
            .search(&text)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Totals by room and category beside the insured sum.
    pub fn totals(&self) -> Result<Totals, LofavorError> {
        Ok(self.inner.totals()?.into())
    }

    /// Sets (or clears) the insured sum of the contents insurance, øre.
    pub fn set_insured_sum(&self, sum: Option<u64>) -> Result<(), LofavorError> {
        Ok(self.inner.set_insured_sum(sum)?)
    }

    /// What item `id` is worth today, and by which rule.
    pub fn valuation(&self, id: String) -> Result<Valuation, LofavorError> {
        Ok(self.inner.valuation(&id)?.into())
    }

    /// The depreciation rule of `category`.
    pub fn depreciation_rule(&self, category: String) -> Result<DepreciationRule, LofavorError> {
        Ok(self.inner.depreciation_rule(&category)?.into())
    }

    /// Sets the member's own rule for `category`; none goes back to the built-in one.
    pub fn set_depreciation_rule(
        &self,
        category: String,
        yearly_percent: Option<u32>,
        floor_percent: Option<u32>,
    ) -> Result<(), LofavorError> {
        let rule = yearly_percent.map(|y| (y, floor_percent.unwrap_or(0)));
        Ok(self.inner.set_depreciation_rule(&category, rule)?)
    }

    /// Writes an encrypted backup of everything to `path` (a file the app may write, e.g.
    /// in its cache for the share sheet), opened only by `passphrase`; the number of items.
    pub async fn backup(&self, path: String, passphrase: String) -> Result<u32, LofavorError> {
        Ok(self.inner.backup(path.into(), passphrase).await?)
    }

    /// Restores the backup at `path`.
    pub async fn restore(
        &self,
        path: String,
        passphrase: String,
    ) -> Result<RestoreSummary, LofavorError> {
        Ok(self.inner.restore(path.into(), passphrase).await?.into())
    }

    /// The JPEG of photo `id`: the 2048 px rendition, or the 320 px thumbnail.
    pub fn photo_jpeg(&self, id: String, thumbnail: bool) -> Result<Vec<u8>, LofavorError> {
        Ok(self.inner.photo_jpeg(&id, thumbnail)?)
    }

    /// The original of photo `id` without its metadata, if the member kept it.
    pub fn photo_original(&self, id: String) -> Result<Option<Vec<u8>>, LofavorError> {
        Ok(self.inner.photo_original(&id)?)
    }

    /// Starts importing `photos` in the background, a few at a time; progress goes to
    /// `observer`. Each photo goes in whole or not at all.
    pub fn start_import(
        &self,
        photos: Vec<PhotoImport>,
        observer: Arc<dyn ImportObserver>,
    ) -> Result<Arc<ImportJob>, LofavorError> {
        let inner = self.inner.start_import(
            photos.into_iter().map(Into::into).collect(),
            Arc::new(ForeignImportObserver(observer)),
        )?;
        Ok(Arc::new(ImportJob { inner }))
    }
}
