//! Experiment files for `collabsim sweep`: which scenario, how many replicates, which seed,
//! the design (grid, Latin hypercube, Morris or Sobol) and the parameters it varies, by
//! their dotted scenario paths. Parsed with serde, then validated with every problem reported
//! at once and located in the file, into an [`Experiment`]. The application layer generates
//! its design points into a [`SweepPlan`], the type a sweep, a shard and a merge agree on.

use std::fs;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::de::DeTable;

use super::ensemble::Ensemble;
use super::error::{Diagnostic, ScenarioError};
use super::load::{Scenario, hex, parse_str};
use super::spans::SpanIndex;

/// Points times replicates above this are refused: at CS1's ~3 ms a run it is days of work.
pub const MAX_RUNS: u64 = 100_000_000;
/// Design points above this are refused up front (the plan holds every point).
pub const MAX_POINTS: usize = 1_000_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExperiment {
    name: Option<String>,
    scenario: String,
    replicates: Option<u64>,
    seed: Option<u64>,
    years: Option<f64>,
    #[serde(default)]
    design: RawDesign,
    #[serde(default)]
    vary: IndexMap<String, toml::Value>,
    #[serde(default)]
    set: IndexMap<String, toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDesign {
    kind: String,
    points: usize,
    trajectories: usize,
    levels: usize,
    samples: usize,
    bootstrap: usize,
    output: String,
    year: Option<f64>,
}

impl Default for RawDesign {
    fn default() -> Self {
        RawDesign {
            kind: "grid".into(),
            points: 50,
            trajectories: 10,
            levels: 4,
            samples: 128,
            bootstrap: 500,
            output: "rmst".into(),
            year: None,
        }
    }
}

/// One varied parameter: its scenario key and its levels (grid) or range (other designs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanParam {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    /// Grid levels; `None` for a continuous range.
    pub levels: Option<Vec<f64>>,
}

/// The kind of design: which points a sweep runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DesignKind {
    /// Every combination of the listed levels.
    Grid,
    /// A Latin hypercube sample of the ranges.
    Lhs,
    /// Morris trajectories, for elementary effects.
    Morris,
    /// Saltelli's sample, for Sobol indices.
    Sobol,
}

impl DesignKind {
    const ALL: [(&'static str, DesignKind); 4] = [
        ("grid", DesignKind::Grid),
        ("lhs", DesignKind::Lhs),
        ("morris", DesignKind::Morris),
        ("sobol", DesignKind::Sobol),
    ];
}

/// The scalar a sweep's figures and sensitivity analysis use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    /// Restricted mean survival time to the horizon.
    Rmst,
    /// Median survival (the horizon where the curve stays above one half).
    Median,
    /// Survival at a chosen year.
    Survival,
    /// Mean total savings.
    Savings,
}

