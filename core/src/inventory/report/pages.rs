//! The report's pages: the cover (member, address, date, totals), the summary by room, then
//! one page per item with its fields and its photos (the item, its receipt, its serial plate).
//! The page count is known before the first page is drawn, so every footer says "page n of m".

use super::data::ReportData;
use super::font::{self, Face};
use super::format;
use super::pdf::{Document, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, Page};
use super::text::{label, label_with};
use crate::inventory::error::InventoryError;
use crate::inventory::model::{Item, Photo, PhotoRole};

const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const ROW: f32 = 18.0;
/// Rows of the room summary on one page.
const ROOMS_PER_PAGE: usize = 34;
/// The photo roles an item's page shows, in this order: the first photo of each.
const SHOWN: [(PhotoRole, &str); 3] = [
    (PhotoRole::Item, "photo-item"),
    (PhotoRole::Receipt, "photo-receipt"),
    (PhotoRole::SerialPlate, "photo-serial-plate"),
];

/// Where the photos' JPEGs come from (the chosen rendition of a photo).
pub(crate) type PhotoSource<'a> = dyn FnMut(&Photo) -> Result<Vec<u8>, InventoryError> + 'a;

/// The PDF of `data` and its page count.
pub(crate) fn render(
    data: &ReportData,
    photos: &mut PhotoSource<'_>,
) -> Result<(Vec<u8>, u32), InventoryError> {
    let locale = data.locale;
    let room_rows = data.totals.by_room.len() + 1;
    let summary_pages = room_rows.div_ceil(ROOMS_PER_PAGE);
    let total = 1 + summary_pages + data.items.len();
    let mut doc = Document::new(&label(locale, "report-title"));
    let mut number = 0;
    let mut finish = |doc: &mut Document, mut page: Page| {
        number += 1;
        let footer = label_with(
            locale,
            "report-page",
            &[("page", &number.to_string()), ("pages", &total.to_string())],
        );
        page.text(
            Face::Regular,
            8.0,
            MARGIN,
            30.0,
            &label(locale, "report-title"),
            0.4,
        );
        page.text_right(Face::Regular, 8.0, RIGHT, 30.0, &footer);
        doc.add(page);
    };
    let cover = cover(data);
    finish(&mut doc, cover);
    let rows = &data.totals.by_room;
    for chunk in 0..summary_pages {
        let start = chunk * ROOMS_PER_PAGE;
        let page = summary(
            data,
            rows.get(start..).unwrap_or_default(),
            chunk + 1 == summary_pages,
        );
        finish(&mut doc, page);
    }
    for item in &data.items {
        let page = item_page(data, item, &mut doc, photos)?;
        finish(&mut doc, page);
    }
    Ok((doc.finish(), u32::try_from(total).unwrap_or(u32::MAX)))
}

fn heading(page: &mut Page, text: &str) -> f32 {
    let top = PAGE_HEIGHT - MARGIN - 16.0;
    page.text(Face::Bold, 16.0, MARGIN, top, text, 0.0);
    top - 30.0
}

fn cover(data: &ReportData) -> Page {
    let locale = data.locale;
    let mut page = Page::new();
    let mut y = PAGE_HEIGHT - MARGIN - 26.0;
    page.text(
        Face::Bold,
        26.0,
        MARGIN,
        y,
        &label(locale, "report-title"),
        0.0,
    );
    y -= 22.0;
    page.text(
        Face::Regular,
        12.0,
        MARGIN,
        y,
        &label(locale, "report-subtitle"),
        0.35,
    );
    y -= 48.0;
    let totals = &data.totals;
    let money = |ore| format::money(locale, ore, "NOK");
    let mut rows: Vec<(&str, Option<String>)> = vec![
        (
            "report-member",
            Some(data.member.clone().unwrap_or_else(|| "–".into())),
        ),
        ("report-member-number", data.member_number.clone()),
        ("report-address", data.address.clone()),
        ("report-date", Some(format::date(locale, data.date))),
        ("", None),
        ("report-items-count", Some(totals.all.items.to_string())),
        (
            "report-purchase-total",
            Some(money(totals.all.purchase_price)),
        ),
        (
            "report-replacement-total",
            Some(money(totals.all.replacement_value)),
        ),
        ("report-insured-sum", totals.insured_sum.map(money)),
    ];
    if let Some(short) = totals.shortfall.filter(|s| *s > 0) {
        rows.push(("report-shortfall", Some(money(short))));
    }
    for (id, value) in rows {
        if id.is_empty() {
            y -= 14.0;
            continue;
        }
        let Some(value) = value else { continue };
        page.text(Face::Bold, 11.0, MARGIN, y, &label(locale, id), 0.0);
        for line in font::wrap(Face::Regular, 11.0, &value, CONTENT_WIDTH - 190.0, 4) {
            page.text(Face::Regular, 11.0, MARGIN + 190.0, y, &line, 0.0);
            y -= 16.0;
        }
        y -= 4.0;
    }
    page
}

