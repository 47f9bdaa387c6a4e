//! Turns an arm's statistics and aggregated time series into chart data (years, not weeks)
//! and draws the run and comparison figures: survival with bands and censoring marks,
//! cumulative incidence by end cause, and the state panels.

use std::io;
use std::path::Path;

use super::plots::{Band, Line, Panel, StepCurve, Style, incidence_plot, panels_plot, survival_plot};
use crate::analysis::arm::ArmStats;
use crate::engine::{Metric, SeriesCatalog, TimeseriesAggregator};
use crate::model::Params;

const WEEKS_PER_YEAR: f64 = 52.0;

/// The SVG text of each figure, for inlining into report.html.
pub struct Figures {
    pub survival: String,
    pub incidence: String,
    pub panels: String,
}

/// The Kaplan-Meier curve in years, drawn to the horizon, with its 95% log(-log) band and a
/// censoring mark at the horizon where runs were still alive.
pub fn km_curve(label: &str, s: &ArmStats) -> StepCurve {
    let y = |w: f64| w / WEEKS_PER_YEAR;
    let mut points = vec![(0.0, 1.0)];
    let (mut lower, mut upper) = (vec![(0.0, 1.0)], vec![(0.0, 1.0)]);
    for st in &s.km.steps {
        points.push((y(st.time), st.survival));
        lower.push((y(st.time), st.lower.unwrap_or(st.survival)));
        upper.push((y(st.time), st.upper.unwrap_or(st.survival)));
    }
    let end = y(s.horizon_weeks);
    let last = |v: &Vec<(f64, f64)>| v.last().map_or(1.0, |p| p.1);
    for v in [&mut points, &mut lower, &mut upper] {
        let l = last(v);
        if v.last().is_some_and(|p| p.0 < end) {
            v.push((end, l));
        }
    }
    let censor_marks = if s.events < s.n { vec![(end, last(&points))] } else { vec![] };
    StepCurve {
        label: label.to_string(),
        points,
        band: Some(Band { lower, upper }),
        censor_marks,
        style: Style::default(),
    }
}

/// One cumulative-incidence curve per end cause that happened, labelled `prefix: cause`.
pub fn incidence_curves(prefix: Option<&str>, s: &ArmStats) -> Vec<StepCurve> {
    let end = s.horizon_weeks / WEEKS_PER_YEAR;
    (0..s.cause_labels.len())
        .filter(|&k| s.rates[k].events > 0)
        .map(|k| {
            let mut points = vec![(0.0, 0.0)];
            points.extend(
                s.incidence
                    .steps
                    .iter()
                    .map(|st| (st.time / WEEKS_PER_YEAR, st.incidence.get(k).copied().unwrap_or(0.0))),
            );
            let l = points.last().map_or(0.0, |p| p.1);
            points.push((end, l));
            let label = match prefix {
                Some(p) => format!("{p}: {}", s.cause_labels[k]),
                None => s.cause_labels[k].clone(),
            };
            StepCurve { label, points, band: None, censor_marks: vec![], style: Style::cause(k, 0) }
        })
        .collect()
}

/// The fewest runs a week's statistics are drawn over: a mean over the last few futures
/// still running is not what the collaboration looks like, so a line stops where fewer
/// than 5% of the runs (and at least 10) remain.
pub fn min_runs(runs_at_start: u64) -> u64 {
    (runs_at_start / 20).max(10).min(runs_at_start.max(1))
}

/// The mean and 5-95% range of one series over the runs alive each week, in years, while
/// enough runs remain (`min_runs`).
pub fn series_line(
    label: &str,
    catalog: &SeriesCatalog,
    agg: &TimeseriesAggregator,
    m: Metric,
    org: Option<usize>,
) -> Line {
    let mut line = Line { label: label.to_string(), ..Line::default() };
    let Some(s) = catalog.series.iter().position(|&x| x == (m, org)) else { return line };
    let enough = min_runs(agg.cell(0, s).n);
    for week in 0..agg.weeks() {
        let c = agg.cell(week, s);
        if c.n < enough {
            break;
        }
        let q = |e: &crate::analysis::p2::P2| e.quantile().unwrap_or(f64::NAN);
        line.x.push(week as f64 / WEEKS_PER_YEAR);
        line.mean.push(c.mean());
        line.lo.push(q(&c.q05));
        line.hi.push(q(&c.q95));
    }
    line
}

/// How many of the simulated futures are still running each week (the count behind every
/// other panel's statistics), in years.
pub fn running_line(label: &str, catalog: &SeriesCatalog, agg: &TimeseriesAggregator) -> Line {
    let mut line = Line { label: label.to_string(), ..Line::default() };
    let Some(s) = catalog.series.iter().position(|&x| x == (Metric::ActiveStaff, None)) else { return line };
    for week in 0..agg.weeks() {
        let n = agg.cell(week, s).n as f64;
        line.x.push(week as f64 / WEEKS_PER_YEAR);
        line.mean.push(n);
        line.lo.push(n);
        line.hi.push(n);
    }
    line
}

/// The panel of runs still going, one line per arm.
fn running_panel(lines: Vec<Line>, x_range: Option<(f64, f64)>) -> Panel {
    Panel {
        title: "Simulated futures still running (the other panels average these)".into(),
        y_label: "Runs".into(),
        lines,
        x_range,
        ..Panel::default()
    }
}

/// Measures drawn per organization: (metric, panel title, y-axis label).
const ORG_PANELS: [(Metric, &str, &str); 6] = [
    (Metric::Trust, "Trust in partners", "Trust (0-1)"),
    (Metric::Motivation, "Motivation", "Motivation (0-1)"),
    (Metric::Willingness, "Willingness to collaborate", "Willingness (0-1)"),
    (Metric::Workload, "Workload", "Demand / capacity"),
    (Metric::Engagement, "Strategic engagement", "Engagement (0-1)"),
    (Metric::Friction, "Friction events", "Events per week"),
];

