//! A horizontal funnel: per stage, what entered it and what advanced from it.

use super::{legend, open, text, INK};
use std::fmt::Write;

/// One stage of a funnel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunnelStep {
    pub label: String,
    pub entered: i64,
    /// `None` for a last stage (nothing to advance to).
    pub advanced: Option<i64>,
    /// Entered → advanced, in percent.
    pub conversion: Option<f64>,
}

/// A horizontal funnel: per stage, the opportunities that entered it and the
/// ones that advanced from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Funnel {
    pub id: &'static str,
    pub title: String,
    pub steps: Vec<FunnelStep>,
}

/// The markup of a funnel.
pub fn funnel_markup(c: &Funnel) -> String {
    let width = 400.0;
    let row = 44.0;
    let height = 12.0 + row * c.steps.len().max(1) as f64;
    let max = c
        .steps
        .iter()
        .map(|s| s.entered.max(s.advanced.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let full = width - 16.0;
    let mut out = open(c.id, &c.title, width, height);
    for (i, s) in c.steps.iter().enumerate() {
        let y = 8.0 + row * i as f64;
        let conversion = s
            .conversion
            .map(|c| format!(" ({c:.0} %)"))
            .unwrap_or_default();
        let advanced = s
            .advanced
            .map(|n| format!(", {n} advanced{conversion}"))
            .unwrap_or_default();
        let line = format!("{}: {} entered{advanced}", s.label, s.entered);
        text(&mut out, 8.0, y + 11.0, "start", "value", &line);
        let bars = [Some((s.entered, 1, 18.0)), s.advanced.map(|n| (n, 0, 10.0))];
        for (n, fill, h) in bars.into_iter().flatten() {
            let w = (full * n as f64 / max).max(1.0);
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{h}\" fill=\"url(#{}-f{fill})\" stroke=\"{INK}\"/>",
                (width - w) / 2.0,
                y + 16.0 + (18.0 - h) / 2.0,
                c.id
            );
        }
    }
    out.push_str("</svg>");
    out + &legend(&[
        "Wide hatched bar: opportunities that entered the stage".to_owned(),
        "Narrow solid bar inside: those that advanced from it".to_owned(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_funnel_writes_each_stage_in_words() {
        let chart = Funnel {
            id: "fu",
            title: "Funnel".into(),
            steps: vec![
                FunnelStep {
                    label: "Qualify".into(),
                    entered: 40,
                    advanced: Some(25),
                    conversion: Some(62.5),
                },
                FunnelStep {
                    label: "Propose & close".into(),
                    entered: 25,
                    advanced: Some(10),
                    conversion: None,
                },
                FunnelStep {
                    label: "Won".into(),
                    entered: 10,
                    advanced: None,
                    conversion: None,
                },
            ],
        };
        let svg = funnel_markup(&chart);
        assert!(
            svg.contains("Qualify: 40 entered, 25 advanced (62 %)") || svg.contains("(63 %)"),
            "{svg}"
        );
        assert!(svg.contains("Propose &amp; close: 25 entered, 10 advanced<"));
        assert!(svg.contains(">Won: 10 entered<"));
        assert_eq!(svg.matches("<rect x=").count(), 5);
        assert!(svg.contains("viewBox=\"0 0 400 144\""));
    }
}
