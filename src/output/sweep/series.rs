//! A sweep's weekly series (opt-in): `series.csv`, each point's series over its replicates
//! in the layout of timeseries.csv with a `point` column first, and `replicate-series.csv`,
//! every run's own series with `point` and `replicate` columns. Each point leaves its rows
//! in `points/` as fragments (the per-replicate one streamed to disk as replicates finish),
//! and `finalize` joins them in point order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::engine::{SeriesCatalog, TimeseriesAggregator};
use crate::output::timeseries_csv::write_rows;

pub const SERIES: &str = "series.csv";
pub const REPLICATE_SERIES: &str = "replicate-series.csv";

pub fn series_header() -> [&'static str; 9] {
    ["point", "week", "metric", "org", "mean", "p05", "p50", "p95", "n"]
}

/// Point `point`'s rows of series.csv (no header): each week and series with runs going.
pub fn point_series_rows(point: usize, catalog: &SeriesCatalog, agg: &TimeseriesAggregator) -> io::Result<Vec<u8>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    write_rows(&mut csv, Some(&point.to_string()), catalog, agg)?;
    csv.into_inner().map_err(|e| e.into_error())
}

/// The fragment of point `point` for the final file `name`, in the checkpoint folder.
pub fn fragment_path(dir: &Path, point: usize, name: &str) -> PathBuf {
    dir.join(format!("p{point:07}.{name}"))
}

/// Writes the header row `head` and then each point's fragment, in point order, into `w`.
pub fn join_fragments<W: Write>(w: &mut W, head: &[&str], homes: &[PathBuf], name: &str) -> io::Result<()> {
    let mut h = csv::Writer::from_writer(Vec::new());
    h.write_record(head)?;
    w.write_all(&h.into_inner().map_err(|e| e.into_error())?)?;
    for (i, home) in homes.iter().enumerate() {
        let path = fragment_path(home, i, name);
        let mut f = std::fs::File::open(&path).map_err(|e| {
            io::Error::new(e.kind(), format!("{}: {e} (was every point run with the same flags?)", path.display()))
        })?;
        io::copy(&mut f, w)?;
    }
    Ok(())
}
