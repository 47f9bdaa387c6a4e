//! Turns an arm's statistics and aggregated time series into chart data (years, not weeks)
//! and draws the run and comparison figures: survival with bands and censoring marks,
//! cumulative incidence by end cause, and the state panels.
//!
//! Styles follow one rule in every chart: end cause `k` of the causes drawn has colour `k`
//! of the cause palette, arm `i` of a comparison has dash `i` (0 solid, the baseline); an
//! organization has one colour in every state panel.

use std::io;
use std::path::Path;

use super::plots::{
    Band, LegendEntry, Line, Panel, Reference, StepChart, StepCurve, StepGrid, StepPanel, Style, incidence_chart,
    incidence_grid, panels_chart, survival_chart,
};
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

/// Every end cause of `arms`: the first arm's cause list, then any cause only a later arm
/// has. The position of a cause here is its colour in every chart of these arms, so cause
/// `k` of an arm's own list keeps colour `k` in the comparison too.
pub fn all_causes(arms: &[&ArmStats]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for s in arms {
        for l in &s.cause_labels {
            if !all.contains(l) {
                all.push(l.clone());
            }
        }
    }
    all
}

/// The causes of `all_causes` that happened in at least one arm, with their colour index.
pub fn drawn_causes(arms: &[&ArmStats]) -> Vec<(usize, String)> {
    all_causes(arms)
        .into_iter()
        .enumerate()
        .filter(|(_, l)| {
            arms.iter().any(|s| s.cause_labels.iter().position(|x| x == l).is_some_and(|k| s.rates[k].events > 0))
        })
        .collect()
}

/// The cumulative incidence of cause `k` of `s` in years, to the horizon.
fn incidence_points(s: &ArmStats, k: usize) -> Vec<(f64, f64)> {
    let mut points = vec![(0.0, 0.0)];
    points.extend(
        s.incidence.steps.iter().map(|st| (st.time / WEEKS_PER_YEAR, st.incidence.get(k).copied().unwrap_or(0.0))),
    );
    let l = points.last().map_or(0.0, |p| p.1);
    points.push((s.horizon_weeks / WEEKS_PER_YEAR, l));
    points
}

/// One cumulative-incidence curve per end cause that happened, labelled `prefix: cause`,
/// cause `k` of the arm's list in colour `k` of the cause palette.
pub fn incidence_curves(prefix: Option<&str>, s: &ArmStats) -> Vec<StepCurve> {
    (0..s.cause_labels.len())
        .filter(|&k| s.rates[k].events > 0)
        .map(|k| {
            let label = match prefix {
                Some(p) => format!("{p}: {}", s.cause_labels[k]),
                None => s.cause_labels[k].clone(),
            };
            StepCurve { label, points: incidence_points(s, k), style: Style::cause(k, 0), ..StepCurve::default() }
        })
        .collect()
}

/// The end of the time axis shared by every chart of `arms`, and a note if it is short of
/// the horizon: when every run of every arm has ended before the last whole year, the axis
/// stops at the whole year after the last end instead of running on, empty, to the horizon.
pub fn time_axis(arms: &[&ArmStats], horizon_years: f64) -> (f64, Option<String>) {
    let all_ended = !arms.is_empty() && arms.iter().all(|s| s.n > 0 && s.events == s.n);
    let last_end = arms
        .iter()
        .flat_map(|s| s.km.steps.iter().filter(|st| st.events > 0).map(|st| st.time / WEEKS_PER_YEAR))
        .fold(0.0_f64, f64::max);
    let end = last_end.floor() + 1.0;
    if all_ended && end < horizon_years {
        let who = if arms.len() > 1 { "every run of every arm" } else { "every run" };
        let note = format!(
            "All runs ended early: {who} had ended by {} years, so the time axis stops at {} years \
             (the horizon was {} years).",
            two_decimals(last_end),
            two_decimals(end),
            two_decimals(horizon_years)
        );
        (end, Some(note))
    } else {
        (horizon_years, None)
    }
}

