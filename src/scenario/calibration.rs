//! Calibration files for `collabsim calibrate`: the targets (a statistic of a scenario
//! with overrides, or the difference of a statistic between two variants of one scenario,
//! with an observed value or interval and a tolerance), the priors (parameter paths with
//! ranges, by default the ranges the registry declares), and the settings of the history
//! matching (seed, replicates per arm and point, waves, points per wave, the implausibility
//! cut). Read from the TOML tree and checked with every problem reported at once, located
//! in the file; each target's scenario is loaded with its overrides, and each prior must
//! resolve as a `--set` override of every target's scenario at both ends of its range.
//! The result is a [`CalibrationPlan`], the type the waves, resumes and shards agree on
//! (`calibration.json`); `id` (a hash of the rest) ties wave plans and point records to it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::de::DeTable;

use super::catalog::{is_run_key, range_text, spec_at};
use super::error::{Diagnostic, ScenarioError};
use super::experiment::toml_number;
use super::load::{hex, parse_str};
use super::resolve::{fmt, type_error};
use super::spans::SpanIndex;
use super::suggest::suggest;
use crate::model::registry::{Kind, Range};

/// Waves x points x arms x replicates above this are refused (days of work).
pub const MAX_RUNS: u64 = 100_000_000;
const WEEKS_PER_YEAR: f64 = 52.0;

/// What a target measures in one arm's replicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Kaplan-Meier share still running after `year` years.
    Survival,
    /// Median lifetime in years (the horizon when more than half are still running).
    Median,
    /// Restricted mean lifetime to `year` years (default: the horizon), in years.
    Rmst,
    /// Share of runs that ended by `cause` (or were still running) at the horizon.
    CauseShare,
    /// Share of the ended runs in which `partner` withdrew.
    PartnerShare,
    /// Mean savings by year 2 (`year = 2`) or to the horizon, GBP.
    Savings,
    /// Mean staff in post at the end.
    StaffEnd,
    /// The largest share of the ended runs that end in one single week (a threshold
    /// artefact shows as many runs ending together).
    MaxWeekShare,
}

impl Statistic {
    pub const ALL: [(&'static str, Statistic); 8] = [
        ("survival", Statistic::Survival),
        ("median", Statistic::Median),
        ("rmst", Statistic::Rmst),
        ("cause_share", Statistic::CauseShare),
        ("partner_share", Statistic::PartnerShare),
        ("savings", Statistic::Savings),
        ("staff_end", Statistic::StaffEnd),
        ("max_week_share", Statistic::MaxWeekShare),
    ];

    pub fn name(self) -> &'static str {
        Statistic::ALL.iter().find(|(_, s)| *s == self).map_or("", |(n, _)| n)
    }

    /// A share from 0 to 1.
    pub fn is_share(self) -> bool {
        matches!(self, Statistic::Survival | Statistic::CauseShare | Statistic::PartnerShare | Statistic::MaxWeekShare)
    }
}

/// How a run ended, for `cause_share` (as summary.json's `end_causes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndShare {
    Withdrawal,
    Understaffed,
    /// The sponsor of an imposed collaboration cancelled it.
    Cancelled,
    /// Still running at the horizon.
    Censored,
}

impl EndShare {
    const ALL: [(&'static str, EndShare); 4] = [
        ("withdrawal", EndShare::Withdrawal),
        ("understaffed", EndShare::Understaffed),
        ("cancelled", EndShare::Cancelled),
        ("censored", EndShare::Censored),
    ];
}

/// A calibrated parameter: its scenario path and prior range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prior {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    /// The range is the one the registry declares (the file gave none).
    pub declared: bool,
}

/// One arm: a scenario with its own overrides, run at every point with the point's values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArmPlan {
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub scenario_name: String,
    /// The arm's own overrides (a target's `set` or `baseline_set`), applied after the
    /// point's parameter values.
    pub set: Vec<String>,
    pub horizon_weeks: u32,
    pub org_names: Vec<String>,
}

/// One target: a statistic of arm `arm` (minus the same statistic of arm `baseline`, for a
/// difference under common random numbers), observed in `[lo, hi]` (`lo == hi` for a value).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetPlan {
    pub name: String,
    pub statistic: Statistic,
    /// Survival: the year read; RMST: the restriction (default the horizon); savings: 2 or
    /// the horizon.
    pub year: Option<f64>,
    pub cause: Option<EndShare>,
    pub partner: Option<String>,
    pub arm: usize,
    pub baseline: Option<usize>,
    pub lo: f64,
    pub hi: f64,
    pub tolerance: f64,
}

