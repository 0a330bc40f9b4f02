//! Text in the PDF's standard fonts: Helvetica and Helvetica-Bold with WinAnsiEncoding, which
//! every PDF reader has built in, so the library carries no font file. WinAnsi holds every
//! Norwegian letter (æ ø å Æ Ø Å) and the rest of Western European Latin; a character outside
//! it (Sámi č ŋ đ ŧ, say) is written as its base letter, and anything else as `?`: the CSV in
//! the same ZIP keeps every character as typed.
//!
//! Widths come from Adobe's metrics of the two fonts (the AFM files a crate ships), so lines
//! wrap and figures line up as a reader draws them.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The two faces the report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

/// The glyph names of WinAnsi codes 0x20..=0x7E.
#[rustfmt::skip]
const ASCII: [&str; 95] = [
    "space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "quotesingle",
    "parenleft", "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash", "zero",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "colon", "semicolon",
    "less", "equal", "greater", "question", "at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J",
    "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "bracketleft",
    "backslash", "bracketright", "asciicircum", "underscore", "grave", "a", "b", "c", "d", "e",
    "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x",
    "y", "z", "braceleft", "bar", "braceright", "asciitilde",
];

/// The glyph names of WinAnsi codes 0xA0..=0xFF (Latin-1).
#[rustfmt::skip]
const LATIN1: [&str; 96] = [
    "space", "exclamdown", "cent", "sterling", "currency", "yen", "brokenbar", "section",
    "dieresis", "copyright", "ordfeminine", "guillemotleft", "logicalnot", "hyphen", "registered",
    "macron", "degree", "plusminus", "twosuperior", "threesuperior", "acute", "mu", "paragraph",
    "periodcentered", "cedilla", "onesuperior", "ordmasculine", "guillemotright", "onequarter",
    "onehalf", "threequarters", "questiondown", "Agrave", "Aacute", "Acircumflex", "Atilde",
    "Adieresis", "Aring", "AE", "Ccedilla", "Egrave", "Eacute", "Ecircumflex", "Edieresis",
    "Igrave", "Iacute", "Icircumflex", "Idieresis", "Eth", "Ntilde", "Ograve", "Oacute",
    "Ocircumflex", "Otilde", "Odieresis", "multiply", "Oslash", "Ugrave", "Uacute", "Ucircumflex",
    "Udieresis", "Yacute", "Thorn", "germandbls", "agrave", "aacute", "acircumflex", "atilde",
    "adieresis", "aring", "ae", "ccedilla", "egrave", "eacute", "ecircumflex", "edieresis",
    "igrave", "iacute", "icircumflex", "idieresis", "eth", "ntilde", "ograve", "oacute",
    "ocircumflex", "otilde", "odieresis", "divide", "oslash", "ugrave", "uacute", "ucircumflex",
    "udieresis", "yacute", "thorn", "ydieresis",
];

/// WinAnsi's codes 0x80..=0x9F that differ from Latin-1: (code, character, glyph name).
#[rustfmt::skip]
const WINDOWS: [(u8, char, &str); 27] = [
    (0x80, '€', "Euro"), (0x82, '‚', "quotesinglbase"), (0x83, 'ƒ', "florin"),
    (0x84, '„', "quotedblbase"), (0x85, '…', "ellipsis"), (0x86, '†', "dagger"),
    (0x87, '‡', "daggerdbl"), (0x88, 'ˆ', "circumflex"), (0x89, '‰', "perthousand"),
    (0x8A, 'Š', "Scaron"), (0x8B, '‹', "guilsinglleft"), (0x8C, 'Œ', "OE"), (0x8E, 'Ž', "Zcaron"),
    (0x91, '‘', "quoteleft"), (0x92, '’', "quoteright"), (0x93, '“', "quotedblleft"),
    (0x94, '”', "quotedblright"), (0x95, '•', "bullet"), (0x96, '–', "endash"),
    (0x97, '—', "emdash"), (0x98, '˜', "tilde"), (0x99, '™', "trademark"), (0x9A, 'š', "scaron"),
    (0x9B, '›', "guilsinglright"), (0x9C, 'œ', "oe"), (0x9E, 'ž', "zcaron"),
    (0x9F, 'Ÿ', "Ydieresis"),
];

/// Letters outside WinAnsi written as their base letter (Sámi and other Latin letters a
/// Norwegian member's name or a brand may have).
#[rustfmt::skip]
const FOLDS: [(char, char); 28] = [
    ('č', 'c'), ('Č', 'C'), ('ć', 'c'), ('Ć', 'C'), ('đ', 'd'), ('Đ', 'D'),
    ('ŋ', 'n'), ('Ŋ', 'N'), ('ń', 'n'), ('Ń', 'N'), ('ŧ', 't'), ('Ŧ', 'T'), ('ǧ', 'g'), ('Ǧ', 'G'),
    ('ǩ', 'k'), ('Ǩ', 'K'), ('ʒ', 'z'), ('Ʒ', 'Z'), ('ǯ', 'z'), ('Ǯ', 'Z'), ('ł', 'l'), ('Ł', 'L'),
    ('ś', 's'), ('Ś', 'S'), ('ź', 'z'), ('ż', 'z'), ('ą', 'a'), ('ę', 'e'),
];

