//! A sweep's weekly series (opt-in): `series.csv`, each point's series over its replicates
//! in the layout of timeseries.csv with a `point` column first, and `replicate-series.csv`,
//! every run's own series with `point` and `replicate` columns. Each point leaves its rows
//! in `points/` as fragments (the per-replicate one streamed to disk as replicates finish),
//! and `finalize` joins them in point order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::analysis::p2::P2;
use crate::engine::{SeriesCatalog, TimeseriesAggregator};
use crate::output::f6;

pub const SERIES: &str = "series.csv";
pub const REPLICATE_SERIES: &str = "replicate-series.csv";

pub fn series_header() -> [&'static str; 9] {
    ["point", "week", "metric", "org", "mean", "p05", "p50", "p95", "n"]
}

/// Point `point`'s rows of series.csv (no header): each week and series with runs going.
pub fn point_series_rows(point: usize, catalog: &SeriesCatalog, agg: &TimeseriesAggregator) -> io::Result<Vec<u8>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    let p = point.to_string();
    for week in 0..agg.weeks() {
        for (s, &(metric, org)) in catalog.series.iter().enumerate() {
            let cell = agg.cell(week, s);
            if cell.n == 0 {
                continue;
            }
            let q = |e: &P2| f6(e.quantile().unwrap_or(f64::NAN));
            csv.write_record([
                p.clone(),
                week.to_string(),
                metric.name().to_string(),
                catalog.org_label(org).to_string(),
                f6(cell.mean()),
                q(&cell.q05),
                q(&cell.q50),
                q(&cell.q95),
                cell.n.to_string(),
            ])?;
        }
    }
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