impl TargetPlan {
    /// The statistic in words, for tables and reports.
    pub fn describe(&self) -> String {
        let y = |x: f64| fmt(x);
        let what = match self.statistic {
            Statistic::Survival => format!("share still running after {} years", y(self.year.unwrap_or(0.0))),
            Statistic::Median => "median lifetime (years)".into(),
            Statistic::Rmst => match self.year {
                Some(t) => format!("mean lifetime to {} years (RMST, years)", y(t)),
                None => "mean lifetime to the horizon (RMST, years)".into(),
            },
            Statistic::CauseShare => match self.cause {
                Some(EndShare::Withdrawal) => "share of runs ended by a partner's withdrawal".into(),
                Some(EndShare::Understaffed) => "share of runs ended by understaffing".into(),
                _ => "share of runs still running at the horizon".into(),
            },
            Statistic::PartnerShare => {
                format!("share of ended runs in which {} withdrew", self.partner.as_deref().unwrap_or("?"))
            }
            Statistic::Savings => match self.year {
                Some(2.0) => "mean savings by year 2 (GBP)".into(),
                _ => "mean total savings to the horizon (GBP)".into(),
            },
            Statistic::StaffEnd => "mean staff in post at the end".into(),
            Statistic::MaxWeekShare => "largest share of ended runs ending in one week".into(),
        };
        match self.baseline {
            Some(_) => format!("difference in the {what}"),
            None => what,
        }
    }

    /// The observation as written: a value or an interval, with the tolerance.
    pub fn observed_text(&self) -> String {
        let obs = if self.lo == self.hi { fmt(self.lo) } else { format!("{} to {}", fmt(self.lo), fmt(self.hi)) };
        format!("{obs} (tolerance {})", fmt(self.tolerance))
    }
}

/// Everything a calibration needs. Stored as `calibration.json` in its folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPlan {
    pub id: String,
    pub crate_version: String,
    pub name: String,
    pub calibration_file: String,
    pub calibration_sha256: String,
    pub seed: u64,
    /// Replicates per arm and point; replicate i of every arm and point has stream i.
    pub replicates: u64,
    pub waves: u32,
    /// New points per wave.
    pub points: usize,
    /// Implausibility above which a point is ruled out.
    pub cut: f64,
    /// Candidates drawn per new point in waves after the first.
    pub candidates: usize,
    /// The horizon of every arm, unless an arm's own `set` changes it.
    pub years: Option<f64>,
    pub priors: Vec<Prior>,
    pub arms: Vec<ArmPlan>,
    pub targets: Vec<TargetPlan>,
}

impl CalibrationPlan {
    /// The `--set` overrides of `arm` at parameter values `x`: the calibration's `years`,
    /// the values, the arm's own `set`, then `replicates` and `seed`.
    pub fn overrides(&self, arm: usize, x: &[f64]) -> Vec<String> {
        let mut v: Vec<String> = self.years.map(|y| format!("years={}", toml_number(y))).into_iter().collect();
        v.extend(self.priors.iter().zip(x).map(|(p, x)| format!("{}={}", p.key, toml_number(*x))));
        v.extend(self.arms[arm].set.iter().cloned());
        v.push(format!("replicates={}", self.replicates));
        v.push(format!("seed={}", self.seed));
        v
    }

    fn with_id(mut self) -> Self {
        self.id = String::new();
        let bytes = serde_json::to_vec(&self).expect("calibration plan serializes");
        self.id = hex(&Sha256::digest(&bytes))[..16].to_string();
        self
    }
}

const TOP_KEYS: [&str; 10] =
    ["name", "seed", "replicates", "waves", "points", "cut", "candidates", "years", "prior", "target"];
const TARGET_KEYS: [&str; 11] = [
    "name",
    "scenario",
    "set",
    "baseline_set",
    "statistic",
    "year",
    "cause",
    "partner",
    "value",
    "interval",
    "tolerance",
];

/// Collects located problems.
pub(super) struct Checker {
    pub(super) index: SpanIndex,
    pub(super) diags: Vec<Diagnostic>,
}

impl Checker {
    pub(super) fn fail(&mut self, key: &str, msg: impl Into<String>) {
        let mut d = Diagnostic::new(key, msg);
        if let Some((l, c)) = self.index.locate(key) {
            (d.line, d.column) = (Some(l), Some(c));
        }
        self.diags.push(d);
    }

