//! 'Save this comparison': the question run through `compare` itself, into a temporary
//! folder, with the equivalent command line recorded as the command that made it (its
//! `--out` named in the report's reproduce line). The page downloads the report.html and
//! manifest.json that come out, which are byte for byte what that command writes, so that
//! `collabsim reproduce manifest.json` re-runs it and finds the same files.

use anyhow::{Context, bail};
use serde_json::json;

use super::question::Checked;
use crate::app::compare::{CompareRequest, compare};
use crate::app::{Exec, Silent};

/// The files of the comparison `c` asks for: `{folder, command, files: {name: text}}`.
pub fn save(c: &Checked, threads: Option<usize>) -> anyhow::Result<serde_json::Value> {
    if !c.has_variant() {
        bail!("nothing to save yet: move a lever first, so that there is a variant to compare with the baseline");
    }
    let named = c.argv.iter().skip_while(|a| *a != "--out").nth(1).cloned().context("the command names its --out")?;
    let tmp =
        tempfile::Builder::new().prefix("collabsim-serve-").tempdir().context("cannot create a temporary folder")?;
    let out = tmp.path().join("comparison");
    let req = CompareRequest { out: Some(out.clone()), report_out: Some(named.clone().into()), ..c.request.clone() };
    let mut exec = Exec::new(threads, &Silent, None)?;
    exec.command = c.argv.clone();
    compare(&req, &exec)?;
    let read = |name: &str| std::fs::read_to_string(out.join(name)).with_context(|| format!("cannot read {name}"));
    Ok(json!({
        "folder": named,
        "command": c.command(),
        "files": { "report.html": read("report.html")?, "manifest.json": read("manifest.json")? },
    }))
}
