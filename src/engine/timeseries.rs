//! Online aggregation of weekly series over replicates: a running mean and P-square
//! estimates of the 5th, 50th and 95th percentiles per (week, series) cell. Memory is
//! fixed by weeks x series, whatever the number of replicates. Replicates are folded in
//! index order, so the estimates are the same bits at any thread count. A replicate that
//! ended contributes only to the weeks it was running (statistics are over runs alive).
//!
//! A chunk of replicates is folded a block of 32 cells at a time on rayon's threads: every
//! cell still sees the replicates one after another in index order, but its state is loaded
//! once per chunk instead of once per replicate. How a block is folded is the `Kernel`,
//! chosen once when the aggregator is made: on x86-64 with AVX-512F or AVX the cells sit in
//! groups of eight, one per SIMD lane (`analysis::p2_lanes`), and one step of the kernel
//! feeds eight cells with the bits eight scalar steps would give; elsewhere each cell is a
//! scalar `P2` per quantile (the plain fold). Every kernel gives the same bits. The SIMD
//! kernels save about 7% of a CS1 run over the plain fold (docs/PERFORMANCE.md, round 4).

use rayon::prelude::*;

use crate::analysis::p2::P2;
#[cfg(target_arch = "x86_64")]
use crate::analysis::p2_lanes::LANES;

/// Cells folded together by one task: their state (about 12 KB) stays in cache while every
/// replicate of the chunk is added.
const BLOCK: usize = 32;

const QUANTILES: [f64; 3] = [0.05, 0.5, 0.95];

/// How the aggregator folds its cells. Every kernel gives the same bits (the tests check
/// each one this CPU runs against one scalar `P2` per cell); they differ in speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// One scalar `P2` per quantile and cell, cell after cell (any CPU).
    Plain,
    /// Cells in groups of eight lanes, four lanes per instruction (x86-64 with AVX).
    Avx,
    /// Cells in groups of eight lanes, eight lanes per instruction (x86-64 with AVX-512F).
    Avx512,
}

impl Kernel {
    pub const ALL: [Kernel; 3] = [Kernel::Plain, Kernel::Avx, Kernel::Avx512];

    /// The fastest kernel this CPU runs: what `TimeseriesAggregator::new` folds with.
    pub fn detect() -> Self {
        [Kernel::Avx512, Kernel::Avx].into_iter().find(|k| k.available()).unwrap_or(Kernel::Plain)
    }

    pub fn available(self) -> bool {
        match self {
            Kernel::Plain => true,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx => std::arch::is_x86_feature_detected!("avx"),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            Kernel::Avx | Kernel::Avx512 => false,
        }
    }
}

/// One (week, series) cell: replicates seen, their sum, and the three percentile estimators.
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
        Cell { n: 0, sum: 0.0, q05: P2::new(QUANTILES[0]), q50: P2::new(QUANTILES[1]), q95: P2::new(QUANTILES[2]) }
    }

    pub fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }

    /// The plain fold's step: `p` named as constants, so the increments fold.
    #[inline]
    fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.q05.add_at(x, QUANTILES[0]);
        self.q50.add_at(x, QUANTILES[1]);
        self.q95.add_at(x, QUANTILES[2]);
    }
}

/// The plain fold of `replicates` into `cells`, whose first cell is `first_cell`.
fn fold_plain(cells: &mut [Cell], replicates: &[&[f64]], first_cell: usize) {
    for values in replicates {
        // A replicate that ended early has fewer weeks: it stops contributing there.
        let Some(mine) = values.get(first_cell..) else { continue };
        for (cell, &x) in cells.iter_mut().zip(mine) {
            cell.add(x);
        }
    }
}

/// Cells in groups of eight SIMD lanes, folded by the AVX or AVX-512 kernel.
#[cfg(target_arch = "x86_64")]
mod lanes {
    use rayon::prelude::*;