    /// Keys of `t` not in `known`, each with the closest known key if one is close.
    pub(super) fn unknown_keys(&mut self, t: &toml::Table, prefix: &str, known: &[&str]) {
        for k in t.keys().filter(|k| !known.contains(&k.as_str())) {
            let close = known
                .iter()
                .map(|c| (strsim::jaro_winkler(k, c), *c))
                .filter(|(s, _)| *s > 0.8)
                .fold(None, |b: Option<(f64, &str)>, c| if b.is_some_and(|b| b.0 >= c.0) { b } else { Some(c) });
            let hint = close.map_or(String::new(), |(_, c)| format!(" (did you mean `{c}`?)"));
            let at = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            self.fail(&at, format!("unknown key{hint}; expected one of {}", known.join(", ")));
        }
    }

    /// A whole number from `lo` to `hi`, or `default` if absent.
    pub(super) fn count(&mut self, t: &toml::Table, key: &str, default: u64, lo: u64, hi: u64) -> u64 {
        match t.get(key) {
            None => default,
            Some(toml::Value::Integer(i)) if *i >= 0 && (lo..=hi).contains(&(*i as u64)) => *i as u64,
            Some(toml::Value::Integer(i)) => {
                self.fail(key, format!("found {i}, expected a whole number from {lo} to {hi}"));
                default
            }
            Some(other) => {
                self.fail(key, type_error(other, &format!("a whole number from {lo} to {hi}")));
                default
            }
        }
    }

    /// A finite number, if present and one.
    pub(super) fn number(&mut self, t: &toml::Table, key: &str, at: &str) -> Option<f64> {
        match t.get(key)? {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(x) if x.is_finite() => Some(*x),
            other => {
                self.fail(at, type_error(other, "a finite number"));
                None
            }
        }
    }

    pub(super) fn text(&mut self, t: &toml::Table, key: &str, at: &str) -> Option<String> {
        match t.get(key)? {
            toml::Value::String(s) => Some(s.clone()),
            other => {
                self.fail(at, type_error(other, "text in quotes"));
                None
            }
        }
    }

    /// A list of `KEY.PATH=VALUE` overrides.
    pub(super) fn overrides(&mut self, t: &toml::Table, key: &str, at: &str) -> Option<Vec<String>> {
        let v = t.get(key)?;
        let bad = "a list of overrides in quotes, e.g. [\"collaboration.strategy_document=false\"]";
        let Some(a) = v.as_array() else {
            self.fail(at, type_error(v, bad));
            return None;
        };
        let mut out = Vec::new();
        for (j, x) in a.iter().enumerate() {
            let here = format!("{at}[{j}]");
            match x.as_str() {
                Some(s) if s.contains('=') => {
                    let k = s.split_once('=').map_or("", |(k, _)| k.trim());
                    if k == "seed" || k == "replicates" {
                        self.fail(
                            &here,
                            format!("the calibration's top-level `{k}` applies to every arm; remove `{s}` from here"),
                        );
                    } else {
                        out.push(s.to_string());
                    }
                }
                Some(s) => self.fail(&here, format!("found \"{s}\", expected KEY.PATH=VALUE")),
                None => self.fail(&here, type_error(x, "an override in quotes, KEY.PATH=VALUE")),
            }
        }
        Some(out)
    }
}

/// A target as read, before its arms are loaded.
struct Draft {
    at: String,
    name: String,
    scenario: PathBuf,
    set: Vec<String>,
    baseline_set: Option<Vec<String>>,
    statistic: Option<Statistic>,
    year: Option<f64>,
    cause: Option<EndShare>,
    partner: Option<String>,
    observed: Option<(f64, f64)>,
    tolerance: Option<f64>,
}

/// An arm as loaded: its scenario file's text and resolved horizon and partners.
struct LoadedArm {
    path: PathBuf,
    set: Vec<String>,
    /// Where its overrides are written (`target[k].set` or `target[k].baseline_set`).
    at: String,
    loaded: Option<(ArmPlan, String)>,
}