/// `v` with up to two decimals and no trailing zeros (4.96, 4.5, 5).
fn two_decimals(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The fewest runs a week's statistics are drawn over: a mean over the last few futures
/// still running is not what the collaboration looks like, so a line stops where fewer
/// than 5% of the runs (and at least 10) remain.
pub fn min_runs(runs_at_start: u64) -> u64 {
    (runs_at_start / 20).max(10).min(runs_at_start.max(1))
}

/// A line is drawn faint from the first week fewer than this share of the runs remain.
pub const FADE_SHARE: f64 = 0.25;

/// The first year in `ns` (runs behind each week's statistics) where fewer than
/// `FADE_SHARE` of the starting runs remain.
fn fade_year(ns: &[u64]) -> Option<f64> {
    let n0 = *ns.first()? as f64;
    ns.iter().position(|&n| (n as f64) < FADE_SHARE * n0).map(|w| w as f64 / WEEKS_PER_YEAR)
}

/// The mean and 5-95% range of one series over the runs alive each week, in years, while
/// enough runs remain (`min_runs`), faint from where fewer than a quarter remain.
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
    let mut ns = Vec::new();
    for week in 0..agg.weeks() {
        let c = agg.cell(week, s);
        if c.n < enough {
            break;
        }
        let q = |e: &crate::analysis::p2::P2| e.quantile().unwrap_or(f64::NAN);
        ns.push(c.n);
        line.x.push(week as f64 / WEEKS_PER_YEAR);
        line.mean.push(c.mean());
        line.lo.push(q(&c.q05));
        line.hi.push(q(&c.q95));
    }
    line.fade_from = fade_year(&ns);
    line
}

/// Weeks each side of a week in the friction rate's moving average (a quarter in all).
const SMOOTH_HALF: usize = 6;

/// Friction as events per year: the mean weekly count over the runs still going times 52,
/// averaged over a centred 13-week window. No band: a week's count is a small whole number
/// (its 5-95% range is 0 to 2), which says nothing about the rate.
pub fn friction_line(label: &str, catalog: &SeriesCatalog, agg: &TimeseriesAggregator, org: Option<usize>) -> Line {
    let mut line = series_line(label, catalog, agg, Metric::Friction, org);
    let m = &line.mean;
    let smooth: Vec<f64> = (0..m.len())
        .map(|i| {
            let w = &m[i.saturating_sub(SMOOTH_HALF)..(i + SMOOTH_HALF + 1).min(m.len())];
            WEEKS_PER_YEAR * w.iter().sum::<f64>() / w.len() as f64
        })
        .collect();
    line.lo = smooth.clone();
    line.hi = smooth.clone();
    line.mean = smooth;
    line
}

/// A partner's mean support at its reviews, `(1 - leader_say) * engagement + leader_say *
/// leader commitment` (ODD 7.14), from the means of the two series (the mean of a weighted
/// sum is the weighted sum of the means). Mean only: the spread of a sum is not known from
/// the spreads of its terms.
pub fn support_line(label: &str, catalog: &SeriesCatalog, agg: &TimeseriesAggregator, org: usize, p: &Params) -> Line {
    let e = series_line(label, catalog, agg, Metric::Engagement, Some(org));
    let c = series_line(label, catalog, agg, Metric::LeaderCommitment, Some(org));
    let n = e.mean.len().min(c.mean.len());
    let a = p.end.leader_say;
    let mean: Vec<f64> = (0..n).map(|i| (1.0 - a) * e.mean[i] + a * c.mean[i]).collect();
    Line {
        label: label.to_string(),
        x: e.x[..n].to_vec(),
        lo: mean.clone(),
        hi: mean.clone(),
        mean,
        fade_from: e.fade_from,
        ..Line::default()
    }
}

/// The support at which a review's chance of leaving is half the largest, as a reference
/// line (the model's `end.support_midpoint`).
pub fn review_reference(p: &Params, arm: Option<&str>) -> Reference {
    let e = &p.end;
    let label = format!(
        "review midpoint: support {} ({}% chance of leaving){}",
        e.support_midpoint,
        two_decimals(100.0 * e.max_leave_chance / 2.0),
        arm.map_or(String::new(), |a| format!(", {a}"))
    );
    Reference { y: e.support_midpoint, label }
}