    use super::{BLOCK, Cell, QUANTILES};
    use crate::analysis::p2_lanes::x86::{step_avx, step_avx512};
    use crate::analysis::p2_lanes::{LANES, Lanes, P2Lanes};

    /// Runs `fold(groups, first_cell)` over the groups holding the first `cells` cells,
    /// `BLOCK` cells to a rayon task.
    pub(super) fn in_tasks(groups: &mut [Group], cells: usize, fold: impl Fn(&mut [Group], usize) + Sync) {
        groups[..cells.div_ceil(LANES)]
            .par_chunks_mut(BLOCK / LANES)
            .enumerate()
            .for_each(|(t, groups)| fold(groups, t * BLOCK));
    }

    /// Eight neighbouring cells, one per lane.
    #[derive(Clone, Debug)]
    pub(super) struct Group {
        n: [u64; LANES],
        sum: Lanes,
        est: [P2Lanes; 3],
        /// Every lane has seen five or more replicates: the kernels apply.
        steady: bool,
    }

    impl Group {
        pub(super) fn new() -> Self {
            Group { n: [0; LANES], sum: [0.0; LANES], est: QUANTILES.map(P2Lanes::new), steady: false }
        }

        /// Adds `x[l]` to lane `l` for the lanes `x` covers, one at a time through the scalar
        /// estimator: start-up, a replicate that ended inside the group, the last group.
        fn add_partial(&mut self, x: &[f64]) {
            for (l, &x) in x.iter().enumerate() {
                for e in &mut self.est {
                    e.add_lane(l, self.n[l] as usize, x);
                }
                self.n[l] += 1;
                self.sum[l] += x;
            }
            self.steady = self.n.iter().all(|&c| c >= 5);
        }

        pub(super) fn cell(&self, l: usize) -> Cell {
            let count = self.n[l] as usize;
            let [q05, q50, q95] = self.est.each_ref().map(|e| e.lane(l, count));
            Cell { n: self.n[l], sum: self.sum[l], q05, q50, q95 }
        }
    }

    /// A fold of `replicates` into `groups`, whose first cell is `first_cell`, with one
    /// kernel's step. A macro, not a generic function: each copy carries its kernel's target
    /// features, which the step must be inlined under. Safe to call only where the CPU has
    /// those features.
    macro_rules! fold_groups {
        ($feature:literal, $name:ident, $step:path) => {
            #[target_feature(enable = $feature)]
            pub(super) fn $name(groups: &mut [Group], replicates: &[&[f64]], first_cell: usize) {
                for values in replicates {
                    for (g, group) in groups.iter_mut().enumerate() {
                        let base = first_cell + g * LANES;
                        match values.get(base..base + LANES) {
                            Some(x) if group.steady => {
                                let x: &Lanes = x.try_into().expect("eight values");
                                for l in 0..LANES {
                                    group.n[l] += 1;
                                    group.sum[l] += x[l];
                                }
                                for e in &mut group.est {
                                    $step(e, x);
                                }
                            }
                            Some(x) => group.add_partial(x),
                            // A replicate that ended early has fewer weeks: it stops contributing there.
                            None => {
                                if let Some(x) = values.get(base..).filter(|x| !x.is_empty()) {
                                    group.add_partial(x)
                                }
                            }
                        }
                    }
                }
            }
        };
    }

    fold_groups!("avx", fold_avx, step_avx);
    fold_groups!("avx512f", fold_avx512, step_avx512);
}

/// The cells' state, by kernel: a `Cell` each for the plain fold, groups of eight lanes for
/// the SIMD kernels. `with_kernel` makes a SIMD variant only on a CPU that runs its kernel.
#[derive(Clone, Debug)]
enum Cells {
    Plain(Vec<Cell>),
    #[cfg(target_arch = "x86_64")]
    Avx(Vec<lanes::Group>),
    #[cfg(target_arch = "x86_64")]
    Avx512(Vec<lanes::Group>),
}