/// A small TOML file (`what`: "calibration", "behaviour") read and parsed, with its SHA-256
/// and the index that locates its keys; a syntax error is located.
pub(super) fn read_toml(path: &Path, what: &str) -> Result<(String, toml::Table, SpanIndex), ScenarioError> {
    let read_err = |reason: String| ScenarioError::Read { path: path.to_path_buf(), reason };
    let meta = fs::metadata(path).map_err(|e| read_err(e.to_string()))?;
    if meta.is_dir() {
        return Err(read_err(format!("is a directory; expected a {what} .toml file")));
    }
    if meta.len() > 1 << 20 {
        return Err(read_err(format!("file is over 1 MB; {what} files are small TOML files")));
    }
    let bytes = fs::read(path).map_err(|e| read_err(e.to_string()))?;
    let sha = hex(&Sha256::digest(&bytes));
    let text =
        String::from_utf8(bytes).map_err(|_| read_err(format!("not valid UTF-8; {what} files are UTF-8 TOML")))?;
    let invalid = |diagnostics: Vec<Diagnostic>| ScenarioError::Invalid { path: path.to_path_buf(), diagnostics };
    let (doc, syntax) = DeTable::parse_recoverable(&text);
    let index = SpanIndex::new(&text, Some(doc.get_ref()));
    if let Some(e) = syntax.first() {
        let mut d = Diagnostic::new("", format!("not valid TOML: {}", e.message()));
        if let Some(s) = e.span() {
            let (l, c) = index.line_col(s.start);
            (d.line, d.column) = (Some(l), Some(c));
        }
        return Err(invalid(vec![d]));
    }
    let table: toml::Table = toml::from_str(&text).map_err(|e| invalid(vec![Diagnostic::new("", e.message())]))?;
    Ok((sha, table, index))
}

