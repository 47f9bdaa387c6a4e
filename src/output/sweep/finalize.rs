//! Writes a sweep's final files from its point records, in point order: sweep.csv and
//! runs.csv (`write_tables`, which also gathers what the figures need), sensitivity.csv and
//! its chart from indices computed by the caller (`write_sensitivity`), the figures and
//! report.html. `app::sweep::finalize` drives them for `sweep` and `merge` alike, so both
//! write the same bytes. Memory holds one record at a time plus one estimate per point and
//! one survival histogram per level.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::record::{Estimate, read_record, read_records_index, record_path, runs_path};
use super::report::{SensitivityRow, SweepFigures, sweep_report};
use super::rows::{header, key_columns, long_columns, runs_header};
use super::series::{REPLICATE_SERIES, SERIES, join_fragments, series_header};
use crate::analysis::morris::MorrisIndex;
use crate::analysis::sobol::SobolIndex;
use crate::output::plots::{
    BarSeries, CiSeries, Line, Panel, SCATTER_DENSE, StepCurve, bar_plot, heatmap_plot, line_ci_plot, panels_plot,
    survival_plot,
};
use crate::output::replicate_series;
use crate::output::report::thousands;
use crate::output::{AtomicFile, f6, write_atomic};
use crate::scenario::experiment::{DesignKind, OutputKind, SweepPlan, toml_number};

