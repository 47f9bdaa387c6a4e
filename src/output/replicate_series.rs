//! `replicate-series.csv`: every replicate's own weekly series in long format
//! (`[point,]replicate,week,metric,org,value`), for the weeks the replicate ran. Rows are
//! written as each replicate is handed over, in replicate order, so memory holds one
//! chunk of replicates' series whatever the run's size, and the bytes are the same at any
//! thread count. Opt-in (`run --series-per-replicate`, `sweep --series-per-replicate`): a
//! ten-year replicate of a two-partner scenario is about 13,500 rows (0.4 MB).

use std::io;

use crate::engine::SeriesCatalog;

/// The column names; `point` first for a sweep.
pub fn header(with_point: bool) -> Vec<&'static str> {
    let mut h = if with_point { vec!["point"] } else { vec![] };
    h.extend(["replicate", "week", "metric", "org", "value"]);
    h
}

/// A value rounded to six decimals in its shortest form ("111", "0.382084"), empty if not
/// finite: readable and as exact as timeseries.csv, with no padding zeros.
pub fn value(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 { "0".into() } else { format!("{r}") }
}

/// Streams rows to any writer; the caller commits it (an `AtomicFile`) when all are in.
pub struct ReplicateSeriesWriter<W: io::Write> {
    csv: csv::Writer<W>,
}

impl<W: io::Write> ReplicateSeriesWriter<W> {
    /// Rows to `w`; with `header` the column names first (a sweep's point fragments have none).
    pub fn new(w: W, header_for: Option<bool>) -> io::Result<Self> {
        let mut csv = csv::WriterBuilder::new().flexible(false).from_writer(w);
        if let Some(with_point) = header_for {
            csv.write_record(header(with_point))?;
        }
        Ok(ReplicateSeriesWriter { csv })
    }

    /// The rows of one replicate: `values` row-major (week, then `catalog`'s series), as
    /// the batch runner records them.
    pub fn write(
        &mut self,
        point: Option<usize>,
        replicate: u64,
        catalog: &SeriesCatalog,
        values: &[f64],
    ) -> io::Result<()> {
        let k = catalog.len().max(1);
        let point = point.map(|p| p.to_string());
        let rep = replicate.to_string();
        for (week, row) in values.chunks(k).enumerate() {
            let week = week.to_string();
            for (s, &v) in row.iter().enumerate() {
                let (metric, org) = catalog.series[s];
                let cells = [rep.as_str(), &week, metric.name(), catalog.org_label(org), &value(v)];
                match &point {
                    Some(p) => self.csv.write_record(std::iter::once(p.as_str()).chain(cells))?,
                    None => self.csv.write_record(cells)?,
                }
            }
        }
        Ok(())
    }

    /// The writer, flushed.
    pub fn into_inner(self) -> io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_short_and_rounded_to_six_decimals() {
        assert_eq!(value(111.0), "111");
        assert_eq!(value(0.3820841234), "0.382084");
        assert_eq!(value(-0.0000001), "0");
        assert_eq!(value(1238461.54), "1238461.54");
        assert_eq!(value(f64::NAN), "");
    }

    #[test]
    fn one_row_per_week_and_series_with_the_point_first() {
        let cat = SeriesCatalog::new(vec!["A".into()]);
        let k = cat.len();
        let values: Vec<f64> = (0..2 * k).map(|i| i as f64).collect();
        let mut w = ReplicateSeriesWriter::new(Vec::new(), Some(true)).unwrap();
        w.write(Some(3), 7, &cat, &values).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "point,replicate,week,metric,org,value");
        assert_eq!(lines.len(), 1 + 2 * k);
        assert_eq!(lines[1], "3,7,0,trust,A,0");
        assert!(lines[k + 1].starts_with("3,7,1,trust,A,"), "{}", lines[k + 1]);
    }
}
