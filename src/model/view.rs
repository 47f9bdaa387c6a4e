//! A view of the staff for the passes that index many arrays per agent: each array is
//! borrowed on its own and cut to the number of posts once, so the compiler drops the
//! per-access length checks. Same data, same order of operations.

use super::aggregate::Agent;
use super::params::Role;
use super::state::{Staff, set_bit};

/// The staff arrays, each borrowed on its own and cut to the number of posts once, so that
/// indexing in a pass over the staff needs no length checks.
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
    pub tie_start: &'a [u32],
    pub ties: &'a [u32],
    pub tie_org: &'a [u16],
    pub active: &'a mut [bool],
    pub filled: &'a mut [u64],
    pub vacancy: &'a mut [u32],
}

impl<'a> StaffView<'a> {
    #[inline]
    pub(crate) fn of(st: &'a mut Staff, n_orgs: usize, dims: usize) -> Self {
        let n = st.len();
        let m = st.ties.len();
        StaffView {
            n_orgs,
            dims,
            org: &st.org[..n],
            role: &st.role[..n],
            trust: &mut st.trust[..n * n_orgs],
            motivation: &mut st.motivation[..n],
            willingness: &mut st.willingness[..n],
            workload: &mut st.workload[..n],
            capacity: &st.capacity[..n],
            experience: &mut st.experience[..n],
            norms: &mut st.norms[..n * dims],
            tie_start: &st.tie_start[..=n],
            ties: &st.ties[..m],
            tie_org: &st.tie_org[..m],
            active: &mut st.active[..n],
            filled: &mut st.filled[..n.div_ceil(64)],
            vacancy: &mut st.vacancy[..n],
        }
    }

    /// Fills or empties post `i`: the flag and its bit together (the only place either changes
    /// after initialization).
    #[inline]
    pub(crate) fn set_active(&mut self, i: usize, on: bool) {
        self.active[i] = on;
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
