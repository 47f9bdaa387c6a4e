//! The scenarios the page offers and their levers. The shipped scenarios come from the
//! checkout's `scenarios/` folder (the current folder's, else the one collabsim was built
//! from), then the files named on the command line; a request names a scenario by its id
//! (the file stem), never by a path. Every lever's control (kind, unit, range, meaning, the
//! scenario's value, why it would change nothing here) is read off the parameter registry.

use std::path::{Path, PathBuf};

use anyhow::bail;
use serde_json::{Value as Json, json};

use super::Limits;
use crate::model::Params;
use crate::model::levers::{Lever, inert_reason, levers};
use crate::model::registry::{Kind, Range, Value};
use crate::scenario::{self, Scenario};

/// The three levers the client named, shown first on the page.
pub const NAMED_LEVERS: [&str; 3] = ["leadership.turnover_per_year", "collaboration.transparency", "project.overload"];

/// One scenario on offer.
pub struct ServedScenario {
    /// The file stem (made unique with `-2`, `-3`... if two files share one).
    pub id: String,
    /// The scenario as its file sets it.
    pub scenario: Scenario,
    /// Shipped with collabsim (else named on the command line).
    pub shipped: bool,
}

/// Every scenario on offer, the shipped ones first.
pub struct Catalog {
    pub scenarios: Vec<ServedScenario>,
}

/// The folder of the shipped scenarios: `scenarios/` here if it holds them, else the
/// checkout collabsim was built from.
fn shipped_dir() -> Option<PathBuf> {
    let here = PathBuf::from("scenarios");
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    [here, built].into_iter().find(|d| d.join("cs1-merged-it.toml").is_file())
}