/// The note explaining the review reference line: the decision is taken on support, not
/// on engagement alone.
pub fn review_note(p: &Params) -> String {
    let e = &p.end;
    let held =
        if p.sponsor.commitment > 0.0 { " While the sponsor holds the partners in, the chance is lower." } else { "" };
    format!(
        "Dashed grey line: at a review a partner leaves with chance {max} / (1 + exp((s - {mid}) / {w})), \
         so at support s = {mid} the chance is {half}% and it rises steeply below. Support s = {ew} x \
         engagement + {ls} x its leader's commitment: the decision rests on both, not on engagement \
         alone.{held}",
        max = e.max_leave_chance,
        mid = e.support_midpoint,
        w = e.support_width,
        half = two_decimals(100.0 * e.max_leave_chance / 2.0),
        ew = three_decimals(1.0 - e.leader_say),
        ls = e.leader_say,
    )
}

/// `v` with up to three decimals and no trailing zeros (0.5, 0.55, 0.555).
fn three_decimals(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
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

/// The panel of runs still going, one line per arm, on an axis from zero, with the counts
/// below which the other panels' lines turn faint and stop marked.
fn running_panel(lines: Vec<Line>, runs_at_start: u64, x_range: Option<(f64, f64)>) -> Panel {
    let n0 = runs_at_start as f64;
    let references = if runs_at_start > 0 {
        vec![
            Reference { y: FADE_SHARE * n0, label: format!("{:.0}%: lines turn faint", FADE_SHARE * 100.0) },
            Reference { y: min_runs(runs_at_start) as f64, label: "lines stop".into() },
        ]
    } else {
        Vec::new()
    };
    Panel {
        title: "Simulated futures still running (the other panels average these)".into(),
        y_label: "Runs".into(),
        lines,
        x_range,
        y_from_zero: true,
        references,
        ..Panel::default()
    }
}

/// The runs behind week 0 of `agg`.
fn runs_at_start(catalog: &SeriesCatalog, agg: &TimeseriesAggregator) -> u64 {
    catalog
        .series
        .iter()
        .position(|&x| x == (Metric::ActiveStaff, None))
        .filter(|_| agg.weeks() > 0)
        .map_or(0, |s| agg.cell(0, s).n)
}

/// The least span of the y axis of a 0-1 quantity: a drift of 0.01 is not drawn as a cliff.
pub const UNIT_MIN_SPAN: f64 = 0.2;

/// A panel of a quantity between 0 and 1.
fn unit_panel(title: &str, y_label: &str, lines: Vec<Line>, x_range: Option<(f64, f64)>) -> Panel {
    Panel {
        title: title.into(),
        y_label: y_label.into(),
        lines,
        x_range,
        y_bounds: Some((0.0, 1.0)),
        y_min_span: Some(UNIT_MIN_SPAN),
        ..Panel::default()
    }
}

/// Appended to every averaged panel's title.
const OVER_RUNNING: &str = "(mean of runs still going)";

/// The notes under the state charts' legend.
fn state_notes(p: &Params) -> Vec<String> {
    vec![
        format!(
            "Each line is the mean over the simulated futures still running that week (the last panel counts \
             them); the shaded band in the line's colour spans 5-95% of those runs. As runs end the survivors \
             are a selected few, so a line that recovers late may only mean the weaker runs have ended. A line \
             turns faint once fewer than {:.0}% of the runs are still going and stops below max(10, 5%) of them.",
            FADE_SHARE * 100.0
        ),
        "Friction: events per year (the weekly mean x 52, averaged over 13 weeks), drawn without a band: a \
         week's count is a small whole number, so its 5-95% range (such as 0 to 2) says nothing about the rate."
            .to_string(),
        review_note(p),
    ]
}

/// Measures drawn per organization: (metric, panel title, y-axis label), all 0-1.
const ORG_PANELS: [(Metric, &str, &str); 4] = [
    (Metric::Trust, "Trust in partners", "Trust (0-1)"),
    (Metric::Motivation, "Motivation", "Motivation (0-1)"),
    (Metric::Willingness, "Willingness to collaborate", "Willingness (0-1)"),
    (Metric::Engagement, "Strategic engagement", "Engagement (0-1)"),
];

/// One panel per measure, one line per organization (organization `o` in colour `o`); the
/// partners' support at their reviews against the model's review midpoint; the norm
/// distance between partners; and the runs still going. Time runs over `x_range`.
pub fn state_panels(catalog: &SeriesCatalog, agg: &TimeseriesAggregator, p: &Params, x_end: f64) -> Vec<Panel> {
    let x_range = Some((0.0, x_end));
    let orgs = 0..catalog.org_names.len();
    let name = |o: usize| catalog.org_names[o].as_str();
    let styled = |o: usize, l: Line| Line { style: Style::series(o, 0), ..l };
    let mut panels: Vec<Panel> = ORG_PANELS
        .iter()
        .map(|&(m, title, y)| {
            let lines = orgs.clone().map(|o| styled(o, series_line(name(o), catalog, agg, m, Some(o)))).collect();
            let mut panel = unit_panel(&format!("{title} {OVER_RUNNING}"), y, lines, x_range);
            if m == Metric::Engagement {
                panel.references.push(review_reference(p, None));
            }
            panel
        })
        .collect();
    let support: Vec<Line> = orgs.clone().map(|o| styled(o, support_line(name(o), catalog, agg, o, p))).collect();
    let mut support_panel = unit_panel(
        &format!("Support at a partner's reviews: engagement and leader's commitment {OVER_RUNNING}"),
        "Support (0-1)",
        support,
        x_range,
    );
    support_panel.references.push(review_reference(p, None));
    panels.push(support_panel);
    panels.push(Panel {
        title: format!("Workload {OVER_RUNNING}"),
        y_label: "Demand / capacity".into(),
        lines: orgs.clone().map(|o| styled(o, series_line(name(o), catalog, agg, Metric::Workload, Some(o)))).collect(),
        x_range,
        y_bounds: Some((0.0, f64::INFINITY)),
        y_min_span: Some(UNIT_MIN_SPAN),
        ..Panel::default()
    });
    panels.push(Panel {
        title: format!("Friction events per year {OVER_RUNNING}, 13-week average"),
        y_label: "Events per year".into(),
        lines: orgs.clone().map(|o| styled(o, friction_line(name(o), catalog, agg, Some(o)))).collect(),
        x_range,
        y_from_zero: true,
        ..Panel::default()
    });
    panels.push(unit_panel(
        &format!("Distance between partners' cultural norms {OVER_RUNNING}"),
        "Norm distance (0-1)",
        vec![Line {
            style: Style::series(catalog.org_names.len(), 0),
            ..series_line("between partners", catalog, agg, Metric::NormDistance, None)
        }],
        x_range,
    ));
    let running =
        Line { style: Style::series(catalog.org_names.len() + 1, 0), ..running_line("runs still going", catalog, agg) };
    panels.push(running_panel(vec![running], runs_at_start(catalog, agg), x_range));
    panels
}

/// The mean over partners of their mean support at reviews, for a comparison panel.
fn mean_support_line(label: &str, catalog: &SeriesCatalog, agg: &TimeseriesAggregator, p: &Params) -> Line {
    let lines: Vec<Line> = (0..catalog.org_names.len()).map(|o| support_line(label, catalog, agg, o, p)).collect();
    let n = lines.iter().map(|l| l.mean.len()).min().unwrap_or(0);
    let Some(first) = lines.first() else { return Line { label: label.to_string(), ..Line::default() } };
    let mean: Vec<f64> = (0..n).map(|i| lines.iter().map(|l| l.mean[i]).sum::<f64>() / lines.len() as f64).collect();
    Line {
        label: label.to_string(),
        x: first.x[..n].to_vec(),
        lo: mean.clone(),
        hi: mean.clone(),
        mean,
        fade_from: first.fade_from,
        ..Line::default()
    }
}

/// Unit-wide measures compared across arms: arm `i` is drawn in colour `i` and dash `i`,
/// over `0..x_end` years.
pub fn comparison_panels(arms: &[FigureArm<'_>], x_end: f64) -> Vec<Panel> {
    let x_range = Some((0.0, x_end));
    let style = |i: usize, l: Line| Line { style: Style::series(i, i), ..l };
    let per_arm = |f: &dyn Fn(&FigureArm<'_>) -> Line| -> Vec<Line> {
        arms.iter().enumerate().map(|(i, a)| style(i, f(a))).collect()
    };
    let unit = [
        (Metric::Trust, "Trust in partners, whole unit", "Trust (0-1)"),
        (Metric::Motivation, "Motivation, whole unit", "Motivation (0-1)"),
        (Metric::Willingness, "Willingness, whole unit", "Willingness (0-1)"),
        (Metric::NormDistance, "Distance between partners' norms", "Norm distance (0-1)"),
    ];
    let mut panels: Vec<Panel> = unit
        .iter()
        .map(|&(m, title, y)| {
            let lines = per_arm(&|a| series_line(a.label, a.catalog, a.series, m, None));
            unit_panel(&format!("{title} {OVER_RUNNING}"), y, lines, x_range)
        })
        .collect();
    let mut support = unit_panel(
        &format!("Partners' support at reviews, mean over partners {OVER_RUNNING}"),
        "Support (0-1)",
        per_arm(&|a| mean_support_line(a.label, a.catalog, a.series, a.params)),
        x_range,
    );
    let mids: Vec<f64> = arms.iter().map(|a| a.params.end.support_midpoint).collect();
    let differ = mids.iter().any(|&m| m != mids[0]);
    for a in arms {
        let r = review_reference(a.params, differ.then_some(a.label));
        if !support.references.iter().any(|x| x.y == r.y) {
            support.references.push(r);
        }
    }
    panels.push(support);
    panels.push(Panel {
        title: format!("Workload, whole unit {OVER_RUNNING}"),
        y_label: "Demand / capacity".into(),
        lines: per_arm(&|a| series_line(a.label, a.catalog, a.series, Metric::Workload, None)),
        x_range,
        y_bounds: Some((0.0, f64::INFINITY)),
        y_min_span: Some(UNIT_MIN_SPAN),
        ..Panel::default()
    });
    panels.push(Panel {
        title: format!("Friction events per year, whole unit {OVER_RUNNING}, 13-week average"),
        y_label: "Events per year".into(),
        lines: per_arm(&|a| friction_line(a.label, a.catalog, a.series, None)),
        x_range,
        y_from_zero: true,
        ..Panel::default()
    });
    let n0 = arms.first().map_or(0, |a| runs_at_start(a.catalog, a.series));
    panels.push(running_panel(per_arm(&|a| running_line(a.label, a.catalog, a.series)), n0, x_range));
    panels
}

/// The three figures of one run, written as `survival`, `incidence` and `state` .svg/.png.
/// `params` are the run's parameters (the state chart marks the model's review midpoint).
pub fn run_figures(
    dir: &Path,
    title: &str,
    stats: &ArmStats,
    catalog: &SeriesCatalog,
    agg: &TimeseriesAggregator,
    params: &Params,
) -> io::Result<Figures> {
    let horizon = stats.horizon_weeks / WEEKS_PER_YEAR;
    let (x_end, axis_note) = time_axis(&[stats], horizon);
    let mut notes = vec![
        "Shaded: 95% confidence band of the Kaplan-Meier estimate (log-log); a tick at the end marks runs \
         still going at the horizon."
            .to_string(),
    ];
    notes.extend(axis_note.clone());
    let survival = survival_chart(
        &dir.join("survival"),
        &StepChart {
            title: format!("Survival: {title}"),
            curves: vec![km_curve("still running (95% band)", stats)],
            horizon_years: horizon,
            x_end: Some(x_end),
            legend: None,
            notes,
        },
    )?;
    let mut inc_notes = vec![
        "Share of all runs that had ended by each cause by then; with the share still running they add up to 1."
            .to_string(),
    ];
    inc_notes.extend(axis_note.clone());
    let incidence = incidence_chart(
        &dir.join("incidence"),
        &StepChart {
            title: format!("Causes of the end: {title}"),
            curves: incidence_curves(None, stats),
            horizon_years: horizon,
            x_end: Some(x_end),
            legend: None,
            notes: inc_notes,
        },
    )?;
    let mut state_notes = state_notes(params);
    state_notes.extend(axis_note);
    let panels = panels_chart(
        &dir.join("state"),
        &format!("Staff and partners over time, averaged over the runs still going: {title}"),
        &state_panels(catalog, agg, params, x_end),
        &state_notes,
    )?;
    Ok(Figures { survival, incidence, panels })
}

/// One arm of a comparison as its figures see it.
#[derive(Clone, Copy)]
pub struct FigureArm<'a> {
    pub label: &'a str,
    pub stats: &'a ArmStats,
    pub catalog: &'a SeriesCatalog,
    pub series: &'a TimeseriesAggregator,
    /// The arm's parameters: the charts mark the model's own thresholds (such as the support
    /// at which a review's chance of leaving is half the largest), which a variant may change.
    pub params: &'a Params,
}

/// With more end causes than this, a comparison's incidence chart becomes small multiples
/// (one panel per cause, the arms as line styles).
pub const MAX_CAUSES_ON_ONE_CHART: usize = 3;

/// What the survival and cause charts of a comparison need of an arm: its label and its
/// survival statistics.
#[derive(Clone, Copy)]
pub struct ArmCurves<'a> {
    pub label: &'a str,
    pub stats: &'a ArmStats,
}