impl OutputKind {
    const ALL: [(&'static str, OutputKind); 4] = [
        ("rmst", OutputKind::Rmst),
        ("median", OutputKind::Median),
        ("survival", OutputKind::Survival),
        ("savings", OutputKind::Savings),
    ];
}

/// A checked experiment: its scenario resolved with the fixed overrides, the design and
/// the varied parameters. Design points are not generated here (see `app::sweep`).
#[derive(Clone, Debug)]
pub struct Experiment {
    pub name: String,
    pub experiment_file: String,
    pub experiment_sha256: String,
    /// The scenario with the fixed overrides (`[set]`, then `years`, `replicates`, `seed`).
    pub scenario: Scenario,
    pub design: DesignKind,
    /// Latin hypercube points.
    pub lhs_points: usize,
    pub morris_trajectories: usize,
    pub morris_levels: usize,
    pub sobol_samples: usize,
    pub bootstrap: usize,
    pub output: OutputKind,
    pub output_year: Option<f64>,
    pub params: Vec<PlanParam>,
}

impl Experiment {
    /// The number of design points the design will have.
    pub fn point_count(&self) -> f64 {
        let k = self.params.len() as f64;
        match self.design {
            DesignKind::Grid => self.params.iter().map(|p| p.levels.as_ref().map_or(0, |l| l.len()) as f64).product(),
            DesignKind::Lhs => self.lhs_points as f64,
            DesignKind::Morris => (self.morris_trajectories as f64) * (k + 1.0),
            DesignKind::Sobol => (self.sobol_samples as f64) * (k + 2.0),
        }
    }
}

/// Everything a sweep needs, with the design points generated. Stored as `plan.json` in
/// every sweep and shard folder; `id` (a hash of the rest) ties point records to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPlan {
    pub id: String,
    pub crate_version: String,
    pub name: String,
    pub experiment_file: String,
    pub experiment_sha256: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub scenario_name: String,
    pub org_names: Vec<String>,
    /// A sponsor imposed the collaboration (its cancellation is one of the end causes).
    pub sponsored: bool,
    pub replicates: u64,
    pub seed: u64,
    pub horizon_weeks: u32,
    pub design: DesignKind,
    pub morris_levels: usize,
    pub sobol_samples: usize,
    pub bootstrap: usize,
    pub output: OutputKind,
    pub output_year: Option<f64>,
    /// Overrides applied at every point (`[set]`, then `years`, `replicates`, `seed`).
    pub fixed: Vec<String>,
    pub params: Vec<PlanParam>,
    pub points: Vec<Vec<f64>>,
    /// Write per-run rows (`runs.csv` with a `point` column).
    pub runs: bool,
    /// Parameter sets spread over each point's replicates (`--ensemble`): replicate i runs
    /// with set i mod n, then the point's overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<Ensemble>,
    /// Write series.csv: each point's weekly series over its replicates (`--series`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub series: bool,
    /// Write replicate-series.csv: every run's weekly series (`--series-per-replicate`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub series_per_replicate: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl SweepPlan {
    /// The plan of `e` with these design points; `runs` asks for per-run rows.
    pub fn new(e: &Experiment, points: Vec<Vec<f64>>, runs: bool) -> SweepPlan {
        let sc = &e.scenario;
        SweepPlan {
            id: String::new(),
            crate_version: env!("CARGO_PKG_VERSION").into(),
            name: e.name.clone(),
            experiment_file: e.experiment_file.clone(),
            experiment_sha256: e.experiment_sha256.clone(),
            scenario_file: sc.path.display().to_string(),
            scenario_sha256: sc.sha256.clone(),
            scenario_name: sc.spec.run.name.clone(),
            org_names: sc.spec.params.org_names.clone(),
            // A point may impose a collaboration the scenario does not.
            sponsored: sc.spec.params.sponsor.commitment > 0.0
                || e.params.iter().any(|p| p.key == "sponsor.commitment" && p.hi > 0.0),
            replicates: sc.spec.run.replicates,
            seed: sc.spec.run.seed,
            horizon_weeks: sc.spec.params.horizon_weeks,
            design: e.design,
            morris_levels: e.morris_levels,
            sobol_samples: e.sobol_samples,
            bootstrap: e.bootstrap,
            output: e.output,
            output_year: e.output_year,
            fixed: sc.overrides.clone(),
            params: e.params.clone(),
            points,
            runs,
            ensemble: None,
            series: false,
            series_per_replicate: false,
        }
        .with_id()
    }

    /// The plan that also writes each point's series (`per_point`) and every run's
    /// (`per_replicate`).
    pub fn with_series(mut self, per_point: bool, per_replicate: bool) -> SweepPlan {
        self.series = per_point;
        self.series_per_replicate = per_replicate;
        self.with_id()
    }

    /// The plan with `ensemble` spread over each point's replicates.
    pub fn with_ensemble(mut self, ensemble: Ensemble) -> SweepPlan {
        self.ensemble = Some(ensemble);
        self.with_id()
    }

    /// The `--set` overrides of point `i`: the fixed ones, then one per varied parameter.
    pub fn overrides(&self, i: usize) -> Vec<String> {
        let mut v = self.fixed.clone();
        v.extend(self.params.iter().zip(&self.points[i]).map(|(p, x)| format!("{}={}", p.key, toml_number(*x))));
        v
    }

