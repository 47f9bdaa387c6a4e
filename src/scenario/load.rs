//! Reading a scenario: the file (size, UTF-8, TOML syntax), `--set` overrides applied to
//! the parsed tree, deserialization into the raw structs (collecting every unknown key),
//! then validation. Every problem comes back at once, located in the file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::de::DeTable;

use super::error::{Diagnostic, ScenarioError};
use super::raw::{RawOrg, RawSavingsItem, RawScenario};
use super::spans::SpanIndex;
use super::validate::validate_with_plan_years;
use crate::model::Params;

/// Scenario files larger than this are refused before reading (they are a few KB).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// A scenario ready to run: where it came from, the resolved raw values (defaults and
/// overrides applied) and the model's typed parameters.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub path: PathBuf,
    pub sha256: String,
    pub overrides: Vec<String>,
    pub raw: RawScenario,
    pub params: Params,
}

impl Scenario {
    /// The file name without extension, used for the default output folder.
    pub fn stem(&self) -> String {
        self.path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
    }
}

/// Reads, parses, overrides and validates a scenario file.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let read_err = |reason: String| ScenarioError::Read { path: path.to_path_buf(), reason };
    let meta = fs::metadata(path).map_err(|e| read_err(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(read_err("is a directory; expected a scenario .toml file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(read_err(format!(
            "file is {:.1} MB; scenario files may be at most {} KB",
            meta.len() as f64 / 1e6,
            MAX_FILE_BYTES / 1024
        )));
    }
    let bytes = fs::read(path).map_err(|e| read_err(io_reason(&e)))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        read_err(format!("not valid UTF-8 (line {line}); scenario files are UTF-8 TOML"))
    })?;
    let (raw, params) = parse_str(path, &text, overrides)?;
    Ok(Scenario { path: path.to_path_buf(), sha256, overrides: overrides.to_vec(), raw, params })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses scenario text (as if read from `path`) with overrides; see [`load`].
pub fn parse_str(path: &Path, text: &str, overrides: &[String]) -> Result<(RawScenario, Params), ScenarioError> {
    let invalid = |diagnostics| ScenarioError::Invalid { path: path.to_path_buf(), diagnostics };
    if text.trim().is_empty() {
        return Err(invalid(vec![Diagnostic::new(
            "",
            "the file is empty; a scenario needs at least two [organizations.NAME] tables with `staff`",
        )]));
    }
    let (doc, syntax) = DeTable::parse_recoverable(text);
    let index = SpanIndex::new(text, Some(doc.get_ref()));
    if !syntax.is_empty() {
        let diags = syntax
            .iter()
            .map(|e| {
                let mut d = Diagnostic::new("", format!("not valid TOML: {}", e.message()));
                if let Some(s) = e.span() {
                    let (l, c) = index.line_col(s.start);
                    (d.line, d.column) = (Some(l), Some(c));
                }
                d
            })
            .collect();
        return Err(invalid(diags));
    }
    let mut table: toml::Table = toml::from_str(text).map_err(|e| invalid(vec![Diagnostic::new("", e.message())]))?;
    // The file's own horizon, before overrides: its planned weeks must fit it (see validate).
    let file_years = match table.get("years") {
        Some(toml::Value::Float(y)) => *y,
        Some(toml::Value::Integer(y)) => *y as f64,
        _ => RawScenario::default().years,
    };
    let overridden = apply_overrides(&mut table, overrides)?;

    let mut diags = Vec::new();
    let mut unknown = Vec::new();
    let mut note_unknown = |p: serde_ignored::Path<'_>| unknown.push(ignored_path(&p));
    let de = serde_ignored::Deserializer::new(toml::Value::Table(table), &mut note_unknown);
    let raw: Result<RawScenario, _> = serde_path_to_error::deserialize(de);
    for key in unknown {
        let hint = suggest(&key).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        diags.push(Diagnostic::new(key, format!("unknown key{hint}")));
    }
    let result = match raw {
        Err(e) => {
            diags.push(Diagnostic::new(e.path().to_string(), plain_type_message(e.inner().message())));
            None
        }
        Ok(raw) => match validate_with_plan_years(&raw, file_years) {
            Ok(params) => Some((raw, params)),
            Err(mut v) => {
                diags.append(&mut v);
                None
            }
        },
    };
    if diags.is_empty() {
        return Ok(result.expect("no diagnostics means validation succeeded"));
    }
    for d in &mut diags {
        if let Some(arg) = overridden.iter().find(|(k, _)| d.key == **k || d.key.starts_with(&format!("{k}."))) {
            d.from_override = Some(arg.1.clone());
        } else if let Some((l, c)) = index.locate(&d.key) {
            (d.line, d.column) = (Some(l), Some(c));
        }
    }
    diags.sort_by_key(|d| (d.from_override.is_some(), d.line.unwrap_or(0), d.column.unwrap_or(0)));
    Err(invalid(diags))
}

