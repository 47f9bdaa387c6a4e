//! Scenario errors: every problem found, each with the file, line and column, the dotted
//! key, what was found and what is allowed. `Display` prints one problem per line.

use std::fmt;
use std::path::PathBuf;

/// One problem in a scenario file or in a `--set` override.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Dotted TOML path, e.g. `collaboration.transparency`; empty for the whole file.
    pub key: String,
    /// 1-based line and column in the file, when the key is in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The `--set` argument the value came from, if it came from one.
    pub from_override: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { key: key.into(), line: None, column: None, from_override: None, message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{}", render(path, diagnostics))]
    Invalid { path: PathBuf, diagnostics: Vec<Diagnostic> },
    #[error("--set {arg}: {reason}")]
    BadOverride { arg: String, reason: String },
}

impl ScenarioError {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            ScenarioError::Invalid { diagnostics, .. } => diagnostics,
            _ => &[],
        }
    }
}

fn render(path: &std::path::Path, ds: &[Diagnostic]) -> String {
    let mut out = String::new();
    let n = ds.len();
    if n > 1 {
        out.push_str(&format!("{}: {n} problems\n", path.display()));
    }
    for (k, d) in ds.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(&d.to_string_in(path));
    }
    out
}

impl Diagnostic {
    /// `file:line:col: key `a.b`: message` (or `--set a.b=x: ...` for an override).
    pub fn to_string_in(&self, path: &std::path::Path) -> String {
        let mut s = match (&self.from_override, self.line) {
            (Some(arg), _) => format!("--set {arg}"),
            (None, Some(l)) => format!("{}:{}:{}", path.display(), l, self.column.unwrap_or(1)),
            (None, None) => path.display().to_string(),
        };
        if !self.key.is_empty() {
            s.push_str(&format!(": key `{}`", self.key));
        }
        s.push_str(": ");
        s.push_str(&self.message);
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_in(std::path::Path::new("<scenario>")))
    }
}