    /// The name of the scalar the sensitivity analysis uses, for files and reports.
    pub fn output_label(&self) -> String {
        match (self.output, self.output_year) {
            (OutputKind::Rmst, _) => format!("mean lifetime to {} years (RMST, years)", fmt_years(self.horizon_weeks)),
            (OutputKind::Median, _) => "median survival (years; the horizon where not reached)".into(),
            (OutputKind::Survival, Some(y)) => format!("share still running after {y} years"),
            (OutputKind::Survival, None) => "share still running".into(),
            (OutputKind::Savings, _) => "mean total savings (GBP)".into(),
        }
    }

    fn with_id(mut self) -> Self {
        self.id = String::new();
        let bytes = serde_json::to_vec(&self).expect("plan serializes");
        self.id = hex(&Sha256::digest(&bytes))[..16].to_string();
        self
    }
}

fn fmt_years(weeks: u32) -> String {
    let y = weeks as f64 / 52.0;
    if y.fract() == 0.0 { format!("{y:.0}") } else { format!("{y:.1}") }
}

/// A number as TOML: whole numbers without a decimal point (so integer keys accept them),
/// others in the shortest form that reads back to the same f64.
pub fn toml_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x:?}") }
}

fn value_number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

fn toml_literal(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => toml::Value::String(s.clone()).to_string(),
        other => other.to_string(),
    }
}