/// serde's type errors in the words of a scenario file: `f64` is 'a number', `u32` a whole
/// number, a map a table, a sequence a list.
fn plain_type_message(m: &str) -> String {
    let mut m = m.to_string();
    for (rust, plain) in [
        ("expected f64", "expected a number"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected a boolean", "expected true or false"),
        ("expected a map", "expected a table"),
        ("expected a sequence", "expected a list [ ... ]"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: a table"),
        ("floating point", "number"),
    ] {
        m = m.replace(rust, plain);
    }
    m
}

/// `serde_ignored` paths as dotted TOML keys with `[i]` for array elements.
fn ignored_path(p: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path as P;
    match p {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}[{index}]", ignored_path(parent)),
        P::Map { parent, key } => {
            let head = ignored_path(parent);
            if head.is_empty() { key.clone() } else { format!("{head}.{key}") }
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => ignored_path(parent),
    }
}

/// Applies `key.path=value` overrides to the parsed tree. The value is read as a TOML
/// value (`0.5`, `true`, `[1, 2]`, `"text"`), or taken as a bare string if it is not one.
/// Returns the overridden keys with the argument each came from.
pub fn apply_overrides(
    table: &mut toml::Table,
    overrides: &[String],
) -> Result<BTreeMap<String, String>, ScenarioError> {
    let mut done = BTreeMap::new();
    for arg in overrides {
        let bad = |reason: &str| ScenarioError::BadOverride { arg: arg.clone(), reason: reason.into() };
        let (key, value) =
            arg.split_once('=').ok_or_else(|| bad("expected KEY.PATH=VALUE, e.g. collaboration.transparency=0.3"))?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(bad("the key must be a dotted path such as leadership.turnover_per_year"));
        }
        let parsed = toml::from_str::<toml::Table>(&format!("v = {}", value.trim()))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.trim().to_string()));
        let mut parts: Vec<&str> = key.split('.').collect();
        let last = parts.pop().expect("non-empty key");
        let mut cur = &mut *table;
        let mut walked = String::new();
        for part in parts {
            let (name, index) = split_index(part).map_err(|r| bad(&r))?;
            walked = if walked.is_empty() { name.to_string() } else { format!("{walked}.{name}") };
            let entry = cur.entry(name.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let entry = match index {
                None => entry,
                Some(i) => element(entry, i, &walked).map_err(|r| bad(&r))?,
            };
            cur = entry
                .as_table_mut()
                .ok_or_else(|| bad(&format!("`{walked}` is a value, not a table, so it has no `{last}`")))?;
        }
        let (name, index) = split_index(last).map_err(|r| bad(&r))?;
        match index {
            None => {
                cur.insert(name.to_string(), parsed);
            }
            Some(i) => {
                let full = if walked.is_empty() { name.to_string() } else { format!("{walked}.{name}") };
                let entry = cur.get_mut(name).ok_or_else(|| bad(&format!("`{full}` is not in the scenario")))?;
                *element(entry, i, &full).map_err(|r| bad(&r))? = parsed;
            }
        }
        done.insert(key.to_string(), arg.clone());
    }
    Ok(done)
}

/// `items[2]` as (`items`, Some(2)); `items` as (`items`, None).
fn split_index(part: &str) -> Result<(&str, Option<usize>), String> {
    let Some(open) = part.find('[') else { return Ok((part, None)) };
    let index = part[open + 1..]
        .strip_suffix(']')
        .and_then(|i| i.parse::<usize>().ok())
        .ok_or_else(|| format!("`{part}`: an array element is written NAME[INDEX], e.g. savings.items[0]"))?;
    Ok((&part[..open], Some(index)))
}

/// Element `i` of the array at `path` (which must exist: overrides change entries, not add them).
fn element<'a>(value: &'a mut toml::Value, i: usize, path: &str) -> Result<&'a mut toml::Value, String> {
    let arr = value.as_array_mut().ok_or_else(|| format!("`{path}` is not an array, so it has no [{i}]"))?;
    let n = arr.len();
    arr.get_mut(i).ok_or_else(|| match n {
        0 => format!("`{path}` has no entries, so it has no [{i}]"),
        _ => format!("`{path}` has {n} entries, [0] to [{}], not [{i}]", n - 1),
    })
}

/// The closest known key to an unknown one, from the defaults' own key list.
fn suggest(unknown: &str) -> Option<String> {
    let mut sample = RawScenario::default();
    sample.organizations.insert("ORG".into(), RawOrg::default());
    sample.savings.items.push(RawSavingsItem::default());
    let tree = serde_json::to_value(&sample).ok()?;
    let (parent, leaf) = match unknown.rfind('.') {
        Some(i) => (&unknown[..i], &unknown[i + 1..]),
        None => ("", unknown),
    };
    let mut node = &tree;
    let segs: Vec<&str> = if parent.is_empty() { vec![] } else { parent.split('.').collect() };
    for (k, seg) in segs.iter().enumerate() {
        let seg = seg.split('[').next().unwrap_or(seg);
        node = match node.get(seg) {
            Some(n) => n,
            None if k == 1 && segs[0] == "organizations" => node.get("ORG")?,
            None => return None,
        };
        if let Some(arr) = node.as_array() {
            node = arr.first()?;
        }
    }
    let best =
        node.as_object()?.keys().map(|k| (strsim::jaro_winkler(k, leaf), k)).max_by(|a, b| a.0.total_cmp(&b.0))?;
    let full = if parent.is_empty() { best.1.clone() } else { format!("{parent}.{}", best.1) };
    (best.0 > 0.8).then_some(full)
}
