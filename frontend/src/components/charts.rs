//! Small charts drawn as SVG by the app (no chart library): grouped bars, a
//! P10–P90 band, a horizontal funnel and a line chart.
//!
//! Each chart is built as markup by a pure function (tested below) and shown by
//! a component in a `<figure>` with its title as caption. The SVG has a title
//! and an `aria-label`, axis labels, every value written as text, and a
//! `viewBox` at 100 % width, so it shrinks to a phone's width. It reads
//! without colour: series differ by fill pattern, dash style and marker shape,
//! and a legend below says in words which is which.

mod band;
mod bars;
mod funnel;
mod lines;

pub use band::{band_markup, Band, BandPoint};
pub use bars::{bars_markup, Bars};
pub use funnel::{funnel_markup, Funnel, FunnelStep};
pub use lines::{lines_markup, Lines};

use leptos::prelude::*;
use std::fmt::Write;

/// Ink for axes, outlines and text.
const INK: &str = "#1f2937";
/// Fill patterns (with colours that also tell them apart) and the words for them.
const FILLS: [(&str, &str); 3] = [
    ("#1d4ed8", "solid"),
    ("#c2410c", "hatched"),
    ("#15803d", "dotted"),
];
/// Line dashes and marker shapes of line series, with the words for them.
const LINES: [(&str, &str, &str); 3] = [
    ("", "solid line", "squares"),
    ("6 4", "dashed line", "circles"),
    ("2 3", "dotted line", "triangles"),
];
/// Plot height, and the margins around it.
const PLOT_H: f64 = 180.0;
const TOP: f64 = 24.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 12.0;
const BOTTOM: f64 = 46.0;

/// `text` with the five XML special characters escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
}

/// A number in few characters: `1234567` → `"1.23M"`, `12500` → `"12.5k"`,
/// `950` → `"950"`, `0.5` → `"0.5"`.
pub fn compact(value: f64) -> String {
    let abs = value.abs();
    let (scaled, unit) = if abs >= 1e9 {
        (value / 1e9, "B")
    } else if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    let digits = match scaled.abs() {
        a if a >= 100.0 || a == a.trunc() => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{scaled:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text}{unit}")
}

/// The top of an axis holding `max`: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_max(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|top| *top >= max)
        .unwrap_or(10.0 * power)
}

/// The pattern fills of chart `id`: `url(#{id}-f0)` and so on.
fn defs(id: &str) -> String {
    let (solid, hatched, dotted) = (FILLS[0].0, FILLS[1].0, FILLS[2].0);
    format!(
        "<defs>\
         <pattern id=\"{id}-f0\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"4\" height=\"4\" fill=\"{solid}\"/></pattern>\
         <pattern id=\"{id}-f1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#fff\"/><rect width=\"3\" height=\"6\" fill=\"{hatched}\"/></pattern>\
         <pattern id=\"{id}-f2\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"5\" height=\"5\" fill=\"#fff\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.4\" fill=\"{dotted}\"/></pattern>\
         </defs>"
    )
}

/// The opening of the SVG, its title and fills.
fn open(id: &str, title: &str, width: f64, height: f64) -> String {
    let title = escape(title);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"100%\" \
         role=\"img\" aria-label=\"{title}\" font-size=\"11\" fill=\"{INK}\"><title>{title}</title>{}",
        defs(id)
    )
}

/// A text element.
fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, body: &str) {
    let _ = write!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" class=\"{class}\">{}</text>",
        escape(body)
    );
}

/// The value axis (gridlines with their values) and its label, for values up to `top`.
fn value_axis(out: &mut String, width: f64, top: f64, label: &str, format: fn(f64) -> String) {
    for step in 0..=4 {
        let value = top * f64::from(step) / 4.0;
        let y = TOP + PLOT_H - PLOT_H * f64::from(step) / 4.0;
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d1d5db\"/>",
            width - RIGHT
        );
        text(out, LEFT - 6.0, y + 4.0, "end", "tick", &format(value));
    }
    let middle = TOP + PLOT_H / 2.0;
    let _ = write!(
        out,
        "<text transform=\"translate(12 {middle:.1}) rotate(-90)\" text-anchor=\"middle\" class=\"axis-label\">{}</text>",
        escape(label)
    );
    let base = TOP + PLOT_H;
    let _ = write!(
        out,
        "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{base}\" y2=\"{base}\" stroke=\"{INK}\"/>",
        width - RIGHT
    );
}

/// The category axis label, under the plot.
fn category_label(out: &mut String, width: f64, height: f64, label: &str) {
    text(
        out,
        LEFT + (width - LEFT - RIGHT) / 2.0,
        height - 6.0,
        "middle",
        "axis-label",
        label,
    );
}

/// The legend: one item per entry, each saying in words how it is drawn.
fn legend(items: &[String]) -> String {
    let mut out = String::from("<ul class=\"chart-legend\">");
    for item in items {
        let _ = write!(out, "<li>{}</li>", escape(item));
    }
    out.push_str("</ul>");
    out
}

/// `y` of `value` on an axis up to `top`.
fn y_of(value: f64, top: f64) -> f64 {
    TOP + PLOT_H - PLOT_H * (value.max(0.0) / top).min(1.0)
}

/// A chart's figure: its caption and its markup.
fn figure(id: &'static str, title: String, markup: String) -> impl IntoView {
    view! {
        <figure class="chart" id=id>
            <figcaption>{title}</figcaption>
            <div class="chart-body" inner_html=markup></div>
        </figure>
    }
}

/// Grouped bars (see [`Bars`]).
#[component]
pub fn BarChart(chart: Bars) -> impl IntoView {
    let markup = bars_markup(&chart);
    figure(chart.id, chart.title, markup)
}

/// A P10–P90 band (see [`Band`]).
#[component]
pub fn BandChart(chart: Band) -> impl IntoView {
    let markup = band_markup(&chart);
    figure(chart.id, chart.title, markup)
}

/// A horizontal funnel (see [`Funnel`]).
#[component]
pub fn FunnelChart(chart: Funnel) -> impl IntoView {
    let markup = funnel_markup(&chart);
    figure(chart.id, chart.title, markup)
}

/// Lines over categories (see [`Lines`]).
#[component]
pub fn LineChart(chart: Lines) -> impl IntoView {
    let markup = lines_markup(&chart);
    figure(chart.id, chart.title, markup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_short() {
        assert_eq!(compact(1_234_567.0), "1.23M");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(100_000.0), "100k");
        assert_eq!(compact(0.5), "0.5");
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(-2_000.0), "-2k");
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(180.0), 200.0);
        assert_eq!(nice_max(2_100.0), 2_500.0);
        assert_eq!(nice_max(100.0), 100.0);
    }
}
