//! Grouped bars: one bar per series in each category.

use super::{
    category_label, compact, escape, legend, nice_max, open, text, value_axis, y_of, BOTTOM, FILLS,
    INK, LEFT, PLOT_H, RIGHT, TOP,
};
use std::fmt::Write;

/// Grouped bars: per category (e.g. a period), one bar per series.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    /// DOM id of the figure (also names its fills).
    pub id: &'static str,
    pub title: String,
    /// What the categories are, e.g. "Period".
    pub x_label: String,
    /// What the values are, e.g. "EUR".
    pub y_label: String,
    /// Up to three series.
    pub series: Vec<String>,
    /// `(category, one value per series)`; `None` is "no value".
    pub groups: Vec<(String, Vec<Option<f64>>)>,
}

/// The markup of a grouped bar chart.
pub fn bars_markup(c: &Bars) -> String {
    let k = c.series.len().clamp(1, FILLS.len());
    let slot = 32.0;
    let group_w = k as f64 * slot + 20.0;
    let width = (LEFT + RIGHT + c.groups.len() as f64 * group_w).max(320.0);
    let height = TOP + PLOT_H + BOTTOM;
    let max = c
        .groups
        .iter()
        .flat_map(|(_, v)| v.iter().flatten())
        .fold(0.0_f64, |m, v| m.max(*v));
    let top = nice_max(max);
    let mut out = open(c.id, &c.title, width, height);
    value_axis(&mut out, width, top, &c.y_label, compact);
    for (g, (label, values)) in c.groups.iter().enumerate() {
        let x0 = LEFT + g as f64 * group_w + 10.0;
        for (s, value) in values.iter().take(k).enumerate() {
            let x = x0 + s as f64 * slot;
            let series = c.series.get(s).map_or("", String::as_str);
            match value {
                Some(v) => {
                    let y = y_of(*v, top);
                    let _ = write!(
                        out,
                        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"url(#{}-f{s})\" \
                         stroke=\"{INK}\"><title>{}</title></rect>",
                        slot - 4.0,
                        TOP + PLOT_H - y,
                        c.id,
                        escape(&format!("{series}, {label}: {}", compact(*v)))
                    );
                    text(
                        &mut out,
                        x + (slot - 4.0) / 2.0,
                        y - 4.0,
                        "middle",
                        "value",
                        &compact(*v),
                    );
                }
                None => text(
                    &mut out,
                    x + (slot - 4.0) / 2.0,
                    TOP + PLOT_H - 4.0,
                    "middle",
                    "value",
                    "–",
                ),
            }
        }
        text(
            &mut out,
            x0 + (group_w - 20.0) / 2.0,
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
        .take(k)
        .enumerate()
        .map(|(s, name)| format!("{name}: {} bars", FILLS[s].1))
        .collect();
    out + &legend(&items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_have_a_title_axes_values_and_a_legend_in_words() {
        let chart = Bars {
            id: "fc",
            title: "Forecast <vs> quota".into(),
            x_label: "Period".into(),
            y_label: "EUR".into(),
            series: vec!["Forecast".into(), "Quota".into(), "Actual".into()],
            groups: vec![
                (
                    "FY2026 Q3".into(),
                    vec![Some(120_000.0), Some(150_000.0), Some(90_000.0)],
                ),
                ("FY2026 Q4".into(), vec![Some(80_000.0), None, Some(0.0)]),
            ],
        };
        let svg = bars_markup(&chart);
        assert!(svg.contains("viewBox=\"0 0 "), "{svg}");
        assert!(svg.contains("width=\"100%\""));
        assert!(svg.contains("<title>Forecast &lt;vs&gt; quota</title>"));
        assert!(svg.contains("aria-label=\"Forecast &lt;vs&gt; quota\""));
        assert!(!svg.contains("<vs>"));
        for value in [
            ">120k<",
            ">150k<",
            ">90k<",
            ">80k<",
            ">–<",
            ">FY2026 Q4<",
            ">Period<",
            ">EUR<",
        ] {
            assert!(svg.contains(value), "{value} missing: {svg}");
        }
        assert_eq!(svg.matches("<rect x=").count(), 5);
        assert!(svg.contains("url(#fc-f2)"));
        assert!(svg.contains(
            "<li>Forecast: solid bars</li><li>Quota: hatched bars</li><li>Actual: dotted bars</li>"
        ));
    }
}
