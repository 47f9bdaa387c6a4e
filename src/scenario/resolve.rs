//! A parsed TOML tree into a `RunSpec`, driven by the parameter declarations alone: each
//! declared key is read with its kind (type errors), checked against its range, and set;
//! every key the declarations do not know is reported with a 'did you mean'; then the
//! cross-checks. Every problem is collected; nothing stops at the first.

use toml::Value as Toml;

use super::checks::cross_check;
use super::error::Diagnostic;
use super::spec::{RunParams, RunSpec, horizon_weeks};
use super::suggest::suggest;
use crate::model::registry::{Kind, MAX_YEARS, Range, Section, Spec, Value};
use crate::model::{ORG_SECTION, OrgParams, Params, SECTIONS};

/// Resolves `table`. Planned weeks (go-lives, savings starts, scheduled incidents) must fall
/// within `plan_weeks` (the file's own horizon, or longer: a run shortened from the command
/// line simply ends before the later events). Also returns the dotted keys the tree sets.
pub fn resolve(table: &toml::Table, plan_weeks: Option<u32>) -> (Result<RunSpec, Vec<Diagnostic>>, Vec<String>) {
    let mut r = Resolver { diags: Vec::new(), present: Vec::new(), plan_weeks: 0 };
    unknown_keys(table, &mut r.diags);

    let mut run = RunParams::default();
    r.section(table, "", RunParams::SPECS, &mut run);
    let horizon = horizon_weeks(run.years);
    r.plan_weeks = plan_weeks.map_or(horizon, |p| p.max(horizon));

    let mut p = Params { horizon_weeks: horizon, ..Params::default() };
    for (info, sec) in SECTIONS.iter().zip(p.sections_mut()) {
        match table.get(info.prefix) {
            None => {}
            Some(Toml::Table(t)) => r.dyn_section(t, info.prefix, info.specs, sec),
            Some(other) => r.fail(info.prefix, type_error(other, "a table")),
        }
    }
    match table.get("organizations") {
        None => {}
        Some(Toml::Table(orgs)) => {
            for (name, v) in orgs {
                let prefix = format!("organizations.{name}");
                let mut o = OrgParams::default();
                match v {
                    Toml::Table(t) => r.section(t, &prefix, ORG_SECTION.specs, &mut o),
                    other => r.fail(&prefix, type_error(other, "a table")),
                }
                p.org_names.push(name.clone());
                p.organizations.push(o);
            }
        }
        Some(other) => r.fail("organizations", type_error(other, "a table")),
    }
    p.derive();
    cross_check(&p, &mut r.diags);
    let result = if r.diags.is_empty() { Ok(RunSpec { run, params: p }) } else { Err(r.diags) };
    (result, r.present)
}

struct Resolver {
    diags: Vec<Diagnostic>,
    present: Vec<String>,
    plan_weeks: u32,
}

impl Resolver {
    fn fail(&mut self, key: &str, msg: String) {
        self.diags.push(Diagnostic::new(key, msg));
    }

    fn section<S: Section>(&mut self, t: &toml::Table, prefix: &str, specs: &[Spec], sec: &mut S) {
        self.dyn_section(t, prefix, specs, sec);
    }

    /// Reads each declared key of `specs` present in `t` into `sec`.
    fn dyn_section(&mut self, t: &toml::Table, prefix: &str, specs: &[Spec], sec: &mut dyn crate::model::DynSection) {
        for s in specs {
            let Some(raw) = t.get(s.key) else { continue };
            let key = join(prefix, s.key);
            self.present.push(key.clone());
            if let Some(v) = self.value(&key, s, raw) {
                let ok = sec.set_value(s.key, v);
                debug_assert!(ok, "{key}: a value of its declared kind");
            }
        }
    }

