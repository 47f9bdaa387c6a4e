//! Every parameter as a reader sees it, from the declarations alone: for `collabsim params`
//! (with its value in a scenario) and for docs/ODD.md's parameter table (generated here;
//! a test keeps the document in step).

use super::load::Scenario;
use super::resolve::fmt;
use super::spec::{RunParams, display};
use crate::model::registry::{Effect, Kind, Range, Section, Spec, Value};
use crate::model::{DynSection, ORG_SECTION, OrgParams, Params, SAVINGS_ITEM_SECTION, SECTIONS, SavingsItem};

/// One parameter: its path, its value in a scenario (if one was given) and its declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamRow {
    pub path: String,
    /// The value in the scenario, if a scenario was given.
    pub value: Option<String>,
    /// The scenario file sets it (rather than taking the default).
    pub in_file: bool,
    pub default: String,
    pub range: String,
    pub unit: &'static str,
    pub meaning: &'static str,
    pub effect: Effect,
    /// A numeric lever's declared plausible range (low, high).
    pub plausible: Option<(f64, f64)>,
    pub source: String,
}

/// A heading with its rows.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamGroup {
    pub title: &'static str,
    pub note: &'static str,
    pub rows: Vec<ParamRow>,
}

fn row(path: String, spec: &Spec, default: Option<Value>, value: Option<Value>, in_file: bool) -> ParamRow {
    ParamRow {
        path,
        value: value.as_ref().map(display),
        in_file,
        default: default.as_ref().map_or_else(|| "-".into(), default_text),
        range: range_text(spec),
        unit: spec.unit,
        meaning: spec.meaning,
        effect: spec.effect,
        plausible: spec.plausible,
        source: spec.source.describe(),
    }
}

fn default_text(v: &Value) -> String {
    match v {
        Value::Unset => "unset".into(),
        Value::Text(s) if s.is_empty() => "\"\"".into(),
        v => display(v),
    }
}

/// The notes `validate` prints: one for each parameter a scenario file sets that changes
/// only what is reported (Model 2.0 declares none; the note is there for any that is).
pub fn report_only_notes(rows: &[ParamRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.in_file && r.effect == Effect::Reported)
        .map(|r| format!("the file sets `{}`, which changes only what is reported: {}", r.path, r.meaning))
        .collect()
}

/// The allowed values in words: `0 to 1`, `at least 0`, the names of a choice.
pub fn range_text(spec: &Spec) -> String {
    match (spec.kind, spec.range) {
        (Kind::Choice(names), _) => names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
        (Kind::Bool, _) => "true, false".into(),
        (Kind::OrgName, _) => "an organization's name".into(),
        (Kind::Tables(_), _) => "tables, below".into(),
        (_, Range::Closed(lo, hi)) => format!("{} to {}", fmt(lo), fmt(hi)),
        (_, Range::AtLeast(lo)) => format!("at least {}", fmt(lo)),
        (_, Range::Week(from)) => format!("week {from} to the horizon"),
        (_, Range::Years) => "one week (1/52) to 200".into(),
        (Kind::Count { .. }, Range::Any) => "any whole number".into(),
        (_, Range::Any) => "any".into(),
    }
}

fn section_rows(
    prefix: &str,
    specs: &[Spec],
    default: &dyn DynSection,
    now: Option<&dyn DynSection>,
    sc: Option<&Scenario>,
) -> Vec<ParamRow> {
    let mut rows = Vec::new();
    for s in specs {
        let path = if prefix.is_empty() { s.key.to_string() } else { format!("{prefix}.{}", s.key) };
        rows.push(row(path.clone(), s, default.value(s.key), now.and_then(|n| n.value(s.key)), in_file(sc, &path)));
    }
    rows
}

fn in_file(sc: Option<&Scenario>, path: &str) -> bool {
    sc.is_some_and(|sc| sc.file_keys.iter().any(|k| k == path || k.starts_with(&format!("{path}["))))
}

/// Every parameter, grouped as the file is, with its value in `sc` if given. Without a
/// scenario, partners appear once as `organizations.<NAME>` and the savings plan's items as
/// `savings.items[]`; with one, each partner and item is listed.
pub fn groups(sc: Option<&Scenario>) -> Vec<ParamGroup> {
    let run_now = sc.map(|s| &s.spec.run as &dyn DynSection);
    let mut out = vec![ParamGroup {
        title: RunParams::TITLE,
        note: "",
        rows: section_rows("", RunParams::SPECS, &RunParams::default(), run_now, sc),
    }];
    let defaults = Params::default();
    let now: Option<&Params> = sc.map(|s| &s.spec.params);
    let now_sections = now.map(|p| p.sections());
    for (k, (info, default)) in SECTIONS.iter().zip(defaults.sections()).enumerate() {
        let cur = now_sections.as_ref().map(|s| s[k]);
        out.push(ParamGroup {
            title: info.title,
            note: info.note,
            rows: section_rows(info.prefix, info.specs, default, cur, sc),
        });
        if info.prefix == "savings" {
            let items: Vec<(String, Option<&SavingsItem>)> = match now {
                Some(p) => p
                    .savings
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| (format!("savings.items[{i}]"), Some(it)))
                    .collect(),
                None => vec![("savings.items[]".into(), None)],
            };
            for (prefix, it) in items {
                out.push(ParamGroup {
                    title: SAVINGS_ITEM_SECTION.title,
                    note: "",
                    rows: section_rows(
                        &prefix,
                        SAVINGS_ITEM_SECTION.specs,
                        &SavingsItem::default(),
                        it.map(|x| x as &dyn DynSection),
                        sc,
                    ),
                });
            }
        }
    }
    let orgs: Vec<(String, Option<&OrgParams>)> = match now {
        Some(p) => {
            p.org_names.iter().zip(&p.organizations).map(|(n, o)| (format!("organizations.{n}"), Some(o))).collect()
        }
        None => vec![(ORG_SECTION.prefix.to_string(), None)],
    };
    for (prefix, o) in orgs {
        out.push(ParamGroup {
            title: ORG_SECTION.title,
            note: ORG_SECTION.note,
            rows: section_rows(&prefix, ORG_SECTION.specs, &OrgParams::default(), o.map(|x| x as &dyn DynSection), sc),
        });
    }
    out
}

