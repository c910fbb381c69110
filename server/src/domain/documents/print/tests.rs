//! Tests of the PDF and HTML rendering.

use super::*;
use std::error::Error;
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// `"a|b"` → `["a", "b"]`.
fn lines(s: &str) -> Vec<String> {
    s.split('|').map(String::from).collect()
}

/// `"k=v|k2=v2"` → `[("k", "v"), ("k2", "v2")]`.
fn pairs(s: &str) -> Vec<(String, String)> {
    let pair = |p: &str| {
        p.split_once('=')
            .map(|(k, v)| (k.into(), v.into()))
            .unwrap_or_default()
    };
    s.split('|').map(pair).collect()
}

fn sample(rows: usize) -> PrintDocument {
    let col = |header: &str, weight, align| Column {
        header: header.into(),
        weight,
        align,
    };
    let long = "Heavy-duty part with a long description that has to wrap – “quoted” café";
    let row = |i| {
        let desc = if i % 7 == 0 {
            format!("{long} {i}")
        } else {
            format!("Part {i}")
        };
        vec![
            format!("P-{i:04}"),
            desc,
            format!("{}", i % 9 + 1),
            "12.50".into(),
            format!("{i},000.00"),
        ]
    };
    PrintDocument {
        title: "Quote Q-2026-000012".into(),
        subtitle: Some("Revision 2 · Sent".into()),
        issuer: lines("Acme Tools GmbH|Hauptstraße 1|10115 Berlin"),
        recipient: lines("Société Générale d’Études|12 rue de l’Église|75001 Paris"),
        meta: pairs("Date=2026-12-04|Valid until=2027-01-03|Currency=EUR (€)"),
        columns: vec![
            col("Item", 1.2, Align::Left),
            col("Description", 4.0, Align::Left),
            col("Qty", 0.8, Align::Right),
            col("Unit price", 1.3, Align::Right),
            col("Amount", 1.4, Align::Right),
        ],
        rows: (1..=rows).map(row).collect(),
        totals: pairs("Subtotal=40,200.00|Tax 20 %=8,040.00|Total EUR=€ 48,240.00"),
        notes: pairs("Terms=Payment within 30 days.\nPrices in EUR (€), excl. VAT.\n\nThank you!"),
    }
}

#[test]
fn long_document_flows_over_pages_and_extracts() -> Result<(), Box<dyn Error>> {
    let started = Instant::now();
    let bytes = pdf(&sample(200));
    println!("200 rows rendered in {:?}", started.elapsed());
    assert!(bytes.starts_with(b"%PDF-"));
    let raw = String::from_utf8_lossy(&bytes);
    let pages = raw.matches("/Type /Page\n").count();
    assert!(pages >= 3, "only {pages} pages");

    let tool = std::path::Path::new("/usr/bin/pdftotext");
    if !tool.exists() {
        println!("note: /usr/bin/pdftotext not found, skipping the text extraction check");
        return Ok(());
    }
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
    let name = format!("print-test-{}-{nanos}.pdf", std::process::id());
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, &bytes)?;
    let out = Command::new(tool)
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output();
    std::fs::remove_file(&path)?;
    let out = out?;
    let text = String::from_utf8(out.stdout)?;
    assert!(out.status.success(), "pdftotext failed");
    println!("pdftotext ran: {} chars from {pages} pages", text.len());
    let mut expected = lines("Quote Q-2026-000012|€ 48,240.00|Société Générale|“quoted” café");
    expected.extend([
        format!("Page 1 of {pages}"),
        format!("Page {pages} of {pages}"),
    ]);
    expected.extend((1..=200).map(|i| format!("P-{i:04}")));
    for needle in expected {
        assert!(
            text.contains(&needle),
            "{needle:?} missing from the extracted text"
        );
    }
    Ok(())
}

