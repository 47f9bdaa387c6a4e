//! Ensembles of parameter sets for `run`, `compare` and `sweep --ensemble`: a calibration's
//! accepted.csv (one row per accepted point: `point`, `wave`, one column per parameter path,
//! `max_implausibility`), read back as a typed [`Ensemble`] with every problem reported at
//! once (file, line, column), then resolved against a scenario into one `Params` per set:
//! each row's values applied as `--set` overrides before the run's own, so that the run's
//! `--set` and a comparison's `--variant` still win. Replicate i runs with set i mod n.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::catalog::is_run_key;
use super::error::{Diagnostic, ScenarioError};
use super::experiment::toml_number;
use super::load::{Scenario, hex, parse_str};
use crate::model::Params;

/// The columns of accepted.csv around the parameter columns.
pub const POINT_COLUMN: &str = "point";
pub const WAVE_COLUMN: &str = "wave";
pub const IMPLAUSIBILITY_COLUMN: &str = "max_implausibility";
/// Ensemble files larger than this are refused before reading.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// Problems listed before the rest are summarised.
const MAX_LISTED: usize = 20;

/// Parameter sets by dotted scenario path, with where they came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ensemble {
    pub file: String,
    pub sha256: String,
    /// The parameter paths, in column order.
    pub params: Vec<String>,
    /// Each set's point in the calibration that accepted it.
    pub points: Vec<u64>,
    /// One value per parameter, per set.
    pub sets: Vec<Vec<f64>>,
}

impl Ensemble {
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The `--set` overrides of set `k`: `path=value`, values written so they read back to
    /// the same number.
    pub fn overrides(&self, k: usize) -> Vec<String> {
        self.params.iter().zip(&self.sets[k]).map(|(p, x)| format!("{p}={}", toml_number(*x))).collect()
    }

    /// The line of accepted.csv that holds set `k` (the header is line 1).
    pub fn line_of(&self, k: usize) -> usize {
        k + 2
    }
}

/// An ensemble resolved against one scenario: one `Params` per set, in the ensemble's order.
#[derive(Clone, Debug)]
pub struct EnsembleSets {
    pub ensemble: Ensemble,
    pub params: Vec<Params>,
}

/// Reads and checks an ensemble file (a calibration's accepted.csv).
pub fn load_ensemble(path: &Path) -> Result<Ensemble, ScenarioError> {
    let read_err = |reason: String| ScenarioError::Read { path: path.to_path_buf(), reason };
    let meta = fs::metadata(path).map_err(|e| read_err(e.to_string()))?;
    if meta.is_dir() {
        return Err(read_err("is a directory; expected an ensemble file (a calibration's accepted.csv)".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(read_err(format!("file is over {} MB; an ensemble is a small CSV file", MAX_FILE_BYTES >> 20)));
    }
    let bytes = fs::read(path).map_err(|e| read_err(e.to_string()))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let invalid = |diagnostics: Vec<Diagnostic>| ScenarioError::Invalid { path: path.to_path_buf(), diagnostics };
    let at = |line: usize, key: &str, msg: String| {
        let mut d = Diagnostic::new(key, msg);
        d.line = Some(line);
        d
    };
    let mut rd = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes.as_slice());
    let header: Vec<String> = match rd.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(invalid(vec![at(1, "", format!("not a CSV file: {e}"))])),
    };
    let expected = format!(
        "expected the header of a calibration's accepted.csv: `{POINT_COLUMN},{WAVE_COLUMN},PARAMETER.PATH,...,{IMPLAUSIBILITY_COLUMN}`"
    );
    if header.len() < 4
        || header[0] != POINT_COLUMN
        || header[1] != WAVE_COLUMN
        || header[header.len() - 1] != IMPLAUSIBILITY_COLUMN
    {
        return Err(invalid(vec![at(1, "", format!("found `{}`; {expected}", header.join(",")))]));
    }
    let params: Vec<String> = header[2..header.len() - 1].to_vec();
    let mut diags = Vec::new();
    for (j, p) in params.iter().enumerate() {
        if p.is_empty() || p.contains(char::is_whitespace) {
            diags.push(at(
                1,
                p,
                "a parameter column must be a dotted scenario path, e.g. collaboration.transparency".into(),
            ));
        } else if is_run_key(p) {
            diags.push(at(
                1,
                p,
                format!("`{p}` says how to run, not what is simulated; an ensemble varies model parameters"),
            ));
        } else if params[..j].contains(p) {
            diags.push(at(1, p, "the column appears twice".into()));
        }
    }
    let (mut points, mut sets) = (Vec::new(), Vec::new());
    for row in rd.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.push(at(line, "", format!("not a CSV row: {e}")));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line() as usize);
        if row.len() != header.len() {
            diags.push(at(line, "", format!("{} fields, expected {} as in the header", row.len(), header.len())));
            continue;
        }
        let point = row[0].parse::<u64>();
        if point.is_err() {
            diags.push(at(line, POINT_COLUMN, format!("found `{}`, expected a whole number", &row[0])));
        }
        if row[1].parse::<u32>().is_err() {
            diags.push(at(line, WAVE_COLUMN, format!("found `{}`, expected a whole number", &row[1])));
        }
        let mut set = Vec::with_capacity(params.len());
        for (j, p) in params.iter().enumerate() {
            match row[j + 2].parse::<f64>() {
                Ok(x) if x.is_finite() => set.push(x),
                _ => diags.push(at(line, p, format!("found `{}`, expected a finite number", &row[j + 2]))),
            }
        }
        if let (Ok(point), true) = (point, set.len() == params.len()) {
            points.push(point);
            sets.push(set);
        }
    }
    if diags.is_empty() && sets.is_empty() {
        diags.push(at(
            1,
            "",
            "no parameter sets: the calibration accepted none (its report.html says which targets ruled the points out)"
                .into(),
        ));
    }
    if !diags.is_empty() {
        let n = diags.len();
        if n > MAX_LISTED {
            diags.truncate(MAX_LISTED);
            diags.push(Diagnostic::new("", format!("... and {} more problems", n - MAX_LISTED)));
        }
        return Err(invalid(diags));
    }
    Ok(Ensemble { file: path.display().to_string(), sha256, params, points, sets })
}