impl<'a> FigureArm<'a> {
    fn curves(&self) -> ArmCurves<'a> {
        ArmCurves { label: self.label, stats: self.stats }
    }
}

/// Legend entries for the arms: a black line in each arm's dash.
fn arm_legend(arms: &[ArmCurves<'_>], band: bool) -> Vec<LegendEntry> {
    arms.iter()
        .enumerate()
        .map(|(i, a)| LegendEntry { label: a.label.to_string(), style: Style::series(6, i), band })
        .collect()
}

/// The note naming each arm's line style.
fn arms_note(arms: &[ArmCurves<'_>]) -> String {
    const DASHES: [&str; 6] = ["solid", "dashed", "dotted", "dash-dot", "long dashes", "dash-dot-dot"];
    let parts: Vec<String> =
        arms.iter().enumerate().map(|(i, a)| format!("{} {}", DASHES[i % DASHES.len()], a.label)).collect();
    format!("Line style shows the arm: {}.", parts.join(", "))
}

/// The comparison's cumulative incidence: each cause one colour, each arm one dash; one
/// chart when there are few causes, else one panel per cause.
fn comparison_incidence(
    dir: Option<&Path>,
    title: &str,
    arms: &[ArmCurves<'_>],
    horizon_years: f64,
    x_end: f64,
    axis_note: Option<String>,
) -> io::Result<String> {
    let stats: Vec<&ArmStats> = arms.iter().map(|a| a.stats).collect();
    let causes = drawn_causes(&stats);
    let curve = |c: usize, i: usize, label: String| -> Option<StepCurve> {
        let a = &arms[i];
        let (colour, cause) = &causes[c];
        let k = a.stats.cause_labels.iter().position(|l| l == cause)?;
        Some(StepCurve {
            label,
            points: incidence_points(a.stats, k),
            style: Style::cause(*colour, i),
            ..StepCurve::default()
        })
    };
    let mut notes = vec![format!(
        "Colour shows the end cause (the same colour in every arm and chart). {} Share of all runs of the \
         arm that had ended by each cause by then.",
        arms_note(arms)
    )];
    notes.extend(axis_note);
    let title = format!("Causes of the end: {title}");
    if causes.len() <= MAX_CAUSES_ON_ONE_CHART {
        let curves: Vec<StepCurve> = (0..arms.len())
            .flat_map(|i| (0..causes.len()).map(move |c| (c, i)))
            .filter_map(|(c, i)| curve(c, i, format!("{}: {}", arms[i].label, causes[c].1)))
            .collect();
        let mut legend: Vec<LegendEntry> = causes
            .iter()
            .map(|(colour, l)| LegendEntry { label: l.clone(), style: Style::cause(*colour, 0), band: false })
            .collect();
        legend.extend(arm_legend(arms, false));
        incidence_chart(
            target(dir, "incidence").as_ref(),
            &StepChart { title, curves, horizon_years, x_end: Some(x_end), legend: Some(legend), notes },
        )
    } else {
        notes.push("One panel per end cause, all on the same axes.".to_string());
        let panels: Vec<StepPanel> = causes
            .iter()
            .enumerate()
            .map(|(c, (_, l))| StepPanel {
                title: l.clone(),
                curves: (0..arms.len()).filter_map(|i| curve(c, i, arms[i].label.to_string())).collect(),
            })
            .collect();
        incidence_grid(
            target(dir, "incidence").as_ref(),
            &StepGrid {
                title,
                panels,
                horizon_years,
                x_end: Some(x_end),
                legend: Some(arm_legend(arms, false)),
                notes,
            },
        )
    }
}

/// `dir/name`, or only the SVG text when there is no folder.
fn target(dir: Option<&Path>, name: &str) -> Option<std::path::PathBuf> {
    dir.map(|d| d.join(name))
}

/// The survival and cause charts of a comparison, the baseline first and arm `i` in dash
/// `i`, drawn to `horizon_years`: written as `survival` and `incidence` .svg/.png into `dir`,
/// or with no folder only returned as SVG text (the `serve` page shows the report's charts).
pub fn comparison_step_figures(
    dir: Option<&Path>,
    title: &str,
    arms: &[ArmCurves<'_>],
    horizon_years: f64,
) -> io::Result<(String, String)> {
    let stats: Vec<&ArmStats> = arms.iter().map(|a| a.stats).collect();
    let (x_end, axis_note) = time_axis(&stats, horizon_years);
    let mut notes = vec![format!(
        "Shaded: 95% confidence band of each arm's Kaplan-Meier estimate, in the arm's colour. {}",
        arms_note(arms)
    )];
    notes.extend(axis_note.clone());
    let survival = survival_chart(
        target(dir, "survival").as_ref(),
        &StepChart {
            title: format!("Survival: {title}"),
            curves: arms
                .iter()
                .enumerate()
                .map(|(i, a)| StepCurve { style: Style::series(i, i), ..km_curve(a.label, a.stats) })
                .collect(),
            horizon_years,
            x_end: Some(x_end),
            legend: None,
            notes,
        },
    )?;
    let incidence = comparison_incidence(dir, title, arms, horizon_years, x_end, axis_note)?;
    Ok((survival, incidence))
}

/// The three figures of a comparison (every arm overlaid, the baseline first), written as
/// `survival`, `incidence` and `state` .svg/.png, drawn to `horizon_years`. Arm `i` (0 the
/// baseline) is drawn in dash `i`.
pub fn comparison_figures(dir: &Path, title: &str, arms: &[FigureArm<'_>], horizon_years: f64) -> io::Result<Figures> {
    let curves: Vec<ArmCurves<'_>> = arms.iter().map(FigureArm::curves).collect();
    let (survival, incidence) = comparison_step_figures(Some(dir), title, &curves, horizon_years)?;
    let stats: Vec<&ArmStats> = arms.iter().map(|a| a.stats).collect();
    let (x_end, axis_note) = time_axis(&stats, horizon_years);
    let mut state_notes = state_notes(arms[0].params);
    state_notes.insert(1, arms_note(&curves));
    state_notes.extend(axis_note);
    let panels = panels_chart(
        &dir.join("state"),
        &format!("Whole unit over time, averaged over the runs still going: {title}"),
        &comparison_panels(arms, x_end),
        &state_notes,
    )?;
    Ok(Figures { survival, incidence, panels })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::arm::RunEnd;

    fn labels(orgs: &[&str], sponsored: bool) -> Vec<String> {
        let names: Vec<String> = orgs.iter().map(|s| s.to_string()).collect();
        crate::engine::cause_labels(&names, sponsored)
    }

    fn end(week: u32, cause: Option<usize>) -> RunEnd {
        RunEnd { week, cause }
    }

    #[test]
    fn an_axis_ends_after_the_last_end_only_when_every_run_has_ended() {
        let l = labels(&["A", "B", "C"], false);
        // Every run ended by week 135 (2.6 years) of a 10-year horizon: the axis stops at 3.
        let early = ArmStats::new(&[end(40, Some(1)), end(90, Some(6)), end(135, Some(2))], l.clone(), 520);
        let (x, note) = time_axis(&[&early], 10.0);
        assert_eq!(x, 3.0);
        assert!(note.is_some_and(|n| n.contains("2.6 years") && n.contains("stops at 3 years")));
        // One run still going at the horizon: the axis runs to the horizon, no note.
        let censored = ArmStats::new(&[end(40, Some(1)), end(520, None)], l.clone(), 520);
        assert_eq!(time_axis(&[&censored], 10.0), (10.0, None));
        // A comparison shares one axis: the arm still running keeps it at the horizon ...
        assert_eq!(time_axis(&[&early, &censored], 10.0).0, 10.0);
        // ... and two early arms end it after the later one's last end (week 200 = 3.8 y).
        let later = ArmStats::new(&[end(200, Some(0)), end(100, Some(3))], l, 520);
        assert_eq!(time_axis(&[&early, &later], 10.0).0, 4.0);
    }

    #[test]
    fn a_cause_has_the_same_colour_in_every_arm() {
        let l = labels(&["A", "B", "C"], true);
        assert_eq!(l.len(), 8);
        // Arm 1 has only causes 5 and 7; arm 2 only 1 and 5.
        let a = ArmStats::new(&[end(10, Some(5)), end(20, Some(7))], l.clone(), 52);
        let b = ArmStats::new(&[end(10, Some(1)), end(20, Some(5))], l.clone(), 52);
        let drawn = drawn_causes(&[&a, &b]);
        let want: Vec<(usize, String)> = [1, 5, 7].iter().map(|&k| (k, l[k].clone())).collect();
        assert_eq!(drawn, want, "colour = the cause's index in the arm's cause list");
        // The run chart of an arm uses the same colours.
        let own: Vec<Option<usize>> = incidence_curves(None, &a).iter().map(|c| c.style.color).collect();
        assert_eq!(own, vec![Some(5), Some(7)]);
    }

    #[test]
    fn the_review_line_follows_the_scenarios_parameters() {
        let mut p = Params::default();
        p.end.support_midpoint = 0.45;
        p.end.max_leave_chance = 0.5;
        p.end.leader_say = 0.5;
        p.end.support_width = 0.03;
        let r = review_reference(&p, None);
        assert_eq!(r.y, 0.45);
        assert_eq!(r.label, "review midpoint: support 0.45 (25% chance of leaving)");
        let note = review_note(&p);
        assert!(note.contains("0.5 / (1 + exp((s - 0.45) / 0.03))"), "{note}");
        assert!(note.contains("0.5 x engagement + 0.5 x its leader's commitment"), "{note}");
        assert!(note.contains("not on engagement alone"), "{note}");
        // A scenario that moves the midpoint moves the line.
        p.end.support_midpoint = 0.38;
        p.end.max_leave_chance = 0.3;
        p.end.leader_say = 0.25;
        let r = review_reference(&p, Some("variant"));
        assert_eq!(r.y, 0.38);
        assert_eq!(r.label, "review midpoint: support 0.38 (15% chance of leaving), variant");
        assert!(review_note(&p).contains("0.75 x engagement + 0.25 x"));
    }

    #[test]
    fn lines_fade_below_a_quarter_of_the_runs() {
        assert_eq!(fade_year(&[200, 150, 51, 50, 49, 10]), Some(4.0 / WEEKS_PER_YEAR));
        assert_eq!(fade_year(&[200, 150, 60]), None);
        assert_eq!(fade_year(&[]), None);
        assert_eq!(min_runs(1000), 50);
        assert_eq!(min_runs(100), 10);
    }
}