/// Reads and checks an experiment file, with its scenario.
pub fn load_experiment(path: &Path) -> Result<Experiment, ScenarioError> {
    let read_err = |reason: String| ScenarioError::Read { path: path.to_path_buf(), reason };
    let meta = fs::metadata(path).map_err(|e| read_err(e.to_string()))?;
    if meta.is_dir() {
        return Err(read_err("is a directory; expected an experiment .toml file".into()));
    }
    if meta.len() > 1 << 20 {
        return Err(read_err("file is over 1 MB; experiment files are small TOML files".into()));
    }
    let bytes = fs::read(path).map_err(|e| read_err(e.to_string()))?;
    let sha = hex(&Sha256::digest(&bytes));
    let text =
        String::from_utf8(bytes).map_err(|_| read_err("not valid UTF-8; experiment files are UTF-8 TOML".into()))?;
    let invalid = |diagnostics: Vec<Diagnostic>| ScenarioError::Invalid { path: path.to_path_buf(), diagnostics };
    let (doc, syntax) = DeTable::parse_recoverable(&text);
    let index = SpanIndex::new(&text, Some(doc.get_ref()));
    let located = |key: &str, msg: String| {
        let mut d = Diagnostic::new(key, msg);
        if let Some((l, c)) = index.locate(key) {
            (d.line, d.column) = (Some(l), Some(c));
        }
        d
    };
    if let Some(e) = syntax.first() {
        let mut d = Diagnostic::new("", format!("not valid TOML: {}", e.message()));
        if let Some(s) = e.span() {
            (d.line, d.column) = {
                let (l, c) = index.line_col(s.start);
                (Some(l), Some(c))
            };
        }
        return Err(invalid(vec![d]));
    }
    let raw: RawExperiment = toml::from_str(&text).map_err(|e| {
        let mut d = Diagnostic::new("", e.message().to_string());
        if let Some(s) = e.span() {
            let (l, c) = index.line_col(s.start);
            (d.line, d.column) = (Some(l), Some(c));
        }
        invalid(vec![d])
    })?;

    let mut diags = Vec::new();
    let d = &raw.design;
    let kind = DesignKind::ALL.iter().find(|(n, _)| *n == d.kind).map(|(_, k)| *k);
    if kind.is_none() {
        diags.push(located("design.kind", format!("found \"{}\", expected one of grid, lhs, morris, sobol", d.kind)));
    }
    let output = OutputKind::ALL.iter().find(|(n, _)| *n == d.output).map(|(_, k)| *k);
    if output.is_none() {
        diags.push(located(
            "design.output",
            format!("found \"{}\", expected one of rmst, median, survival, savings", d.output),
        ));
    }
    if d.output == "survival" && d.year.is_none_or(|y| y.is_nan() || y <= 0.0) {
        diags.push(located(
            "design.year",
            "output = \"survival\" needs `year`, the year at which survival is read (> 0)".into(),
        ));
    }
    match d.kind.as_str() {
        "lhs" if d.points < 2 || d.points > MAX_POINTS => {
            diags.push(located("design.points", format!("found {}, expected 2 to {MAX_POINTS}", d.points)))
        }
        "morris" if d.trajectories < 2 => {
            diags.push(located("design.trajectories", format!("found {}, expected at least 2", d.trajectories)))
        }
        "morris" if d.levels < 2 || !d.levels.is_multiple_of(2) => diags.push(located(
            "design.levels",
            format!("found {}, expected an even number of levels, at least 2", d.levels),
        )),
        "sobol" if d.samples < 8 => {
            diags.push(located("design.samples", format!("found {}, expected at least 8", d.samples)))
        }
        "sobol" if d.bootstrap < 10 => {
            diags.push(located("design.bootstrap", format!("found {}, expected at least 10 resamples", d.bootstrap)))
        }
        _ => {}
    }
    if raw.vary.is_empty() {
        diags.push(located(
            "vary",
            "nothing to vary: add a [vary] table, e.g. \"collaboration.transparency\" = [0.2, 0.5, 0.8]".into(),
        ));
    }

    let grid_kind = kind == Some(DesignKind::Grid);
    let known_kind = kind.is_some();
    let mut params = Vec::new();
    for (key, v) in raw.vary.iter().filter(|_| known_kind) {
        let at = format!("vary.{key}");
        let param = match v {
            toml::Value::Array(a) if grid_kind => {
                let xs: Vec<Option<f64>> = a.iter().map(value_number).collect();
                if a.is_empty() || xs.iter().any(Option::is_none) {
                    diags.push(located(&at, "expected a non-empty list of numbers, e.g. [0.2, 0.5, 0.8]".into()));
                    continue;
                }
                let xs: Vec<f64> = xs.into_iter().flatten().collect();
                let (lo, hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| (l.min(x), h.max(x)));
                PlanParam { key: key.clone(), lo, hi, levels: Some(xs) }
            }
            toml::Value::Table(t) => {
                let num = |k: &str| t.get(k).and_then(value_number);
                let unknown: Vec<&String> =
                    t.keys().filter(|k| !["from", "to", "steps"].contains(&k.as_str())).collect();
                if !unknown.is_empty() {
                    diags.push(located(
                        &at,
                        format!("unknown field `{}`, expected `from`, `to` and (grid) `steps`", unknown[0]),
                    ));
                    continue;
                }
                let (Some(lo), Some(hi)) = (num("from"), num("to")) else {
                    diags.push(located(
                        &at,
                        "expected numbers `from` and `to`, e.g. { from = 0.1, to = 0.6, steps = 6 }".into(),
                    ));
                    continue;
                };
                if lo.is_nan() || hi.is_nan() || lo >= hi {
                    diags.push(located(&at, format!("`from` ({lo}) must be below `to` ({hi})")));
                    continue;
                }
                if grid_kind {
                    let steps = t.get("steps").and_then(|s| s.as_integer());
                    match steps {
                        Some(s) if (2..=10_000).contains(&s) => {
                            let s = s as usize;
                            let levels = (0..s).map(|j| round12(lo + (hi - lo) * j as f64 / (s - 1) as f64)).collect();
                            PlanParam { key: key.clone(), lo, hi, levels: Some(levels) }
                        }
                        _ => {
                            diags.push(located(
                                &at,
                                "a grid range needs `steps`, a whole number from 2 to 10000".into(),
                            ));
                            continue;
                        }
                    }
                } else {
                    if t.contains_key("steps") {
                        diags.push(located(
                            &at,
                            format!("`steps` applies to grid designs; a {} design samples the range", d.kind),
                        ));
                        continue;
                    }
                    PlanParam { key: key.clone(), lo, hi, levels: None }
                }
            }
            toml::Value::Array(_) => {
                diags.push(located(
                    &at,
                    format!("a {} design samples ranges: write {{ from = LOW, to = HIGH }}", d.kind),
                ));
                continue;
            }
            _ => {
                diags.push(located(
                    &at,
                    "expected a list of values [a, b, ...] or a range { from = a, to = b, steps = n }".into(),
                ));
                continue;
            }
        };
        params.push(param);
    }
    if d.kind == "sobol" && params.len() < 2 && !raw.vary.is_empty() {
        diags.push(located("vary", "a Sobol analysis needs at least two varied parameters".into()));
    }

    // The scenario, relative to the experiment file, with the fixed overrides.
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let scenario_path: PathBuf = base_dir.join(&raw.scenario);
    let mut fixed: Vec<String> = raw.set.iter().map(|(k, v)| format!("{k}={}", toml_literal(v))).collect();
    if let Some(y) = raw.years {
        fixed.push(format!("years={}", toml_number(y)));
    }
    if let Some(n) = raw.replicates {
        fixed.push(format!("replicates={n}"));
    }
    if let Some(s) = raw.seed {
        fixed.push(format!("seed={s}"));
    }
    if !scenario_path.is_file() {
        diags.push(located(
            "scenario",
            format!("{} is not a scenario file (the path is relative to the experiment file)", scenario_path.display()),
        ));
    }
    if !diags.is_empty() {
        return Err(invalid(diags));
    }
    let sc = super::load(&scenario_path, &fixed)?;
    // Every varied key must be a scenario parameter that accepts the extremes of its range.
    let sc_text = fs::read_to_string(&scenario_path).map_err(|e| read_err(e.to_string()))?;
    for p in &params {
        for x in [p.lo, p.hi] {
            let mut ov = fixed.clone();
            ov.push(format!("{}={}", p.key, toml_number(x)));
            if let Err(e) = parse_str(&scenario_path, &sc_text, &ov) {
                let msg = e.diagnostics().first().map_or_else(|| e.to_string(), |d| d.message.clone());
                diags.push(located(&format!("vary.{}", p.key), format!("{} = {}: {msg}", p.key, toml_number(x))));
                break;
            }
        }
    }
    if !diags.is_empty() {
        return Err(invalid(diags));
    }

    let (Some(design), Some(output)) = (kind, output) else { unreachable!("unknown kinds were reported above") };
    let stem = path.file_stem().map_or("experiment".into(), |s| s.to_string_lossy().into_owned());
    let replicates = sc.spec.run.replicates;
    let horizon = sc.spec.params.horizon_weeks;
    let e = Experiment {
        name: raw.name.unwrap_or(stem),
        experiment_file: path.display().to_string(),
        experiment_sha256: sha,
        scenario: sc,
        design,
        lhs_points: d.points,
        morris_trajectories: d.trajectories,
        morris_levels: d.levels,
        sobol_samples: d.samples,
        bootstrap: d.bootstrap,
        output,
        output_year: d.year.filter(|_| output == OutputKind::Survival),
        params,
    };
    let n = e.point_count();
    let runs_total = n * replicates as f64;
    if n > MAX_POINTS as f64 || runs_total > MAX_RUNS as f64 {
        return Err(invalid(vec![located(
            if design == DesignKind::Grid { "vary" } else { "design" },
            format!(
                "{n} points x {replicates} replicates = {runs_total} runs; at most {MAX_RUNS} runs and {MAX_POINTS} points are allowed"
            ),
        )]));
    }
    if let Some(y) = e.output_year
        && y * 52.0 > horizon as f64
    {
        return Err(invalid(vec![located(
            "design.year",
            format!("year {y} is beyond the horizon ({} years)", fmt_years(horizon)),
        )]));
    }
    Ok(e)
}

/// Grid levels computed from a range, rounded so that 0.1 + 0.1 * 2 prints as 0.3.
fn round12(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}
