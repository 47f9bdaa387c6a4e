//! `manifest.json`: which command produced a folder, with which version and inputs, and the
//! SHA-256 of every file it wrote, so that a reader can tell what is there and check it.

use std::path::Path;

use anyhow::Context;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use collabsim::output::write_atomic;

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes `out/manifest.json` listing `files` (names relative to `out`) with their hashes.
pub fn write_manifest(out: &Path, what: Value, files: &[String]) -> anyhow::Result<()> {
    let mut hashes = Map::new();
    for f in files {
        hashes.insert(f.clone(), Value::String(sha256_file(&out.join(f))?));
    }
    let command: Vec<String> = std::env::args().collect();
    let cwd = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
    let v = json!({
        "crate_version": env!("CARGO_PKG_VERSION"),
        "git_commit": option_env!("COLLABSIM_GIT_COMMIT"),
        "command": command,
        "working_directory": cwd,
        "inputs": what,
        "files": hashes,
    });
    let mut bytes = serde_json::to_vec_pretty(&v).expect("manifest serializes");
    bytes.push(b'\n');
    let path = out.join("manifest.json");
    write_atomic(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))
}
