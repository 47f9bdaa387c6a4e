//! Online aggregation of weekly series over replicates: a running mean and P-square
//! estimates of the 5th, 50th and 95th percentiles per (week, series) cell. Memory is
//! fixed by weeks x series, whatever the number of replicates. Replicates are folded in
//! index order, so the estimates are the same bits at any thread count. A replicate that
//! ended contributes only to the weeks it was running (statistics are over runs alive).
//! A chunk of replicates may be folded in parallel across weeks, each cell still taking the
//! replicates in index order.

use rayon::prelude::*;

use crate::analysis::p2::P2;

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
            cell.n += 1;
            cell.sum += x;
            cell.q05.add(x);
            cell.q50.add(x);
            cell.q95.add(x);
        }
    }

    /// Folds several replicates in, in the order given: the same result as calling `add` on
    /// each in turn, computed in parallel over weeks (each cell sees the replicates in order).
    pub fn add_chunk(&mut self, runs: &[Vec<f64>]) {
        let n = self.n_series.max(1);
        self.cells.par_chunks_mut(n).enumerate().for_each(|(week, cells)| {
            let at = week * n;
            for r in runs {
                if at >= r.len() {
                    continue;
                }
                for (cell, &x) in cells.iter_mut().zip(&r[at..]) {
                    cell.n += 1;
                    cell.sum += x;
                    cell.q05.add(x);
                    cell.q50.add(x);
                    cell.q95.add(x);
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
