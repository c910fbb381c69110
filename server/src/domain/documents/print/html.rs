//! The print view: the document as a standalone HTML page.

use super::{columns, Align, PrintDocument};

/// Appends `text` with `& < > " '` escaped.
fn push_esc(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Appends `<open>escaped text</close>`.
fn push_el(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    push_esc(out, text);
    out.push_str(close);
}

const CSS: &str = "\
*{box-sizing:border-box}
body{margin:0;padding:24px;font:14px/1.45 Helvetica,Arial,sans-serif;color:#222;background:#fff}
.doc{max-width:860px;margin:0 auto} h1{font-size:24px;margin:0 0 4px} .subtitle{margin:0;color:#555}
.parties{display:flex;flex-wrap:wrap;gap:16px 40px;margin:20px 0}
.party{flex:1 1 240px} .party p{margin:0}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 20px}
.meta dt{font-weight:bold} .meta dd{margin:0} .table-wrap{overflow-x:auto}
table{width:100%;border-collapse:collapse}
th,td{padding:5px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #ddd}
thead th{background:#eee;border-bottom:1px solid #555} .num{text-align:right;white-space:nowrap}
tfoot td{border:0;text-align:right} tfoot tr.grand td{font-weight:bold;border-top:2px solid #222}
.notes h2{font-size:15px;margin:20px 0 4px} .notes p{margin:0;white-space:pre-wrap}
@media (max-width:600px){body{padding:12px} h1{font-size:20px}}
@media print{body{padding:0;font-size:10pt} .doc{max-width:none} .table-wrap{overflow:visible}
thead{display:table-header-group} tr,tfoot{break-inside:avoid} @page{size:A4;margin:14mm}}
";

/// The document as a complete, standalone HTML page (inline CSS, print-friendly, `@media print`),
/// every text HTML-escaped.
pub fn html(doc: &PrintDocument) -> String {
    let cols = columns(doc);
    let mut h = String::with_capacity(4096 + doc.rows.len() * cols.len() * 48);
    h.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    push_el(&mut h, "<title>", &doc.title, "</title>\n<style>\n");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<main class=\"doc\">\n<header>\n");
    push_el(&mut h, "<h1>", &doc.title, "</h1>\n");
    if let Some(sub) = &doc.subtitle {
        push_el(&mut h, "<p class=\"subtitle\">", sub, "</p>\n");
    }
    h.push_str("</header>\n<section class=\"parties\">\n");
    for (class, lines) in [("issuer", &doc.issuer), ("recipient", &doc.recipient)] {
        h.push_str("<div class=\"party ");
        h.push_str(class);
        h.push_str("\">");
        if let Some((name, rest)) = lines.split_first() {
            push_el(&mut h, "<p><strong>", name, "</strong></p>");
            for line in rest {
                push_el(&mut h, "<p>", line, "</p>");
            }
        }
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");
    if !doc.meta.is_empty() {
        h.push_str("<dl class=\"meta\">\n");
        for (label, value) in &doc.meta {
            push_el(&mut h, "<dt>", label, "</dt>");
            push_el(&mut h, "<dd>", value, "</dd>\n");
        }
        h.push_str("</dl>\n");
    }
    const NUM: &str = " class=\"num\">";
    let class = |a: Align| if a == Align::Right { NUM } else { ">" };
    h.push_str("<div class=\"table-wrap\">\n<table>\n<thead>\n<tr>");
    for c in &cols {
        h.push_str("<th scope=\"col\"");
        push_el(&mut h, class(c.align), &c.header, "</th>");
    }
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &doc.rows {
        h.push_str("<tr>");
        for (i, c) in cols.iter().enumerate() {
            let text = row.get(i).map_or("", String::as_str);
            h.push_str("<td");
            push_el(&mut h, class(c.align), text, "</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n<tfoot>\n");
    let span = cols.len().max(2) - 1;
    for (i, (label, value)) in doc.totals.iter().enumerate() {
        let grand = i + 1 == doc.totals.len();
        h.push_str(if grand {
            "<tr class=\"grand\">"
        } else {
            "<tr>"
        });
        push_el(&mut h, &format!("<td colspan=\"{span}\">"), label, "</td>");
        push_el(&mut h, "<td class=\"num\">", value, "</td></tr>\n");
    }
    h.push_str("</tfoot>\n</table>\n</div>\n");
    if !doc.notes.is_empty() {
        h.push_str("<section class=\"notes\">\n");
        for (title, text) in &doc.notes {
            push_el(&mut h, "<h2>", title, "</h2>\n");
            push_el(&mut h, "<p>", text, "</p>\n");
        }
        h.push_str("</section>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}
