//! The state of one replicate: staff agents (structure of arrays), organizations and the
//! collaboration. Plain data; the rules that change it live in the sibling submodel files.

use super::params::Role;
use super::view::StaffView;

/// Why the collaboration ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndCause {
    /// A partner decided to leave at one of its reviews.
    Withdrawal,
    /// Active staff fell below the floor needed to operate.
    Understaffed,
    /// The sponsor of an imposed collaboration cancelled it at one of its reviews.
    Cancelled,
}

impl EndCause {
    pub fn as_str(self) -> &'static str {
        match self {
            EndCause::Withdrawal => "withdrawal",
            EndCause::Understaffed => "understaffed",
            EndCause::Cancelled => "cancelled",
        }
    }
}

/// When one decision maker (a partner's leadership, or a sponsor) next reviews its
/// participation: its yearly budget review and any reviews other events have triggered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewClock {
    /// First week of the budget season the next budget review belongs to.
    pub season: u32,
    /// Week of the next budget review (within the season's window).
    pub budget: u32,
    /// Weeks of reviews triggered by events (a new leader, a go-live, an incident's end).
    pub pending: Vec<u32>,
}

/// The end event: week (1-based), cause, and the partner concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    pub week: u32,
    pub cause: EndCause,
    pub org: usize,
}

/// Staff agents, one slot per post. A slot keeps its ties when its holder leaves and a
/// new hire takes the post, so the network is the unit's, not the person's.
///
/// The post organizations, the tie network and the filled-post bit set are private: `tie_org`
/// mirrors `org` at each tie's other end for speed, so ties change only through
/// [`Staff::set_tie`] and a post's organization never changes.
#[derive(Clone, Debug, Default)]
pub struct Staff {
    org: Vec<u16>,
    pub role: Vec<Role>,
    /// Trust of agent i in organization p at `i * n_orgs + p` (own-org entry unused).
    pub trust: Vec<f64>,
    pub motivation: Vec<f64>,
    pub willingness: Vec<f64>,
    /// Demand over capacity; above 1 is overload.
    pub workload: Vec<f64>,
    pub capacity: Vec<f64>,
    pub experience: Vec<f64>,
    /// Norm vector of agent i at `i * dims .. (i + 1) * dims`, each component 0..1.
    pub norms: Vec<f64>,
    /// Last week's norms, read by contacts so the order of agents does not matter.
    pub norms_prev: Vec<f64>,
    /// Tie slots of agent i at `tie_start[i] .. tie_start[i + 1]`; the first
    /// `formal_ties[i]` are formal (team) ties, the rest informal.
    tie_start: Vec<u32>,
    formal_ties: Vec<u8>,
    ties: Vec<u32>,
    /// The organization of each tie's other end, beside `ties`: rules that only need it do
    /// not have to look the agent up.
    tie_org: Vec<u16>,
    /// Whether each post is filled, one bit per post (the only record of it). A million
    /// posts take 128 KB, which stays in the core's cache where a byte per post would not.
    filled: Vec<u64>,
    /// Weeks until a vacant post is filled; `u32::MAX` when it never will be.
    pub vacancy: Vec<u32>,
}

impl Staff {
    /// Posts of the given organizations, all filled, with no ties; the caller fills in the
    /// other per-post arrays.
    pub(crate) fn with_posts(org: Vec<u16>) -> Self {
        let n = org.len();
        let filled =
            (0..n.div_ceil(64)).map(|w| if (w + 1) * 64 <= n { u64::MAX } else { (1u64 << (n % 64)) - 1 }).collect();
        Staff { org, filled, ..Staff::default() }
    }

    pub fn len(&self) -> usize {
        self.org.len()
    }
    pub fn is_empty(&self) -> bool {
        self.org.is_empty()
    }
    /// The organization of each post (fixed).
    #[inline(always)]
    pub fn org(&self) -> &[u16] {
        &self.org
    }
    /// Is post `j` filled?
    #[inline(always)]
    pub fn is_filled(&self, j: usize) -> bool {
        bit(&self.filled, j)
    }
    /// The filled-post bit set's words, for `invariants::check`.
    pub(super) fn filled_words(&self) -> &[u64] {
        &self.filled
    }
    /// Where each agent's tie slots start (`len() + 1` entries).
    #[inline(always)]
    pub fn tie_start(&self) -> &[u32] {
        &self.tie_start
    }
    /// How many of each agent's tie slots, the first ones, are formal (team) ties.
    #[inline(always)]
    pub fn formal_ties(&self) -> &[u8] {
        &self.formal_ties
    }
    /// The post at the other end of each tie slot.
    #[inline(always)]
    pub fn ties(&self) -> &[u32] {
        &self.ties
    }
    /// The organization of the post at the other end of each tie slot.
    #[inline(always)]
    pub fn tie_org(&self) -> &[u16] {
        &self.tie_org
    }
    /// The whole tie network at initialization: `tie_start` and `formal_ties` as on the
    /// fields, `ties` the other end of each slot.
    pub(crate) fn set_network(&mut self, tie_start: Vec<u32>, formal_ties: Vec<u8>, ties: Vec<u32>) {
        debug_assert_eq!(tie_start.len(), self.len() + 1);
        debug_assert_eq!(*tie_start.last().unwrap() as usize, ties.len());
        self.tie_org = ties.iter().map(|&j| self.org[j as usize]).collect();
        self.ties = ties;
        self.tie_start = tie_start;
        self.formal_ties = formal_ties;
    }
    /// Points tie slot `slot` at post `target`, and its organization with it.
    #[inline]
    pub(crate) fn set_tie(&mut self, slot: usize, target: usize) {
        self.ties[slot] = target as u32;
        self.tie_org[slot] = self.org[target];
    }