    /// One value: its kind, then its range. `None` (and a diagnostic) if its kind is
    /// wrong; a value out of range is reported and still returned, so that the
    /// cross-checks see what the file says.
    fn value(&mut self, key: &str, s: &Spec, raw: &Toml) -> Option<Value> {
        match s.kind {
            Kind::Number => {
                let x = self.number(key, raw)?;
                self.range_number(key, s.range, x);
                Some(Value::Number(x))
            }
            Kind::Count { max } => {
                let x = self.count(key, raw, max)?;
                self.range_count(key, s.range, x);
                Some(Value::Count(x))
            }
            Kind::Bool => match raw {
                Toml::Boolean(b) => Some(Value::Bool(*b)),
                other => self.type_fail(key, other, "true or false"),
            },
            Kind::Text | Kind::OrgName => match raw {
                Toml::String(x) => Some(Value::Text(x.clone())),
                other => self.type_fail(key, other, "text in quotes"),
            },
            Kind::Choice(names) => match raw {
                Toml::String(x) if names.contains(&x.as_str()) => Some(Value::Text(x.clone())),
                Toml::String(x) => {
                    let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                    self.fail(key, format!("found \"{x}\", expected one of {}", list.join(", ")));
                    None
                }
                other => self.type_fail(key, other, "one of the names in quotes"),
            },
            Kind::Numbers => {
                let items = self.list(key, raw)?;
                let mut ok = true;
                let mut xs = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    let k = format!("{key}[{i}]");
                    match self.number(&k, x) {
                        Some(x) => {
                            self.range_number(&k, s.range, x);
                            xs.push(x)
                        }
                        None => ok = false,
                    }
                }
                ok.then_some(Value::Numbers(xs))
            }
            Kind::Counts { max } => {
                let items = self.list(key, raw)?;
                let mut ok = true;
                let mut xs = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    let k = format!("{key}[{i}]");
                    match self.count(&k, x, max) {
                        Some(x) => {
                            self.range_count(&k, s.range, x);
                            xs.push(x)
                        }
                        None => ok = false,
                    }
                }
                ok.then_some(Value::Counts(xs))
            }
            Kind::Tables(element) => {
                let items = self.list(key, raw)?;
                let mut ok = true;
                let mut rows = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    let k = format!("{key}[{i}]");
                    let Toml::Table(t) = x else {
                        self.type_fail::<()>(&k, x, "a table");
                        ok = false;
                        continue;
                    };
                    let mut row = Vec::new();
                    for es in element {
                        let Some(raw) = t.get(es.key) else { continue };
                        let ek = format!("{k}.{}", es.key);
                        self.present.push(ek.clone());
                        match self.value(&ek, es, raw) {
                            Some(v) => row.push((es.key, v)),
                            None => ok = false,
                        }
                    }
                    rows.push(row);
                }
                ok.then_some(Value::Tables(rows))
            }
        }
    }

    fn type_fail<T>(&mut self, key: &str, found: &Toml, expected: &str) -> Option<T> {
        self.fail(key, type_error(found, expected));
        None
    }

    fn number(&mut self, key: &str, raw: &Toml) -> Option<f64> {
        match raw {
            Toml::Float(x) => Some(*x),
            Toml::Integer(i) => Some(*i as f64),
            other => self.type_fail(key, other, "a number"),
        }
    }

    fn count(&mut self, key: &str, raw: &Toml, max: u64) -> Option<u64> {
        match raw {
            Toml::Integer(i) if *i >= 0 && (*i as u64) <= max => Some(*i as u64),
            Toml::Integer(i) if *i >= 0 => {
                self.fail(key, format!("found {i}, expected a whole number from 0 to {max}"));
                None
            }
            Toml::Integer(i) => {
                self.fail(key, format!("invalid value: integer `{i}`, expected a whole number of 0 or more"));
                None
            }
            other => self.type_fail(key, other, "a whole number of 0 or more"),
        }
    }

    fn list<'t>(&mut self, key: &str, raw: &'t Toml) -> Option<&'t Vec<Toml>> {
        match raw {
            Toml::Array(a) => Some(a),
            other => self.type_fail(key, other, "a list [ ... ]"),
        }
    }

    fn range_number(&mut self, key: &str, range: Range, x: f64) -> bool {
        let ok = x.is_finite()
            && match range {
                Range::Closed(lo, hi) => (lo..=hi).contains(&x),
                Range::AtLeast(lo) => x >= lo,
                Range::Years => (1.0 / 52.0..=MAX_YEARS).contains(&x),
                Range::Any | Range::Week(_) => true,
            };
        if !ok {
            let expected = match range {
                Range::Closed(lo, hi) => format!("a number from {} to {}", fmt(lo), fmt(hi)),
                Range::AtLeast(lo) => format!("a finite number of at least {}", fmt(lo)),
                Range::Years => format!("a horizon from one week (0.02 years) to {} years", fmt(MAX_YEARS)),
                Range::Any | Range::Week(_) => "a finite number".into(),
            };
            self.fail(key, format!("found {}, expected {expected}", fmt(x)));
        }
        ok
    }

    fn range_count(&mut self, key: &str, range: Range, x: u64) -> bool {
        let v = x as f64;
        let (ok, expected) = match range {
            Range::Closed(lo, hi) => {
                ((lo..=hi).contains(&v), format!("a whole number from {} to {}", fmt(lo), fmt(hi)))
            }
            Range::AtLeast(lo) => (v >= lo, format!("a whole number of at least {}", fmt(lo))),
            Range::Week(from) => (
                x >= u64::from(from) && x <= u64::from(self.plan_weeks),
                format!("a week from {from} to the horizon ({})", self.plan_weeks),
            ),
            Range::Any | Range::Years => (true, String::new()),
        };
        if !ok {
            let found = if matches!(range, Range::Week(_)) { format!("week {x}") } else { x.to_string() };
            self.fail(key, format!("found {found}, expected {expected}"));
        }
        ok
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

/// `invalid type: string "high", expected a number`, in a scenario file's words.
pub fn type_error(found: &Toml, expected: &str) -> String {
    let found = match found {
        Toml::String(s) => format!("string {s:?}"),
        Toml::Integer(i) => format!("integer `{i}`"),
        Toml::Float(x) => format!("number `{x}`"),
        Toml::Boolean(b) => format!("boolean `{b}`"),
        Toml::Datetime(d) => format!("date `{d}`"),
        Toml::Array(_) => "a list".into(),
        Toml::Table(_) => "a table".into(),
    };
    format!("invalid type: {found}, expected {expected}")
}

/// A number as a person writes it: whole numbers without a decimal point.
pub fn fmt(x: f64) -> String {
    if x.is_finite() && x == x.trunc() && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// Every key of the tree that no declaration knows, with a suggestion where one is close.
fn unknown_keys(table: &toml::Table, diags: &mut Vec<Diagnostic>) {
    let mut unknown = Vec::new();
    for (k, v) in table {
        if RunParams::SPECS.iter().any(|s| s.key == k) {
            continue;
        }
        if k == "organizations" {
            if let Toml::Table(orgs) = v {
                for (name, o) in orgs {
                    if let Toml::Table(t) = o {
                        table_keys(t, &format!("organizations.{name}"), ORG_SECTION.specs, &mut unknown);
                    }
                }
            }
            continue;
        }
        match (SECTIONS.iter().find(|s| s.prefix == k), v) {
            (Some(info), Toml::Table(t)) => table_keys(t, info.prefix, info.specs, &mut unknown),
            (Some(_), _) => {}
            (None, _) => unknown.push(k.clone()),
        }
    }
    for key in unknown {
        let hint = suggest(&key).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        diags.push(Diagnostic::new(key, format!("unknown key{hint}")));
    }
}

fn table_keys(t: &toml::Table, prefix: &str, specs: &[Spec], unknown: &mut Vec<String>) {
    for (k, v) in t {
        match specs.iter().find(|s| s.key == k) {
            None => unknown.push(format!("{prefix}.{k}")),
            Some(Spec { kind: Kind::Tables(element), .. }) => {
                if let Toml::Array(items) = v {
                    for (i, x) in items.iter().enumerate() {
                        if let Toml::Table(t) = x {
                            table_keys(t, &format!("{prefix}.{k}[{i}]"), element, unknown);
                        }
                    }
                }
            }
            Some(_) => {}
        }
    }
}
