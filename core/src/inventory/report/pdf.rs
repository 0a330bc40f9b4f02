//! The PDF, written object by object with `pdf-writer`: A4 pages, the standard Helvetica faces
//! in WinAnsiEncoding (see `font`), and the photos' JPEG renditions embedded as they are
//! stored (DCTDecode: not decoded, not re-encoded, so the insurer sees the same bytes the
//! member's phone keeps, and a report of 200 items costs no image work).

use pdf_writer::types::ProcSet;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::font::{self, Face};

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
/// A4 in points.
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// The margin on every side.
pub(crate) const MARGIN: f32 = 50.0;

/// The size and colour model of a JPEG, from its frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JpegInfo {
    /// Pixels across.
    pub(crate) width: u32,
    /// Pixels down.
    pub(crate) height: u32,
    /// 1 (grey), 3 (colour) or 4 (CMYK).
    pub(crate) components: u8,
}

/// Reads the frame header (SOF0..SOF15 but DHT, JPG and DAC) of `jpeg`; `None` if it has none.
pub(crate) fn jpeg_info(jpeg: &[u8]) -> Option<JpegInfo> {
    if jpeg.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut at = 2;
    loop {
        while *jpeg.get(at)? != 0xFF {
            at += 1;
        }
        while *jpeg.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *jpeg.get(at)?;
        at += 1;
        if matches!(marker, 0xD0..=0xD9 | 0x01) {
            continue;
        }
        let length = usize::from(u16::from_be_bytes([*jpeg.get(at)?, *jpeg.get(at + 1)?]));
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let height = u16::from_be_bytes([*jpeg.get(at + 3)?, *jpeg.get(at + 4)?]);
            let width = u16::from_be_bytes([*jpeg.get(at + 5)?, *jpeg.get(at + 6)?]);
            let components = *jpeg.get(at + 7)?;
            return (width > 0 && height > 0 && matches!(components, 1 | 3 | 4)).then_some(
                JpegInfo {
                    width: u32::from(width),
                    height: u32::from(height),
                    components,
                },
            );
        }
        at += length;
    }
}

/// The document under construction.
pub(crate) struct Document {
    pdf: Pdf,
    next: i32,
    pages_id: Ref,
    page_ids: Vec<Ref>,
    regular: Ref,
    bold: Ref,
}

/// One page under construction: its drawing and the images it shows.
pub(crate) struct Page {
    content: Content,
    images: Vec<(String, Ref)>,
}

impl Document {
    /// An empty document titled `title`.
    pub(crate) fn new(title: &str) -> Self {
        let mut pdf = Pdf::new();
        let (catalog, pages_id, regular, bold, info) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
        );
        pdf.catalog(catalog).pages(pages_id);
        for (id, base) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
            pdf.type1_font(id)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info)
            .title(TextStr(title))
            .creator(TextStr("LOfavør – Husk Hva Du Har"));
        Self {
            pdf,
            next: 6,
            pages_id,
            page_ids: Vec::new(),
            regular,
            bold,
        }
    }

    fn alloc(&mut self) -> Ref {
        let id = Ref::new(self.next);
        self.next += 1;
        id
    }

    /// Embeds `jpeg` as an image; `None` if it is not a JPEG this can embed.
    pub(crate) fn image(&mut self, jpeg: &[u8]) -> Option<(Ref, JpegInfo)> {
        let info = jpeg_info(jpeg)?;
        let id = self.alloc();
        let mut image = self.pdf.image_xobject(id, jpeg);
        image.filter(Filter::DctDecode);
        image.width(i32::try_from(info.width).ok()?);
        image.height(i32::try_from(info.height).ok()?);
        image.bits_per_component(8);
        let space = image.color_space();
        match info.components {
            1 => space.device_gray(),
            4 => space.device_cmyk(),
            _ => space.device_rgb(),
        };
        image.finish();
        Some((id, info))
    }

    /// Adds `page` after the pages before it.
    pub(crate) fn add(&mut self, page: Page) {
        let (page_id, content_id) = (self.alloc(), self.alloc());
        let stream = page.content.finish();
        self.pdf.stream(content_id, &stream);
        let mut object = self.pdf.page(page_id);
        object
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(self.pages_id)
            .contents(content_id);
        let mut resources = object.resources();
        resources.proc_sets([ProcSet::Pdf, ProcSet::Text, ProcSet::ImageColor]);
        resources
            .fonts()
            .pair(Name(b"F1"), self.regular)
            .pair(Name(b"F2"), self.bold);
        let mut objects = resources.x_objects();
        for (name, id) in &page.images {
            objects.pair(Name(name.as_bytes()), *id);
        }
        objects.finish();
        resources.finish();
        object.finish();
        self.page_ids.push(page_id);
    }

    /// The finished file.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let count = i32::try_from(self.page_ids.len()).unwrap_or(i32::MAX);
        self.pdf
            .pages(self.pages_id)
            .kids(self.page_ids.iter().copied())
            .count(count);
        self.pdf.finish()
    }
}

impl Page {
    /// A blank page.
    pub(crate) fn new() -> Self {
        Self {
            content: Content::new(),
            images: Vec::new(),
        }
    }

    /// `text` with its left end at `x` and baseline at `y`, in grey `gray` (0 black).
    pub(crate) fn text(&mut self, face: Face, size: f32, x: f32, y: f32, text: &str, gray: f32) {
        let font = match face {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        };
        self.content.set_fill_gray(gray);
        self.content
            .begin_text()
            .set_font(font, size)
            .next_line(x, y)
            .show(Str(&font::encode(text)))
            .end_text();
    }

    /// `text` with its right end at `right`.
    pub(crate) fn text_right(&mut self, face: Face, size: f32, right: f32, y: f32, text: &str) {
        let x = right - font::width(face, size, text);
        self.text(face, size, x, y, text, 0.0);
    }

    /// A thin grey line across from `x1` to `x2` at `y`.
    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        self.content
            .set_stroke_gray(0.6)
            .set_line_width(0.5)
            .move_to(x1, y)
            .line_to(x2, y)
            .stroke();
    }

    /// Draws image `id` with its lower left corner at (`x`, `y`), `w` by `h` points.
    pub(crate) fn image(&mut self, id: Ref, x: f32, y: f32, w: f32, h: f32) {
        let name = format!("Im{}", self.images.len());
        self.content
            .save_state()
            .transform([w, 0.0, 0.0, h, x, y])
            .x_object(Name(name.as_bytes()))
            .restore_state();
        self.images.push((name, id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_header_gives_size_and_colours_and_junk_gives_nothing() {
        // SOI, an APP0 segment to skip, then SOF0: 8 bit, 2 high, 3 wide, 3 components.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        jpeg.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03]);
        assert_eq!(
            jpeg_info(&jpeg),
            Some(JpegInfo {
                width: 3,
                height: 2,
                components: 3
            })
        );
        assert_eq!(jpeg_info(b"\xFF\xD8\xFF"), None);
        assert_eq!(jpeg_info(b"GIF89a"), None);
        assert_eq!(jpeg_info(&jpeg[..12]), None);
    }
}
