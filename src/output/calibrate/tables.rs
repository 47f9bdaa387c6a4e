//! `waves.csv` (long format: for each wave and each target, and for any target, the points
//! it ruled out) and `accepted.csv` (one row per accepted point: its number, its wave, its
//! value of every prior and its largest implausibility; the header a `--ensemble` reader
//! expects, `scenario::ensemble`).

use std::path::Path;

use super::Calibrated;
use crate::output::{AtomicFile, f6};
use crate::scenario::ensemble::{IMPLAUSIBILITY_COLUMN, POINT_COLUMN, WAVE_COLUMN};
use crate::scenario::experiment::toml_number;

/// An implausibility as a cell: six decimals, or `inf`.
pub fn implausibility_cell(x: f64) -> String {
    if x.is_finite() { f6(x) } else { "inf".into() }
}

pub fn write_waves(c: &Calibrated<'_>, path: &Path) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(AtomicFile::create(path)?);
    w.write_record([
        "wave",
        "target",
        "points",
        "ruled_out",
        "ruled_out_share",
        "min_implausibility",
        "median_implausibility",
    ])?;
    for r in &c.wave_rows {
        let target = r.target.map_or("any target".to_string(), |t| c.plan.targets[t].name.clone());
        let share = if r.points > 0 { f6(r.ruled_out as f64 / r.points as f64) } else { String::new() };
        w.write_record([
            r.wave.to_string(),
            target,
            r.points.to_string(),
            r.ruled_out.to_string(),
            share,
            r.min_implausibility.map_or(String::new(), implausibility_cell),
            r.median_implausibility.map_or(String::new(), implausibility_cell),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error())?.commit()
}

pub fn write_accepted(c: &Calibrated<'_>, path: &Path) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(AtomicFile::create(path)?);
    let mut head = vec![POINT_COLUMN.to_string(), WAVE_COLUMN.to_string()];
    head.extend(c.plan.priors.iter().map(|p| p.key.clone()));
    head.push(IMPLAUSIBILITY_COLUMN.to_string());
    w.write_record(&head)?;
    for &i in &c.accepted {
        let e = &c.evaluated[i];
        let mut row = vec![e.id.to_string(), e.wave.to_string()];
        row.extend(e.x.iter().map(|&x| toml_number(x)));
        row.push(implausibility_cell(e.max));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error())?.commit()
}