impl Catalog {
    /// The shipped scenarios and `files`; every file that does not load is reported, all
    /// at once.
    pub fn load(files: &[PathBuf]) -> anyhow::Result<Catalog> {
        let mut paths: Vec<(PathBuf, bool)> = Vec::new();
        if let Some(dir) = shipped_dir() {
            let mut shipped: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            shipped.retain(|p| p.extension().is_some_and(|e| e == "toml"));
            shipped.sort();
            paths.extend(shipped.into_iter().map(|p| (p, true)));
        }
        paths.extend(files.iter().map(|p| (p.clone(), false)));
        if paths.is_empty() {
            bail!(
                "no scenarios to serve: the shipped ones (scenarios/*.toml) are not in this folder; run from the collabsim checkout or name scenario files (collabsim serve my-scenario.toml)"
            );
        }
        let mut scenarios: Vec<ServedScenario> = Vec::new();
        let mut problems = Vec::new();
        for (path, shipped) in paths {
            match scenario::load(&path, &[]) {
                Ok(sc) => {
                    let stem = sc.stem();
                    let mut id = stem.clone();
                    let mut k = 2;
                    while scenarios.iter().any(|s| s.id == id) {
                        id = format!("{stem}-{k}");
                        k += 1;
                    }
                    scenarios.push(ServedScenario { id, scenario: sc, shipped });
                }
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !problems.is_empty() {
            bail!("{} scenario file(s) cannot be served:\n{}", problems.len(), problems.join("\n"));
        }
        Ok(Catalog { scenarios })
    }

    pub fn get(&self, id: &str) -> Option<&ServedScenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// The ids on offer, for an error message.
    pub fn ids(&self) -> String {
        self.scenarios.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// `GET /api/scenarios`: every scenario with its levers, and the limits.
    pub fn to_json(&self, limits: &Limits) -> Json {
        json!({
            "scenarios": self.scenarios.iter().map(ServedScenario::to_json).collect::<Vec<_>>(),
            "limits": {
                "min_replicates": limits.min_replicates,
                "max_replicates": limits.max_replicates,
                "default_replicates": super::DEFAULT_REPLICATES,
                "first_estimate_replicates": super::jobs::FIRST_STAGE,
                "max_years": limits.max_years,
                "max_body_bytes": limits.max_body_bytes,
            },
        })
    }
}

impl ServedScenario {
    fn to_json(&self) -> Json {
        let sc = &self.scenario;
        let p = &sc.spec.params;
        json!({
            "id": self.id,
            "name": sc.spec.run.name,
            "file": sc.path.display().to_string(),
            "shipped": self.shipped,
            "seed": sc.spec.run.seed,
            "years": f64::from(p.horizon_weeks) / 52.0,
            "partners": p.org_names,
            "levers": levers(p).iter().map(|l| lever_json(l, p)).collect::<Vec<_>>(),
        })
    }
}

/// A lever as the page draws it: a slider over its plausible range (widened to take in the
/// scenario's value), a switch, or a choice.
fn lever_json(l: &Lever, p: &Params) -> Json {
    let s = &l.spec;
    let words = s.key.replace('_', " ");
    let section = l.path.split('.').next().unwrap_or("");
    let title = match l.org {
        Some(o) => format!("{} ({})", capitalise(&words), p.org_names[o]),
        None => format!("{} ({section})", capitalise(&words)),
    };
    let (kind, value, extra) = match (s.kind, &l.effective) {
        (Kind::Bool, Value::Bool(b)) => ("bool", json!(b), json!({})),
        (Kind::Choice(names), Value::Text(t)) => ("choice", json!(t), json!({ "choices": names })),
        (Kind::Number | Kind::Count { .. }, v) => {
            let x = match v {
                Value::Number(x) => *x,
                Value::Count(c) => *c as f64,
                _ => 0.0,
            };
            let (valid_lo, valid_hi) = match s.range {
                Range::Closed(lo, hi) => (lo, hi),
                Range::AtLeast(lo) => (lo, f64::INFINITY),
                _ => (f64::NEG_INFINITY, f64::INFINITY),
            };
            let (lo, hi) = s.plausible.unwrap_or((valid_lo, valid_hi));
            let (lo, hi) = (lo.min(x), hi.max(x));
            let whole = matches!(s.kind, Kind::Count { .. });
            let step = if whole { 1.0 } else { nice_step((hi - lo) / 100.0) };
            let valid = json!([finite(valid_lo), finite(valid_hi)]);
            ("number", json!(x), json!({ "min": lo, "max": hi, "step": step, "valid": valid, "whole": whole }))
        }
        _ => ("other", Json::Null, json!({})),
    };
    let mut j = json!({
        "path": l.path,
        "title": title,
        "named": NAMED_LEVERS.contains(&l.path.as_str()),
        "partner": l.org.map(|o| p.org_names[o].clone()),
        "kind": kind,
        "value": value,
        "unit": s.unit,
        "meaning": s.meaning,
        "inert": inert_reason(l, p),
    });
    if let (Json::Object(m), Json::Object(e)) = (&mut j, extra) {
        m.extend(e);
    }
    j
}

fn finite(x: f64) -> Json {
    if x.is_finite() { json!(x) } else { Json::Null }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// 1, 2 or 5 times a power of ten, at least `x`.
fn nice_step(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 0.01;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|s| *s >= x * 0.999).unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(nice_step(0.008), 0.01);
        assert_eq!(nice_step(0.005), 0.005);
        assert_eq!(nice_step(0.011), 0.02);
        assert_eq!(nice_step(0.03), 0.05);
    }

    #[test]
    fn every_lever_of_cs1_has_a_control_and_the_named_three_come_marked() {
        let cat = Catalog::load(&[]).unwrap();
        let cs1 = cat.get("cs1-merged-it").expect("CS1 is shipped");
        let j = cs1.to_json();
        let levers = j["levers"].as_array().unwrap();
        assert_eq!(levers.len(), super::levers(&cs1.scenario.spec.params).len());
        assert!(levers.iter().all(|l| l["kind"] != "other"), "{levers:?}");
        let named: Vec<&str> =
            levers.iter().filter(|l| l["named"] == true).map(|l| l["path"].as_str().unwrap()).collect();
        assert_eq!(named, NAMED_LEVERS);
        let t = levers.iter().find(|l| l["path"] == "collaboration.transparency").unwrap();
        let v = t["value"].as_f64().unwrap();
        assert!(t["min"].as_f64().unwrap() <= v && v <= t["max"].as_f64().unwrap(), "{t}");
    }
}
