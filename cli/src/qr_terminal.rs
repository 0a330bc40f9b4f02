//! A QR code drawn in a terminal: Unicode half blocks, two module rows to a text line, so
//! the modules come out about square. The certificate crate keeps only the module matrix;
//! drawing it as text is this shell's business.

use lofavor_core::roadside::certificate::QrMatrix;

/// Which terminal colours [`to_terminal`] draws for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TerminalColors {
    /// Light text on a dark background (most terminals): blocks draw the light modules.
    LightOnDark,
    /// Dark text on a light background: blocks draw the dark modules. Not chosen by any
    /// command today; kept so the rendering is tested both ways.
    #[cfg_attr(not(test), allow(dead_code))]
    DarkOnLight,
}

/// The code with its quiet zone as Unicode half blocks: one text line holds two module rows
/// (`▀` upper, `▄` lower, `█` both). Lines end with `\n`.
pub(crate) fn to_terminal(matrix: &QrMatrix, colors: TerminalColors) -> String {
    let side = matrix.side_with_quiet_zone();
    let ink = |x, y| {
        let dark = matrix.is_dark_with_quiet_zone(x, y);
        match colors {
            TerminalColors::LightOnDark => !dark,
            TerminalColors::DarkOnLight => dark,
        }
    };
    let mut text = String::new();
    for row in (0..side).step_by(2) {
        for x in 0..side {
            // Below the last row is more quiet zone: light.
            let lower = if row + 1 < side {
                ink(x, row + 1)
            } else {
                ink(0, 0)
            };
            text.push(match (ink(x, row), lower) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use lofavor_core::roadside::certificate::QUIET_ZONE_MODULES;

    use super::*;

    /// A payload-sized alphanumeric text: a version 11 code, as a certificate makes.
    fn matrix() -> QrMatrix {
        QrMatrix::encode(&format!("VH1:{}", "6BF".repeat(75))).unwrap()
    }

    #[test]
    fn uses_half_blocks_with_the_quiet_zone() {
        let matrix = matrix();
        let side = (matrix.size + 2 * QUIET_ZONE_MODULES) as usize;
        let text = to_terminal(&matrix, TerminalColors::DarkOnLight);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), side.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == side));
        // The quiet zone is blank when dark modules are drawn; the first code row (row 4) is
        // the lower half of line 2, starting with the finder pattern at column 4.
        assert!(lines[0].chars().all(|c| c == ' '));
        assert_eq!(lines[2].chars().nth(3), Some(' '));
        assert_eq!(lines[2].chars().nth(4), Some('█'));
        assert!(text.contains('▀') && text.contains('▄'));
        let inverted = to_terminal(&matrix, TerminalColors::LightOnDark);
        assert!(inverted.lines().next().unwrap().chars().all(|c| c == '█'));
    }

    #[test]
    fn draws_every_module_of_the_matrix() {
        // Every module is read back from the half blocks: upper half and lower half of each
        // line.
        let matrix = matrix();
        let text = to_terminal(&matrix, TerminalColors::DarkOnLight);
        let q = QUIET_ZONE_MODULES;
        for (line_no, line) in text.lines().enumerate() {
            for (x, c) in line.chars().enumerate() {
                let (upper, lower) = match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    ' ' => (false, false),
                    other => panic!("unexpected character {other:?}"),
                };
                let (x, y) = (x as u32, line_no as u32 * 2);
                let dark = |x: u32, y: u32| x >= q && y >= q && matrix.is_dark(x - q, y - q);
                assert_eq!(upper, dark(x, y));
                assert_eq!(lower, dark(x, y + 1));
            }
        }
    }
}
