//! `collabsim reproduce MANIFEST`: re-run the command a manifest.json records, into a
//! temporary folder, and report for every file it lists whether the new bytes are identical.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::args::ReproduceArgs;

/// The recorded arguments without the program name and without `--out DIR` (and the
/// progress bar off), so that they can run again elsewhere.
fn rerun_args(command: &[String]) -> Vec<String> {
    let mut v = Vec::new();
    let mut skip = false;
    for a in command.iter().skip(1) {
        if skip {
            skip = false;
            continue;
        }
        match a.as_str() {
            "--out" | "-o" => skip = true,
            s if s.starts_with("--out=") => {}
            "--quiet" | "-q" | "--resume" => {}
            _ => v.push(a.clone()),
        }
    }
    v.push("--quiet".into());
    v
}

fn sha256(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| Sha256::digest(&b).iter().map(|x| format!("{x:02x}")).collect())
}

/// The `files` object (name to SHA-256) of a manifest.json, if it is one.
fn file_hashes(path: &Path) -> Option<Value> {
    let m: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    Some(m["files"].clone()).filter(Value::is_object)
}

pub fn reproduce(a: ReproduceArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&a.manifest).with_context(|| format!("cannot read {}", a.manifest.display()))?;
    let m: Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{}: not a manifest.json", a.manifest.display()))?;
    let command: Vec<String> = m["command"]
        .as_array()
        .map(|v| v.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .filter(|v: &Vec<String>| v.len() >= 2)
        .with_context(|| format!("{}: no recorded command", a.manifest.display()))?;
    let files = m["files"].as_object().with_context(|| format!("{}: no file hashes", a.manifest.display()))?;
    if command.get(1).is_some_and(|c| c == "merge") {
        bail!(
            "{} records a merge of shards; reproduce the sweep itself (its manifest, or `collabsim sweep EXPERIMENT`)",
            a.manifest.display()
        );
    }
    let recorded_dir = m["working_directory"].as_str().map(PathBuf::from).filter(|d| d.is_dir());
    let cwd = recorded_dir.unwrap_or(std::env::current_dir()?);
    let tmp = tempfile::Builder::new()
        .prefix("collabsim-reproduce-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let mut args = rerun_args(&command);
    args.push("--out".into());
    args.push(tmp.path().display().to_string());
    if !a.quiet {
        println!("re-running in {}: collabsim {}", cwd.display(), args.join(" "));
    }
    let status = Command::new(std::env::current_exe().context("cannot find the collabsim executable")?)
        .current_dir(&cwd)
        .args(&args)
        .status()
        .context("cannot start collabsim")?;
    if !status.success() {
        bail!("the recorded command failed when run again ({status})");
    }
    if m["crate_version"].as_str() != Some(env!("CARGO_PKG_VERSION")) {
        println!("note: recorded with collabsim {}, re-run with {}", m["crate_version"], env!("CARGO_PKG_VERSION"));
    }
    let mut differ = Vec::new();
    let recorded_folder = a.manifest.parent().unwrap_or(Path::new("."));
    for (name, want) in files {
        let got = sha256(&tmp.path().join(name));
        let mut same = got.as_deref() == want.as_str();
        // A nested manifest (an arm of a comparison) records where and when it was made
        // (commit, command, folder) beside its files' hashes; it differs in a re-run by
        // design. Its results are those hashes: compare them with the recorded copy's.
        let provenance_only = !same
            && name.ends_with("/manifest.json")
            && file_hashes(&recorded_folder.join(name)).is_some_and(|h| Some(h) == file_hashes(&tmp.path().join(name)));
        same |= provenance_only;
        if !a.quiet {
            println!(
                "  {} {name}",
                if provenance_only {
                    "same file hashes (its commit, command or folder differ)"
                } else if same {
                    "identical"
                } else if got.is_none() {
                    "MISSING  "
                } else {
                    "DIFFERS  "
                }
            );
        }
        if !same {
            differ.push(name.clone());
        }
    }
    if !differ.is_empty() {
        bail!("{} of {} files differ from the manifest: {}", differ.len(), files.len(), differ.join(", "));
    }
    if !a.quiet {
        let nested = files.keys().filter(|k| k.ends_with("/manifest.json")).count();
        if nested > 0 {
            println!(
                "all {} files are byte-identical ({nested} nested manifests: their recorded file hashes)",
                files.len()
            );
        } else {
            println!("all {} files are byte-identical", files.len());
        }
    }
    Ok(())
}
