//! `runs.csv`: one row per replicate, streamed to disk in replicate order as results
//! arrive, committed whole at the end.

use std::io;
use std::path::Path;

use super::atomic::AtomicFile;
use super::f6;
use crate::engine::ReplicateOutcome;

/// Streams rows to any writer; `create` writes a file whole or not at all.
pub struct RunsWriter<W: io::Write = AtomicFile> {
    csv: csv::Writer<W>,
    org_names: Vec<String>,
}

/// The column names: fixed columns, then one savings column per partner.
pub fn header(org_names: &[String]) -> Vec<String> {
    let mut header: Vec<String> = [
        "replicate",
        "seed",
        "end_week",
        "censored",
        "end_cause",
        "end_org",
        "savings_gbp",
        "active_staff_end",
        "mean_trust_end",
        "mean_motivation_end",
        "mean_willingness_end",
        "savings_y2_gbp",
        "leader_changes",
        "incidents",
        "end_after_leader_change",
    ]
    .map(String::from)
    .to_vec();
    header.extend(org_names.iter().map(|o| format!("savings_{o}_gbp")));
    header
}

/// One replicate's row, in `header` order.
pub fn row(r: &ReplicateOutcome, org_names: &[String]) -> Vec<String> {
    let mut row = vec![
        r.replicate.to_string(),
        r.seed.to_string(),
        r.end_week.to_string(),
        r.censored.to_string(),
        r.end_cause.map_or("censored", |c| c.as_str()).to_string(),
        r.end_org.map_or(String::new(), |o| org_names[o].clone()),
        format!("{:.2}", r.savings_gbp),
        r.active_staff_end.to_string(),
        f6(r.mean_trust_end),
        f6(r.mean_motivation_end),
        f6(r.mean_willingness_end),
        format!("{:.2}", r.savings_y2_gbp),
        r.leader_changes.to_string(),
        r.incidents.to_string(),
        r.end_after_leader_change.to_string(),
    ];
    row.extend(r.savings_by_org.iter().map(|s| format!("{s:.2}")));
    row
}

impl<W: io::Write> RunsWriter<W> {
    /// Rows to `w`, after the header.
    pub fn new(w: W, org_names: &[String]) -> io::Result<Self> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(header(org_names))?;
        Ok(RunsWriter { csv, org_names: org_names.to_vec() })
    }

    pub fn write(&mut self, r: &ReplicateOutcome) -> io::Result<()> {
        self.csv.write_record(row(r, &self.org_names))?;
        Ok(())
    }
}

impl RunsWriter<AtomicFile> {
    /// Rows to `path`, which appears only on `commit`.
    pub fn create(path: &Path, org_names: &[String]) -> io::Result<Self> {
        Self::new(AtomicFile::create(path)?, org_names)
    }

    pub fn commit(self) -> io::Result<()> {
        self.csv.into_inner().map_err(|e| e.into_error())?.commit()
    }
}