#[derive(Clone, Debug)]
pub struct TimeseriesAggregator {
    pub n_series: usize,
    len: usize,
    cells: Cells,
}

impl TimeseriesAggregator {
    /// Cells for weeks 0..=horizon, folded with the fastest kernel this CPU runs.
    pub fn new(horizon_weeks: u32, n_series: usize) -> Self {
        Self::with_kernel(horizon_weeks, n_series, Kernel::detect())
    }

    /// As `new`, with a chosen kernel (all give the same bits; tests and benchmarks compare
    /// them). Panics if this CPU cannot run it.
    pub fn with_kernel(horizon_weeks: u32, n_series: usize, kernel: Kernel) -> Self {
        assert!(kernel.available(), "this CPU cannot run the {kernel:?} kernel");
        let len = (horizon_weeks as usize + 1) * n_series;
        #[cfg(target_arch = "x86_64")]
        let groups = || vec![lanes::Group::new(); len.div_ceil(LANES)];
        let cells = match kernel {
            Kernel::Plain => Cells::Plain(vec![Cell::new(); len]),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx => Cells::Avx(groups()),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => Cells::Avx512(groups()),
            #[cfg(not(target_arch = "x86_64"))]
            Kernel::Avx | Kernel::Avx512 => unreachable!("no x86-64 kernel off x86-64"),
        };
        TimeseriesAggregator { n_series, len, cells }
    }

    /// The kernel this aggregator folds with.
    pub fn kernel(&self) -> Kernel {
        match self.cells {
            Cells::Plain(_) => Kernel::Plain,
            #[cfg(target_arch = "x86_64")]
            Cells::Avx(_) => Kernel::Avx,
            #[cfg(target_arch = "x86_64")]
            Cells::Avx512(_) => Kernel::Avx512,
        }
    }

    /// Folds one replicate's row-major (week, series) values in.
    pub fn add(&mut self, values: &[f64]) {
        self.add_chunk(&[values]);
    }

    /// Folds several replicates in, in the order given: the same result as calling `add`
    /// on each in turn, computed in parallel over blocks of cells on the current rayon pool.
    pub fn add_chunk(&mut self, replicates: &[&[f64]]) {
        debug_assert!(replicates.iter().all(|v| v.len() <= self.len), "a replicate has more values than cells");
        let longest = replicates.iter().map(|v| v.len()).max().unwrap_or(0).min(self.len);
        match &mut self.cells {
            Cells::Plain(cells) => cells[..longest]
                .par_chunks_mut(BLOCK)
                .enumerate()
                .for_each(|(t, cells)| fold_plain(cells, replicates, t * BLOCK)),
            #[cfg(target_arch = "x86_64")]
            Cells::Avx(groups) => lanes::in_tasks(groups, longest, |groups, first_cell| {
                // SAFETY: `with_kernel` makes `Cells::Avx` only on a CPU with AVX.
                unsafe { lanes::fold_avx(groups, replicates, first_cell) }
            }),
            #[cfg(target_arch = "x86_64")]
            Cells::Avx512(groups) => lanes::in_tasks(groups, longest, |groups, first_cell| {
                // SAFETY: `with_kernel` makes `Cells::Avx512` only on a CPU with AVX-512F.
                unsafe { lanes::fold_avx512(groups, replicates, first_cell) }
            }),
        }
    }

    /// The statistics of one cell (a copy).
    pub fn cell(&self, week: usize, series: usize) -> Cell {
        let c = week * self.n_series + series;
        match &self.cells {
            Cells::Plain(cells) => cells[c].clone(),
            #[cfg(target_arch = "x86_64")]
            Cells::Avx(groups) | Cells::Avx512(groups) => groups[c / LANES].cell(c % LANES),
        }
    }

