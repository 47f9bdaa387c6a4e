//! Reading a scenario: the file (size, UTF-8, TOML syntax), then the declarations resolve
//! it (`resolve`), once as written and once with the `--set` overrides applied: a file is
//! valid or not whatever the flags, and an override's own mistakes are blamed on it. Every
//! problem comes back at once, located in the file or on the override.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::de::DeTable;

use super::error::{Diagnostic, ScenarioError};
use super::overrides::apply_overrides;
use super::resolve::resolve;
use super::spans::SpanIndex;
use super::spec::{RunSpec, horizon_weeks};

/// Scenario files larger than this are refused before reading (they are a few KB).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// A scenario ready to run: where it came from (file, hash, overrides), the keys the file
/// itself sets, and the resolved run specification.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub path: PathBuf,
    pub sha256: String,
    pub overrides: Vec<String>,
    /// Dotted keys the file sets (not the overrides), in file order.
    pub file_keys: Vec<String>,
    pub spec: RunSpec,
    /// Parameter sets spread over the replicates (`--ensemble`): replicate i runs with set
    /// i mod n instead of `spec.params`. `None` for a plain run.
    pub ensemble: Option<super::ensemble::EnsembleSets>,
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
    let (spec, file_keys) = parse(path, &text, overrides)?;
    Ok(Scenario { path: path.to_path_buf(), sha256, overrides: overrides.to_vec(), file_keys, spec, ensemble: None })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses scenario text (as if read from `path`) with overrides; see [`load`].
pub fn parse_str(path: &Path, text: &str, overrides: &[String]) -> Result<RunSpec, ScenarioError> {
    parse(path, text, overrides).map(|(spec, _)| spec)
}

/// As [`parse_str`], also returning the keys the file sets.
fn parse(path: &Path, text: &str, overrides: &[String]) -> Result<(RunSpec, Vec<String>), ScenarioError> {
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
    let table: toml::Table = toml::from_str(text).map_err(|e| invalid(vec![Diagnostic::new("", e.message())]))?;

    // The file as written: valid on its own, its plan within its own horizon.
    let (file, file_keys) = resolve(&table, None);
    let (mut result, mut diags) = match file {
        Ok(spec) => (Some(spec), Vec::new()),
        Err(d) => (None, d),
    };
    if !overrides.is_empty() {
        let mut with = table.clone();
        let overridden = apply_overrides(&mut with, overrides)?;
        // The plan must fit the file's horizon, not a shorter one asked for by a flag.
        let file_weeks = match table.get("years") {
            Some(toml::Value::Float(y)) => Some(horizon_weeks(*y)),
            Some(toml::Value::Integer(y)) => Some(horizon_weeks(*y as f64)),
            _ => None,
        };
        let (run, _) = resolve(&with, file_weeks);
        result = None;
        match run {
            Ok(spec) if diags.is_empty() => result = Some(spec),
            Ok(_) => {}
            Err(more) => {
                // The file's own problems are already listed; a problem at an overridden key is
                // that override's; any other new problem is the override that causes it on its
                // own, or else the overrides together.
                for mut d in more {
                    let blamed = overridden.iter().find(|(k, _)| {
                        d.key == **k || d.key.starts_with(&format!("{k}.")) || d.key.starts_with(&format!("{k}["))
                    });
                    if let Some((_, arg)) = blamed {
                        d.from_override = Some(arg.clone());
                    } else if diags.iter().any(|x| x.key == d.key && x.message == d.message) {
                        continue;
                    } else {
                        d.from_override = Some(culprit(&table, overrides, file_weeks, &d));
                    }
                    diags.push(d);
                }
            }
        }
    }
    if diags.is_empty() {
        return Ok((result.expect("no diagnostics means the scenario resolved"), file_keys));
    }
    for d in &mut diags {
        if d.from_override.is_none()
            && let Some((l, c)) = index.locate(&d.key)
        {
            (d.line, d.column) = (Some(l), Some(c));
        }
    }
    // The file's problems in file order, then the overrides' in the order they were given.
    let given =
        |d: &Diagnostic| d.from_override.as_ref().map(|a| overrides.iter().position(|o| a.starts_with(o.as_str())));
    diags.sort_by_key(|d| (d.from_override.is_some(), d.line.unwrap_or(0), d.column.unwrap_or(0), given(d)));
    Err(invalid(diags))
}

/// The override that alone causes `d`, or all of them (joined as they would be typed) if
/// none does alone.
fn culprit(table: &toml::Table, overrides: &[String], file_weeks: Option<u32>, d: &Diagnostic) -> String {
    let alone = overrides.iter().find(|arg| {
        let mut with = table.clone();
        apply_overrides(&mut with, std::slice::from_ref(arg)).is_ok()
            && resolve(&with, file_weeks)
                .0
                .err()
                .is_some_and(|ds| ds.iter().any(|x| x.key == d.key && x.message == d.message))
    });
    alone.cloned().unwrap_or_else(|| overrides.join(" --set "))
}