/// docs/ODD.md's parameter tables (section 7.16), generated from the declarations.
pub fn odd_markdown() -> String {
    let mut md = String::new();
    for g in groups(None) {
        md.push_str(&format!("**{}**", g.title));
        if !g.note.is_empty() {
            md.push_str(&format!(". {}", g.note));
        }
        md.push_str(
            "\n\n| key | meaning | unit | default | range | effect | source |\n|---|---|---|---|---|---|---|\n",
        );
        for r in g.rows {
            md.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} |\n",
                r.path,
                cell(r.meaning),
                cell(r.unit),
                cell(&r.default),
                cell(&r.range),
                effect_text(&r),
                cell(&r.source)
            ));
        }
        md.push('\n');
    }
    md
}

/// The effect in words, with a lever's plausible range: "policy lever; plausible 0.1 to 0.6".
pub fn effect_text(r: &ParamRow) -> String {
    match r.plausible {
        Some((lo, hi)) => format!("{}; plausible {} to {}", r.effect.describe(), fmt(lo), fmt(hi)),
        None => r.effect.describe().to_string(),
    }
}

/// Markdown table cells cannot hold a bare `|`.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The declaration of the parameter at a dotted path: a run key (`years`), a section's key
/// (`leadership.turnover_per_year`), a partner's (`organizations.PF1.staff`) or a savings
/// item's (`savings.items[0].annual_gbp`). `None` if the path names no declared parameter
/// (whether the partner or the item exists is the scenario's business).
pub fn spec_at(path: &str) -> Option<Spec> {
    if let Some(s) = RunParams::SPECS.iter().find(|s| s.key == path) {
        return Some(*s);
    }
    let find = |specs: &[Spec], key: &str| specs.iter().find(|s| s.key == key).copied();
    if let Some(rest) = path.strip_prefix("organizations.") {
        let (name, key) = rest.split_once('.')?;
        return if name.is_empty() || key.contains('.') { None } else { find(ORG_SECTION.specs, key) };
    }
    if let Some(rest) = path.strip_prefix("savings.items[") {
        let (index, key) = rest.split_once("].")?;
        return if index.parse::<usize>().is_err() { None } else { find(SAVINGS_ITEM_SECTION.specs, key) };
    }
    let (prefix, key) = path.split_once('.')?;
    find(SECTIONS.iter().find(|i| i.prefix == prefix)?.specs, key)
}

/// Whether `path` is one of the run keys (`name`, `seed`, `replicates`, ...), which say how
/// to run rather than what is simulated.
pub fn is_run_key(path: &str) -> bool {
    RunParams::SPECS.iter().any(|s| s.key == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_their_declarations() {
        let range = |p: &str| spec_at(p).map(|s| s.range);
        assert_eq!(range("leadership.new_leader_commitment"), Some(Range::Closed(0.0, 1.0)));
        assert_eq!(range("leadership.new_leader_spread"), Some(Range::Closed(0.0, 0.5)));
        assert_eq!(spec_at("organizations.PF1.staff").map(|s| s.key), Some("staff"));
        assert_eq!(spec_at("savings.items[2].annual_gbp").map(|s| s.key), Some("annual_gbp"));
        assert_eq!(spec_at("years").map(|s| s.key), Some("years"));
        for bad in
            ["leadership.nope", "nope.turnover_per_year", "organizations..staff", "savings.items[x].annual_gbp", "x"]
        {
            assert_eq!(spec_at(bad), None, "{bad}");
        }
        assert!(is_run_key("seed") && !is_run_key("leadership.turnover_per_year"));
    }

    /// A note for a report-only key the file sets, and for nothing else.
    #[test]
    fn validate_notes_only_report_only_keys_the_file_sets() {
        let base = ParamRow {
            path: "a.b".into(),
            value: None,
            in_file: true,
            default: "0".into(),
            range: "0 to 1".into(),
            unit: "0..1",
            meaning: "what it means",
            effect: Effect::Reported,
            plausible: None,
            source: "-".into(),
        };
        let default_only = ParamRow { path: "a.c".into(), in_file: false, ..base.clone() };
        let acts = ParamRow { path: "a.d".into(), effect: Effect::Outcome, ..base.clone() };
        let notes = report_only_notes(&[default_only, base, acts]);
        assert_eq!(notes, vec!["the file sets `a.b`, which changes only what is reported: what it means".to_string()]);
        // Every shipped scenario sets only parameters that act on the model (or run keys).
        let rows: Vec<ParamRow> = groups(None).into_iter().flat_map(|g| g.rows).collect();
        assert!(
            rows.iter().all(|r| r.effect != Effect::Reported),
            "the README says no parameter is report-only: update it"
        );
    }
}