fn summary(data: &ReportData, rows: &[crate::inventory::GroupTotal], last: bool) -> Page {
    let locale = data.locale;
    let mut page = Page::new();
    let mut y = heading(&mut page, &label(locale, "report-rooms-title"));
    let columns = [300.0, 415.0, RIGHT];
    let header = [
        "field-quantity",
        "field-purchase-price",
        "field-replacement-value",
    ];
    page.text(
        Face::Bold,
        9.5,
        MARGIN,
        y,
        &label(locale, "field-room"),
        0.0,
    );
    for (right, id) in columns.iter().zip(header) {
        page.text_right(Face::Bold, 9.5, *right, y, &label(locale, id));
    }
    page.rule(MARGIN, RIGHT, y - 5.0);
    y -= ROW;
    let money = |ore| format::money(locale, ore, "NOK");
    let line = |page: &mut Page, face, name: &str, g: &crate::inventory::GroupTotal, y| {
        let name = font::wrap(face, 10.0, name, 220.0, 1).concat();
        page.text(face, 10.0, MARGIN, y, &name, 0.0);
        page.text_right(face, 10.0, columns[0], y, &g.items.to_string());
        page.text_right(face, 10.0, columns[1], y, &money(g.purchase_price));
        page.text_right(face, 10.0, columns[2], y, &money(g.replacement_value));
    };
    for group in rows.iter().take(ROOMS_PER_PAGE) {
        let name = group
            .name
            .clone()
            .unwrap_or_else(|| label(locale, "report-no-room"));
        line(&mut page, Face::Regular, &name, group, y);
        y -= ROW;
    }
    if last && rows.len() < ROOMS_PER_PAGE {
        page.rule(MARGIN, RIGHT, y + ROW - 5.0);
        line(
            &mut page,
            Face::Bold,
            &label(locale, "report-total"),
            &data.totals.all,
            y,
        );
    }
    page
}

/// The label and value of each field of `item` that has one.
fn fields(data: &ReportData, item: &Item) -> Vec<(String, String, usize)> {
    let locale = data.locale;
    let f = &item.fields;
    let currency = f.currency.as_deref().unwrap_or("NOK");
    let money = |v: Option<u64>| v.map(|ore| format::money(locale, ore, currency));
    let day = |v: &Option<String>| v.as_deref().map(|d| format::stored_date(locale, d));
    let tags = (!f.tags.is_empty()).then(|| f.tags.join(", "));
    [
        ("field-brand", f.brand.clone(), 1),
        ("field-model", f.model.clone(), 1),
        ("field-serial", f.serial_number.clone(), 1),
        ("field-quantity", Some(f.quantity.to_string()), 1),
        ("field-purchase-date", day(&f.purchase_date), 1),
        ("field-purchase-place", f.purchase_place.clone(), 2),
        ("field-purchase-price", money(f.purchase_price), 1),
        ("field-replacement-value", money(f.replacement_value), 1),
        ("field-receipt-number", f.receipt_number.clone(), 1),
        ("field-warranty-end", day(&f.warranty_end), 1),
        ("field-tags", tags, 2),
        ("field-description", f.description.clone(), 6),
        ("field-notes", f.notes.clone(), 6),
    ]
    .into_iter()
    .filter_map(|(id, value, lines)| value.map(|v| (label(locale, id), v, lines)))
    .collect()
}

/// The photos an item's page shows, with their caption's label id: the first of each role.
pub(crate) fn shown(item: &Item) -> Vec<(&Photo, &'static str)> {
    SHOWN
        .iter()
        .filter_map(|(role, id)| {
            let photo = item.photos.iter().find(|p| p.role == *role)?;
            Some((photo, *id))
        })
        .collect()
}

fn item_page(
    data: &ReportData,
    item: &Item,
    doc: &mut Document,
    photos: &mut PhotoSource<'_>,
) -> Result<Page, InventoryError> {
    let locale = data.locale;
    let mut page = Page::new();
    let mut y = PAGE_HEIGHT - MARGIN - 16.0;
    for line in font::wrap(Face::Bold, 16.0, &item.fields.name, CONTENT_WIDTH, 2) {
        page.text(Face::Bold, 16.0, MARGIN, y, &line, 0.0);
        y -= 20.0;
    }
    let place: Vec<&str> = [&item.fields.room, &item.fields.category]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !place.is_empty() {
        page.text(Face::Regular, 10.0, MARGIN, y, &place.join(" · "), 0.35);
        y -= 14.0;
    }
    y -= 10.0;
    for (name, value, lines) in fields(data, item) {
        page.text(Face::Bold, 9.5, MARGIN, y, &name, 0.0);
        for line in font::wrap(Face::Regular, 10.0, &value, CONTENT_WIDTH - 150.0, lines) {
            page.text(Face::Regular, 10.0, MARGIN + 150.0, y, &line, 0.0);
            y -= 13.0;
        }
        y -= 3.0;
    }
    let shown = shown(item);
    let top = y - 12.0;
    if shown.is_empty() {
        page.text(
            Face::Regular,
            10.0,
            MARGIN,
            top - 10.0,
            &label(locale, "photo-none"),
            0.4,
        );
        return Ok(page);
    }
    let gap = 12.0;
    let count = shown.len() as f32;
    let box_width = (CONTENT_WIDTH - gap * (count - 1.0)) / count;
    let box_height = (top - 60.0 - 14.0).max(60.0);
    for (i, (photo, caption_id)) in shown.into_iter().enumerate() {
        let jpeg = photos(photo)?;
        let Some((image, info)) = doc.image(&jpeg) else {
            continue;
        };
        let scale = (box_width / info.width as f32).min(box_height / info.height as f32);
        let (w, h) = (info.width as f32 * scale, info.height as f32 * scale);
        let x = MARGIN + i as f32 * (box_width + gap);
        page.image(image, x, top - h, w, h);
        let mut caption = label(locale, caption_id);
        if let Some(taken) = &photo.captured_at {
            let date = format::stored_date(locale, taken);
            caption = format!(
                "{caption} · {}",
                label_with(locale, "photo-taken", &[("date", &date)])
            );
        }
        let caption = font::wrap(Face::Regular, 8.5, &caption, box_width, 1).concat();
        page.text(Face::Regular, 8.5, x, top - h - 11.0, &caption, 0.3);
    }
    Ok(page)
}
