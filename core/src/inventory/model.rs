//! The inventory's records as the shells see them.

/// A room of the home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// Id.
    pub id: String,
    /// Name ("Stue").
    pub name: String,
}

/// What a photo shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
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

impl PhotoRole {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoRole::Item => "item",
            PhotoRole::Receipt => "receipt",
            PhotoRole::SerialPlate => "serial_plate",
            PhotoRole::RoomOverview => "room_overview",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        [
            PhotoRole::Item,
            PhotoRole::Receipt,
            PhotoRole::SerialPlate,
            PhotoRole::RoomOverview,
        ]
        .into_iter()
        .find(|r| r.as_str() == name)
    }
}

/// A photo, without its pixels (read them with `photo_jpeg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// Id.
    pub id: String,
    /// What it shows.
    pub role: PhotoRole,
    /// The large rendition's size.
    pub width: u32,
    /// The large rendition's height.
    pub height: u32,
    /// EXIF DateTimeOriginal, kept as evidence (`YYYY:MM:DD HH:MM:SS`).
    pub captured_at: Option<String>,
}

/// The fields of an item a member fills in.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ItemFields {
    /// Name (required).
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Room name; created if new.
    pub room: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// How many.
    pub quantity: u32,
    /// Purchase date `YYYY-MM-DD`.
    pub purchase_date: Option<String>,
    /// Where bought.
    pub purchase_place: Option<String>,
    /// Price paid, øre.
    pub purchase_price: Option<u64>,
    /// Currency (ISO 4217), NOK by default.
    pub currency: Option<String>,
    /// What replacing it costs now, øre.
    pub replacement_value: Option<u64>,
    /// Receipt number.
    pub receipt_number: Option<String>,
    /// Warranty end `YYYY-MM-DD`.
    pub warranty_end: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

/// An item with its photos.
#[derive(Debug, Clone, PartialEq, Eq)]
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
