//! Printable business documents (quotes, invoices, …) rendered from one
//! [`PrintDocument`], either as an A4 PDF or as a standalone HTML page.
//!
//! The PDF uses the base-14 Helvetica fonts with `WinAnsiEncoding` (text stays
//! extractable) and lays out every page before writing it, so each page can
//! carry a "Page N of M" footer. The line table wraps its cells using the real
//! Helvetica glyph widths, repeats its header row on every page and flows over
//! as many pages as needed. All figures arrive pre-formatted as text: this
//! module never computes or rounds anything.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left (text).
    Left,
    /// Flush right (figures).
    Right,
}

/// One column of the line table: header text, share of the table width (relative weights),
/// alignment.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header text shown in the table's (repeated) header row.
    pub header: String,
    /// Relative share of the table width; a non-positive or non-finite weight counts as the
    /// average of the valid ones.
    pub weight: f32,
    /// Alignment of the header and cells.
    pub align: Align,
}

/// A document ready to print: every figure already formatted as text (the caller formats the
/// stored values; this module never computes or rounds anything).
#[derive(Debug, Clone, Default)]
pub struct PrintDocument {
    /// Main heading, e.g. "Quote Q-2026-000012"; also the PDF's info title.
    pub title: String,
    /// Optional line under the title, e.g. "Revision 2 · Sent".
    pub subtitle: Option<String>,
    /// Lines of the issuing company (name first).
    pub issuer: Vec<String>,
    /// Lines of the customer (name first, then address lines).
    pub recipient: Vec<String>,
    /// Label/value pairs such as ("Date", "2026-12-04") or ("Currency", "EUR").
    pub meta: Vec<(String, String)>,
    /// Columns of the line table.
    pub columns: Vec<Column>,
    /// One `Vec` per line item, normally as long as `columns` (missing cells are blank, extra
    /// ones ignored).
    pub rows: Vec<Vec<String>>,
    /// Label/value pairs under the table; the last one is the grand total (bold).
    pub totals: Vec<(String, String)>,
    /// Titled paragraphs (terms, remarks); explicit `\n` line breaks are kept.
    pub notes: Vec<(String, String)>,
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const RIGHT: f32 = PAGE_W - MARGIN;
const TOP: f32 = PAGE_H - MARGIN;
const BOTTOM: f32 = MARGIN + 16.0;
const BODY: f32 = 9.0;
const PAD: f32 = 3.0;
const HEADER_MAX_LINES: usize = 4;

/// Line height for a font size.
fn lead(size: f32) -> f32 {
    size * 1.28
}

/// Baseline of a text line whose box starts at `top`.
fn baseline(top: f32, size: f32) -> f32 {
    top - (lead(size) - size) / 2.0 - 0.75 * size
}

/// The table's columns; without declared columns, one blank column per cell of the widest row.
fn columns(doc: &PrintDocument) -> Vec<Column> {
    if !doc.columns.is_empty() {
        return doc.columns.clone();
    }
    let n = doc.rows.iter().map(Vec::len).max().unwrap_or(0);
    let blank = Column {
        header: String::new(),
        weight: 1.0,
        align: Align::Left,
    };
    vec![blank; n]
}

/// Column shares of the table width (summing to 1); a non-positive or non-finite
/// weight counts as the average of the valid ones, and all are equal when none is.
fn weights(cols: &[Column]) -> Vec<f32> {
    let valid = |w: &f32| w.is_finite() && *w > 0.0;
    let max = cols
        .iter()
        .map(|c| c.weight)
        .filter(valid)
        .fold(0.0, f32::max);
    let scaled: Vec<Option<f32>> = cols
        .iter()
        .map(|c| Some(c.weight).filter(valid).map(|w| w / max))
        .collect();
    let known: Vec<f32> = scaled.iter().flatten().copied().collect();
    let fallback = if known.is_empty() {
        1.0
    } else {
        known.iter().sum::<f32>() / known.len() as f32
    };
    let total = known.iter().sum::<f32>() + fallback * (cols.len() - known.len()) as f32;
    scaled
        .iter()
        .map(|w| w.unwrap_or(fallback) / total)
        .collect()
}

/// A block of wrapped text placed in a horizontal slot `x .. x + w`.
struct Cell {
    x: f32,
    w: f32,
    align: Align,
    bold: bool,
    lines: Vec<Vec<u8>>,
}

impl Cell {
    fn new(text: &str, (x, w, align): (f32, f32, Align), bold: bool, size: f32) -> Self {
        let lines = wrap(text, bold, size, w);
        Self {
            x,
            w,
            align,
            bold,
            lines,
        }
    }
}

/// Number of lines of the tallest cell.
fn height(cells: &[Cell]) -> usize {
    cells.iter().map(|c| c.lines.len()).max().unwrap_or(0)
}

/// Height of the table's header row.
fn header_height(header: &[Cell]) -> f32 {
    height(header).max(1) as f32 * lead(BODY) + 2.0 * PAD
}

/// Page-by-page layout: a cursor moving down the page being drawn, and the finished pages.
struct Layout {
    done: Vec<Content>,
    page: Content,
    y: f32,
}

impl Layout {
    fn new_page(&mut self) {
        let page = std::mem::replace(&mut self.page, Content::new());
        self.done.push(page);
        self.y = TOP;
    }