/// One panel per measure, one line per organization; then the norm distance between partners.
pub fn state_panels(catalog: &SeriesCatalog, agg: &TimeseriesAggregator) -> Vec<Panel> {
    let x_range = Some((0.0, agg.weeks().saturating_sub(1) as f64 / WEEKS_PER_YEAR));
    let mut panels: Vec<Panel> = ORG_PANELS
        .iter()
        .map(|&(m, title, y)| Panel {
            title: title.into(),
            y_label: y.into(),
            lines: (0..catalog.org_names.len())
                .map(|o| series_line(&catalog.org_names[o], catalog, agg, m, Some(o)))
                .collect(),
            x_range,
            ..Panel::default()
        })
        .collect();
    panels.push(Panel {
        title: "Distance between partners' cultural norms".into(),
        y_label: "Norm distance (0-1)".into(),
        lines: vec![series_line("between partners", catalog, agg, Metric::NormDistance, None)],
        x_range,
        ..Panel::default()
    });
    panels.push(running_panel(vec![running_line("runs", catalog, agg)], x_range));
    panels
}

/// Unit-wide measures compared across arms: one line per arm.
pub fn comparison_panels(arms: &[(&str, &SeriesCatalog, &TimeseriesAggregator)]) -> Vec<Panel> {
    let measures = [
        (Metric::Trust, "Trust in partners (whole unit)", "Trust (0-1)"),
        (Metric::Motivation, "Motivation (whole unit)", "Motivation (0-1)"),
        (Metric::Willingness, "Willingness (whole unit)", "Willingness (0-1)"),
        (Metric::Workload, "Workload (whole unit)", "Demand / capacity"),
        (Metric::NormDistance, "Distance between partners' norms", "Norm distance (0-1)"),
        (Metric::Friction, "Friction events (whole unit)", "Events per week"),
    ];
    let weeks = arms.iter().map(|(_, _, a)| a.weeks()).max().unwrap_or(1);
    let x_range = Some((0.0, weeks.saturating_sub(1) as f64 / WEEKS_PER_YEAR));
    let mut panels: Vec<Panel> = measures
        .iter()
        .map(|&(m, title, y)| Panel {
            title: title.into(),
            y_label: y.into(),
            lines: arms
                .iter()
                .enumerate()
                .map(|(i, (label, c, a))| Line { style: Style::series(i, i), ..series_line(label, c, a, m, None) })
                .collect(),
            x_range,
            ..Panel::default()
        })
        .collect();
    panels.push(running_panel(arms.iter().map(|(label, c, a)| running_line(label, c, a)).collect(), x_range));
    panels
}

/// The three figures of one run, written as `survival`, `incidence` and `state` .svg/.png.
pub fn run_figures(
    dir: &Path,
    title: &str,
    stats: &ArmStats,
    catalog: &SeriesCatalog,
    agg: &TimeseriesAggregator,
    params: &Params,
) -> io::Result<Figures> {
    let _ = params;
    let horizon = stats.horizon_weeks / WEEKS_PER_YEAR;
    let survival = survival_plot(
        &dir.join("survival"),
        &format!("Survival: {title}"),
        &[km_curve("still running (95% band)", stats)],
        horizon,
    )?;
    let incidence = incidence_plot(
        &dir.join("incidence"),
        &format!("Causes of the end: {title}"),
        &incidence_curves(None, stats),
        horizon,
    )?;
    let panels = panels_plot(
        &dir.join("state"),
        &format!("Staff and partners over time: {title}"),
        &state_panels(catalog, agg),
    )?;
    Ok(Figures { survival, incidence, panels })
}

/// One arm of a comparison as its figures see it.
pub struct FigureArm<'a> {
    pub label: &'a str,
    pub stats: &'a ArmStats,
    pub catalog: &'a SeriesCatalog,
    pub series: &'a TimeseriesAggregator,
    /// The arm's parameters: the charts mark the model's own thresholds (such as the support
    /// at which a review's chance of leaving is half the largest), which a variant may change.
    pub params: &'a Params,
}

/// The three figures of a comparison (every arm overlaid, the baseline first; arm i in
/// colour i and dash i), written as `survival`, `incidence` and `state` .svg/.png, drawn to
/// `horizon_years`.
pub fn comparison_figures(dir: &Path, title: &str, arms: &[FigureArm<'_>], horizon_years: f64) -> io::Result<Figures> {
    let survival = survival_plot(
        &dir.join("survival"),
        &format!("Survival: {title}"),
        &arms
            .iter()
            .enumerate()
            .map(|(i, a)| StepCurve { style: Style::series(i, i), ..km_curve(a.label, a.stats) })
            .collect::<Vec<_>>(),
        horizon_years,
    )?;
    let mut inc = Vec::new();
    for (i, a) in arms.iter().enumerate() {
        inc.extend(
            incidence_curves(Some(a.label), a.stats)
                .into_iter()
                .map(|c| StepCurve { style: Style { dash: i, ..c.style }, ..c }),
        );
    }
    let incidence =
        incidence_plot(&dir.join("incidence"), &format!("Causes of the end: {title}"), &inc, horizon_years)?;
    let series: Vec<(&str, &SeriesCatalog, &TimeseriesAggregator)> =
        arms.iter().map(|a| (a.label, a.catalog, a.series)).collect();
    let panels =
        panels_plot(&dir.join("state"), &format!("Whole unit over time: {title}"), &comparison_panels(&series))?;
    Ok(Figures { survival, incidence, panels })
}
