//! Sweep outputs: each finished design point is recorded as one small file (the checkpoint
//! that makes sweeps resumable and shardable), and the final files (sweep.csv,
//! sensitivity.csv, runs.csv, figures, report.html) are built from the records alone, in
//! point order, so a sweep, a resumed sweep and a merge of shards write the same bytes.

pub mod finalize;
pub mod record;
pub mod report;
pub mod rows;
pub mod series;

pub use finalize::{Gathered, Sensitivity, write_figures_and_report, write_sensitivity, write_tables};
pub use record::{Estimate, PointRecord, Scalars, points_dir, read_records_index};
pub use rows::point_record;