    /// Starts a new page when `h` points do not fit here but would on a new page.
    fn ensure(&mut self, h: f32) {
        if self.y - h < BOTTOM && self.y < TOP && h <= TOP - BOTTOM {
            self.new_page();
        }
    }

    /// A horizontal line at the cursor.
    fn rule(&mut self, x1: f32, x2: f32, width: f32, gray: f32) {
        let y = self.y;
        self.page.set_stroke_gray(gray).set_line_width(width);
        self.page.move_to(x1, y).line_to(x2, y).stroke();
    }

    /// Places line `k` of every cell on the line box starting at `top`.
    fn line(&mut self, cells: &[Cell], k: usize, top: f32, size: f32) {
        for cell in cells {
            let Some(line) = cell.lines.get(k).filter(|l| !l.is_empty()) else {
                continue;
            };
            let x = match cell.align {
                Align::Left => cell.x,
                Align::Right => cell.x + cell.w - text_width(line, cell.bold, size),
            };
            let y = baseline(top, size);
            show(&mut self.page, x, y, size, cell.bold, line);
        }
    }

    /// Draws cells side by side, line by line, breaking pages between lines.
    fn flow(&mut self, cells: &[Cell], size: f32) {
        for k in 0..height(cells) {
            self.ensure(lead(size));
            self.line(cells, k, self.y, size);
            self.y -= lead(size);
        }
    }

    /// A full-width paragraph.
    fn paragraph(&mut self, text: &str, bold: bool, size: f32) {
        let cell = Cell::new(text, (MARGIN, CONTENT_W, Align::Left), bold, size);
        self.flow(&[cell], size);
    }

    /// Title, subtitle, issuer and recipient side by side, then the meta pairs.
    fn header(&mut self, doc: &PrintDocument) {
        self.paragraph(&doc.title, true, 18.0);
        if let Some(sub) = &doc.subtitle {
            self.paragraph(sub, false, 10.0);
        }
        self.y -= 12.0;
        let half = (CONTENT_W - 20.0) / 2.0;
        let slots = [
            (MARGIN, half, Align::Left),
            (RIGHT - half, half, Align::Left),
        ];
        let parties = [&doc.issuer, &doc.recipient];
        let names = [0, 1].map(|i| {
            let name = parties[i].first().map_or("", String::as_str);
            Cell::new(name, slots[i], true, 10.0)
        });
        let rest = [0, 1].map(|i| {
            let rest = parties[i].get(1..).unwrap_or_default().join("\n");
            Cell::new(&rest, slots[i], false, 10.0)
        });
        if parties.iter().any(|p| !p.is_empty()) {
            self.flow(&names, 10.0);
            self.flow(&rest, 10.0);
            self.y -= 10.0;
        }
        let widest = doc
            .meta
            .iter()
            .map(|(l, _)| text_width(&encode(l), true, BODY));
        let label_w = widest.fold(0.0, f32::max).min(CONTENT_W / 3.0);
        let value_slot = (
            MARGIN + label_w + 12.0,
            CONTENT_W - label_w - 12.0,
            Align::Left,
        );
        for (label, value) in &doc.meta {
            let label = Cell::new(label, (MARGIN, label_w, Align::Left), true, BODY);
            self.flow(&[label, Cell::new(value, value_slot, false, BODY)], BODY);
        }
    }

