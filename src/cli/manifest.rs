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
/// Files that the folder's previous manifest listed and this one does not are removed, so
/// that the folder holds one result, whole, and the manifest says what produced it.
pub fn write_manifest(out: &Path, what: Value, files: &[String]) -> anyhow::Result<()> {
    let old: Option<Value> =
        std::fs::read(out.join("manifest.json")).ok().and_then(|b| serde_json::from_slice(&b).ok());
    if let Some(old_files) = old.as_ref().and_then(|m| m["files"].as_object()) {
        for name in old_files.keys().filter(|k| !files.contains(k)) {
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
