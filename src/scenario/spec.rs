//! The resolved run specification: what to call a run and how to run it (the file's
//! top-level keys, declared like every parameter) with the model's parameters. Everything
//! outside `scenario/` reads a scenario through this, never through the file's raw tree.
//! Also the resolved values as a JSON tree and as a flat list of dotted keys, both in file
//! order, for summary.json, manifests and comparisons.

use serde_json::{Map, Value as Json, json};

use crate::model::registry::{Section, Value, declare_section};
use crate::model::{DynSection, ORG_SECTION, Params, SECTIONS};

declare_section! {
    /// The scenario file's top-level keys.
    pub struct RunParams ("", "Run", "") {
        name: String = String::new(), Any, "text", Label,
            "a name for reports and outputs",
            None;
        description: String = String::new(), Any, "text", Label,
            "a description for reports",
            None;
        seed: u64 = 1, Any, "integer", Run,
            "master seed: replicate i draws from a stream derived from it and i",
            None;
        replicates: u64 = 1000, Closed(1.0, 1e7), "count", Run,
            "replicates (simulated futures)",
            None;
        years: f64 = 10.0, Years, "years", Run,
            "horizon; a run simulates `round(52 * years)` weeks",
            Paper("covers CS1's observed span, 2010 to at least 2018 (P1)");
    }
}

/// A scenario as it will run: the run settings and the model's parameters, every default
/// and override applied and every value checked.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSpec {
    pub run: RunParams,
    pub params: Params,
}

/// Weeks simulated for a horizon of `years`.
pub fn horizon_weeks(years: f64) -> u32 {
    (years.clamp(0.0, crate::model::registry::MAX_YEARS) * 52.0).round() as u32
}

impl RunSpec {
    /// Every value, in file order, as a JSON tree: the run keys, each section, the partners.
    pub fn to_json(&self) -> Json {
        let mut root = Map::new();
        put_section(&mut root, RunParams::SPECS, &self.run);
        for (info, sec) in SECTIONS.iter().zip(self.params.sections()) {
            let mut m = Map::new();
            for s in info.specs {
                m.insert(s.key.into(), to_json(&sec.value(s.key).unwrap_or(Value::Unset)));
            }
            root.insert(info.prefix.into(), Json::Object(m));
        }
        let mut orgs = Map::new();
        for (name, o) in self.params.org_names.iter().zip(&self.params.organizations) {
            let mut m = Map::new();
            put_section(&mut m, ORG_SECTION.specs, o);
            orgs.insert(name.clone(), Json::Object(m));
        }
        root.insert("organizations".into(), Json::Object(orgs));
        Json::Object(root)
    }

    /// Every value as (dotted key, value), in file order. A list of tables is one key per
    /// element's value (`savings.items[0].annual_gbp`), or the list itself when empty.
    pub fn flat(&self) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for s in RunParams::SPECS {
            out.push((s.key.to_string(), self.run.get(s.key).unwrap_or(Value::Unset)));
        }
        for (info, sec) in SECTIONS.iter().zip(self.params.sections()) {
            for s in info.specs {
                flatten(&format!("{}.{}", info.prefix, s.key), sec.value(s.key).unwrap_or(Value::Unset), &mut out);
            }
        }
        for (name, o) in self.params.org_names.iter().zip(&self.params.organizations) {
            for s in ORG_SECTION.specs {
                out.push((format!("organizations.{name}.{}", s.key), o.get(s.key).unwrap_or(Value::Unset)));
            }
        }
        out
    }
}

fn put_section(m: &mut Map<String, Json>, specs: &[crate::model::registry::Spec], sec: &dyn DynSection) {
    for s in specs {
        m.insert(s.key.into(), to_json(&sec.value(s.key).unwrap_or(Value::Unset)));
    }
}

fn flatten(key: &str, v: Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Tables(rows) if !rows.is_empty() => {
            for (i, row) in rows.into_iter().enumerate() {
                for (k, x) in row {
                    flatten(&format!("{key}[{i}].{k}"), x, out);
                }
            }
        }
        v => out.push((key.to_string(), v)),
    }
}

/// A value as JSON: numbers as numbers, an unset value as null.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Number(x) => json!(x),
        Value::Count(x) => json!(x),
        Value::Bool(b) => json!(b),
        Value::Text(s) => json!(s),
        Value::Numbers(x) => json!(x),
        Value::Counts(x) => json!(x),
        Value::Unset => Json::Null,
        Value::Tables(rows) => Json::Array(
            rows.iter()
                .map(|row| Json::Object(row.iter().map(|(k, x)| (k.to_string(), to_json(x))).collect()))
                .collect(),
        ),
    }
}

/// A value as one line of text: JSON's form (`0.5`, `true`, `"merged"`, `[1,2]`), or
/// `(not set)`.
pub fn display(v: &Value) -> String {
    match v {
        Value::Unset => "(not set)".into(),
        v => to_json(v).to_string(),
    }
}