fn bad(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Where each point's record is: the first of `dirs` that holds it. Errors name the missing.
pub fn locate_points(plan: &SweepPlan, dirs: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut at: HashMap<usize, &PathBuf> = HashMap::new();
    for d in dirs {
        for id in read_records_index(d)? {
            at.entry(id).or_insert(d);
        }
    }
    let n = plan.points.len();
    let missing: Vec<usize> = (0..n).filter(|i| !at.contains_key(i)).collect();
    if !missing.is_empty() {
        let first: Vec<String> = missing.iter().take(5).map(|i| i.to_string()).collect();
        return Err(bad(format!(
            "{} of {n} design points have no result yet (points {}{}); run the missing shards, or `collabsim sweep ... --resume`",
            missing.len(),
            first.join(", "),
            if missing.len() > 5 { ", ..." } else { "" }
        )));
    }
    Ok((0..n).map(|i| at[&i].clone()).collect())
}

/// What the figures and the sensitivity analysis need of the records: each point's
/// estimate of the plan's output, and the pooled end weeks per level of a grid's first
/// parameter.
pub struct Gathered {
    pub estimates: Vec<Option<Estimate>>,
    /// The points whose median lies beyond the horizon (scored as the horizon).
    pub median_beyond: Vec<usize>,
    by_level: Vec<LevelCounts>,
}

impl Gathered {
    /// The output at each point; a point without an estimate of it is NaN, which the
    /// figures leave out.
    pub fn values(&self) -> Vec<f64> {
        self.estimates.iter().map(|e| e.map_or(f64::NAN, |e| e.value)).collect()
    }
}

/// Writes sweep.csv (and runs.csv if the plan asks for it) into `out` from the records in
/// `dirs`; returns what the later files need and the names written.
pub fn write_tables(plan: &SweepPlan, dirs: &[PathBuf], out: &Path) -> io::Result<(Gathered, Vec<String>)> {
    let homes = locate_points(plan, dirs)?;
    let n = plan.points.len();
    let mut written = Vec::new();

    let mut csv = csv::Writer::from_writer(AtomicFile::create(&out.join("sweep.csv"))?);
    let head = header(plan);
    csv.write_record(&head)?;
    // The same values in long form: one row per point and statistic, the partner in a
    // column of its own, so the schema is the same for every scenario.
    let mut long = csv::Writer::from_writer(AtomicFile::create(&out.join("sweep-long.csv"))?);
    long.write_record(["point", "statistic", "partner", "value"])?;
    let (keys, stats) = (key_columns(plan), long_columns(plan));
    debug_assert_eq!(keys + stats.len(), head.len());
    let mut estimates = Vec::with_capacity(n);
    let mut median_beyond = Vec::new();
    let horizon = plan.horizon_weeks as usize;
    let first_levels = plan.params.first().and_then(|p| p.levels.clone());
    let mut by_level: Vec<LevelCounts> =
        first_levels.as_ref().map_or(Vec::new(), |l| l.iter().map(|_| LevelCounts::new(horizon)).collect());
    for (i, home) in homes.iter().enumerate() {
        let rec = read_record(&record_path(home, i))?;
        if rec.plan != plan.id || rec.point != i {
            return Err(bad(format!("{}: a record of another experiment or point", record_path(home, i).display())));
        }
        csv.write_record(&rec.row)?;
        for ((stat, partner), v) in stats.iter().zip(&rec.row[keys.min(rec.row.len())..]) {
            long.write_record([rec.row[0].as_str(), stat, partner, v])?;
        }
        estimates.push(rec.scalars.get(plan.output));
        if rec.scalars.median_beyond_horizon {
            median_beyond.push(i);
        }
        if let Some(levels) = &first_levels {
            let x = plan.points[i][0];
            if let Some(k) = levels.iter().position(|&l| l == x) {
                by_level[k].add(&rec.end_weeks);
            }
        }
    }
    csv.into_inner().map_err(|e| e.into_error())?.commit()?;
    written.push("sweep.csv".to_string());
    long.into_inner().map_err(|e| e.into_error())?.commit()?;
    written.push("sweep-long.csv".to_string());

    if plan.runs {
        let mut f = AtomicFile::create(&out.join("runs.csv"))?;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(runs_header(&plan.org_names))?;
        f.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
        for (i, home) in homes.iter().enumerate() {
            let bytes = std::fs::read(runs_path(home, i))
                .map_err(|e| bad(format!("{}: {e} (was the sweep run with --runs?)", runs_path(home, i).display())))?;
            f.write_all(&bytes)?;
        }
        f.commit()?;
        written.push("runs.csv".to_string());
    }
    for (wanted, name, head) in [
        (plan.series, SERIES, series_header().to_vec()),
        (plan.series_per_replicate, REPLICATE_SERIES, replicate_series::header(true)),
    ] {
        if wanted {
            let mut f = AtomicFile::create(&out.join(name))?;
            join_fragments(&mut f, &head, &homes, name)?;
            f.commit()?;
            written.push(name.to_string());
        }
    }
    Ok((Gathered { estimates, median_beyond, by_level }, written))
}

/// Sensitivity indices of the plan's output, as the caller computed them.
pub enum Sensitivity {
    Morris(Vec<MorrisIndex>),
    Sobol(Vec<SobolIndex>),
}

/// Writes sensitivity.csv and its chart; returns the chart (inline SVG) and the table rows
/// for the report.
pub fn write_sensitivity(
    plan: &SweepPlan,
    sens: &Sensitivity,
    out: &Path,
) -> io::Result<(String, Vec<SensitivityRow>)> {
    let names: Vec<String> = plan.params.iter().map(|p| p.key.clone()).collect();
    let mut rows: Vec<SensitivityRow> = Vec::new();
    let mut s = csv::Writer::from_writer(AtomicFile::create(&out.join("sensitivity.csv"))?);
    let svg = match sens {
        Sensitivity::Morris(eff) => {
            s.write_record(["parameter", "mu", "mu_star", "sigma"])?;
            for (k, e) in eff.iter().enumerate() {
                s.write_record([names[k].clone(), f6(e.mu), f6(e.mu_star), f6(e.sigma)])?;
                rows.push(SensitivityRow { parameter: names[k].clone(), values: vec![e.mu, e.mu_star, e.sigma] });
            }
            let bars = [
                BarSeries {
                    label: "mu* (mean |effect|)".into(),
                    values: eff.iter().map(|e| e.mu_star).collect(),
                    lo: None,
                    hi: None,
                },
                BarSeries {
                    label: "sigma (interaction / non-linearity)".into(),
                    values: eff.iter().map(|e| e.sigma).collect(),
                    lo: None,
                    hi: None,
                },
            ];
            bar_plot(
                &out.join("sensitivity"),
                &format!("Morris elementary effects on {}: {}", plan.output_label(), plan.name),
                &format!("Elementary effect on the {}", plan.output_label()),
                &names,
                &bars,
            )?
        }
        Sensitivity::Sobol(idx) => {
            s.write_record(["parameter", "s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"])?;
            for (k, e) in idx.iter().enumerate() {
                s.write_record([
                    names[k].clone(),
                    f6(e.s1),
                    f6(e.s1_lo),
                    f6(e.s1_hi),
                    f6(e.st),
                    f6(e.st_lo),
                    f6(e.st_hi),
                ])?;
                rows.push(SensitivityRow {
                    parameter: names[k].clone(),
                    values: vec![e.s1, e.s1_lo, e.s1_hi, e.st, e.st_lo, e.st_hi],
                });
            }
            let bars = [
                BarSeries {
                    label: "first order S1".into(),
                    values: idx.iter().map(|e| e.s1).collect(),
                    lo: Some(idx.iter().map(|e| e.s1_lo).collect()),
                    hi: Some(idx.iter().map(|e| e.s1_hi).collect()),
                },
                BarSeries {
                    label: "total ST".into(),
                    values: idx.iter().map(|e| e.st).collect(),
                    lo: Some(idx.iter().map(|e| e.st_lo).collect()),
                    hi: Some(idx.iter().map(|e| e.st_hi).collect()),
                },
            ];
            bar_plot(
                &out.join("sensitivity"),
                &format!("Sobol indices of {} (95% bootstrap CIs): {}", plan.output_label(), plan.name),
                "Share of variance",
                &names,
                &bars,
            )?
        }
    };
    s.into_inner().map_err(|e| e.into_error())?.commit()?;
    Ok((svg, rows))
}

/// Writes the figures and report.html; returns the names written (the sensitivity chart's
/// files among them, if given).
pub fn write_figures_and_report(
    plan: &SweepPlan,
    g: &Gathered,
    sensitivity: Option<(String, Vec<SensitivityRow>)>,
    out: &Path,
) -> io::Result<Vec<String>> {
    let mut written = Vec::new();
    let y = g.values();
    let lo: Vec<f64> = g.estimates.iter().map(|e| e.map_or(f64::NAN, |e| e.lo)).collect();
    let hi: Vec<f64> = g.estimates.iter().map(|e| e.map_or(f64::NAN, |e| e.hi)).collect();
    let (sens_svg, sens) = sensitivity.map_or((None, Vec::new()), |(s, r)| (Some(s), r));
    let by_level = &g.by_level;

    // Figures of a grid: heatmap over the first two parameters, the response over the
    // first (one line per level of the second), survival by level of the first.
    let title_tail = format!("{} ({} replicates per point, seed {})", plan.name, thousands(plan.replicates), plan.seed);
    let mut figs = SweepFigures { sensitivity: sens_svg, ..SweepFigures::default() };
    if plan.design == DesignKind::Grid {
        let l0 = plan.params[0].levels.clone().unwrap_or_default();
        if plan.params.len() >= 2 {
            let l1 = plan.params[1].levels.clone().unwrap_or_default();
            let cell = |a: usize, b: usize| mean_where(plan, &y, |p| p[0] == l0[a] && p[1] == l1[b]);
            let z: Vec<Vec<f64>> = (0..l1.len()).map(|b| (0..l0.len()).map(|a| cell(a, b)).collect()).collect();
            let avg = if plan.params.len() > 2 { " (mean over the other parameters)" } else { "" };
            let scale = colour_scale(plan, &z);
            figs.heatmap_scale = scale;
            figs.heatmap = Some(heatmap_plot(
                &out.join("heatmap"),
                &format!("{}{avg}: {title_tail}", plan.output_label()),
                &plan.params[0].key,
                &l0,
                &plan.params[1].key,
                &l1,
                &z,
                &plan.output_label(),
                Some(scale),
            )?);
        }
        let series: Vec<CiSeries> = if plan.params.len() >= 2
            && plan.params[1].levels.as_ref().is_some_and(|l| l.len() <= 6)
        {
            let l1 = plan.params[1].levels.clone().unwrap_or_default();
            l1.iter()
                .map(|&b| {
                    response(plan, &format!("{} = {}", plan.params[1].key, toml_number(b)), &l0, &y, &lo, &hi, |p| {
                        p[1] == b
                    })
                })
                .collect()
        } else {
            vec![response(plan, "all points", &l0, &y, &lo, &hi, |_| true)]
        };
        figs.response = Some(line_ci_plot(
            &out.join("response"),
            &format!("{} by {}: {title_tail}", plan.output_label(), plan.params[0].key),
            &plan.params[0].key,
            &plan.output_label(),
            &series,
        )?);
        let curves: Vec<StepCurve> = by_level
            .iter()
            .zip(&l0)
            .map(|(c, &x)| c.curve(&format!("{} = {}", plan.params[0].key, toml_number(x))))
            .collect();
        figs.survival = Some(survival_plot(
            &out.join("survival_by_level"),
            &format!("Survival by {}: {title_tail}", plan.params[0].key),
            &curves,
            plan.horizon_weeks as f64 / 52.0,
        )?);
    } else {
        // Sampled designs: the output at every design point against each parameter.
        let panels: Vec<Panel> = plan
            .params
            .iter()
            .enumerate()
            .map(|(k, p)| Panel {
                title: p.key.clone(),
                y_label: plan.output_label(),
                x_label: Some(p.key.clone()),
                scatter: true,
                lines: vec![Line {
                    label: if plan.points.len() > SCATTER_DENSE {
                        "design points (95% intervals in sweep.csv)".into()
                    } else {
                        "design points, with 95% intervals".into()
                    },
                    x: plan.points.iter().map(|pt| pt[k]).collect(),
                    mean: y.clone(),
                    lo: lo.clone(),
                    hi: hi.clone(),
                    ..Line::default()
                }],
                x_range: None,
                ..Panel::default()
            })
            .collect();
        figs.response = Some(panels_plot(
            &out.join("response"),
            &format!("{} at each design point: {title_tail}", plan.output_label()),
            &panels,
        )?);
    }
    for (f, have) in [
        ("heatmap", figs.heatmap.is_some()),
        ("response", figs.response.is_some()),
        ("survival_by_level", figs.survival.is_some()),
        ("sensitivity", figs.sensitivity.is_some()),
    ] {
        if have {
            written.push(format!("{f}.svg"));
            written.push(format!("{f}.png"));
        }
    }

    let html = sweep_report(plan, &figs, &sens, &g.estimates, &g.median_beyond);
    write_atomic(&out.join("report.html"), html.as_bytes())?;
    written.push("report.html".to_string());
    Ok(written)
}

/// The span of the heatmap's colours, anchored where the quantity's own bounds give the
/// span a meaning: a lifetime from 0 to the horizon, a share from 0 to 1, savings from 0 to
/// the largest cell. A 6% difference then looks like one, not like failure against success.
pub fn colour_scale(plan: &SweepPlan, z: &[Vec<f64>]) -> (f64, f64) {
    let horizon = plan.horizon_weeks as f64 / 52.0;
    match plan.output {
        OutputKind::Rmst | OutputKind::Median => (0.0, horizon),
        OutputKind::Survival => (0.0, 1.0),
        OutputKind::Savings => {
            let top = z.iter().flatten().copied().filter(|v| v.is_finite()).fold(0.0, f64::max);
            (0.0, if top > 0.0 { top } else { 1.0 })
        }
    }
}

/// Mean of `y` over the points that satisfy `pred` (NaN if none).
fn mean_where(plan: &SweepPlan, y: &[f64], pred: impl Fn(&[f64]) -> bool) -> f64 {
    let (s, c) =
        plan.points.iter().zip(y).filter(|(p, _)| pred(p)).fold((0.0, 0usize), |(s, c), (_, v)| (s + v, c + 1));
    if c == 0 { f64::NAN } else { s / c as f64 }
}

/// The output over the first parameter's levels among the points that satisfy `pred`,
/// averaged over any other parameters (the interval ends are averaged likewise).
fn response(
    plan: &SweepPlan,
    label: &str,
    l0: &[f64],
    y: &[f64],
    lo: &[f64],
    hi: &[f64],
    pred: impl Fn(&[f64]) -> bool + Copy,
) -> CiSeries {
    let at = |v: &[f64], a: f64| mean_where(plan, v, |p| p[0] == a && pred(p));
    CiSeries {
        label: label.to_string(),
        x: l0.to_vec(),
        y: l0.iter().map(|&a| at(y, a)).collect(),
        lo: l0.iter().map(|&a| at(lo, a)).collect(),
        hi: l0.iter().map(|&a| at(hi, a)).collect(),
    }
}

/// Pooled end weeks of every run at one level: the Kaplan-Meier curve of the pooled runs
/// (censoring is only at the horizon, so counts per week suffice).
struct LevelCounts {
    ended: Vec<u64>,
    n: u64,
}

impl LevelCounts {
    fn new(horizon: usize) -> Self {
        LevelCounts { ended: vec![0; horizon + 1], n: 0 }
    }

    fn add(&mut self, end_weeks: &[Option<u32>]) {
        for w in end_weeks {
            self.n += 1;
            if let Some(w) = w
                && let Some(c) = self.ended.get_mut(*w as usize)
            {
                *c += 1;
            }
        }
    }

    fn curve(&self, label: &str) -> StepCurve {
        let mut at_risk = self.n;
        let mut s = 1.0;
        let mut points = vec![(0.0, 1.0)];
        for (w, &d) in self.ended.iter().enumerate() {
            if d > 0 && at_risk > 0 {
                s *= 1.0 - d as f64 / at_risk as f64;
                points.push((w as f64 / 52.0, s));
                at_risk -= d;
            }
        }
        let end = (self.ended.len() - 1) as f64 / 52.0;
        points.push((end, s));
        let censor_marks = if at_risk > 0 { vec![(end, s)] } else { vec![] };
        StepCurve { label: label.to_string(), points, band: None, censor_marks, ..StepCurve::default() }
    }
}
