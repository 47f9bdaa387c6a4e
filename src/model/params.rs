//! Typed, validated parameters of one simulated collaboration. Built by `scenario/`;
//! the model trusts them (ranges were checked there) and never parses anything itself.

/// How the partners' staff are brought together (the brief's 'form').
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// One joint unit, teams mixed across partners (CS1).
    Merged,
    /// Separate teams on one floor, sharing desks and equipment (CS2).
    CoLocated,
    /// Separate sites; contact only through formal channels and few informal ties.
    Virtual,
}

/// What the collaboration does about the partners' differing rules and norms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CulturePolicy {
    /// A new culture separate from both parents (CS1): norms converge through contact.
    NewShared,
    /// Each partner keeps its rules, pay and terms (CS2): norms stay anchored to the parent.
    KeepSeparate,
    /// Everyone adopts the lead partner's norms.
    AdoptLead,
}

/// How the unit is staffed at the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every employee re-applies; the most willing fill the posts (CS1).
    ReApply,
    /// Everyone transfers as they are.
    TransferAll,
}

/// Staff role: seniors and managers network more across partners and weigh more in
/// their organization's view of the collaboration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Senior,
    Manager,
    Staff,
}

/// One partner organization.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgParams {
    pub name: String,
    /// Staff the organization brings before selection.
    pub staff: u32,
    /// Expected leader changes per year (a Poisson hazard).
    pub leader_turnover_per_year: f64,
    /// Commitment of the leader in post at the start, 0..1.
    pub leader_commitment: f64,
    /// Strategic engagement at the start, 0..1.
    pub engagement: f64,
    pub cost_share: f64,
    pub benefit_share: f64,
    /// Weight of visible failure in the organization's engagement, 0..1.
    pub reputation_sensitivity: f64,
    /// Participation in joint decisions, 0..1 (matters for a non-lead partner).
    pub participation: f64,
    /// Parent culture: the centre of its staff's norm vectors, each component 0..1.
    pub norms: Vec<f64>,
    /// Mean initial trust of its staff in each partner, 0..1.
    pub initial_trust: f64,
    pub initial_motivation: f64,
    pub initial_willingness: f64,
    /// Mean prior collaboration experience of its staff, 0..1.
    pub prior_experience: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeadershipParams {
    /// Commitment of a newly arrived leader, who questions the collaboration.
    pub new_leader_commitment: f64,
    /// Half-width of the uniform spread of a new leader's commitment around the mean.
    pub new_leader_spread: f64,
    /// Rate (per year) at which leader commitment follows vision and trust.
    pub adapt_per_year: f64,
    /// Weeks after a change before the strategy re-alignment presentation.
    pub realign_delay_weeks: u32,
    /// Share of the lost commitment the presentation restores, 0..1.
    pub realign_strength: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CollaborationParams {
    pub form: Form,
    pub culture_policy: CulturePolicy,
    pub transparency: f64,
    pub strategy_document: bool,
    /// Chance that the strategy document survives a leader change (is kept and used).
    pub strategy_survival: f64,
    /// Index of the lead partner, if there is one.
    pub lead_partner: Option<usize>,
    pub selection: Selection,
    /// Posts in the joint unit.
    pub posts: u32,
    /// Contention for shared desks and equipment, 0..1.
    pub shared_resources: f64,
    pub team_size: u32,
    pub formal_ties: u32,
    pub informal_ties: u32,
    pub contacts_per_week: u32,
    /// Running cost of the joint arrangement, GBP per year (shared by cost shares).
    pub running_cost_per_year: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VisionParams {
    /// Whether a shared vision was created at all (the HR case had none).
    pub defined: bool,
    pub initial: f64,
    pub decay_per_year: f64,
    /// Restoration per communication meeting, as a share of the gap to 1.
    pub restate_per_meeting: f64,
    /// Restoration per year from a strategy document that carries the vision.
    pub strategy_restate_per_year: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommunicationParams {
    pub meetings_per_month: f64,
    pub two_way: bool,
    /// Effectiveness of one-way (downward only) communication relative to two-way.
    pub one_way_effectiveness: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GatheringParams {
    pub per_year: f64,
    pub attendance: f64,
    pub trust_gain: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrustParams {
    /// Gain per positive cross-organization contact, as a share of the gap to 1.
    pub gain: f64,
    /// Loss per negative contact relative to the gain (about 3 in alliance fits).
    pub loss_ratio: f64,
    /// Share of a failure's trust cost waived when it is openly communicated.
    pub open_failure_discount: f64,
    pub success_base: f64,
    pub success_from_transparency: f64,
    pub success_overload_penalty: f64,
    pub experience_gain: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CultureParams {
    pub convergence_rate: f64,
    /// Weekly pull toward the culture the policy anchors to.
    pub anchor_pull: f64,
    pub norm_spread: f64,
    pub friction_rate: f64,
    pub friction_trust_loss: f64,
    pub friction_motivation_loss: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeadPartnerParams {
    /// Engagement target lost by a non-lead partner with no participation.
    pub nonlead_disengagement: f64,
    /// Share by which a lead partner shortens the savings ramp (faster decisions).
    pub decision_speedup: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProjectParams {
    pub overload: f64,
    pub base_workload: f64,
    pub go_live_weeks: Vec<u32>,
    pub go_live_peak: f64,
    pub go_live_width_weeks: f64,
    /// Ongoing project work on top of the base load, before the overload multiplier.
    pub ongoing_load: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StaffParams {
    pub turnover_per_year: f64,
    pub quit_per_year: f64,
    pub quit_below_willingness: f64,
    /// Extra quit hazard per year per unit of overload, borne by the unmotivated.
    pub quit_overload_per_year: f64,
    pub hiring_delay_weeks: u32,
    pub replace_leavers: bool,
    pub remove_unwilling: bool,
    pub remove_unwilling_factor: f64,
    pub hire_willingness: f64,
    pub senior_share: f64,
    pub manager_share: f64,
    pub init_spread: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MotivationParams {
    pub adapt_per_year: f64,
    pub base: f64,
    pub vision_weight: f64,
    pub leader_weight: f64,
    pub trust_weight: f64,
    pub overload_weight: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WillingnessParams {
    pub adapt_per_year: f64,
    pub motivation_weight: f64,
    pub trust_weight: f64,
    pub experience_weight: f64,
    pub connection_weight: f64,
    pub overload_loss: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EngagementParams {
    pub adapt_per_year: f64,
    pub leader_weight: f64,
    pub willingness_weight: f64,
    pub trust_weight: f64,
    pub value_weight: f64,
    pub reputation_weight: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SavingsItem {
    pub name: String,
    pub annual_gbp: f64,
    pub start_week: u32,
    /// Relative change per year after the start (negative: benefits reverse).
    pub annual_change: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SavingsParams {
    pub per_removed_post_gbp: f64,
    pub ramp_weeks: u32,
    pub items: Vec<SavingsItem>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IncidentParams {
    pub per_year: f64,
    pub duration_weeks: u32,
    pub scheduled_weeks: Vec<u32>,
    /// Added to contact success, motivation and engagement targets while it lasts.
    pub cooperation_boost: f64,
    /// Share of friction events suppressed while it lasts.
    pub friction_suppression: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EndParams {
    pub withdraw_threshold: f64,
    pub withdraw_weeks: u32,
    pub staff_floor: f64,
}

/// Everything one replicate needs. `horizon_weeks` bounds the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub horizon_weeks: u32,
    pub organizations: Vec<OrgParams>,
    pub leadership: LeadershipParams,
    pub collaboration: CollaborationParams,
    pub vision: VisionParams,
    pub communication: CommunicationParams,
    pub gatherings: GatheringParams,
    pub trust: TrustParams,
    pub culture: CultureParams,
    pub lead: LeadPartnerParams,
    pub project: ProjectParams,
    pub staff: StaffParams,
    pub motivation: MotivationParams,
    pub willingness: WillingnessParams,
    pub engagement: EngagementParams,
    pub savings: SavingsParams,
    pub incidents: IncidentParams,
    pub end: EndParams,
}

impl Params {
    pub fn n_orgs(&self) -> usize {
        self.organizations.len()
    }
    pub fn norm_dims(&self) -> usize {
        self.organizations.first().map_or(0, |o| o.norms.len())
    }
    /// Staff of all partners before selection.
    pub fn baseline_staff(&self) -> u32 {
        self.organizations.iter().map(|o| o.staff).sum()
    }
}
