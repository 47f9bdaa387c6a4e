//! `report.html` of a sweep, in the style of the run report: the question, the design, the
//! headline range of the output in words (with the points tied within their intervals at
//! either end), the figures, the sensitivity indices, the highest and lowest design points,
//! and how to reproduce it.

use std::fmt::Write;

use super::record::Estimate;
use crate::output::report::{esc, page, thousands};
use crate::scenario::experiment::{DesignKind, OutputKind, SweepPlan};

/// Inline SVG of each figure the sweep drew.
#[derive(Default)]
pub struct SweepFigures {
    pub heatmap: Option<String>,
    /// The span of the heatmap's colour scale.
    pub heatmap_scale: (f64, f64),
    pub response: Option<String>,
    pub survival: Option<String>,
    pub sensitivity: Option<String>,
}

/// One parameter's indices: Morris (mu, mu*, sigma) or Sobol (S1, lo, hi, ST, lo, hi).
pub struct SensitivityRow {
    pub parameter: String,
    pub values: Vec<f64>,
}

fn fmt_value(plan: &SweepPlan, v: f64) -> String {
    if plan.output == OutputKind::Savings {
        format!("£{}", thousands(v.round().max(0.0) as u64))
    } else if plan.output == OutputKind::Survival {
        format!("{:.1}%", 100.0 * v)
    } else {
        format!("{v:.2} years")
    }
}

/// `v` with `digits` significant digits, trailing zeros dropped.
fn sig(v: f64, digits: i32) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let mag = v.abs().log10().floor() as i32;
    let dec = (digits - 1 - mag).max(0) as usize;
    let s = format!("{v:.dec$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" { "0".into() } else { s }
}

/// A number for people: the shortest form with up to three significant digits that gives
/// `v` back (0.1, 0.125, 20), or else three significant digits (0.533, not
/// 0.5333333333333333). sweep.csv keeps every digit.
pub fn human(v: f64) -> String {
    for d in 1..=3 {
        let s = sig(v, d);
        if s.parse::<f64>().is_ok_and(|p| (p - v).abs() <= 1e-12 * v.abs().max(1e-300)) {
            return s;
        }
    }
    sig(v, 3)
}

fn at_point(plan: &SweepPlan, i: usize) -> String {
    plan.params
        .iter()
        .zip(&plan.points[i])
        .map(|(p, x)| format!("{} = {}", p.key, human(*x)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A point's output with its 95% interval; an interval not computed is the value itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranked {
    pub point: usize,
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The points with a finite output, highest first (ties in point order).
pub fn ranked(estimates: &[Option<Estimate>]) -> Vec<Ranked> {
    let mut v: Vec<Ranked> = estimates
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let e = (*e)?;
            e.value.is_finite().then(|| Ranked {
                point: i,
                value: e.value,
                lo: if e.lo.is_finite() { e.lo.min(e.value) } else { e.value },
                hi: if e.hi.is_finite() { e.hi.max(e.value) } else { e.value },
            })
        })
        .collect();
    v.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.point.cmp(&b.point)));
    v
}

/// The points whose 95% intervals overlap the highest point's (the highest among them):
/// this many replicates cannot tell them apart from it.
pub fn tied_with_highest(r: &[Ranked]) -> Vec<usize> {
    r.first().map_or(Vec::new(), |top| r.iter().filter(|x| x.hi >= top.lo).map(|x| x.point).collect())
}

/// The points whose 95% intervals overlap the lowest point's (the lowest among them).
pub fn tied_with_lowest(r: &[Ranked]) -> Vec<usize> {
    r.last().map_or(Vec::new(), |low| r.iter().filter(|x| x.lo <= low.hi).map(|x| x.point).collect())
}

fn with_interval(plan: &SweepPlan, x: &Ranked) -> String {
    if x.lo == x.value && x.hi == x.value {
        fmt_value(plan, x.value)
    } else {
        format!("{} (95% interval {} to {})", fmt_value(plan, x.value), fmt_value(plan, x.lo), fmt_value(plan, x.hi))
    }
}