    pub fn weeks(&self) -> usize {
        self.len / self.n_series.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 40 replicates of `weeks` x `series` values, of different lengths (some end early,
    /// inside a group of eight), with ties and repeated values as real series have.
    fn replicates(weeks: usize, series: usize) -> Vec<Vec<f64>> {
        (0..40u64)
            .map(|r| {
                let len = series * (weeks - (r as usize % 7) * 5);
                (0..len)
                    .map(|k| match k % 3 {
                        0 => ((r * 7919 + k as u64 * 104_729) % 1000) as f64 / 37.0,
                        1 => ((r + k as u64) % 4) as f64,
                        _ => 2.5,
                    })
                    .collect()
            })
            .collect()
    }

    fn same(a: &Cell, b: &Cell) -> bool {
        let q = |e: &P2| e.quantile().map(f64::to_bits);
        (a.n, a.sum.to_bits(), q(&a.q05), q(&a.q50), q(&a.q95))
            == (b.n, b.sum.to_bits(), q(&b.q05), q(&b.q50), q(&b.q95))
    }

    /// Every available kernel, the plain fold included, folding in chunks, gives the bits of
    /// one scalar `P2` per cell fed replicate by replicate. 50 weeks x 3 series is 150 cells:
    /// 18 full groups of eight lanes and a part-filled one, or four blocks of 32 plain cells
    /// and a part-filled one; replicates end inside groups and blocks.
    #[test]
    fn every_kernel_matches_scalar_estimators_per_cell() {
        let (weeks, series) = (50, 3);
        let reps = replicates(weeks, series);
        let mut reference: Vec<Cell> = (0..weeks * series)
            .map(|_| Cell { n: 0, sum: 0.0, q05: P2::new(0.05), q50: P2::new(0.5), q95: P2::new(0.95) })
            .collect();
        for v in &reps {
            for (cell, &x) in reference.iter_mut().zip(v) {
                cell.n += 1;
                cell.sum += x;
                [&mut cell.q05, &mut cell.q50, &mut cell.q95].into_iter().for_each(|e| e.add(x));
            }
        }
        for kernel in Kernel::ALL.into_iter().filter(|k| k.available()) {
            let mut agg = TimeseriesAggregator::with_kernel(weeks as u32 - 1, series, kernel);
            for chunk in reps.chunks(16) {
                agg.add_chunk(&chunk.iter().map(|v| v.as_slice()).collect::<Vec<_>>());
            }
            for (c, want) in reference.iter().enumerate() {
                let got = agg.cell(c / series, c % series);
                assert!(same(&got, want), "{kernel:?}, cell {c}: {got:?} vs {want:?}");
            }
        }
    }

    /// With every available kernel, the chunked, parallel fold gives the same bits as
    /// folding replicates one by one.
    #[test]
    fn chunk_fold_matches_sequential_fold() {
        let reps = replicates(50, 3);
        for kernel in Kernel::ALL.into_iter().filter(|k| k.available()) {
            let mut one = TimeseriesAggregator::with_kernel(49, 3, kernel);
            reps.iter().for_each(|v| one.add(v));
            let mut many = TimeseriesAggregator::with_kernel(49, 3, kernel);
            for chunk in reps.chunks(16) {
                many.add_chunk(&chunk.iter().map(|v| v.as_slice()).collect::<Vec<_>>());
            }
            for w in 0..50 {
                for s in 0..3 {
                    assert!(same(&one.cell(w, s), &many.cell(w, s)), "{kernel:?}, week {w}, series {s}");
                }
            }
        }
    }

    /// `new` folds with AVX-512, else AVX, else the plain fold: a CPU without AVX never
    /// gets anything slower than the plain fold.
    #[test]
    fn new_takes_the_fastest_available_kernel() {
        let want = if Kernel::Avx512.available() {
            Kernel::Avx512
        } else if Kernel::Avx.available() {
            Kernel::Avx
        } else {
            Kernel::Plain
        };
        assert_eq!(TimeseriesAggregator::new(3, 2).kernel(), want);
        assert!(Kernel::Plain.available());
    }
}
