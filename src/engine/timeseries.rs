//! Online aggregation of weekly series over replicates: a running mean and P-square
//! estimates of the 5th, 50th and 95th percentiles per (week, series) cell. Memory is
//! fixed by weeks x series, whatever the number of replicates. Replicates are folded in
//! index order, so the estimates are the same bits at any thread count. A replicate that
//! ended contributes only to the weeks it was running (statistics are over runs alive).
//!
//! A chunk of replicates is folded cell-block by cell-block, the blocks on rayon's threads:
//! every cell still sees the replicates one after another in index order (the same
//! additions in the same order, hence the same bits), but its state is loaded once per
//! chunk instead of once per replicate, and the fold no longer runs on one thread only.

use rayon::prelude::*;

use crate::analysis::p2::P2;

/// Cells folded together by one task: their state (a few KB) stays in cache while every
/// replicate of the chunk is added.
const BLOCK: usize = 32;

#[derive(Clone, Debug)]
pub struct Cell {
    pub n: u64,
    pub sum: f64,
    pub q05: P2,
    pub q50: P2,
    pub q95: P2,
}

impl Cell {
    fn new() -> Self {
        Cell { n: 0, sum: 0.0, q05: P2::new(0.05), q50: P2::new(0.5), q95: P2::new(0.95) }
    }
    pub fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }
    #[inline]
    fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.q05.add_at(x, 0.05);
        self.q50.add_at(x, 0.5);
        self.q95.add_at(x, 0.95);
    }
}

pub struct TimeseriesAggregator {
    pub n_series: usize,
    pub cells: Vec<Cell>,
}

impl TimeseriesAggregator {
    /// Cells for weeks 0..=horizon.
    pub fn new(horizon_weeks: u32, n_series: usize) -> Self {
        TimeseriesAggregator { n_series, cells: vec![Cell::new(); (horizon_weeks as usize + 1) * n_series] }
    }

    /// Folds one replicate's row-major (week, series) values in.
    pub fn add(&mut self, values: &[f64]) {
        for (cell, &x) in self.cells.iter_mut().zip(values) {
            cell.add(x);
        }
    }

    /// Folds several replicates in, in the order given: the same result as calling `add`
    /// on each in turn, computed in parallel over blocks of cells on the current rayon pool.
    pub fn add_chunk(&mut self, replicates: &[&[f64]]) {
        let longest = replicates.iter().map(|v| v.len()).max().unwrap_or(0).min(self.cells.len());
        self.cells[..longest].par_chunks_mut(BLOCK).enumerate().for_each(|(b, cells)| {
            let base = b * BLOCK;
            for values in replicates {
                // A replicate that ended early has fewer weeks: it stops contributing there.
                let Some(mine) = values.get(base..) else { continue };
                for (cell, &x) in cells.iter_mut().zip(mine) {
                    cell.add(x);
                }
            }
        });
    }

    pub fn cell(&self, week: usize, series: usize) -> &Cell {
        &self.cells[week * self.n_series + series]
    }

    pub fn weeks(&self) -> usize {
        self.cells.len() / self.n_series.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunked, parallel fold gives the same bits as folding replicates one by one,
    /// including replicates of different lengths.
    #[test]
    fn chunk_fold_matches_sequential_fold() {
        let reps: Vec<Vec<f64>> = (0..40u64)
            .map(|r| {
                let len = 3 * (50 - (r as usize % 7) * 5);
                (0..len).map(|k| ((r * 7919 + k as u64 * 104_729) % 1000) as f64 / 37.0).collect()
            })
            .collect();
        let mut one = TimeseriesAggregator::new(49, 3);
        reps.iter().for_each(|v| one.add(v));
        let mut many = TimeseriesAggregator::new(49, 3);
        for chunk in reps.chunks(16) {
            let refs: Vec<&[f64]> = chunk.iter().map(|v| v.as_slice()).collect();
            many.add_chunk(&refs);
        }
        for (a, b) in one.cells.iter().zip(&many.cells) {
            assert_eq!((a.n, a.sum.to_bits()), (b.n, b.sum.to_bits()));
            for (x, y) in [(&a.q05, &b.q05), (&a.q50, &b.q50), (&a.q95, &b.q95)] {
                assert_eq!(x.quantile().map(f64::to_bits), y.quantile().map(f64::to_bits));
            }
        }
    }
}