    /// Every array borrowed on its own and cut to the number of posts, for the passes that
    /// index many of them. Always inlined: built out of line (it has three callers), the view
    /// loses the lengths it cut the arrays to, and a run took 6% more instructions.
    #[inline(always)]
    pub(crate) fn view(&mut self, n_orgs: usize, dims: usize) -> StaffView<'_> {
        let n = self.len();
        let m = self.ties.len();
        StaffView {
            n_orgs,
            dims,
            org: &self.org[..n],
            role: &self.role[..n],
            trust: &mut self.trust[..n * n_orgs],
            motivation: &mut self.motivation[..n],
            willingness: &mut self.willingness[..n],
            workload: &mut self.workload[..n],
            capacity: &self.capacity[..n],
            experience: &mut self.experience[..n],
            norms: &mut self.norms[..n * dims],
            norms_prev: &self.norms_prev[..n * dims],
            tie_start: &self.tie_start[..=n],
            ties: &self.ties[..m],
            tie_org: &self.tie_org[..m],
            filled: &mut self.filled[..n.div_ceil(64)],
            vacancy: &mut self.vacancy[..n],
        }
    }
}

/// Bit `j` of a bit set stored in 64-bit words.
#[inline(always)]
pub(crate) fn bit(words: &[u64], j: usize) -> bool {
    (words[j >> 6] >> (j & 63)) & 1 != 0
}

/// Sets or clears bit `j` of a bit set stored in 64-bit words.
#[inline(always)]
pub(crate) fn set_bit(words: &mut [u64], j: usize, on: bool) {
    let (word, mask) = (j >> 6, 1u64 << (j & 63));
    if on {
        words[word] |= mask;
    } else {
        words[word] &= !mask;
    }
}

/// One partner organization's changing state.
#[derive(Clone, Debug)]
pub struct Org {
    pub leader_commitment: f64,
    pub leader_tenure_weeks: u32,
    /// Commitment before the last leader change, restored in part by the strategy.
    pub commitment_before_change: f64,
    /// A re-alignment presentation is due once the new leader's tenure reaches the delay.
    pub realign_pending: bool,
    pub leader_changes: u32,
    pub engagement: f64,
    /// When this partner's leadership next reviews its participation.
    pub reviews: ReviewClock,
    pub active_staff: u32,
    pub posts: u32,
    // Per-week aggregates, refreshed by the step (read by observers).
    pub mean_trust: f64,
    pub mean_motivation: f64,
    pub mean_willingness: f64,
    pub mean_workload: f64,
    pub weighted_willingness: f64,
    pub friction_events: u32,
    pub leavers: u32,
    pub savings_gbp: f64,
}

/// The collaboration as a whole.
#[derive(Clone, Debug)]
pub struct Collaboration {
    pub week: u32,
    /// A strategy document exists and is still used (it may be lost at a leader change).
    pub strategy_in_force: bool,
    pub vision: f64,
    /// Weeks left of the current major incident's cooperation boost.
    pub incident_left: u32,
    pub incidents: u32,
    /// Smoothed visible failure (understaffing and overload), 0..1.
    pub visible_failure: f64,
    pub savings_gbp: f64,
    /// Savings delivered and planned so far this quarter (GBP), for the shortfall review.
    pub quarter_delivered_gbp: f64,
    pub quarter_planned_gbp: f64,
    /// Mean distance between partners' norm centroids, scaled to 0..1.
    pub norm_distance: f64,
    /// Commitment of the sponsor that imposed the collaboration (0 if none), 0..1.
    pub sponsor: f64,
    /// When the sponsor next reviews the programme (unused without a sponsor).
    pub sponsor_reviews: ReviewClock,
    pub end: Option<End>,
}

/// The whole replicate.
#[derive(Clone, Debug)]
pub struct World {
    pub staff: Staff,
    pub orgs: Vec<Org>,
    pub collab: Collaboration,
    /// Per-organization norm centroids, `org * dims + k`, refreshed every week.
    pub centroids: Vec<f64>,
    /// For each organization, the staff-weighted centroid of all the other partners.
    pub other_centroids: Vec<f64>,
    /// Centroid of the whole unit.
    pub unit_centroid: Vec<f64>,
    /// Baseline removed posts (staff before selection minus posts), for staff savings.
    pub removed_posts: u32,
}