/// The headline sentences on the range of the output: which points are highest and lowest,
/// saying when several are tied within their intervals (no tie is broken in words), and
/// whether the highest and lowest differ by more than their intervals allow.
pub fn range_sentences(plan: &SweepPlan, r: &[Ranked]) -> Vec<String> {
    let label = plan.output_label();
    let (Some(top), Some(low)) = (r.first(), r.last()) else { return Vec::new() };
    let (up, down) = (tied_with_highest(r), tied_with_lowest(r));
    let mut v = Vec::new();
    if up.len() == r.len() {
        v.push(format!(
            "The {label} ranged from {} to {}, but every point's 95% interval overlaps the highest point's: with {} runs per point this sweep cannot tell the points apart, and no point is best.",
            fmt_value(plan, low.value),
            fmt_value(plan, top.value),
            thousands(plan.replicates)
        ));
        return v;
    }
    let list = |pts: &[usize]| {
        let shown: Vec<String> = pts.iter().take(6).map(|p| p.to_string()).collect();
        let more = if pts.len() > 6 { format!(" and {} more", pts.len() - 6) } else { String::new() };
        format!("{} {}{more}", if pts.len() == 1 { "point" } else { "points" }, shown.join(", "))
    };
    let others = |pts: &[usize], me: usize| -> Vec<usize> { pts.iter().copied().filter(|&p| p != me).collect() };
    let points = |k: usize| if k == 1 { "point" } else { "points" };
    let (up_o, down_o) = (others(&up, top.point), others(&down, low.point));
    if up_o.is_empty() {
        v.push(format!("The highest {label} is {} at {}.", with_interval(plan, top), at_point(plan, top.point)));
    } else {
        v.push(format!(
            "The highest {label} is {} at {}, but {} other {} ({}) {} tied with it within the 95% intervals: they cannot be told apart at {} runs per point, so no single point is best.",
            with_interval(plan, top),
            at_point(plan, top.point),
            up_o.len(),
            points(up_o.len()),
            list(&up_o),
            if up_o.len() == 1 { "is" } else { "are" },
            thousands(plan.replicates)
        ));
    }
    if down_o.is_empty() {
        v.push(format!("The lowest is {} at {}.", with_interval(plan, low), at_point(plan, low.point)));
    } else {
        v.push(format!(
            "The lowest is {} at {}, tied within the 95% intervals with {} other {} ({}).",
            with_interval(plan, low),
            at_point(plan, low.point),
            down_o.len(),
            points(down_o.len()),
            list(&down_o)
        ));
    }
    if top.lo > low.hi {
        v.push(
            "The 95% intervals of the highest and the lowest point do not overlap, so across this design the parameters do move the result by more than chance at this number of runs.".into(),
        );
    }
    v
}

