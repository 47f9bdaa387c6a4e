//! `manifest.json`: which command produced a folder, with which version and inputs, and the
//! SHA-256 of every file it wrote, so that a reader can tell what is there and `reproduce`
//! can check it. Typed: written from `Manifest` and read back into it.

use std::path::Path;

use anyhow::Context;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::output::write_atomic;
use crate::scenario::Scenario;
use crate::scenario::ensemble::Ensemble;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub crate_version: String,
    pub git_commit: Option<String>,
    /// The command line, program name first.
    pub command: Vec<String>,
    pub working_directory: String,
    pub inputs: Inputs,
    /// Each file's name (relative to the folder) and SHA-256.
    pub files: IndexMap<String, String>,
    /// Set when this folder is one arm of a comparison: which arm, and where the
    /// comparison's own manifest is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arm_of: Option<ArmOf>,
}

/// One arm of a comparison: its role, its folder inside the comparison, its label, and the
/// comparison's manifest (relative to this folder).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArmOf {
    /// `baseline` or `variant`.
    pub role: String,
    /// `baseline`, `variant`, or `variant-1`, `variant-2`... for a ladder.
    pub folder: String,
    pub label: String,
    /// `../manifest.json`.
    pub comparison_manifest: String,
}

/// What the command was given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Inputs {
    Run(ScenarioInputs),
    /// The baseline and every variant, in the order of comparison.json's `variants`.
    Compare {
        baseline: Box<ScenarioInputs>,
        variants: Vec<ScenarioInputs>,
    },
    /// `levers`: the scenario as run (each lever's settings follow from it and the
    /// registry) and the year at which survival is compared.
    Levers {
        scenario: Box<ScenarioInputs>,
        year: f64,
    },
    Sweep(SweepInputs),
    Calibrate(CalibrationInputs),
}

/// A scenario as run: the file, its hash, the overrides and every resolved parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInputs {
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub overrides: Vec<String>,
    pub seed: u64,
    pub replicates: u64,
    /// The run specification as the parameter registry renders it.
    pub resolved_scenario: serde_json::Value,
    /// The ensemble of parameter sets spread over the replicates (`--ensemble`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<EnsembleInputs>,
}

/// An ensemble file (a calibration's accepted.csv) as a run used it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnsembleInputs {
    pub file: String,
    pub sha256: String,
    /// Replicate i used set i mod `parameter_sets`.
    pub parameter_sets: usize,
    pub parameters: Vec<String>,
}

impl EnsembleInputs {
    pub fn of(e: &Ensemble) -> Self {
        EnsembleInputs {
            file: e.file.clone(),
            sha256: e.sha256.clone(),
            parameter_sets: e.len(),
            parameters: e.params.clone(),
        }
    }
}

/// A file and its SHA-256.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileHash {
    pub file: String,
    pub sha256: String,
}

/// A calibration: its file, the plan's id and the scenarios its targets read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationInputs {
    pub calibration: String,
    pub calibration_file: String,
    pub calibration_sha256: String,
    pub scenarios: Vec<FileHash>,
}

impl ScenarioInputs {
    pub fn of(sc: &Scenario) -> Self {
        ScenarioInputs {
            scenario_file: sc.path.display().to_string(),
            scenario_sha256: sc.sha256.clone(),
            overrides: sc.overrides.clone(),
            seed: sc.spec.run.seed,
            replicates: sc.spec.run.replicates,
            resolved_scenario: sc.spec.to_json(),
            ensemble: sc.ensemble.as_ref().map(|e| EnsembleInputs::of(&e.ensemble)),
        }
    }
}

/// A sweep, a shard of one, or a merge of shards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepInputs {
    pub plan: String,
    pub experiment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<Vec<String>>,
    /// The ensemble of parameter sets spread over each point's replicates, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<EnsembleInputs>,
}

pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
}

/// Reads a manifest.json.
pub fn read_manifest(path: &Path) -> anyhow::Result<Manifest> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}: not a collabsim manifest.json", path.display()))
}

/// Writes `out/manifest.json` listing `files` (names relative to `out`) with their hashes.
/// Files that the folder's previous manifest listed and this one does not are removed, so
/// that the folder holds one result, whole, and the manifest says what produced it.
pub fn write_manifest(out: &Path, command: &[String], inputs: Inputs, files: &[String]) -> anyhow::Result<()> {
    write_manifest_of(out, command, inputs, files, None)
}

/// As [`write_manifest`], for one arm of a comparison: the manifest says so (`arm_of`).
pub fn write_arm_manifest(
    out: &Path,
    command: &[String],
    inputs: Inputs,
    files: &[String],
    arm_of: ArmOf,
) -> anyhow::Result<()> {
    write_manifest_of(out, command, inputs, files, Some(arm_of))
}

fn write_manifest_of(
    out: &Path,
    command: &[String],
    inputs: Inputs,
    files: &[String],
    arm_of: Option<ArmOf>,
) -> anyhow::Result<()> {
    if let Ok(old) = read_manifest(&out.join("manifest.json")) {
        for name in old.files.keys().filter(|k| !files.contains(k)) {
            // Only plain relative names inside `out`, as collabsim writes them.
            if !name.contains("..") && !Path::new(name).is_absolute() {
                let p = out.join(name);
                if p.is_file() {
                    std::fs::remove_file(&p).with_context(|| format!("cannot remove the stale {}", p.display()))?;
                    // A sub-folder left empty (a comparison's arms) goes too.
                    if let Some(dir) = p.parent().filter(|d| *d != out) {
                        let _ = std::fs::remove_dir(dir);
                    }
                }
            }
        }
    }
    let mut hashes = IndexMap::new();
    for f in files {
        hashes.insert(f.clone(), sha256_file(&out.join(f))?);
    }
    let m = Manifest {
        crate_version: env!("CARGO_PKG_VERSION").into(),
        git_commit: option_env!("COLLABSIM_GIT_COMMIT").map(String::from),
        command: command.to_vec(),
        working_directory: std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
        inputs,
        files: hashes,
        arm_of,
    };
    let mut bytes = serde_json::to_vec_pretty(&m).expect("manifest serializes");
    bytes.push(b'\n');
    let path = out.join("manifest.json");
    write_atomic(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))
}
