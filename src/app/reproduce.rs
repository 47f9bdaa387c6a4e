//! `reproduce MANIFEST`: re-run the command a manifest.json records, into a temporary
//! folder, and compare every file it lists with the recorded SHA-256. The command runs as a
//! child process of the collabsim executable given, exactly as it was typed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use super::manifest::{Manifest, read_manifest, sha256_file};

/// A reproduction about to run: the manifest, the arguments and the folder to run in.
pub struct Rerun {
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    /// The recorded arguments, without the program, `--out` and `--quiet`/`--resume`.
    pub args: Vec<String>,
    /// The recorded working folder if it still exists, else the current one.
    pub cwd: PathBuf,
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
    let recorded_dir = Some(PathBuf::from(&m.working_directory)).filter(|d| d.is_dir());
    let cwd = match recorded_dir {
        Some(d) => d,
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    Ok(Rerun { manifest_path: manifest.to_path_buf(), args: rerun_args(&m.command), cwd, manifest: m })
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
    let files = r
        .manifest
        .files
        .iter()
        .map(|(name, want)| {
            let got = sha256_file(&tmp.path().join(name)).ok();
            let status = if got.as_deref() == Some(want.as_str()) {
                FileStatus::Identical
            } else if got.is_none() {
                FileStatus::Missing
            } else if name.ends_with("/manifest.json")
                && same_file_hashes(&recorded_folder.join(name), &tmp.path().join(name))
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

/// Two manifests list the same files with the same hashes.
fn same_file_hashes(a: &Path, b: &Path) -> bool {
    matches!((read_manifest(a), read_manifest(b)), (Ok(x), Ok(y)) if x.files == y.files)
}
