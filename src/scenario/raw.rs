//! The scenario file as written: serde structs mirroring the TOML, every field defaulted
//! (the defaults are the model's documented calibration, see docs/ODD.md). Nothing here is
//! checked; `validate` turns these into the model's typed parameters.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawScenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub replicates: u64,
    /// Horizon in years (one step is one week; 52 weeks a year).
    pub years: f64,
    pub leadership: RawLeadership,
    pub collaboration: RawCollaboration,
    pub vision: RawVision,
    pub communication: RawCommunication,
    pub gatherings: RawGatherings,
    pub trust: RawTrust,
    pub culture: RawCulture,
    pub project: RawProject,
    pub staff: RawStaff,
    pub motivation: RawMotivation,
    pub willingness: RawWillingness,
    pub engagement: RawEngagement,
    pub savings: RawSavings,
    pub incidents: RawIncidents,
    pub end: RawEnd,
    pub organizations: IndexMap<String, RawOrg>,
}

impl Default for RawScenario {
    fn default() -> Self {
        RawScenario {
            name: String::new(),
            description: String::new(),
            seed: 1,
            replicates: 1000,
            years: 10.0,
            leadership: RawLeadership::default(),
            collaboration: RawCollaboration::default(),
            vision: RawVision::default(),
            communication: RawCommunication::default(),
            gatherings: RawGatherings::default(),
            trust: RawTrust::default(),
            culture: RawCulture::default(),
            project: RawProject::default(),
            staff: RawStaff::default(),
            motivation: RawMotivation::default(),
            willingness: RawWillingness::default(),
            engagement: RawEngagement::default(),
            savings: RawSavings::default(),
            incidents: RawIncidents::default(),
            end: RawEnd::default(),
            organizations: IndexMap::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawOrg {
    pub staff: u32,
    /// Overrides `leadership.turnover_per_year` for this organization.
    pub leader_turnover_per_year: Option<f64>,
    pub leader_commitment: f64,
    pub engagement: f64,
    /// Defaults to an equal split between the partners.
    pub cost_share: Option<f64>,
    pub benefit_share: Option<f64>,
    pub reputation_sensitivity: f64,
    pub participation: f64,
    pub norms: Vec<f64>,
    pub initial_trust: f64,
    pub initial_motivation: f64,
    pub initial_willingness: f64,
    pub prior_experience: f64,
}

impl Default for RawOrg {
    fn default() -> Self {
        RawOrg {
            staff: 0,
            leader_turnover_per_year: None,
            leader_commitment: 0.7,
            engagement: 0.7,
            cost_share: None,
            benefit_share: None,
            reputation_sensitivity: 0.5,
            participation: 1.0,
            norms: vec![0.5; 4],
            initial_trust: 0.5,
            initial_motivation: 0.6,
            initial_willingness: 0.6,
            prior_experience: 0.3,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawLeadership {
    pub turnover_per_year: f64,
    pub new_leader_commitment: f64,
    pub new_leader_spread: f64,
    pub adapt_per_year: f64,
    pub realign_delay_weeks: u32,
    pub realign_strength: f64,
}

impl Default for RawLeadership {
    fn default() -> Self {
        RawLeadership {
            turnover_per_year: 0.27,
            new_leader_commitment: 0.3,
            new_leader_spread: 0.2,
            adapt_per_year: 0.3,
            realign_delay_weeks: 4,
            realign_strength: 0.8,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawCollaboration {
    /// merged | co-located | virtual
    pub form: String,
    /// new-shared | keep-separate | adopt-lead
    pub culture_policy: String,
    pub transparency: f64,
    pub strategy_document: bool,
    pub strategy_survival: f64,
    pub lead_partner: Option<String>,
    pub nonlead_disengagement: f64,
    pub lead_decision_speedup: f64,
    /// re-apply | transfer-all
    pub selection: String,
    /// Posts in the joint unit; defaults to all staff (required for re-apply).
    pub posts: Option<u32>,
    pub shared_resources: f64,
    pub team_size: u32,
    pub formal_ties: u32,
    pub informal_ties: u32,
    pub contacts_per_week: u32,
    pub running_cost_per_year: f64,
}

impl Default for RawCollaboration {
    fn default() -> Self {
        RawCollaboration {
            form: "merged".into(),
            culture_policy: "new-shared".into(),
            transparency: 0.5,
            strategy_document: false,
            strategy_survival: 1.0,
            lead_partner: None,
            nonlead_disengagement: 0.2,
            lead_decision_speedup: 0.3,
            selection: "transfer-all".into(),
            posts: None,
            shared_resources: 0.2,
            team_size: 8,
            formal_ties: 4,
            informal_ties: 2,
            contacts_per_week: 2,
            running_cost_per_year: 0.0,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawVision {
    pub defined: bool,
    pub initial: f64,
    pub decay_per_year: f64,
    pub restate_per_meeting: f64,
    pub strategy_restate_per_year: f64,
}

impl Default for RawVision {
    fn default() -> Self {
        RawVision {
            defined: true,
            initial: 0.6,
            decay_per_year: 0.5,
            restate_per_meeting: 0.02,
            strategy_restate_per_year: 0.3,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawCommunication {
    pub meetings_per_month: f64,
    pub two_way: bool,
    pub one_way_effectiveness: f64,
}

impl Default for RawCommunication {
    fn default() -> Self {
        RawCommunication { meetings_per_month: 2.0, two_way: true, one_way_effectiveness: 0.5 }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawGatherings {
    pub per_year: f64,
    pub attendance: f64,
    pub trust_gain: f64,
}

impl Default for RawGatherings {
    fn default() -> Self {
        RawGatherings { per_year: 2.0, attendance: 0.6, trust_gain: 0.05 }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawTrust {
    pub gain: f64,
    pub loss_ratio: f64,
    pub open_failure_discount: f64,
    pub success_base: f64,
    pub success_from_transparency: f64,
    pub success_overload_penalty: f64,
    pub experience_gain: f64,
}

impl Default for RawTrust {
    fn default() -> Self {
        RawTrust {
            gain: 0.02,
            loss_ratio: 3.0,
            open_failure_discount: 0.7,
            success_base: 0.5,
            success_from_transparency: 0.3,
            success_overload_penalty: 0.5,
            experience_gain: 0.01,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawCulture {
    pub convergence_rate: f64,
    pub anchor_pull: f64,
    pub norm_spread: f64,
    pub friction_rate: f64,
    pub friction_trust_loss: f64,
    pub friction_motivation_loss: f64,
}

impl Default for RawCulture {
    fn default() -> Self {
        RawCulture {
            convergence_rate: 0.01,
            anchor_pull: 0.003,
            norm_spread: 0.1,
            friction_rate: 0.05,
            friction_trust_loss: 0.05,
            friction_motivation_loss: 0.02,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawProject {
    pub overload: f64,
    pub base_workload: f64,
    pub ongoing_load: f64,
    pub go_live_weeks: Vec<u32>,
    pub go_live_peak: f64,
    pub go_live_width_weeks: f64,
}

impl Default for RawProject {
    fn default() -> Self {
        RawProject {
            overload: 1.0,
            base_workload: 0.85,
            ongoing_load: 0.05,
            go_live_weeks: Vec::new(),
            go_live_peak: 0.3,
            go_live_width_weeks: 4.0,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawStaff {
    pub turnover_per_year: f64,
    pub quit_per_year: f64,
    pub quit_below_willingness: f64,
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

impl Default for RawStaff {
    fn default() -> Self {
        RawStaff {
            turnover_per_year: 0.06,
            quit_per_year: 1.0,
            quit_below_willingness: 0.35,
            quit_overload_per_year: 0.5,
            hiring_delay_weeks: 13,
            replace_leavers: true,
            remove_unwilling: false,
            remove_unwilling_factor: 3.0,
            hire_willingness: 0.7,
            senior_share: 0.05,
            manager_share: 0.15,
            init_spread: 0.15,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawMotivation {
    pub adapt_per_year: f64,
    pub base: f64,
    pub vision_weight: f64,
    pub leader_weight: f64,
    pub trust_weight: f64,
    pub overload_weight: f64,
}

impl Default for RawMotivation {
    fn default() -> Self {
        RawMotivation {
            adapt_per_year: 4.0,
            base: 0.05,
            vision_weight: 0.45,
            leader_weight: 0.2,
            trust_weight: 0.3,
            overload_weight: 0.5,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawWillingness {
    pub adapt_per_year: f64,
    pub motivation_weight: f64,
    pub trust_weight: f64,
    pub experience_weight: f64,
    pub connection_weight: f64,
    pub overload_loss: f64,
}

impl Default for RawWillingness {
    fn default() -> Self {
        RawWillingness {
            adapt_per_year: 2.0,
            motivation_weight: 0.5,
            trust_weight: 0.25,
            experience_weight: 0.1,
            connection_weight: 0.15,
            overload_loss: 0.01,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawEngagement {
    pub adapt_per_year: f64,
    pub leader_weight: f64,
    pub willingness_weight: f64,
    pub trust_weight: f64,
    pub value_weight: f64,
    pub reputation_weight: f64,
}

impl Default for RawEngagement {
    fn default() -> Self {
        RawEngagement {
            adapt_per_year: 3.0,
            leader_weight: 0.45,
            willingness_weight: 0.2,
            trust_weight: 0.15,
            value_weight: 0.2,
            reputation_weight: 0.3,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawSavings {
    pub per_removed_post_gbp: f64,
    pub ramp_weeks: u32,
    pub items: Vec<RawSavingsItem>,
}

impl Default for RawSavings {
    fn default() -> Self {
        RawSavings { per_removed_post_gbp: 20_000.0, ramp_weeks: 0, items: Vec::new() }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct RawSavingsItem {
    pub name: String,
    pub annual_gbp: f64,
    pub start_week: u32,
    pub annual_change: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawIncidents {
    pub per_year: f64,
    pub duration_weeks: u32,
    pub scheduled_weeks: Vec<u32>,
    pub cooperation_boost: f64,
    pub friction_suppression: f64,
}

impl Default for RawIncidents {
    fn default() -> Self {
        RawIncidents {
            per_year: 0.5,
            duration_weeks: 8,
            scheduled_weeks: Vec::new(),
            cooperation_boost: 0.1,
            friction_suppression: 0.8,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawEnd {
    pub withdraw_threshold: f64,
    pub withdraw_weeks: u32,
    pub staff_floor: f64,
}

impl Default for RawEnd {
    fn default() -> Self {
        RawEnd { withdraw_threshold: 0.5, withdraw_weeks: 26, staff_floor: 0.5 }
    }
}