/// `estimates` holds each point's estimate of the plan's output (None where it has none);
/// `median_beyond` the points whose median lies beyond the horizon.
pub fn sweep_report(
    plan: &SweepPlan,
    figs: &SweepFigures,
    sens: &[SensitivityRow],
    estimates: &[Option<Estimate>],
    median_beyond: &[usize],
) -> String {
    let mut b = String::new();
    let n = plan.points.len();
    let ranked = ranked(estimates);
    let _ = writeln!(b, "<h1>{}</h1>", esc(&plan.name));
    let keys: Vec<String> = plan.params.iter().map(|p| format!("<code>{}</code>", esc(&p.key))).collect();
    let _ = writeln!(
        b,
        "<p class=\"lead\">The question: how does the {} of '{}' change as {} vary?</p>",
        esc(&plan.output_label()),
        esc(&plan.scenario_name),
        keys.join(", ")
    );
    let design = match plan.design {
        DesignKind::Grid => "a full grid over the listed values",
        DesignKind::Lhs => "a Latin hypercube sample of the ranges",
        DesignKind::Morris => "Morris trajectories (elementary effects)",
        DesignKind::Sobol => "Saltelli's sampling for Sobol indices",
    };
    b.push_str("<div class=\"headline\">\n");
    let _ = writeln!(
        b,
        "<p>{} design points ({design}), {} simulated futures each: {} runs in all. Every point uses the same seeds (common random numbers). Each point's result carries a 95% interval, and points whose intervals overlap are not told apart here.</p>",
        thousands(n as u64),
        thousands(plan.replicates),
        thousands(n as u64 * plan.replicates)
    );
    if let Some(e) = &plan.ensemble {
        let _ = writeln!(
            b,
            "<p>Every point ran with an ensemble of {} parameter sets from <code>{}</code> (SHA-256 <code>{}</code>) on {}: replicate i used set i mod {}, then the point's values, so each point's results carry the uncertainty in those parameters as well as chance.</p>",
            thousands(e.len() as u64),
            esc(&e.file),
            esc(&e.sha256),
            e.params.iter().map(|p| format!("<code>{}</code>", esc(p))).collect::<Vec<_>>().join(", "),
            e.len()
        );
    }
    for sentence in range_sentences(plan, &ranked) {
        let _ = writeln!(b, "<p>{}</p>", esc(&sentence));
    }
    if !median_beyond.is_empty() {
        let h = plan.horizon_weeks as f64 / 52.0;
        let scored = if plan.output == OutputKind::Median {
            format!(" The figures and the sensitivity analysis score it as {} years there, a lower bound.", human(h))
        } else {
            String::new()
        };
        let _ = writeln!(
            b,
            "<p>At {} of {} points more than half the runs were still going after {} years, so the median lies beyond the horizon: sweep.csv leaves its median columns empty there and sets <code>median_beyond_horizon</code> to true.{}</p>",
            thousands(median_beyond.len() as u64),
            thousands(n as u64),
            human(h),
            esc(&scored)
        );
    }
    if let Some(top) = sens.iter().max_by(|a, c| {
        let k = if plan.design == DesignKind::Morris { 1 } else { 3 };
        a.values[k].total_cmp(&c.values[k])
    }) {
        if plan.design == DesignKind::Morris {
            let _ = writeln!(
                b,
                "<p>The parameter with the largest mean absolute effect is <code>{}</code> (mu* {}).</p>",
                esc(&top.parameter),
                human(top.values[1])
            );
        } else {
            // Overlapping bootstrap intervals of the total index leave the order unsettled.
            let rivals: Vec<String> = sens
                .iter()
                .filter(|r| r.parameter != top.parameter && r.values[5] >= top.values[4])
                .map(|r| format!("<code>{}</code>", esc(&r.parameter)))
                .collect();
            let _ = writeln!(
                b,
                "<p>The largest total Sobol index is that of <code>{}</code> ({}, 95% interval {} to {}).{}</p>",
                esc(&top.parameter),
                human(top.values[3]),
                human(top.values[4]),
                human(top.values[5]),
                if rivals.is_empty() {
                    String::new()
                } else {
                    format!(
                        " Its interval overlaps that of {}, so their order is not settled by this sample.",
                        rivals.join(", ")
                    )
                }
            );
        }
    }
    b.push_str("</div>\n");
    let fig = |b: &mut String, svg: &Option<String>, caption: &str| {
        if let Some(s) = svg {
            let s =
                s.trim_start().strip_prefix("<?xml").and_then(|s| s.split_once("?>")).map_or(s.as_str(), |(_, r)| r);
            let _ = writeln!(b, "<figure>\n{s}\n<figcaption>{}</figcaption>\n</figure>", esc(caption));
        }
    };
    if figs.heatmap.is_some() || figs.response.is_some() || figs.survival.is_some() {
        b.push_str("<h2>How the result moves with the parameters</h2>\n");
    }
    let (lo, hi) = figs.heatmap_scale;
    fig(
        &mut b,
        &figs.heatmap,
        &format!(
            "The output at each pair of levels of the first two parameters. The colour scale runs from {} to {}, the range the quantity can take, so colours differ as much as the values do; the black bracket beside it marks the range of the cells.",
            human(lo),
            human(hi)
        ),
    );
    let response_caption = if plan.design == DesignKind::Grid {
        "The output over the first parameter with its 95% interval."
    } else {
        if plan.points.len() > crate::output::plots::SCATTER_DENSE {
            "The output at every design point against each parameter: small translucent dots, darker where points pile up; each point's 95% interval is in sweep.csv."
        } else {
            "The output at every design point against each parameter, with its 95% interval."
        }
    };
    fig(&mut b, &figs.response, response_caption);
    fig(
        &mut b,
        &figs.survival,
        "Share of collaborations still running, all runs at each level of the first parameter pooled.",
    );
    if !sens.is_empty() {
        b.push_str("<h2>Which parameters matter</h2>\n");
        fig(&mut b, &figs.sensitivity, "Sensitivity of the output to each parameter over its whole range.");
        if plan.design == DesignKind::Morris {
            b.push_str("<table>\n<tr><th>Parameter</th><th>mu</th><th>mu* (importance)</th><th>sigma (interactions, non-linearity)</th></tr>\n");
        } else {
            b.push_str(
                "<table>\n<tr><th>Parameter</th><th>First order S1 (95% CI)</th><th>Total ST (95% CI)</th></tr>\n",
            );
        }
        for r in sens {
            let v = &r.values;
            if plan.design == DesignKind::Morris {
                let _ = writeln!(
                    b,
                    "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(&r.parameter),
                    human(v[0]),
                    human(v[1]),
                    human(v[2])
                );
            } else {
                let _ = writeln!(
                    b,
                    "<tr><td><code>{}</code></td><td class=\"num\">{} ({} to {})</td><td class=\"num\">{} ({} to {})</td></tr>",
                    esc(&r.parameter),
                    human(v[0]),
                    human(v[1]),
                    human(v[2]),
                    human(v[3]),
                    human(v[4]),
                    human(v[5])
                );
            }
        }
        b.push_str("</table>\n");
    }
    b.push_str(
        "<h2>Highest and lowest design points</h2>\n<table>\n<tr><th>Point</th><th>Parameters</th><th>Output (95% interval)</th><th>Tied with</th></tr>\n",
    );
    let shown: Vec<&Ranked> = if ranked.len() <= 10 {
        ranked.iter().collect()
    } else {
        ranked.iter().take(5).chain(ranked.iter().skip(ranked.len() - 5)).collect()
    };
    let (up, down) = (tied_with_highest(&ranked), tied_with_lowest(&ranked));
    for x in shown {
        let all = up.len() == ranked.len();
        let tie = match (up.len() > 1 && up.contains(&x.point), down.len() > 1 && down.contains(&x.point)) {
            _ if all => "every other point",
            (true, true) => "the highest and the lowest",
            (true, false) => "the highest",
            (false, true) => "the lowest",
            (false, false) => "",
        };
        let _ = writeln!(
            b,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{tie}</td></tr>",
            x.point,
            esc(&at_point(plan, x.point)),
            esc(&with_interval(plan, x))
        );
    }
    b.push_str("</table>\n<p class=\"small\">'Tied with' names the extreme (the highest or the lowest point) whose 95% interval overlaps this point's. Every point is a row of sweep.csv (and its values are rows of sweep-long.csv, one per statistic and partner), with survival at 1, 2, 5 and 10 years, the median and RMST with 95% intervals, the share of runs ending by each cause and mean savings.</p>\n");
    b.push_str("<h2>The design</h2>\n<table>\n<tr><th>Parameter</th><th>Values</th></tr>\n");
    for p in &plan.params {
        let vals = match &p.levels {
            Some(l) => l.iter().map(|x| human(*x)).collect::<Vec<_>>().join(", "),
            None => format!("{} to {}", human(p.lo), human(p.hi)),
        };
        let _ = writeln!(b, "<tr><td><code>{}</code></td><td>{}</td></tr>", esc(&p.key), esc(&vals));
    }
    b.push_str("</table>\n");
    if !plan.fixed.is_empty() {
        b.push_str("<p>Fixed at every point:</p>\n<ul>\n");
        for f in &plan.fixed {
            let _ = writeln!(b, "<li><code>{}</code></li>", esc(f));
        }
        b.push_str("</ul>\n");
    }
    let _ = writeln!(
        b,
        "<h2>Reproduce</h2>\n<p>collabsim {} &middot; experiment <code>{}</code> (SHA-256 <code>{}</code>) &middot; scenario <code>{}</code> (SHA-256 <code>{}</code>) &middot; seed {} &middot; plan {}.</p>\n<p><code>collabsim sweep {}</code></p>",
        esc(&plan.crate_version),
        esc(&plan.experiment_file),
        esc(&plan.experiment_sha256),
        esc(&plan.scenario_file),
        esc(&plan.scenario_sha256),
        plan.seed,
        esc(&plan.id),
        esc(&plan.experiment_file)
    );
    page(&plan.name, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(value: f64, lo: f64, hi: f64) -> Option<Estimate> {
        Some(Estimate { value, lo, hi })
    }

    #[test]
    fn numbers_are_written_for_people() {
        assert_eq!(human(0.5333333333333333), "0.533");
        assert_eq!(human(0.1), "0.1");
        assert_eq!(human(0.125), "0.125");
        assert_eq!(human(20.0), "20");
        assert_eq!(human(1234.5678), "1235", "whole numbers keep their digits");
        assert_eq!(human(0.0), "0");
    }

    #[test]
    fn points_tied_within_their_intervals_are_named_and_none_is_picked_among_them() {
        // The case: 10, 9.96, 9.96, 10 with intervals that all overlap the top's.
        let e = [est(10.0, 9.99, 10.0), est(9.96, 9.88, 10.0), est(9.96, 9.88, 10.0), est(10.0, 9.99, 10.0)];
        let r = ranked(&e);
        assert_eq!(r.iter().map(|x| x.point).collect::<Vec<_>>(), [0, 3, 1, 2]);
        assert_eq!(tied_with_highest(&r), [0, 3, 1, 2], "every point overlaps the top's interval");
        // A clear gap: point 2 is alone at the bottom, the other two tie at the top.
        let e = [est(10.0, 9.9, 10.0), est(9.95, 9.85, 10.0), est(7.0, 6.5, 7.5), None];
        let r = ranked(&e);
        assert_eq!(tied_with_highest(&r), [0, 1]);
        assert_eq!(tied_with_lowest(&r), [2]);
        // A missing interval counts as the value alone.
        let r = ranked(&[est(5.0, f64::NAN, f64::NAN), est(4.0, 3.0, 5.0)]);
        assert_eq!(tied_with_highest(&r), [0, 1]);
    }
}