/// Reads and checks a calibration file, with every target's scenario.
pub fn load_calibration(path: &Path) -> Result<CalibrationPlan, ScenarioError> {
    let invalid = |diagnostics: Vec<Diagnostic>| ScenarioError::Invalid { path: path.to_path_buf(), diagnostics };
    let (sha, table, index) = read_toml(path, "calibration")?;
    let mut ck = Checker { index, diags: Vec::new() };
    ck.unknown_keys(&table, "", &TOP_KEYS);

    let stem = path.file_stem().map_or("calibration".into(), |s| s.to_string_lossy().into_owned());
    let name = ck.text(&table, "name", "name").unwrap_or(stem);
    let seed = ck.count(&table, "seed", 1, 0, i64::MAX as u64);
    let replicates = ck.count(&table, "replicates", 200, 2, 10_000_000);
    let waves = ck.count(&table, "waves", 4, 1, 100) as u32;
    let points = ck.count(&table, "points", 120, 2, 1_000_000) as usize;
    let candidates = ck.count(&table, "candidates", 50, 1, 10_000) as usize;
    let cut = match ck.number(&table, "cut", "cut") {
        None => 3.0,
        Some(c) if c > 0.0 => c,
        Some(c) => {
            ck.fail("cut", format!("found {}, expected a number above 0 (3 is usual)", fmt(c)));
            3.0
        }
    };
    let years = match ck.number(&table, "years", "years") {
        Some(y) if !(y * WEEKS_PER_YEAR >= 1.0 && y <= crate::model::registry::MAX_YEARS) => {
            ck.fail("years", format!("found {}, expected one week (1/52) to 200 years", fmt(y)));
            None
        }
        y => y,
    };

    // Priors: a range, or the declared one.
    let mut priors: Vec<Prior> = Vec::new();
    match table.get("prior") {
        Some(toml::Value::Table(t)) if !t.is_empty() => {
            for (key, v) in t {
                let at = format!("prior.{key}");
                if let Some(p) = prior(&mut ck, key, v, &at) {
                    priors.push(p);
                }
            }
        }
        Some(toml::Value::Table(_)) | None => ck.fail(
            "prior",
            "nothing to calibrate: add a [prior] table, e.g. \"leadership.new_leader_commitment\" = { from = 0.1, to = 0.5 }",
        ),
        Some(other) => ck.fail("prior", type_error(other, "a table of parameter paths")),
    }

    // Targets.
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let mut drafts = Vec::new();
    match table.get("target") {
        Some(toml::Value::Array(a)) if !a.is_empty() => {
            for (k, v) in a.iter().enumerate() {
                let at = format!("target[{k}]");
                match v.as_table() {
                    Some(t) => drafts.push(target(&mut ck, t, &at, k, base_dir)),
                    None => ck.fail(&at, type_error(v, "a [[target]] table")),
                }
            }
        }
        Some(toml::Value::Array(_)) | None => ck.fail(
            "target",
            "nothing to match: add a [[target]] table with `scenario`, `statistic`, `value` or `interval`, and `tolerance`",
        ),
        Some(other) => ck.fail("target", type_error(other, "a list of [[target]] tables")),
    }

    // Arms: one per distinct (scenario, overrides), loaded once.
    let mut arms: Vec<LoadedArm> = Vec::new();
    let mut arm_of = |scenario: &Path, set: &[String], at: String| -> usize {
        match arms.iter().position(|a| a.path == scenario && a.set == set) {
            Some(i) => i,
            None => {
                arms.push(LoadedArm { path: scenario.to_path_buf(), set: set.to_vec(), at, loaded: None });
                arms.len() - 1
            }
        }
    };
    let mut target_arms = Vec::new();
    for d in &drafts {
        let a = arm_of(&d.scenario, &d.set, format!("{}.set", d.at));
        let b = d.baseline_set.as_ref().map(|s| arm_of(&d.scenario, s, format!("{}.baseline_set", d.at)));
        target_arms.push((a, b));
    }
    let fixed_before: Vec<String> = years.map(|y| format!("years={}", toml_number(y))).into_iter().collect();
    let fixed_after = [format!("replicates={replicates}"), format!("seed={seed}")];
    let mut failed_files = BTreeSet::new();
    for arm in &mut arms {
        if !arm.path.is_file() {
            continue;
        }
        let mut ov = fixed_before.clone();
        ov.extend(arm.set.iter().cloned());
        ov.extend(fixed_after.iter().cloned());
        if let Some((plan, text, _)) = load_arm(&mut ck, &arm.path, &arm.set, &ov, &arm.at, &mut failed_files) {
            arm.loaded = Some((plan, text));
        }
    }

    // Each target against its arms: the year within the horizon, the partner among the
    // organizations.
    for (d, &(a, b)) in drafts.iter().zip(&target_arms) {
        for arm in [Some(a), b].into_iter().flatten() {
            let Some((plan, _)) = &arms[arm].loaded else { continue };
            check_against_arm(&mut ck, &d.at, d.statistic, d.year, d.partner.as_deref(), plan);
        }
    }

    // Every prior must resolve at both ends of its range in every arm.
    for p in &priors {
        'arms: for arm in &arms {
            let Some((plan, text)) = &arm.loaded else { continue };
            for x in [p.lo, p.hi] {
                let mut ov = fixed_before.clone();
                ov.push(format!("{}={}", p.key, toml_number(x)));
                ov.extend(arm.set.iter().cloned());
                ov.extend(fixed_after.iter().cloned());
                if let Err(e) = parse_str(&arm.path, text, &ov) {
                    let msg = e.diagnostics().first().map_or_else(|| e.to_string(), |d| d.message.clone());
                    ck.fail(
                        &format!("prior.{}", p.key),
                        format!("{} = {} in {}: {msg}", p.key, toml_number(x), plan.scenario_file),
                    );
                    break 'arms;
                }
            }
        }
    }

    if !ck.diags.is_empty() {
        let mut diags = ck.diags;
        diags.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0)));
        return Err(invalid(diags));
    }
    let arms: Vec<ArmPlan> = arms.into_iter().map(|a| a.loaded.expect("every arm loaded").0).collect();
    let targets: Vec<TargetPlan> = drafts
        .into_iter()
        .zip(target_arms)
        .map(|(d, (arm, baseline))| {
            let (lo, hi) = d.observed.expect("checked");
            TargetPlan {
                name: d.name,
                statistic: d.statistic.expect("checked"),
                year: d.year,
                cause: d.cause,
                partner: d.partner,
                arm,
                baseline,
                lo,
                hi,
                tolerance: d.tolerance.expect("checked"),
            }
        })
        .collect();
    let runs = waves as f64 * points as f64 * arms.len() as f64 * replicates as f64;
    if runs > MAX_RUNS as f64 {
        return Err(invalid(vec![Diagnostic::new(
            "",
            format!(
                "{waves} waves x {points} points x {} arms x {replicates} replicates = {runs} runs; at most {MAX_RUNS} are allowed",
                arms.len()
            ),
        )]));
    }
    Ok(CalibrationPlan {
        id: String::new(),
        crate_version: env!("CARGO_PKG_VERSION").into(),
        name,
        calibration_file: path.display().to_string(),
        calibration_sha256: sha,
        seed,
        replicates,
        waves,
        points,
        cut,
        candidates,
        years,
        priors,
        arms,
        targets,
    }
    .with_id())
}