    /// The table's bold header row on a grey band.
    fn table_header(&mut self, header: &[Cell]) {
        let h = header_height(header);
        self.page
            .set_fill_gray(0.9)
            .rect(MARGIN, self.y - h, CONTENT_W, h);
        self.page.fill_nonzero().set_fill_gray(0.0);
        for k in 0..height(header) {
            self.line(header, k, self.y - PAD - k as f32 * lead(BODY), BODY);
        }
        self.y -= h;
        self.rule(MARGIN, RIGHT, 0.8, 0.3);
    }

    /// The line table: rows move to the next page whole (with the header repeated),
    /// except rows longer than a page, which are split between lines.
    fn table(&mut self, doc: &PrintDocument) {
        let cols = columns(doc);
        let mut x = MARGIN;
        let mut slots = Vec::with_capacity(cols.len());
        for (c, share) in cols.iter().zip(weights(&cols)) {
            let w = CONTENT_W * share;
            slots.push((x + PAD, (w - 2.0 * PAD).max(0.0), c.align));
            x += w;
        }
        let header: Vec<Cell> = cols
            .iter()
            .zip(&slots)
            .map(|(c, &slot)| {
                let mut cell = Cell::new(&c.header, slot, true, BODY);
                cell.lines.truncate(HEADER_MAX_LINES);
                cell
            })
            .collect();
        if header.is_empty() {
            return;
        }
        let fitting = |y: f32| ((y - BOTTOM - 2.0 * PAD) / lead(BODY)).floor().max(0.0) as usize;
        let capacity = fitting(TOP - header_height(&header));
        self.y -= 8.0;
        self.ensure(header_height(&header) + lead(BODY) + 2.0 * PAD);
        self.table_header(&header);
        let mut fresh = false;
        for row in &doc.rows {
            let text = |i: usize| row.get(i).map_or("", String::as_str);
            let cell = |(i, &slot)| Cell::new(text(i), slot, false, BODY);
            let cells: Vec<Cell> = slots.iter().enumerate().map(cell).collect();
            let n = height(&cells).max(1);
            let mut start = 0;
            while start < n {
                let (fit, remaining) = (fitting(self.y), n - start);
                if remaining > fit && !fresh && (remaining <= capacity || fit == 0) {
                    self.new_page();
                    self.table_header(&header);
                    fresh = true;
                    continue;
                }
                let take = remaining.min(fit.max(1));
                for k in 0..take {
                    let top = self.y - PAD - k as f32 * lead(BODY);
                    self.line(&cells, start + k, top, BODY);
                }
                self.y -= take as f32 * lead(BODY) + 2.0 * PAD;
                self.rule(MARGIN, RIGHT, 0.4, 0.8);
                start += take;
                fresh = false;
            }
        }
    }

