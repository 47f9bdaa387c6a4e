//! A view of the staff for the passes that index many arrays per agent: each array is
//! borrowed on its own and cut to the number of posts once, so the compiler drops the
//! per-access length checks. Same data, same order of operations.

use super::aggregate::Agent;
use super::params::Role;
use super::state::{bit, set_bit};

/// The staff arrays, each borrowed on its own and cut to the number of posts once, so that
/// indexing in a pass over the staff needs no length checks (built by `Staff::view`). The
/// post organizations and the tie network are lent read-only, so their mirror stays whole.
pub(crate) struct StaffView<'a> {
    pub n_orgs: usize,
    pub dims: usize,
    pub org: &'a [u16],
    pub role: &'a [Role],
    pub trust: &'a mut [f64],
    pub motivation: &'a mut [f64],
    pub willingness: &'a mut [f64],
    pub workload: &'a mut [f64],
    pub capacity: &'a [f64],
    pub experience: &'a mut [f64],
    pub norms: &'a mut [f64],
    pub norms_prev: &'a [f64],
    pub tie_start: &'a [u32],
    pub ties: &'a [u32],
    pub tie_org: &'a [u16],
    /// The filled-post bit set (`Staff::is_filled`).
    pub filled: &'a mut [u64],
    pub vacancy: &'a mut [u32],
}

impl StaffView<'_> {
    /// Is post `i` filled?
    #[inline(always)]
    pub(crate) fn is_filled(&self, i: usize) -> bool {
        bit(self.filled, i)
    }

    /// Fills or empties post `i`.
    #[inline(always)]
    pub(crate) fn set_filled(&mut self, i: usize, on: bool) {
        set_bit(self.filled, i, on);
    }

    /// What the aggregates read of active agent `i`, whose trust in the partners is `trust`.
    #[inline(always)]
    pub(crate) fn agent(&self, i: usize, trust: f64) -> Agent<'_> {
        Agent {
            org: self.org[i] as usize,
            trust,
            motivation: self.motivation[i],
            willingness: self.willingness[i],
            role: self.role[i],
            workload: self.workload[i],
            norms: &self.norms[i * self.dims..(i + 1) * self.dims],
        }
    }
}