/// One arm's scenario loaded with overrides `ov` (its `set` among them): its plan, the
/// file's text and the resolved seed; problems go to `ck` at `at`, a problem of the file
/// itself once however many arms use it (`failed_files`).
pub(super) fn load_arm(
    ck: &mut Checker,
    path: &Path,
    set: &[String],
    ov: &[String],
    at: &str,
    failed_files: &mut BTreeSet<(PathBuf, String)>,
) -> Option<(ArmPlan, String, u64)> {
    match super::load(path, ov) {
        Ok(sc) => {
            let text = fs::read_to_string(path).unwrap_or_default();
            let plan = ArmPlan {
                scenario_file: path.display().to_string(),
                scenario_sha256: sc.sha256.clone(),
                scenario_name: sc.spec.run.name.clone(),
                set: set.to_vec(),
                horizon_weeks: sc.spec.params.horizon_weeks,
                org_names: sc.spec.params.org_names.clone(),
            };
            Some((plan, text, sc.spec.run.seed))
        }
        Err(e) => {
            let ds = e.diagnostics();
            if ds.is_empty() {
                ck.fail(at, e.to_string());
            }
            for d in ds {
                // A problem of the file itself is reported once, however many arms use it.
                if d.from_override.is_none() && !failed_files.insert((path.to_path_buf(), d.to_string_in(path))) {
                    continue;
                }
                ck.fail(at, d.to_string_in(path));
            }
            None
        }
    }
}

/// A measure (at `at`) against one of its arms: the year within the horizon, savings read
/// where they are recorded, the partner among the organizations.
pub(super) fn check_against_arm(
    ck: &mut Checker,
    at: &str,
    statistic: Option<Statistic>,
    year: Option<f64>,
    partner: Option<&str>,
    plan: &ArmPlan,
) {
    let horizon = plan.horizon_weeks as f64;
    let horizon_years = fmt(horizon / WEEKS_PER_YEAR);
    if let Some(y) = year {
        if y * WEEKS_PER_YEAR > horizon + 1e-9 {
            ck.fail(
                &format!("{at}.year"),
                format!(
                    "year {} is beyond the horizon ({horizon_years} years) of {}{}; lower `year` or set a longer horizon (`years`)",
                    fmt(y),
                    plan.scenario_file,
                    if plan.set.is_empty() { String::new() } else { format!(" with {}", plan.set.join(" ")) }
                ),
            );
        } else if statistic == Some(Statistic::Savings) && y != 2.0 && (y * WEEKS_PER_YEAR).round() != horizon {
            ck.fail(
                &format!("{at}.year"),
                format!(
                    "savings are recorded by year 2 and at the horizon ({horizon_years} years), not by year {}; for savings by year t set the horizon with `years` or `set = [\"years=t\"]`",
                    fmt(y)
                ),
            );
        }
    }
    if let Some(p) = partner
        && !plan.org_names.iter().any(|o| o == p)
    {
        ck.fail(
            &format!("{at}.partner"),
            format!("\"{p}\" is not an organization of {}: {}", plan.scenario_file, plan.org_names.join(", ")),
        );
    }
}

/// One `[prior]` entry: `{ from = a, to = b }`, or `{}` for the declared range.
fn prior(ck: &mut Checker, key: &str, v: &toml::Value, at: &str) -> Option<Prior> {
    let Some(t) = v.as_table() else {
        ck.fail(at, type_error(v, "a range { from = LOW, to = HIGH }, or {} for the declared range"));
        return None;
    };
    ck.unknown_keys(t, at, &["from", "to"]);
    if is_run_key(key) {
        ck.fail(at, format!("`{key}` says how to run, not what is simulated; calibrate model parameters"));
        return None;
    }
    let Some(spec) = spec_at(key) else {
        let hint = suggest(key).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        ck.fail(at, format!("unknown parameter{hint}"));
        return None;
    };
    if spec.kind != Kind::Number {
        ck.fail(
            at,
            format!(
                "`{key}` is {}; only number parameters can be calibrated (their values are sampled from a range)",
                spec.kind.describe()
            ),
        );
        return None;
    }
    let (from, to) = (ck.number(t, "from", &format!("{at}.from")), ck.number(t, "to", &format!("{at}.to")));
    match (from, to, t.contains_key("from") || t.contains_key("to")) {
        (Some(lo), Some(hi), _) if lo < hi => Some(Prior { key: key.to_string(), lo, hi, declared: false }),
        (Some(lo), Some(hi), _) => {
            ck.fail(at, format!("`from` ({}) must be below `to` ({})", fmt(lo), fmt(hi)));
            None
        }
        (_, _, true) => {
            // A value of the wrong type was reported above; a missing end is reported here.
            if !(t.contains_key("from") && t.contains_key("to")) {
                ck.fail(at, "give both `from` and `to`, or neither for the declared range");
            }
            None
        }
        (_, _, false) => match spec.range {
            Range::Closed(lo, hi) if lo < hi => Some(Prior { key: key.to_string(), lo, hi, declared: true }),
            _ => {
                ck.fail(
                    at,
                    format!(
                        "`{key}` allows {}, an open range: give the prior's range, e.g. {{ from = 0.5, to = 2 }}",
                        range_text(&spec)
                    ),
                );
                None
            }
        },
    }
}

