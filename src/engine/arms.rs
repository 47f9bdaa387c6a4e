//! Several arms on common random numbers in one parallel batch: replicate i of every arm
//! draws from stream i of the same master seed, so each arm's difference from another is
//! paired replicate by replicate. Every (arm, replicate) pair goes to the pool at once (a
//! short arm does not leave a core idle while a long one finishes), and the outcomes are
//! gathered in (arm, replicate) order, so they are the same at any thread count. Only the
//! outcomes are kept: no weekly series.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::outcome::ReplicateOutcome;
use super::rng::replicate_seed;
use super::runner::{NoObserver, ReplicateFailure, panic_message, run_replicate};
use crate::model::Params;

/// Each arm's outcomes in replicate order, the replicates that panicked (arm index and
/// failure), and whether the cancel flag stopped the batch.
#[derive(Debug, Default)]
pub struct ArmsReport {
    pub outcomes: Vec<Vec<ReplicateOutcome>>,
    pub failures: Vec<(usize, ReplicateFailure)>,
    pub cancelled: bool,
}

/// Runs replicates `range` (such as `0..n`) of `master_seed` for every parameter set in
/// `arms`, on the current rayon pool. `tick` is called once per finished replicate, from any
/// thread. Once `cancel` is set, the replicates not yet started are skipped and the report
/// says so. Replicates `0..n` are the first `n` of any longer run: a caller may extend a
/// batch with `n..m` and get the outcomes of `0..m`.
pub fn run_arms_crn(
    arms: &[Params],
    master_seed: u64,
    range: std::ops::Range<u64>,
    cancel: Option<&AtomicBool>,
    tick: &(dyn Fn() + Sync),
) -> ArmsReport {
    let (first, replicates) = (range.start, range.end.saturating_sub(range.start));
    let n = arms.len() as u64 * replicates;
    let results: Vec<Option<Result<ReplicateOutcome, ReplicateFailure>>> = (0..n)
        .into_par_iter()
        .map(|j| {
            if cancel.is_some_and(|c| c.load(Ordering::SeqCst)) {
                return None;
            }
            let (a, i) = ((j / replicates) as usize, first + j % replicates);
            let run = catch_unwind(AssertUnwindSafe(|| run_replicate(&arms[a], master_seed, i, &mut NoObserver)));
            tick();
            Some(run.map_err(|e| ReplicateFailure {
                replicate: i,
                seed: replicate_seed(master_seed, i),
                message: panic_message(e.as_ref()),
            }))
        })
        .collect();
    let mut report =
        ArmsReport { outcomes: vec![Vec::with_capacity(replicates as usize); arms.len()], ..Default::default() };
    for (j, r) in results.into_iter().enumerate() {
        let a = j / replicates.max(1) as usize;
        match r {
            None => report.cancelled = true,
            Some(Ok(o)) => report.outcomes[a].push(o),
            Some(Err(f)) => report.failures.push((a, f)),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replicate i of an arm is replicate i of a plain batch of that arm, whatever the other
    /// arms and the thread count: the pairing that the paired differences rely on.
    #[test]
    fn each_arm_matches_its_own_batch_at_any_thread_count() {
        let arm = |transparency: f64| {
            let mut p = Params {
                horizon_weeks: 52,
                org_names: vec!["A".into(), "B".into()],
                organizations: vec![Default::default(), Default::default()],
                ..Default::default()
            };
            for o in &mut p.organizations {
                o.staff = 30;
            }
            p.collaboration.transparency = transparency;
            p.derive();
            p
        };
        let arms = [arm(0.5), arm(0.2)];
        let catalog = crate::engine::SeriesCatalog::new(arms[0].org_names.clone());
        let mut reports = Vec::new();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            reports.push(pool.install(|| run_arms_crn(&arms, 7, 0..6, None, &|| {})));
        }
        assert_eq!(reports[0].outcomes, reports[1].outcomes);
        for (a, p) in arms.iter().enumerate() {
            let mut plain = Vec::new();
            crate::engine::run_batch(p, &catalog, crate::engine::BatchConfig::new(7, 6), None, &|| {}, |o| {
                plain.push(o)
            });
            assert_eq!(reports[0].outcomes[a], plain, "arm {a}");
        }
        // A batch extended by a later range gives the outcomes of the whole range.
        let (head, tail) = (run_arms_crn(&arms, 7, 0..2, None, &|| {}), run_arms_crn(&arms, 7, 2..6, None, &|| {}));
        for a in 0..arms.len() {
            let joined: Vec<_> = head.outcomes[a].iter().chain(&tail.outcomes[a]).cloned().collect();
            assert_eq!(joined, reports[0].outcomes[a], "arm {a}");
        }
    }
}
