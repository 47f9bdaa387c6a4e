//! `reproduce MANIFEST`: re-run the command a manifest.json records, into a temporary
//! folder, and compare every file it lists with the recorded SHA-256. The command runs as a
//! child process of the collabsim executable given, exactly as it was typed, in the
//! checkout that holds the manifest (the nearest folder above it that holds the recorded
//! input files with their recorded hashes), so that a copied or moved result re-runs against
//! its own inputs. A comparison arm's manifest re-runs that arm alone.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use super::manifest::{Inputs, Manifest, read_manifest, sha256_file};

/// A reproduction about to run: the manifest, the arguments and the folder to run in.
pub struct Rerun {
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    /// The recorded arguments, without the program, `--out` and `--quiet`/`--resume`.
    pub args: Vec<String>,
    /// Where the command runs: see [`Rerun::why`].
    pub cwd: PathBuf,
    /// Why `cwd` was chosen, in words.
    pub why: String,
    /// For a comparison arm: its folder, where the re-run writes the files to compare.
    pub arm: Option<String>,
}

/// How one file came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    Identical,
    /// A nested manifest (a comparison's arm) whose recorded file hashes match; its
    /// command, folder or commit differ by design.
    SameFileHashes,
    Differs,
    Missing,
}

impl FileStatus {
    pub fn ok(self) -> bool {
        matches!(self, FileStatus::Identical | FileStatus::SameFileHashes)
    }
}

/// Every listed file and how it came out, in the manifest's order.
pub struct Reproduction {
    pub files: Vec<(String, FileStatus)>,
}

impl Reproduction {
    pub fn differing(&self) -> Vec<&str> {
        self.files.iter().filter(|(_, s)| !s.ok()).map(|(n, _)| n.as_str()).collect()
    }
}

/// The recorded arguments without the program name and without `--out DIR` (and the
/// progress bar off), so that they can run again elsewhere.
/// A comparison's report names its `--out` in the reproduce line, so the re-run is told the
/// recorded folder (`--report-out`) while it writes elsewhere.
fn rerun_args(command: &[String]) -> Vec<String> {
    let mut v = Vec::new();
    let mut out = None;
    let mut args = command.iter().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" | "-o" => out = args.next().cloned(),
            s if s.starts_with("--out=") => out = Some(s["--out=".len()..].to_string()),
            "--quiet" | "-q" | "--resume" => {}
            _ => v.push(a.clone()),
        }
    }
    if let Some(o) = out.filter(|_| v.first().is_some_and(|c| c == "compare")) {
        v.extend(["--report-out".to_string(), o]);
    }
    v.push("--quiet".into());
    v
}

/// Reads `manifest` and works out how to run its command again.
pub fn prepare(manifest: &Path) -> anyhow::Result<Rerun> {
    let m = read_manifest(manifest)?;
    if m.command.len() < 2 {
        bail!("{}: no recorded command", manifest.display());
    }
    if m.command[1] == "merge" {
        bail!(
            "{} records a merge of shards; reproduce the sweep itself (its manifest, or `collabsim sweep EXPERIMENT`)",
            manifest.display()
        );
    }
    let mut args = rerun_args(&m.command);
    let arm = m.arm_of.as_ref().map(|a| a.folder.clone());
    if let Some(folder) = &arm {
        args.extend(["--reproduce-arm".to_string(), folder.clone()]);
    } else if m.command[1] == "compare" && matches!(m.inputs, Inputs::Run(_)) {
        // An arm written before arm manifests said which arm they are.
        let parent = manifest.parent().and_then(Path::parent).unwrap_or(Path::new(".")).join("manifest.json");
        bail!(
            "{} is one arm of a comparison (it records the whole `compare` command, not this arm alone); reproduce the comparison instead: collabsim reproduce {}",
            manifest.display(),
            parent.display()
        );
    }
    // An arm re-runs the whole comparison's command, so it needs all of its inputs.
    let parent = m
        .arm_of
        .as_ref()
        .and_then(|a| read_manifest(&manifest.parent().unwrap_or(Path::new(".")).join(&a.comparison_manifest)).ok());
    let inputs = relative_inputs(&parent.as_ref().unwrap_or(&m).inputs);
    let (cwd, why) = checkout(manifest, &m.working_directory, &inputs)?;
    Ok(Rerun { manifest_path: manifest.to_path_buf(), args, cwd, why, arm, manifest: m })
}

/// The input files a manifest records by relative path, with their hashes where recorded.
fn relative_inputs(inputs: &Inputs) -> Vec<(String, Option<String>)> {
    let mut v = Vec::new();
    let mut scenario = |s: &super::manifest::ScenarioInputs| {
        v.push((s.scenario_file.clone(), Some(s.scenario_sha256.clone())));
        if let Some(e) = &s.ensemble {
            v.push((e.file.clone(), Some(e.sha256.clone())));
        }
    };
    match inputs {
        Inputs::Run(s) => scenario(s),
        Inputs::Levers { scenario: s, .. } => scenario(s),
        Inputs::Compare { baseline, variants } => {
            scenario(baseline);
            variants.iter().for_each(scenario);
        }
        Inputs::Sweep(s) => {
            v.push((s.experiment.clone(), None));
            if let Some(e) = &s.ensemble {
                v.push((e.file.clone(), Some(e.sha256.clone())));
            }
        }
        Inputs::Calibrate(c) => {
            v.push((c.calibration_file.clone(), Some(c.calibration_sha256.clone())));
            v.extend(c.scenarios.iter().map(|f| (f.file.clone(), Some(f.sha256.clone()))));
        }
    }
    v.retain(|(f, _)| !f.is_empty() && Path::new(f).is_relative());
    v
}