/// One `[[target]]` table.
fn target(ck: &mut Checker, t: &toml::Table, at: &str, k: usize, base_dir: &Path) -> Draft {
    ck.unknown_keys(t, at, &TARGET_KEYS);
    let key = |name: &str| format!("{at}.{name}");
    let name = ck.text(t, "name", &key("name")).unwrap_or_else(|| format!("target {}", k + 1));
    let scenario = scenario_file(ck, t, at, base_dir, "a target", "calibration");
    let set = ck.overrides(t, "set", &key("set")).unwrap_or_default();
    let baseline_set = ck.overrides(t, "baseline_set", &key("baseline_set"));
    if baseline_set.as_ref() == Some(&set) {
        ck.fail(&key("baseline_set"), "the same as `set`: a difference between two identical arms is zero");
    }
    let Measure { statistic, year, cause, partner } = measure(ck, t, at, "a target");
    let value = ck.number(t, "value", &key("value"));
    let interval = pair(ck, t, "interval", at);
    let observed = match (value, interval, t.contains_key("value"), t.contains_key("interval")) {
        (_, _, true, true) => {
            ck.fail(&key("interval"), "give `value` or `interval`, not both");
            None
        }
        (Some(v), None, _, _) => Some((v, v)),
        (None, Some(i), _, _) => Some(i),
        (_, _, false, false) => {
            ck.fail(at, "a target needs the observation: `value = X` or `interval = [LOW, HIGH]`");
            None
        }
        _ => None,
    };
    if let (Some((lo, hi)), Some(s)) = (observed, statistic)
        && s.is_share()
    {
        let (min, max) = if baseline_set.is_some() { (-1.0, 1.0) } else { (0.0, 1.0) };
        if lo < min || hi > max {
            let which = if t.contains_key("value") { "value" } else { "interval" };
            ck.fail(
                &key(which),
                format!(
                    "{} is a share{}: expected {} to {} (write 80% as 0.8)",
                    s.name(),
                    if baseline_set.is_some() { " difference" } else { "" },
                    fmt(min),
                    fmt(max)
                ),
            );
        }
    }
    let tolerance = match ck.number(t, "tolerance", &key("tolerance")) {
        Some(x) if x >= 0.0 => Some(x),
        Some(x) => {
            ck.fail(&key("tolerance"), format!("found {}, expected 0 or more", fmt(x)));
            None
        }
        None => {
            if !t.contains_key("tolerance") {
                ck.fail(
                    at,
                    "a target needs `tolerance`: how far the model may miss the observation for reasons the simulation does not capture, in the statistic's unit",
                );
            }
            None
        }
    };
    Draft {
        at: at.to_string(),
        name,
        scenario,
        set,
        baseline_set,
        statistic,
        year,
        cause,
        partner,
        observed,
        tolerance,
    }
}

/// A table's `scenario`, a file relative to `base_dir` (the `kind` file's folder).
pub(super) fn scenario_file(
    ck: &mut Checker,
    t: &toml::Table,
    at: &str,
    base_dir: &Path,
    what: &str,
    kind: &str,
) -> PathBuf {
    let key = |name: &str| format!("{at}.{name}");
    match ck.text(t, "scenario", &key("scenario")) {
        Some(s) => {
            let p = base_dir.join(&s);
            if !p.is_file() {
                ck.fail(
                    &key("scenario"),
                    format!("{} is not a scenario file (the path is relative to the {kind} file)", p.display()),
                );
            }
            p
        }
        None => {
            if !t.contains_key("scenario") {
                ck.fail(at, format!("{what} needs `scenario`, the scenario file (relative to the {kind} file)"));
            }
            PathBuf::new()
        }
    }
}

