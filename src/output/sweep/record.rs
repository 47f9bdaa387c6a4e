//! One finished design point on disk: `points/p<id>.json` holds its sweep.csv row, its
//! scalar outputs and each replicate's end week; `points/p<id>.runs.csv` its per-run rows
//! when asked for. The JSON is written last and atomically, so its presence means the point
//! is complete (the record files are `output::records`').

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::records::{read_json, write_json_record};
pub use crate::output::records::{read_records_index, record_path};
use crate::output::write_atomic;
use crate::scenario::experiment::OutputKind;

/// A point estimate with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The scalar outputs of one point, each with its interval (JSON numbers read back to the
/// same f64: serde_json's `float_roundtrip`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scalars {
    /// Restricted mean survival to the horizon, in years.
    pub rmst: Option<Estimate>,
    /// Median survival in years; the horizon where the curve stays above one half.
    pub median: Estimate,
    /// More than half the runs were still going at the horizon: `median` is the horizon,
    /// a lower bound, not an estimate.
    #[serde(default)]
    pub median_beyond_horizon: bool,
    /// Survival at the plan's `output_year`, if it names one.
    pub survival: Option<Estimate>,
    /// Mean total savings, GBP.
    pub savings: Estimate,
}

impl Scalars {
    /// The estimate of one output kind, if this point has it.
    pub fn get(&self, kind: OutputKind) -> Option<Estimate> {
        match kind {
            OutputKind::Rmst => self.rmst,
            OutputKind::Median => Some(self.median),
            OutputKind::Survival => self.survival,
            OutputKind::Savings => Some(self.savings),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointRecord {
    /// The plan's id: records of another plan are never mixed in.
    pub plan: String,
    pub point: usize,
    pub row: Vec<String>,
    pub scalars: Scalars,
    /// Each replicate's end week, `None` if still running at the horizon, in replicate order.
    pub end_weeks: Vec<Option<u32>>,
}

pub fn points_dir(out: &Path) -> PathBuf {
    out.join("points")
}

pub fn runs_path(dir: &Path, point: usize) -> PathBuf {
    dir.join(format!("p{point:07}.runs.csv"))
}

/// Writes the runs fragment (if any), then the record: the record marks the point done.
pub fn write_record(dir: &Path, rec: &PointRecord, runs: Option<&[u8]>) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    if let Some(bytes) = runs {
        write_atomic(&runs_path(dir, rec.point), bytes)?;
    }
    write_json_record(dir, rec.point, rec)
}

pub fn read_record(path: &Path) -> io::Result<PointRecord> {
    read_json(path)
}
