//! Output files: the runs table, the tidy time series, the JSON summary, the comparison, the
//! charts and the HTML report. Every file is written to a temporary file in its folder and
//! renamed into place, so a reader sees the previous complete file or the new complete file,
//! never a truncated one.

pub mod atomic;
pub mod calibrate;
pub mod comparison;
pub mod figures;
pub mod levers;
pub mod plots;
pub mod records;
pub mod replicate_series;
pub mod report;
pub mod runs_csv;
pub mod summary;
pub mod sweep;
pub mod timeseries_csv;
pub mod validation;

pub use atomic::{AtomicFile, write_atomic};
pub use runs_csv::RunsWriter;
pub use summary::{Summary, SummaryInput};
pub use timeseries_csv::write_timeseries;

/// Fixed-precision formatting keeps files stable and readable.
pub(crate) fn f6(x: f64) -> String {
    format!("{x:.6}")
}
