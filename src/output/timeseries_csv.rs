//! `timeseries.csv`: tidy long format `week,metric,org,mean,p05,p50,p95,n`, over the
//! replicates still running that week (`n` of them). Quantiles are P-square estimates.

use std::io;
use std::path::Path;

use super::atomic::AtomicFile;
use super::f6;
use crate::engine::{SeriesCatalog, TimeseriesAggregator};

pub fn write_timeseries(path: &Path, catalog: &SeriesCatalog, agg: &TimeseriesAggregator) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(AtomicFile::create(path)?);
    csv.write_record(["week", "metric", "org", "mean", "p05", "p50", "p95", "n"])?;
    write_rows(&mut csv, None, catalog, agg)?;
    csv.into_inner().map_err(|e| e.into_error())?.commit()
}

/// The rows of timeseries.csv (no header), each led by `prefix` if given (a sweep's point
/// in its series.csv): every week and series with runs going.
pub(crate) fn write_rows<W: io::Write>(
    csv: &mut csv::Writer<W>,
    prefix: Option<&str>,
    catalog: &SeriesCatalog,
    agg: &TimeseriesAggregator,
) -> io::Result<()> {
    for week in 0..agg.weeks() {
        for (s, &(metric, org)) in catalog.series.iter().enumerate() {
            let cell = agg.cell(week, s);
            if cell.n == 0 {
                continue;
            }
            let q = |e: &crate::analysis::p2::P2| f6(e.quantile().unwrap_or(f64::NAN));
            let row = [
                week.to_string(),
                metric.name().to_string(),
                catalog.org_label(org).to_string(),
                f6(cell.mean()),
                q(&cell.q05),
                q(&cell.q50),
                q(&cell.q95),
                cell.n.to_string(),
            ];
            csv.write_record(prefix.into_iter().chain(row.iter().map(String::as_str)))?;
        }
    }
    Ok(())
}
