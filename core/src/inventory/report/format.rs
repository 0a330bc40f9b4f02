//! Money, dates and sizes as people in Norway read them: `kr 12 345,00` (a no-break space
//! between thousands, a decimal comma) and `3. desember 2026` in nb and nn; `NOK 12,345.00`
//! and `3 December 2026` in English. The CSV gets plain numbers a spreadsheet can sum.

use chrono::{Datelike, NaiveDate};

use crate::config::Locale;

const NO_BREAK_SPACE: char = '\u{a0}';

fn grouped(mut whole: u64, separator: char) -> String {
    let mut groups = Vec::new();
    loop {
        let group = whole % 1000;
        whole /= 1000;
        if whole == 0 {
            groups.push(group.to_string());
            break;
        }
        groups.push(format!("{group:03}"));
    }
    groups.reverse();
    groups.join(&separator.to_string())
}

/// `ore` in `currency` for people: `kr 12 345,00` / `NOK 12,345.00`.
pub(crate) fn money(locale: Locale, ore: u64, currency: &str) -> String {
    let (whole, cents) = (ore / 100, ore % 100);
    match locale {
        Locale::Nb | Locale::Nn => {
            let symbol = if currency == "NOK" { "kr" } else { currency };
            format!(
                "{symbol}{NO_BREAK_SPACE}{},{cents:02}",
                grouped(whole, NO_BREAK_SPACE)
            )
        }
        Locale::En => format!(
            "{currency}{NO_BREAK_SPACE}{}.{cents:02}",
            grouped(whole, ',')
        ),
    }
}

/// `ore` as a number a spreadsheet in `locale` reads: `12345,00` / `12345.00`.
pub(crate) fn plain_amount(locale: Locale, ore: u64) -> String {
    let mark = if locale == Locale::En { '.' } else { ',' };
    format!("{}{mark}{:02}", ore / 100, ore % 100)
}

const MONTHS_NO: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `date` for people: `3. desember 2026` / `3 December 2026`.
pub(crate) fn date(locale: Locale, date: NaiveDate) -> String {
    let month = date.month0() as usize % 12;
    match locale {
        Locale::Nb | Locale::Nn => format!("{}. {} {}", date.day(), MONTHS_NO[month], date.year()),
        Locale::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

/// A stored `YYYY-MM-DD` (or an EXIF `YYYY:MM:DD ...`) for people; as stored if unreadable.
pub(crate) fn stored_date(locale: Locale, text: &str) -> String {
    let day = text.get(..10).unwrap_or(text).replace(':', "-");
    match NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
        Ok(parsed) => date(locale, parsed),
        Err(_) => text.to_owned(),
    }
}

/// A file size for people: `2,4 MB` / `2.4 MB`.
pub(crate) fn size(locale: Locale, bytes: usize) -> String {
    let (value, unit) = if bytes >= 1_000_000 {
        (bytes as f64 / 1_000_000.0, "MB")
    } else {
        (bytes as f64 / 1_000.0, "kB")
    };
    let text = format!("{value:.1} {unit}");
    if locale == Locale::En {
        text
    } else {
        text.replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn money_and_dates_read_as_in_norway() {
        assert_eq!(
            money(Locale::Nb, 1_234_500, "NOK"),
            "kr\u{a0}12\u{a0}345,00"
        );
        assert_eq!(money(Locale::Nb, 5, "NOK"), "kr\u{a0}0,05");
        assert_eq!(
            money(Locale::Nn, 100_000_000, "EUR"),
            "EUR\u{a0}1\u{a0}000\u{a0}000,00"
        );
        assert_eq!(money(Locale::En, 1_234_567, "NOK"), "NOK\u{a0}12,345.67");
        assert_eq!(plain_amount(Locale::Nb, 1_234_567), "12345,67");
        assert_eq!(plain_amount(Locale::En, 1_234_567), "12345.67");
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(date(Locale::Nb, day), "3. desember 2026");
        assert_eq!(date(Locale::En, day), "3 December 2026");
        assert_eq!(
            stored_date(Locale::Nn, "2024:05:01 12:00:00"),
            "1. mai 2024"
        );
        assert_eq!(stored_date(Locale::Nb, "nonsense"), "nonsense");
        assert_eq!(size(Locale::Nb, 2_400_000), "2,4 MB");
    }
}