/// One `Params` per set of `ens`: the scenario `text` (read from `path`) with the set's
/// values, then `after` (the run's own overrides), applied as `--set` overrides. Every set
/// must resolve and keep `base`'s horizon and organizations.
pub fn ensemble_params(
    path: &Path,
    text: &str,
    ens: &Ensemble,
    after: &[String],
    base: &Params,
) -> Result<Vec<Params>, ScenarioError> {
    let mut out = Vec::with_capacity(ens.len());
    let mut diags = Vec::new();
    for k in 0..ens.len() {
        let mut ov = ens.overrides(k);
        ov.extend(after.iter().cloned());
        let mut d = Diagnostic::new("", String::new());
        d.line = Some(ens.line_of(k));
        let what = format!("parameter set {k} (point {}) on {}", ens.points[k], path.display());
        match parse_str(path, text, &ov) {
            Ok(spec) if spec.params.horizon_weeks != base.horizon_weeks || spec.params.org_names != base.org_names => {
                d.message = format!(
                    "{what} changes the horizon or the organizations ({} weeks, {}; the run has {} weeks, {}): an ensemble may vary only what every replicate shares",
                    spec.params.horizon_weeks,
                    spec.params.org_names.join(", "),
                    base.horizon_weeks,
                    base.org_names.join(", ")
                );
                diags.push(d);
            }
            Ok(spec) => out.push(spec.params),
            Err(e) => {
                let why: Vec<String> = match e.diagnostics() {
                    [] => vec![e.to_string()],
                    ds => ds.iter().map(|x| x.to_string_in(path)).collect(),
                };
                d.message = format!("{what}: {}", why.join("; "));
                diags.push(d);
            }
        }
        if diags.len() > MAX_LISTED {
            break;
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(ScenarioError::Invalid { path: ens.file.clone().into(), diagnostics: diags })
    }
}

/// `sc` with `ens` attached: each set resolved against its file and overrides (see
/// [`ensemble_params`]). Replicate i of a run of the result uses set i mod n.
pub fn attach_ensemble(mut sc: Scenario, ens: Ensemble) -> Result<Scenario, ScenarioError> {
    let text = fs::read_to_string(&sc.path)
        .map_err(|e| ScenarioError::Read { path: sc.path.clone(), reason: e.to_string() })?;
    if hex(&Sha256::digest(text.as_bytes())) != sc.sha256 {
        return Err(ScenarioError::Read {
            path: sc.path.clone(),
            reason: "the file changed while it was being read; run again".into(),
        });
    }
    let params = ensemble_params(&sc.path, &text, &ens, &sc.overrides, &sc.spec.params)?;
    sc.ensemble = Some(EnsembleSets { ensemble: ens, params });
    Ok(sc)
}