/// The WinAnsi code of `c`, if it has one.
fn code(c: char) -> Option<u8> {
    match c as u32 {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(c as u32).ok(),
        _ => WINDOWS.iter().find(|(_, w, _)| *w == c).map(|(b, _, _)| *b),
    }
}

/// `text` in WinAnsiEncoding, one byte per character (see the module's note on the rest).
pub(crate) fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            let c = match c {
                '\t' | '\n' | '\r' => ' ',
                '\u{2212}' => '-',
                '\u{202f}' | '\u{2009}' => '\u{a0}',
                other => other,
            };
            code(c)
                .or_else(|| {
                    FOLDS
                        .iter()
                        .find(|(from, _)| *from == c)
                        .and_then(|(_, to)| code(*to))
                })
                .unwrap_or(b'?')
        })
        .collect()
}

/// The glyph name of WinAnsi code `b`.
fn glyph(b: u8) -> Option<&'static str> {
    match b {
        0x20..=0x7E => ASCII.get(usize::from(b - 0x20)).copied(),
        0xA0..=0xFF => LATIN1.get(usize::from(b - 0xA0)).copied(),
        _ => WINDOWS.iter().find(|(c, _, _)| *c == b).map(|(_, _, n)| *n),
    }
}

/// Widths by WinAnsi code, in thousandths of the font size, read from an AFM file.
fn widths_of(afm: &str) -> [u16; 256] {
    let mut by_name: HashMap<&str, u16> = HashMap::new();
    for line in afm.lines().filter(|l| l.starts_with("C ")) {
        let mut width = None;
        let mut name = None;
        for part in line.split(';').map(str::trim) {
            if let Some(w) = part.strip_prefix("WX ") {
                width = w.trim().parse().ok();
            } else if let Some(n) = part.strip_prefix("N ") {
                name = Some(n.trim());
            }
        }
        if let (Some(w), Some(n)) = (width, name) {
            by_name.insert(n, w);
        }
    }
    let fallback = by_name.get("n").copied().unwrap_or(556);
    let mut widths = [fallback; 256];
    for (b, slot) in widths.iter_mut().enumerate() {
        if let Some(w) = u8::try_from(b)
            .ok()
            .and_then(glyph)
            .and_then(|name| by_name.get(name))
        {
            *slot = *w;
        }
    }
    widths
}

fn widths(face: Face) -> &'static [u16; 256] {
    static REGULAR: OnceLock<[u16; 256]> = OnceLock::new();
    static BOLD: OnceLock<[u16; 256]> = OnceLock::new();
    match face {
        Face::Regular => REGULAR.get_or_init(|| widths_of(pdf_core_14_font_afms::HELVETICA)),
        Face::Bold => BOLD.get_or_init(|| widths_of(pdf_core_14_font_afms::HELVETICA_BOLD)),
    }
}

/// How wide `text` is in `face` at `size` points.
pub(crate) fn width(face: Face, size: f32, text: &str) -> f32 {
    let table = widths(face);
    let units: u32 = encode(text)
        .iter()
        .map(|b| u32::from(table[usize::from(*b)]))
        .sum();
    units as f32 * size / 1000.0
}

/// `text` broken into lines at most `max` points wide (words longer than a line are cut);
/// at most `max_lines`, the last ending in `…` when text was left out.
pub(crate) fn wrap(face: Face, size: f32, text: &str, max: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(face, size, &candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than a line is cut where it no longer fits.
            for c in word.chars() {
                if width(face, size, &format!("{line}{c}")) > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        lines.push(line);
    }
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && width(face, size, &format!("{last}…")) > max {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_letters_are_in_winansi_and_the_rest_is_folded() {
        assert_eq!(encode("æøåÆØÅ"), vec![0xE6, 0xF8, 0xE5, 0xC6, 0xD8, 0xC5]);
        assert_eq!(encode("– € ’"), vec![0x96, b' ', 0x80, b' ', 0x92]);
        assert_eq!(encode("Čáhcegáddi ŋ"), b"C\xe1hceg\xe1ddi n".to_vec());
        assert_eq!(encode("☃"), b"?".to_vec());
    }

    #[test]
    fn widths_are_helveticas() {
        // From the metrics: space 278, W 944, digits 556; bold digits 556 too.
        assert!((width(Face::Regular, 1000.0, " ") - 278.0).abs() < 0.01);
        assert!((width(Face::Regular, 1000.0, "W") - 944.0).abs() < 0.01);
        assert!((width(Face::Bold, 10.0, "12") - 11.12).abs() < 0.01);
        assert!(width(Face::Regular, 10.0, "ø") > 0.0);
    }

    #[test]
    fn long_text_wraps_and_is_cut_with_an_ellipsis() {
        let text = "Dette er en lang beskrivelse av en gjenstand som ikke får plass på én linje";
        let lines = wrap(Face::Regular, 10.0, text, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| width(Face::Regular, 10.0, l) <= 100.0));
        assert!(lines[2].ends_with('…'));
        let word = wrap(Face::Regular, 10.0, &"x".repeat(200), 50.0, 100);
        assert!(word.len() > 1);
    }
}