    /// Totals right-aligned under the table, kept together; the last one bold.
    fn totals(&mut self, doc: &PrintDocument) {
        let last = doc.totals.len().saturating_sub(1);
        let widest = doc
            .totals
            .iter()
            .enumerate()
            .map(|(i, (_, v))| text_width(&encode(v), i == last, 10.0));
        let value_w = (widest.fold(0.0, f32::max) + 2.0).clamp(50.0, CONTENT_W * 0.3);
        let value_slot = (RIGHT - value_w, value_w, Align::Right);
        let label_x = MARGIN + CONTENT_W * 0.4;
        let label_slot = (label_x, RIGHT - value_w - 14.0 - label_x, Align::Right);
        let row = |(i, (label, value)): (usize, &(String, String))| {
            let bold = i == last;
            [
                Cell::new(label, label_slot, bold, 10.0),
                Cell::new(value, value_slot, bold, 10.0),
            ]
        };
        let rows: Vec<[Cell; 2]> = doc.totals.iter().enumerate().map(row).collect();
        if rows.is_empty() {
            return;
        }
        let lines: usize = rows.iter().map(|r| height(r)).sum();
        let total_h = lines as f32 * lead(10.0) + 14.0;
        self.y -= 8.0;
        self.ensure(total_h);
        for (i, row) in rows.iter().enumerate() {
            if i == last {
                self.ensure(lead(10.0) + 6.0);
                self.y -= 3.0;
                self.rule(label_x, RIGHT, 0.8, 0.0);
                self.y -= 3.0;
            }
            self.flow(row, 10.0);
        }
    }

    /// Titled paragraphs; a title never ends a page alone.
    fn notes(&mut self, doc: &PrintDocument) {
        for (title, text) in &doc.notes {
            self.y -= 12.0;
            self.ensure(lead(10.0) + 2.0 + 2.0 * lead(BODY));
            self.paragraph(title, true, 10.0);
            self.y -= 2.0;
            self.paragraph(text, false, BODY);
        }
    }
}

/// Shows one line of encoded text with its baseline starting at (`x`, `y`).
fn show(c: &mut Content, x: f32, y: f32, size: f32, bold: bool, text: &[u8]) {
    let font = Name(if bold { b"F2" } else { b"F1" });
    c.begin_text().set_font(font, size).next_line(x, y);
    c.show(Str(text)).end_text();
}

/// Lays out the whole document into one content stream per page (footers still missing).
fn layout(doc: &PrintDocument) -> Vec<Content> {
    let mut layout = Layout {
        done: Vec::new(),
        page: Content::new(),
        y: TOP,
    };
    layout.header(doc);
    layout.table(doc);
    layout.totals(doc);
    layout.notes(doc);
    layout.done.push(layout.page);
    layout.done
}

/// The document as a PDF (A4, base-14 Helvetica / Helvetica-Bold with WinAnsiEncoding, text
/// extractable).
pub fn pdf(doc: &PrintDocument) -> Vec<u8> {
    let pages = layout(doc);
    let count = pages.len();
    let (catalog_id, tree_id, info_id) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let fonts = [(Ref::new(4), "Helvetica"), (Ref::new(5), "Helvetica-Bold")];
    let page_id = |i: usize| Ref::new(6 + 2 * i as i32);
    let content_id = |i: usize| Ref::new(7 + 2 * i as i32);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids((0..count).map(page_id))
        .count(count as i32);
    pdf.document_info(info_id).title(TextStr(&doc.title));
    for (id, name) in fonts {
        let mut font = pdf.type1_font(id);
        font.base_font(Name(name.as_bytes()));
        font.encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (i, mut content) in pages.into_iter().enumerate() {
        let mut page = pdf.page(page_id(i));
        page.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.contents(content_id(i));
        page.resources()
            .fonts()
            .pair(Name(b"F1"), fonts[0].0)
            .pair(Name(b"F2"), fonts[1].0);
        page.finish();
        let footer = format!("Page {} of {count}", i + 1);
        let x = (PAGE_W - text_width(footer.as_bytes(), false, 8.0)) / 2.0;
        show(&mut content, x, MARGIN - 8.0, 8.0, false, footer.as_bytes());
        pdf.stream(content_id(i), &content.finish());
    }
    pdf.finish()
}

mod fonts;
mod html;
#[cfg(test)]
mod tests;

use fonts::{encode, text_width, wrap};
pub use html::html;
