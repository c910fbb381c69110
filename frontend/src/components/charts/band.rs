//! A P10–P90 band with its P50 line, and the actuals as markers.

use super::{
    category_label, compact, escape, legend, nice_max, open, text, value_axis, y_of, BOTTOM, FILLS,
    INK, LEFT, PLOT_H, RIGHT, TOP,
};
use std::fmt::Write;

/// One period of a band chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BandPoint {
    pub label: String,
    /// `(P10, P50, P90)`, when the model had enough history.
    pub band: Option<(f64, f64, f64)>,
    /// What actually happened.
    pub actual: Option<f64>,
}

/// A P10–P90 band with its P50 line and the actuals as markers.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub id: &'static str,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<BandPoint>,
}

/// The markup of a band chart.
pub fn band_markup(c: &Band) -> String {
    let step = 64.0;
    let width = (LEFT + RIGHT + c.points.len() as f64 * step).max(320.0);
    let height = TOP + PLOT_H + BOTTOM;
    let max = c
        .points
        .iter()
        .flat_map(|p| [p.band.map(|b| b.2), p.actual])
        .flatten()
        .fold(0.0_f64, f64::max);
    let top = nice_max(max);
    let x_of = |i: usize| LEFT + step * (i as f64 + 0.5);
    let mut out = open(c.id, &c.title, width, height);
    value_axis(&mut out, width, top, &c.y_label, compact);
    let banded: Vec<(f64, (f64, f64, f64))> = c
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((x_of(i), p.band?)))
        .collect();
    if !banded.is_empty() {
        let upper = banded
            .iter()
            .map(|(x, b)| format!("{x:.1},{:.1}", y_of(b.2, top)));
        let lower = banded
            .iter()
            .rev()
            .map(|(x, b)| format!("{x:.1},{:.1}", y_of(b.0, top)));
        let points: Vec<String> = upper.chain(lower).collect();
        let _ = write!(
            out,
            "<polygon points=\"{}\" fill=\"url(#{}-f1)\" fill-opacity=\"0.45\" stroke=\"{}\" stroke-dasharray=\"3 2\"/>",
            points.join(" "),
            c.id,
            FILLS[1].0
        );
        let line: Vec<String> = banded
            .iter()
            .map(|(x, b)| format!("{x:.1},{:.1}", y_of(b.1, top)))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            line.join(" "),
            FILLS[0].0
        );
    }
    for (i, p) in c.points.iter().enumerate() {
        let x = x_of(i);
        match p.band {
            Some((p10, p50, p90)) => {
                let y = y_of(p50, top);
                let _ = write!(
                    out,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{}\"><title>{}</title></circle>",
                    FILLS[0].0,
                    escape(&format!(
                        "{}: P10 {}, P50 {}, P90 {}",
                        p.label,
                        compact(p10),
                        compact(p50),
                        compact(p90)
                    ))
                );
                text(&mut out, x, y + 15.0, "middle", "value", &compact(p50));
            }
            None => text(&mut out, x, TOP + PLOT_H - 4.0, "middle", "value", "n/a"),
        }
        if let Some(actual) = p.actual {
            let y = y_of(actual, top);
            let _ = write!(
                out,
                "<path d=\"M{x:.1} {:.1}l6 6-6 6-6-6z\" fill=\"{INK}\"><title>{}</title></path>",
                y - 6.0,
                escape(&format!("{}: actual {}", p.label, compact(actual)))
            );
            text(
                &mut out,
                x,
                y - 9.0,
                "middle",
                "value actual",
                &compact(actual),
            );
        }
        text(
            &mut out,
            x,
            TOP + PLOT_H + 16.0,
            "middle",
            "category",
            &p.label,
        );
    }
    category_label(&mut out, width, height, &c.x_label);
    out.push_str("</svg>");
    out + &legend(&[
        "Hatched band: P10 to P90".to_owned(),
        "Solid line with circles (value below): P50".to_owned(),
        "Black diamonds (value above): actual".to_owned(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_band_skips_periods_without_a_model() {
        let chart = Band {
            id: "bt",
            title: "Backtest".into(),
            x_label: "Quarter".into(),
            y_label: "EUR".into(),
            points: vec![
                BandPoint {
                    label: "Q1".into(),
                    band: None,
                    actual: Some(1000.0),
                },
                BandPoint {
                    label: "Q2".into(),
                    band: Some((500.0, 900.0, 1500.0)),
                    actual: Some(1200.0),
                },
                BandPoint {
                    label: "Q3".into(),
                    band: Some((400.0, 700.0, 1000.0)),
                    actual: None,
                },
            ],
        };
        let svg = band_markup(&chart);
        assert_eq!(svg.matches("<polygon").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 2 + 1); // two P50 points, the dotted fill's dot
        assert_eq!(svg.matches("l6 6-6 6-6-6z").count(), 2);
        for value in [
            ">n/a<",
            ">900<",
            ">1.2k<",
            ">1k<",
            "P10 500, P50 900, P90 1.5k",
        ] {
            assert!(svg.contains(value), "{value} missing: {svg}");
        }
        assert!(svg.contains("Black diamonds (value above): actual"));
    }
}
