//! A question from the page, as JSON, checked before anything runs: a scenario id from the
//! catalog, the variant's settings by dotted path (checked by the scenario loader exactly as
//! `--variant` and `--set` are: only registry paths, of their type, within range), and
//! replicates and years within the server's limits. A valid question becomes the
//! `CompareRequest` that `collabsim compare` would build from the equivalent command line.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value as Json;

use super::Limits;
use super::catalog::Catalog;
use crate::app::compare::CompareRequest;
use crate::app::compare::plan::{self, Plan, default_out};
use crate::app::shell_word;
use crate::scenario::catalog::is_run_key;
use crate::scenario::experiment::toml_number;

/// The body of `POST /api/compare` and `POST /api/save`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The page's own id: a new question from the same client cancels its previous one.
    #[serde(default)]
    pub client: Option<String>,
    /// A scenario id from `/api/scenarios`.
    pub scenario: String,
    /// The variant's settings: dotted path to value (number, true/false or a name).
    #[serde(default)]
    pub variant: IndexMap<String, Json>,
    #[serde(default)]
    pub replicates: Option<u64>,
    /// The horizon in years (default: the scenario's).
    #[serde(default)]
    pub years: Option<f64>,
}

/// A question checked and planned: the comparison `compare` would run and its command line.
/// Without settings the plan is the baseline alone (`variant` empty).
pub struct Checked {
    pub request: CompareRequest,
    pub plan: Plan,
    pub replicates: u64,
    pub scenario_id: String,
    /// `collabsim compare ... --out DIR`, as words (program name first).
    pub argv: Vec<String>,
}

impl Checked {
    /// The equivalent command, as a shell would take it.
    pub fn command(&self) -> String {
        self.argv.iter().map(|w| shell_word(w)).collect::<Vec<_>>().join(" ")
    }

    /// The variant has settings (else only the baseline runs).
    pub fn has_variant(&self) -> bool {
        !self.request.variant.is_empty()
    }
}

/// Reads a request body into a question; the error says what is wrong with the JSON.
pub fn parse(body: &[u8]) -> Result<Question, String> {
    serde_json::from_slice(body).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Io | serde_json::error::Category::Eof => "the body ends too soon",
            serde_json::error::Category::Syntax => "the body is not valid JSON",
            serde_json::error::Category::Data => "the JSON does not have the fields a question needs",
        };
        format!(
            "{what}: {e}. Expected e.g. {{\"scenario\": \"cs1-merged-it\", \"variant\": {{\"collaboration.transparency\": 0.3}}, \"replicates\": 1000}}"
        )
    })
}

/// A JSON value as `--set` writes it.
fn setting(key: &str, v: &Json) -> Result<String, String> {
    match v {
        Json::Number(n) => n.as_f64().map(toml_number).ok_or_else(|| format!("{key}: {n} is not a number we can use")),
        Json::Bool(b) => Ok(b.to_string()),
        Json::String(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_ ".contains(c)) => {
            Ok(format!("\"{s}\""))
        }
        Json::String(s) => Err(format!("{key}: \"{s}\" is not a name a setting can take (letters, digits, - and _)")),
        other => Err(format!("{key}: give a number, true/false or a name, not {other}")),
    }
}

/// Checks `q` against the catalog and the limits and plans its comparison; every problem is
/// reported, one per line.
pub fn check(q: &Question, catalog: &Catalog, limits: &Limits) -> Result<Checked, String> {
    let mut problems = Vec::new();
    if let Some(c) = &q.client
        && (c.is_empty() || c.len() > 64 || !c.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        problems.push("client: an id of 1 to 64 letters, digits, - or _".to_string());
    }
    let served = catalog.get(&q.scenario);
    if served.is_none() {
        problems.push(format!("scenario: there is no scenario `{}`; the scenarios are {}", q.scenario, catalog.ids()));
    }
    let replicates = q.replicates.unwrap_or(super::DEFAULT_REPLICATES);
    if !(limits.min_replicates..=limits.max_replicates).contains(&replicates) {
        problems.push(format!(
            "replicates: {replicates} is outside what this server runs, {} to {}",
            limits.min_replicates, limits.max_replicates
        ));
    }
    if let Some(y) = q.years
        && !(y.is_finite() && y > 0.0 && y <= limits.max_years)
    {
        problems.push(format!("years: {y} is outside what this server runs, above 0 and at most {}", limits.max_years));
    }
    let mut variant = Vec::new();
    for (key, v) in &q.variant {
        if is_run_key(key) {
            problems.push(format!(
                "variant: `{key}` is a run setting, not a parameter; give the replicates and the years as the question's own `replicates` and `years`"
            ));
            continue;
        }
        match setting(key, v) {
            Ok(s) => variant.push(format!("{key}={s}")),
            Err(e) => problems.push(format!("variant: {e}")),
        }
    }
    let Some(served) = served.filter(|_| problems.is_empty()) else { return Err(problems.join("\n")) };

    let mut shared = vec![format!("replicates={replicates}")];
    let mut flags = vec!["--replicates".to_string(), replicates.to_string()];
    if let Some(y) = q.years {
        shared.push(format!("years={}", toml_number(y)));
        flags.extend(["--years".to_string(), toml_number(y)]);
    }
    let request = CompareRequest {
        scenario: served.scenario.path.clone(),
        shared,
        variant: variant.clone(),
        ..CompareRequest::default()
    };
    // Without settings there is no variant: the plan is the baseline alone.
    let planned = match variant.is_empty() {
        true => plan::baseline(&request).map(|b| Plan { arms: vec![b], ladder: None }),
        false => plan::plan(&request),
    };
    let plan = planned.map_err(|e| format!("{e:#}"))?;
    let path = served.scenario.path.display().to_string();
    let argv = if variant.is_empty() {
        [vec!["collabsim".to_string(), "run".to_string(), path], flags].concat()
    } else {
        let out = default_out(&request, &plan).display().to_string();
        let mut argv = [vec!["collabsim".to_string(), "compare".to_string(), path], flags].concat();
        for v in &variant {
            argv.extend(["--variant".to_string(), v.clone()]);
        }
        argv.extend(["--out".to_string(), out]);
        argv
    };
    Ok(Checked { request, plan, replicates, scenario_id: served.id.clone(), argv })
}
