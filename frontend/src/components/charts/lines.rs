//! Lines over categories, told apart by dash and marker.

use super::{
    category_label, compact, escape, legend, nice_max, open, text, value_axis, y_of, BOTTOM, INK,
    LEFT, LINES, PLOT_H, RIGHT, TOP,
};
use std::fmt::Write;

/// Lines over categories, e.g. the win rate per month.
#[derive(Clone, Debug, PartialEq)]
pub struct Lines {
    pub id: &'static str,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// The categories, left to right.
    pub labels: Vec<String>,
    /// `(name, one value per category)`, up to three.
    pub series: Vec<(String, Vec<Option<f64>>)>,
    /// The top of the value axis; from the data when `None`.
    pub top: Option<f64>,
    /// Written after each value, e.g. `" %"`.
    pub unit: &'static str,
}

/// A marker of `shape` (0 square, 1 circle, 2 triangle) at `(x, y)`.
fn marker(out: &mut String, shape: usize, x: f64, y: f64, title: &str) {
    let title = escape(title);
    let _ = match shape {
        0 => write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\"><title>{title}</title></rect>",
            x - 4.0,
            y - 4.0
        ),
        1 => write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill=\"#fff\" stroke=\"{INK}\" stroke-width=\"2\"><title>{title}</title></circle>"
        ),
        _ => write!(
            out,
            "<path d=\"M{x:.1} {:.1}l5 9h-10z\"><title>{title}</title></path>",
            y - 5.0
        ),
    };
}

/// The markup of a line chart.
pub fn lines_markup(c: &Lines) -> String {
    let step = 56.0;
    let width = (LEFT + RIGHT + c.labels.len() as f64 * step).max(320.0);
    let height = TOP + PLOT_H + BOTTOM;
    let max = c
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().flatten())
        .fold(0.0_f64, |m, v| m.max(*v));
    let top = c.top.unwrap_or_else(|| nice_max(max));
    let x_of = |i: usize| LEFT + step * (i as f64 + 0.5);
    let format: fn(f64) -> String = compact;
    let mut out = open(c.id, &c.title, width, height);
    value_axis(&mut out, width, top, &c.y_label, format);
    for (s, (name, values)) in c.series.iter().take(LINES.len()).enumerate() {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some(format!("{:.1},{:.1}", x_of(i), y_of((*v)?, top))))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"2\" stroke-dasharray=\"{}\"/>",
            points.join(" "),
            LINES[s].0
        );
        for (i, value) in values.iter().enumerate() {
            let (x, label) = (x_of(i), c.labels.get(i).map_or("", String::as_str));
            match value {
                Some(v) => {
                    let y = y_of(*v, top);
                    let shown = format!("{}{}", compact(*v), c.unit);
                    marker(&mut out, s, x, y, &format!("{name}, {label}: {shown}"));
                    let dy = if s % 2 == 0 { -9.0 } else { 17.0 };
                    text(&mut out, x, y + dy, "middle", "value", &shown);
                }
                None => text(&mut out, x, TOP + PLOT_H - 4.0, "middle", "value", "–"),
            }
        }
    }
    for (i, label) in c.labels.iter().enumerate() {
        text(
            &mut out,
            x_of(i),
            TOP + PLOT_H + 16.0,
            "middle",
            "category",
            label,
        );
    }
    category_label(&mut out, width, height, &c.x_label);
    out.push_str("</svg>");
    let items: Vec<String> = c
        .series
        .iter()
        .take(LINES.len())
        .enumerate()
        .map(|(s, (name, _))| format!("{name}: {} with {}", LINES[s].1, LINES[s].2))
        .collect();
    out + &legend(&items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_differ_by_dash_and_marker() {
        let chart = Lines {
            id: "wr",
            title: "Win rate".into(),
            x_label: "Month".into(),
            y_label: "Win rate (%)".into(),
            labels: vec!["2026-01".into(), "2026-02".into(), "2026-03".into()],
            series: vec![
                ("Win rate".into(), vec![Some(50.0), None, Some(75.0)]),
                ("Target".into(), vec![Some(60.0), Some(60.0), Some(60.0)]),
            ],
            top: Some(100.0),
            unit: " %",
        };
        let svg = lines_markup(&chart);
        assert!(svg.contains(">50 %<") && svg.contains(">75 %<") && svg.contains(">–<"));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        assert!(svg.contains(">100<"), "the axis goes to 100: {svg}");
        assert!(svg.contains(
            "<li>Win rate: solid line with squares</li><li>Target: dashed line with circles</li>"
        ));
    }
}