#[test]
fn html_escapes_and_keeps_figures() {
    let mut doc = sample(20);
    doc.title = "Quote <script>alert('x')</script> & \"co\"".into();
    doc.rows[3][1] = "<script>evil()</script>".into();
    let page = html(&doc);
    assert!(page.starts_with("<!doctype html>") && page.contains("<meta charset=\"utf-8\">"));
    assert!(!page.contains("<script>"));
    let title = "Quote &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;";
    assert!(page.contains(&format!("<title>{title}</title>")));
    assert!(page.contains("<td>&lt;script&gt;evil()&lt;/script&gt;</td>"));
    let figures = doc.rows.iter().flat_map(|r| &r[2..]);
    for figure in figures.chain(doc.totals.iter().map(|t| &t.1)) {
        assert!(
            page.contains(&format!(">{figure}</td>")),
            "{figure} missing"
        );
    }
    for part in lines("<thead>|<tbody>|<tfoot>|<td class=\"num\">|@media print|pre-wrap") {
        assert!(page.contains(&part), "missing {part}");
    }
}

#[test]
fn weird_input_does_not_panic() {
    let huge = "x".repeat(20_000);
    let mut no_columns = sample(3);
    no_columns.columns.clear();
    no_columns.rows.extend([vec![], vec![String::new(); 9]]);
    let mut bad_weights = sample(5);
    let odd = [f32::NAN, -3.0, 0.0, 0.0, f32::INFINITY];
    for (c, weight) in bad_weights.columns.iter_mut().zip(odd) {
        c.weight = weight;
    }
    bad_weights.rows[0] = vec![huge.clone()];
    bad_weights.rows[1] = vec!["a".into(); 40];
    let mut extreme = sample(2);
    extreme.columns[0].weight = 1e-6;
    extreme.columns[0].header = "a very long header that cannot fit ".repeat(20);
    extreme.rows[0][0] = format!("{huge} {huge}");
    extreme.title = format!("\u{0}\t\r\n😀 漢字 {huge}");
    extreme.subtitle = Some(String::new());
    extreme.meta = vec![(huge.clone(), String::new())];
    extreme.totals = vec![(huge.clone(), huge.clone()), Default::default()];
    extreme.notes = vec![Default::default(), ("T".into(), "\n\n".repeat(500))];
    for doc in [PrintDocument::default(), no_columns, bad_weights, extreme] {
        assert!(pdf(&doc).starts_with(b"%PDF-"));
        assert!(html(&doc).ends_with("</html>\n"));
    }
    let shares = |w: &[f32]| {
        let mut cols = sample(0).columns;
        cols.truncate(w.len());
        cols.iter_mut()
            .zip(w)
            .for_each(|(c, &weight)| c.weight = weight);
        weights(&cols)
            .iter()
            .map(|s| (s * 600.0).round())
            .collect::<Vec<_>>()
    };
    assert_eq!(shares(&[3.0, 0.0, 1.0]), [300.0, 200.0, 100.0]);
    assert_eq!(shares(&[f32::NAN, -1.0]), [300.0, 300.0]);
    assert_eq!(
        shares(&[f32::MAX, f32::MAX, f32::INFINITY]),
        [200.0, 200.0, 200.0]
    );
    assert_eq!(wrap("", false, BODY, 0.0), [b""]);
    assert_eq!(wrap("ab", false, BODY, 0.0), [b"a", b"b"]);
}

#[test]
fn encodes_win_ansi_and_measures() {
    let encoded = encode("€‚‘’“”–—…Ÿéü\u{202F}−😀");
    let expected = b"\x80\x82\x91\x92\x93\x94\x96\x97\x85\x9F\xE9\xFC\xA0-?";
    assert_eq!(encoded, expected);
    assert_eq!(text_width(b"W", false, 1000.0), 944.0);
    assert_eq!(text_width(b"@", true, 1000.0), 975.0);
    let width = text_width(b"alpha beta", false, 10.0);
    let lines = wrap("alpha beta gamma", false, 10.0, width);
    assert_eq!(lines, [&b"alpha beta"[..], b"gamma"]);
}
