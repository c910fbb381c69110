//! The base-14 Helvetica fonts: WinAnsi encoding, glyph widths and word wrap.

/// Helvetica advance widths (1/1000 em) for WinAnsi codes 32..=255.
#[rustfmt::skip]
static HELVETICA: [u16; 224] = [
    278,278,355,556,556,889,667,191,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,278,278,584,584,584,556,
    1015,667,667,722,722,667,611,778,722,278,500,667,556,833,722,778,667,778,722,667,611,722,667,944,667,667,611,278,278,278,469,556,
    333,556,556,500,556,556,278,556,556,222,222,500,222,833,556,556,556,556,333,500,278,556,500,722,500,500,500,334,260,334,584,350,
    556,556,222,556,333,1000,556,556,333,1000,667,333,1000,556,611,556,556,222,222,333,333,350,556,1000,333,1000,500,333,944,556,500,667,
    278,333,556,556,556,556,260,556,333,737,370,556,584,333,737,333,400,584,333,333,333,556,537,278,333,333,365,556,834,834,834,611,
    667,667,667,667,667,667,1000,722,667,667,667,667,278,278,278,278,722,722,778,778,778,778,778,584,778,722,722,722,722,667,667,611,
    556,556,556,556,556,556,889,500,556,556,556,556,278,278,278,278,556,556,556,556,556,556,556,584,611,556,556,556,556,500,556,500,
];

/// Helvetica-Bold advance widths (1/1000 em) for WinAnsi codes 32..=255.
#[rustfmt::skip]
static HELVETICA_BOLD: [u16; 224] = [
    278,333,474,556,556,889,722,238,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,333,333,584,584,584,611,
    975,722,722,722,722,667,611,778,722,278,556,722,611,833,722,778,667,778,722,667,611,722,667,944,667,667,611,333,278,333,584,556,
    333,556,611,556,611,556,333,611,611,278,278,556,278,889,611,611,611,611,389,556,333,611,556,778,556,556,500,389,280,389,584,350,
    556,556,278,556,500,1000,556,556,333,1000,667,333,1000,556,611,556,556,278,278,500,500,350,556,1000,333,1000,556,333,944,556,500,667,
    278,333,556,556,556,556,280,556,333,737,370,556,584,333,737,333,400,584,333,333,333,611,556,278,333,333,365,556,834,834,834,611,
    722,722,722,722,722,722,1000,722,667,667,667,667,278,278,278,278,722,722,778,778,778,778,778,584,778,722,722,722,722,667,667,611,
    556,556,556,556,556,556,889,556,556,556,556,556,278,278,278,278,611,611,611,611,611,611,611,584,611,611,611,611,611,556,611,556,
];

/// Unicode characters for WinAnsi codes 0x80..=0x9F (C1 controls mark unused codes).
const WIN_ANSI_HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ";

/// Maps a character to its WinAnsi (Windows-1252) code; `?` when it has none.
pub(super) fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{A1}'..='\u{FF}' => c as u8,
        '\u{A0}' | '\u{2007}' | '\u{202F}' => 0xA0,
        '\u{2010}' | '\u{2011}' | '\u{2212}' => b'-',
        c if c.is_whitespace() || c.is_control() => b' ',
        c => WIN_ANSI_HIGH
            .chars()
            .position(|h| h == c)
            .map_or(b'?', |i| 0x80 + i as u8),
    }
}

/// Encodes text to WinAnsi bytes.
pub(super) fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

/// Advance width of one WinAnsi code in 1/1000 em.
pub(super) fn glyph_width(code: u8, bold: bool) -> f32 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let width = code.checked_sub(32).map_or(556, |i| table[usize::from(i)]);
    f32::from(width)
}

/// Width of encoded text in points.
pub(super) fn text_width(text: &[u8], bold: bool, size: f32) -> f32 {
    text.iter().map(|&b| glyph_width(b, bold)).sum::<f32>() * size / 1000.0
}

/// Encodes `text` to WinAnsi and word-wraps it to `max` points; `\n` forces a
/// break and words wider than a line are broken between characters.
pub(super) fn wrap(text: &str, bold: bool, size: f32, max: f32) -> Vec<Vec<u8>> {
    let limit = max.max(0.0) * 1000.0 / size;
    let space = glyph_width(b' ', bold);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let encoded = encode(para);
        let mut line: Vec<u8> = Vec::new();
        let mut width = 0.0;
        for word in encoded.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_w: f32 = word.iter().map(|&b| glyph_width(b, bold)).sum();
            if !line.is_empty() && width + space + word_w <= limit {
                line.push(b' ');
                line.extend_from_slice(word);
                width += space + word_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_w <= limit {
                line.extend_from_slice(word);
                width = word_w;
                continue;
            }
            width = 0.0;
            for &b in word {
                let w = glyph_width(b, bold);
                if !line.is_empty() && width + w > limit {
                    lines.push(std::mem::take(&mut line));
                    width = 0.0;
                }
                line.push(b);
                width += w;
            }
        }
        lines.push(line);
    }
    lines
}