/// Whether `dir` holds every input: `None` if one is missing, else whether every recorded
/// hash matches.
fn holds(dir: &Path, inputs: &[(String, Option<String>)]) -> Option<bool> {
    let mut same = true;
    for (f, hash) in inputs {
        let p = dir.join(f);
        if !p.is_file() {
            return None;
        }
        if let Some(h) = hash {
            same &= sha256_file(&p).ok().as_deref() == Some(h.as_str());
        }
    }
    Some(same)
}

/// The folder to re-run in: the nearest folder above the manifest that holds the recorded
/// inputs with their recorded hashes (the checkout the result belongs to, wherever it was
/// copied or moved), else the recorded working folder or the current one if they do; else
/// the nearest that holds them at all (the re-run then shows what changed), else the
/// recorded folder if it exists, else the current one.
fn checkout(
    manifest: &Path,
    working_directory: &str,
    inputs: &[(String, Option<String>)],
) -> anyhow::Result<(PathBuf, String)> {
    let here = std::env::current_dir().context("cannot read the current folder")?;
    let folder = here.join(manifest).parent().map(Path::to_path_buf).unwrap_or_else(|| here.clone());
    let folder = folder.canonicalize().unwrap_or(folder);
    let recorded = PathBuf::from(working_directory);
    let mut candidates: Vec<PathBuf> = folder.ancestors().map(Path::to_path_buf).collect();
    candidates.extend([recorded.clone(), here.clone()]);
    if let Some(d) = candidates.iter().find(|d| holds(d, inputs) == Some(true)) {
        let why = if inputs.is_empty() {
            "the folder of the manifest (its inputs are absolute paths)".to_string()
        } else {
            format!("it holds the recorded {} with the recorded SHA-256", names(inputs))
        };
        return Ok((d.clone(), why));
    }
    if let Some(d) = candidates.iter().find(|d| holds(d, inputs).is_some()) {
        return Ok((
            d.clone(),
            format!("it holds {}, but not with the recorded SHA-256: expect differences", names(inputs)),
        ));
    }
    if recorded.is_dir() {
        return Ok((
            recorded,
            format!("the recorded working folder; no folder above the manifest holds {}", names(inputs)),
        ));
    }
    Ok((
        here,
        format!(
            "the current folder; neither the recorded one nor any folder above the manifest holds {}",
            names(inputs)
        ),
    ))
}

fn names(inputs: &[(String, Option<String>)]) -> String {
    inputs.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(", ")
}

/// Runs `r` with the executable `exe` into a temporary folder and compares the files.
pub fn execute(r: &Rerun, exe: &Path) -> anyhow::Result<Reproduction> {
    let tmp = tempfile::Builder::new()
        .prefix("collabsim-reproduce-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let mut args = r.args.clone();
    args.push("--out".into());
    args.push(tmp.path().display().to_string());
    let status = Command::new(exe).current_dir(&r.cwd).args(&args).status().context("cannot start collabsim")?;
    if !status.success() {
        bail!("the recorded command failed when run again ({status})");
    }
    let recorded_folder = r.manifest_path.parent().unwrap_or(Path::new("."));
    let written = match &r.arm {
        Some(folder) => tmp.path().join(folder),
        None => tmp.path().to_path_buf(),
    };
    let files = r
        .manifest
        .files
        .iter()
        .map(|(name, want)| {
            let got = sha256_file(&written.join(name)).ok();
            let status = if got.as_deref() == Some(want.as_str()) {
                FileStatus::Identical
            } else if got.is_none() {
                FileStatus::Missing
            } else if name.ends_with("/manifest.json")
                && match recorded_folder.join(name) {
                    recorded if recorded.is_file() => same_file_hashes(&recorded, &written.join(name)),
                    _ => nested_as_recorded(&r.manifest, name, &written.join(name)),
                }
            {
                FileStatus::SameFileHashes
            } else {
                FileStatus::Differs
            };
            (name.clone(), status)
        })
        .collect();
    Ok(Reproduction { files })
}

/// A re-run's nested manifest (a comparison's arm, `DIR/manifest.json`) lists only files
/// that `top` records under `DIR/`, with the same hashes: the check when the arm's own
/// recorded manifest is not there (a comparison saved from `serve` is its report and its
/// top manifest alone). When it is there, it is compared itself (`same_file_hashes`).
fn nested_as_recorded(top: &Manifest, name: &str, rerun: &Path) -> bool {
    let Some(dir) = name.strip_suffix("manifest.json") else { return false };
    let Ok(nested) = read_manifest(rerun) else { return false };
    !nested.files.is_empty() && nested.files.iter().all(|(f, h)| top.files.get(&format!("{dir}{f}")) == Some(h))
}

/// Two manifests list the same files with the same hashes.
fn same_file_hashes(a: &Path, b: &Path) -> bool {
    matches!((read_manifest(a), read_manifest(b)), (Ok(x), Ok(y)) if x.files == y.files)
}

#[cfg(test)]
mod tests {
    use super::rerun_args;

    fn args(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn a_comparison_rerun_keeps_the_recorded_folder_for_its_report_only() {
        // The report of a comparison names its --out; the re-run writes elsewhere but must
        // print the same line, so the folder moves to --report-out.
        assert_eq!(
            rerun_args(&args("collabsim compare a.toml --variant x=1 --out outputs/w -q")),
            args("compare a.toml --variant x=1 --report-out outputs/w --quiet")
        );
        assert_eq!(
            rerun_args(&args("collabsim compare a.toml --out=outputs/w")),
            args("compare a.toml --report-out outputs/w --quiet")
        );
        // A run's report names no folder: nothing is added.
        assert_eq!(rerun_args(&args("collabsim run a.toml -o x --resume")), args("run a.toml --quiet"));
    }
}
