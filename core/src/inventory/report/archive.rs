//! The ZIP: the PDF, the CSV and every photo of every item as the 2048 px JPEG the app keeps
//! (byte for byte what `photo_jpeg` gives), named by item and role so an insurer can match
//! them to the CSV's photo column. JPEGs are stored, not deflated: they do not get smaller.

use std::io::Write;

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::inventory::error::InventoryError;
use crate::inventory::model::Item;

/// The PDF's name in the ZIP.
pub const PDF_NAME: &str = "report.pdf";
/// The CSV's name in the ZIP.
pub const CSV_NAME: &str = "items.csv";

/// A name made of `name`'s letters and digits, lower case, words joined by `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "item".to_owned()
    } else {
        out.to_owned()
    }
}

/// The ZIP path of each photo of each item, in the items' and photos' order:
/// `photos/003-kaffemaskin/receipt-1.jpg`.
pub(crate) fn photo_names(items: &[Item]) -> Vec<Vec<String>> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let folder = format!("photos/{:03}-{}", i + 1, slug(&item.fields.name));
            let mut seen: Vec<&str> = Vec::new();
            item.photos
                .iter()
                .map(|p| {
                    seen.push(p.role.as_str());
                    let n = seen.iter().filter(|r| **r == p.role.as_str()).count();
                    format!("{folder}/{}-{n}.jpg", p.role.as_str())
                })
                .collect()
        })
        .collect()
}

fn zip_error(_: zip::result::ZipError) -> InventoryError {
    InventoryError::File("the ZIP could not be written".into())
}

/// The ZIP of `pdf`, `csv` and each photo `jpeg(photo id)` gives, under `names`.
pub(crate) fn render(
    items: &[Item],
    names: &[Vec<String>],
    pdf: &[u8],
    csv: &[u8],
    jpeg: &mut dyn FnMut(&str) -> Result<Vec<u8>, InventoryError>,
) -> Result<Vec<u8>, InventoryError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file(PDF_NAME, stored).map_err(zip_error)?;
    zip.write_all(pdf)?;
    zip.start_file(CSV_NAME, deflated).map_err(zip_error)?;
    zip.write_all(csv)?;
    for (item, names) in items.iter().zip(names) {
        for (photo, name) in item.photos.iter().zip(names) {
            zip.start_file(name.as_str(), stored).map_err(zip_error)?;
            zip.write_all(&jpeg(&photo.id)?)?;
        }
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_norwegian_letters_and_drop_the_rest() {
        assert_eq!(slug("Bærbar PC (Øyvind's)"), "bærbar-pc-øyvind-s");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("!!!"), "item");
        assert!(slug(&"å".repeat(100)).chars().count() <= 40);
    }
}