/// What is measured in an arm's replicates: the statistic and what it reads.
pub(super) struct Measure {
    pub statistic: Option<Statistic>,
    pub year: Option<f64>,
    pub cause: Option<EndShare>,
    pub partner: Option<String>,
}

/// A table's `statistic`, `year`, `cause` and `partner`, checked against each other
/// (`what`: "a target", "a check").
pub(super) fn measure(ck: &mut Checker, t: &toml::Table, at: &str, what: &str) -> Measure {
    let key = |name: &str| format!("{at}.{name}");
    let names: Vec<&str> = Statistic::ALL.iter().map(|(n, _)| *n).collect();
    let statistic = match ck.text(t, "statistic", &key("statistic")) {
        Some(s) => {
            let found = Statistic::ALL.iter().find(|(n, _)| *n == s).map(|(_, st)| *st);
            if found.is_none() {
                ck.fail(&key("statistic"), format!("found \"{s}\", expected one of {}", names.join(", ")));
            }
            found
        }
        None => {
            if !t.contains_key("statistic") {
                ck.fail(at, format!("{what} needs `statistic`, one of {}", names.join(", ")));
            }
            None
        }
    };
    let year = match ck.number(t, "year", &key("year")) {
        Some(y) if y <= 0.0 => {
            ck.fail(&key("year"), format!("found {}, expected a number of years above 0", fmt(y)));
            None
        }
        y => y,
    };
    match (statistic, year) {
        (Some(Statistic::Survival), None) if !t.contains_key("year") => {
            ck.fail(at, "statistic = \"survival\" needs `year`, the year at which survival is read")
        }
        (Some(s), Some(_)) if !matches!(s, Statistic::Survival | Statistic::Rmst | Statistic::Savings) => {
            ck.fail(&key("year"), format!("`year` applies to survival, rmst and savings, not to {}", s.name()))
        }
        _ => {}
    }
    let cause = match (ck.text(t, "cause", &key("cause")), statistic) {
        (Some(c), Some(Statistic::CauseShare)) => {
            let found = EndShare::ALL.iter().find(|(n, _)| *n == c).map(|(_, e)| *e);
            if found.is_none() {
                ck.fail(
                    &key("cause"),
                    format!("found \"{c}\", expected one of withdrawal, understaffed, cancelled, censored"),
                );
            }
            found
        }
        (Some(_), Some(_)) => {
            ck.fail(&key("cause"), "`cause` applies to statistic = \"cause_share\"");
            None
        }
        (None, Some(Statistic::CauseShare)) => {
            ck.fail(at, "statistic = \"cause_share\" needs `cause`: withdrawal, understaffed, cancelled or censored");
            None
        }
        _ => None,
    };
    let partner = match (ck.text(t, "partner", &key("partner")), statistic) {
        (Some(p), Some(Statistic::PartnerShare)) => Some(p),
        (Some(_), Some(_)) => {
            ck.fail(&key("partner"), "`partner` applies to statistic = \"partner_share\"");
            None
        }
        (None, Some(Statistic::PartnerShare)) => {
            ck.fail(at, "statistic = \"partner_share\" needs `partner`, the organization whose withdrawals count");
            None
        }
        _ => None,
    };
    Measure { statistic, year, cause, partner }
}

/// Two numbers `[LOW, HIGH]` at `t[name]`, lower first.
pub(super) fn pair(ck: &mut Checker, t: &toml::Table, name: &str, at: &str) -> Option<(f64, f64)> {
    let key = |name: &str| format!("{at}.{name}");
    match t.get(name) {
        None => None,
        Some(toml::Value::Array(a)) => {
            let xs: Vec<Option<f64>> = a
                .iter()
                .map(|x| match x {
                    toml::Value::Integer(i) => Some(*i as f64),
                    toml::Value::Float(f) if f.is_finite() => Some(*f),
                    _ => None,
                })
                .collect();
            match xs.as_slice() {
                [Some(lo), Some(hi)] if lo <= hi => Some((*lo, *hi)),
                [Some(lo), Some(hi)] => {
                    ck.fail(&key(name), format!("[{}, {}]: the lower end comes first", fmt(*lo), fmt(*hi)));
                    None
                }
                _ => {
                    ck.fail(&key(name), "expected two numbers [LOW, HIGH], e.g. [0.65, 0.95]");
                    None
                }
            }
        }
        Some(other) => {
            ck.fail(&key(name), type_error(other, "two numbers [LOW, HIGH]"));
            None
        }
    }
}
