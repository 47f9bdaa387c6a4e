//! The checkpoint files of resumable work (a sweep's design points, a calibration's
//! points): one small JSON record per finished point, `p<id>.json`, written atomically and
//! last, so that its presence means the point is complete; and the JSON plans those records
//! are tied to, written whole. Typed: every record and plan is a struct, read back into it
//! (serde_json's `float_roundtrip` gives back the same f64).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::output::write_atomic;

/// The record of point `point` in `dir`.
pub fn record_path(dir: &Path, point: usize) -> PathBuf {
    dir.join(format!("p{point:07}.json"))
}

/// Writes point `point`'s record (compact JSON and a newline) into `dir`, creating it.
pub fn write_json_record<T: Serialize>(dir: &Path, point: usize, rec: &T) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut json = serde_json::to_vec(rec).map_err(io::Error::other)?;
    json.push(b'\n');
    write_atomic(&record_path(dir, point), &json)
}

/// Reads a JSON file into `T`; a file that is not one says so with its path.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> io::Result<T> {
    let bytes = fs::read(path)?;
    serde_json::from_slice(&bytes)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", path.display())))
}

/// Writes `value` as pretty JSON and a newline, whole or not at all.
pub fn write_json_pretty<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

/// The ids of the point records in `dir` (complete ones: the JSON exists), sorted.
pub fn read_records_index(dir: &Path) -> io::Result<Vec<usize>> {
    let mut ids = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ids),
        Err(e) => return Err(e),
    };
    for e in entries {
        let name = e?.file_name();
        let name = name.to_string_lossy();
        if let Some(id) = name.strip_prefix('p').and_then(|s| s.strip_suffix(".json")).and_then(|s| s.parse().ok()) {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    Ok(ids)
}
